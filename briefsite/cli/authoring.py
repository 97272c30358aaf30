"""The commands that help write a brief: `schema` (JSON Schema files for editors) and `new`
(a seed imported from an article, and the start of its brief). Neither runs the builder."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from briefsite.read.schema import SCHEMA_FOLDER, schema_files

EXIT_OK = 0


def write_schemas(root: Path) -> list[str]:
    """Write the JSON Schema files into the project (replacing older ones); the paths
    written, as shown to the user. The folder ignores itself in git: it is made, not
    written by hand."""
    folder = root / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder.parent / ".gitignore"
    if not ignore.exists():
        replace_text(ignore, "# Made by ./build.py; not for version control.\n*\n")
    written = []
    for name, text in schema_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            replace_text(path, text)
        written.append(f"{SCHEMA_FOLDER}/{name}")
    return written


def replace_text(path: Path, text: str) -> None:
    """Write a text file through a temporary file and a rename, so that no reader (an
    editor watching the schema) sees half of it."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def schema_command(root: Path, args: argparse.Namespace) -> int:
    """`schema`: write the JSON Schema of every kind of YAML file, for editors."""
    written = write_schemas(root)
    if not args.quiet:
        print(f"Wrote {', '.join(written)}")
        print(
            "Editors with the YAML language server use them through the first line of each "
            "file, e.g. `# yaml-language-server: $schema=../../.briefsite/schema/brief.json`",
            file=sys.stderr,
        )
    return EXIT_OK
