"""Reading project files as text, with every failure turned into a located user error."""

from __future__ import annotations

import re
from pathlib import Path

from briefsite.errors import BriefsiteError, SourceLocation

BOM = b"\xef\xbb\xbf"
# Characters no text file of a project may hold: C0 controls other than tab, line feed and
# carriage return, DEL, and C1 controls other than U+0085. They are invisible in an editor,
# invalid in XML (feeds, sitemaps) and most often the sign of a corrupted or binary file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")


def read_bytes(path: str | Path, shown: str) -> bytes:
    """The bytes of a project file; `shown` names it in errors."""
    try:
        with open(path, "rb") as file:
            return file.read()
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


def decode_text(data: bytes, shown: str) -> str:
    """Decode UTF-8 (a BOM is dropped, `\\r\\n` and `\\r` become `\\n`), refusing control
    characters; every problem is located at its own line and column."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = newlines(data[: exc.start].decode("utf-8", errors="replace"))
        raise BriefsiteError.at(
            _location(before, len(before), shown),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "re-save the file as UTF-8",
        ) from exc
    text = newlines(text)
    bad = _CONTROL.search(text)
    if bad is not None:
        raise BriefsiteError.at(
            _location(text, bad.start(), shown),
            f"control character U+{ord(bad.group()):04X} is not allowed",
            "delete it: it is invisible in most editors (a stray byte, or a binary file)",
        )
    return text


def read_text(path: Path, shown: str) -> str:
    """Read and decode a project file (see `decode_text`)."""
    return decode_text(read_bytes(path, shown), shown)


def newlines(text: str) -> str:
    """Text with `\\r\\n` and lone `\\r` line breaks made `\\n`, as editors count lines."""
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _location(text: str, offset: int, shown: str) -> SourceLocation:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return SourceLocation(shown, line, col)
