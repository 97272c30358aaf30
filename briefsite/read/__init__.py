"""Read: list the project's files and turn each into a checked, frozen record.

Imports only `errors` and `model` below it; nothing here knows about anchors, pages,
caches or processes."""
