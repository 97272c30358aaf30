"""briefsite: a static site generator for annotated policy briefs."""

__version__ = "0.1.0"
