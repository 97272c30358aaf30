"""Link: check references, find mentions and collect who is about what.

Imports `anchor`, `read` and below."""
