"""Where layouts are found: the project's own `layouts/`, over the built-in ones."""

from __future__ import annotations

from pathlib import Path

BUILTIN_LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


def layout_dirs(root: Path) -> list[Path]:
    """The project's own layouts (if any) first, then the built-in ones they override."""
    own = root / "layouts"
    dirs = [own] if own.is_dir() else []
    if not dirs or own.resolve() != BUILTIN_LAYOUTS:
        dirs.append(BUILTIN_LAYOUTS)
    return dirs
