"""Render: turn planned pages into bytes with the layouts' Jinja templates.

Imports `site` and below."""
