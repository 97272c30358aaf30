"""Serve: the preview server and the watcher, around a long-lived builder.

Imported by the command line's `serve` only; nothing below imports it."""
