"""Reading project files as text, with every failure turned into a located user error."""

from __future__ import annotations

from pathlib import Path

from briefsite.errors import BriefsiteError, SourceLocation


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file (a BOM is dropped, newlines become `\\n`); `shown` names it in errors."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise BriefsiteError.at(
            SourceLocation(shown), "is a folder, not a file", "move or rename it"
        ) from exc
    except OSError as exc:
        raise BriefsiteError.at(
            SourceLocation(shown),
            f"cannot read file: {exc.strerror or exc}",
            "check that the file exists and is readable (permissions, broken symlink)",
        ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise BriefsiteError.at(
            SourceLocation(shown, line, col),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "re-save the file as UTF-8",
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
