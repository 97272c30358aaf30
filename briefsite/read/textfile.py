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
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = _newlines(data[: exc.start].decode("utf-8", errors="replace"))
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise BriefsiteError.at(
            SourceLocation(shown, line, col),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "re-save the file as UTF-8",
        ) from exc
    return _newlines(text)


def _newlines(text: str) -> str:
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text
