"""Anchor: find each note's quote in its seed, and rewrite a brief's selectors.

Imports `read` and below."""
