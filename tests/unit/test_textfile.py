"""Reading project files: UTF-8 only, any newline style, failures located."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.read.textfile import read_text


def _error(path: Path, shown: str = "seeds/x.txt") -> BriefsiteError:
    with pytest.raises(BriefsiteError) as info:
        read_text(path, shown)
    assert len(info.value.diagnostics) == 1
    return info.value


def test_reads_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("Café “quoted” — dash\nline two\n".encode())
    assert read_text(path, "seeds/x.txt") == "Café “quoted” — dash\nline two\n"


def test_drops_a_leading_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\n")
    assert read_text(path, "seeds/x.txt") == "Headline\n"


@pytest.mark.parametrize(
    "data",
    [b"one\r\ntwo\r\n\r\nthree", b"one\rtwo\r\rthree", b"one\ntwo\r\n\rthree"],
    ids=["crlf", "cr", "mixed"],
)
def test_every_newline_style_becomes_lf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    assert read_text(path, "seeds/x.txt") == "one\ntwo\n\nthree"


def test_invalid_byte_on_first_line_is_located(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc\xffdef\n")
    error = _error(path)
    d = error.diagnostics[0]
    assert d.location == SourceLocation("seeds/x.txt", 1, 4)
    assert "not valid UTF-8" in d.message
    assert "0xff" in d.message
    assert "UTF-8" in d.hint


def test_invalid_byte_is_located_by_character_not_byte(tmp_path: Path) -> None:
    # "é" and "—" are several bytes each but one column each in an editor.
    path = tmp_path / "x.txt"
    path.write_bytes("Headline\n\ncafé — x".encode() + b"\xe9t\xe9\n")
    d = _error(path).diagnostics[0]
    assert d.location == SourceLocation("seeds/x.txt", 3, 9)
    assert "0xe9" in d.message


def test_invalid_byte_after_crlf_lines_is_located(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"one\r\ntwo\r\nab\x80\r\n")
    assert _error(path).diagnostics[0].location == SourceLocation("seeds/x.txt", 3, 3)


def test_invalid_byte_after_cr_only_lines_is_located(tmp_path: Path) -> None:
    # Old Mac line endings are tolerated when reading, so errors must count them as lines too.
    path = tmp_path / "x.txt"
    path.write_bytes(b"one\rtwo\rab\x80\r")
    assert _error(path).diagnostics[0].location == SourceLocation("seeds/x.txt", 3, 3)


def test_invalid_byte_after_a_bom_is_located_without_counting_the_bom(tmp_path: Path) -> None:
    # The BOM is dropped on reading and invisible in editors: "ab" are columns 1 and 2.
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xff\n")
    assert _error(path).diagnostics[0].location == SourceLocation("seeds/x.txt", 1, 3)


def test_latin1_file_is_reported_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("Headline\nna\u00efve\n".encode("latin-1"))
    d = _error(path, "content/briefs/b.yaml").diagnostics[0]
    assert d.location == SourceLocation("content/briefs/b.yaml", 2, 3)


def test_a_folder_is_reported_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "x.txt"
    folder.mkdir()
    d = _error(folder).diagnostics[0]
    assert d.location == SourceLocation("seeds/x.txt")
    assert d.message == "is a folder, not a file"


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    d = _error(tmp_path / "nope.txt", "seeds/nope.txt").diagnostics[0]
    assert d.location == SourceLocation("seeds/nope.txt")
    assert d.message.startswith("cannot read file:")
    assert "No such file" in d.message
    assert "exists" in d.hint


def test_broken_symlink_is_a_located_error(tmp_path: Path) -> None:
    link = tmp_path / "x.txt"
    os.symlink(tmp_path / "gone.txt", link)
    d = _error(link).diagnostics[0]
    assert d.location == SourceLocation("seeds/x.txt")
    assert d.message.startswith("cannot read file:")
