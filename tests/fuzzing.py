"""Mutated projects for fuzzing: what to change, how to run a case, and what must hold.

A case starts from the golden fixture project and applies a few mutations to its briefs,
entities, topics, `site.yaml` and seeds: text cut out, inserted (YAML's punctuation,
indentation, anchors and aliases, control characters, the line breaks of YAML 1.1, bytes
that are not UTF-8), lines duplicated or swapped, files cut short. It is checked by one
long-lived builder, as `serve` checks after an edit; every file is written anew for every
case, so a case's outcome depends on its files alone. What must hold, whatever the input:

- no internal error (an exception that is not a `BriefsiteError`: `build.py` exit 70);
- no hang (a case that runs longer than `HANG_SECONDS`);
- every error located in a file of the project at a line and column inside that file;
- the report of the errors prints (source lines quoted) without an error of its own.

`tests/test_fuzz.py` runs a few dozen cases under Hypothesis in `make test`;
`benchmarks/fuzz.py` runs thousands and counts failures.
"""

from __future__ import annotations

import io
import shutil
import signal
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.cli.report import print_diagnostics
from briefsite.errors import Diagnostic
from briefsite.read.textfile import newlines

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
HANG_SECONDS = 20.0
OPERATIONS = ("insert", "delete", "replace", "duplicate-line", "swap-lines", "truncate", "indent")
SNIPPETS = (
    ":", ": ", "- ", "-", "  ", "    ", "\t", "\n", "\r\n", "\r", "#", "'", '"', "|", ">", "|-",
    "[", "]", "{", "}", ",", "?", "? ", "!", "!!str ", "!!python/object:os.system ", "&a ",
    "*a", "&b [x, *a]", "*b", "<<: *a", "---", "...", "%YAML 1.1", "~", "null", "yes",
    "2024-13-45", "0x1F", "1e309", "-1", "id: x", "quote: ", "type: claim", "verdict:",
    "entity:nope", "[x](brief:nope#n)", "[y](#missing)", "[z](//evil.example/)",
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffe",
    "\U0001f600", "é", "\u202e", "\u0301", "<script>", "{{ x }}", "{% x %}", "\\", "%",
    "a" * 300, "- " * 50, "[" * 60, "&x " * 20,
)  # fmt: skip
BAD_BYTES = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x00\x00")


@dataclass(frozen=True, slots=True)
class Mutation:
    """One change to one file: `where` and `span` are fractions of its length."""

    file: int  # index into the case's files, modulo their number
    operation: str
    where: float
    span: float
    snippet: str
    raw: bytes = b""  # bytes inserted as they are (not valid UTF-8)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a case did."""

    internal_error: str | None  # the traceback of an internal error
    hang: bool
    mislocated: tuple[str, ...]  # errors not inside their file, as printed
    errors: int
    seconds: float


class Hang(BaseException):
    """A case ran past its time (a BaseException, so that no handler of the code under test
    takes it for an error of its own)."""


def base_files() -> dict[str, bytes]:
    """The golden project's files, by path relative to it."""
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }


BASE = base_files()
TARGETS = tuple(sorted(BASE))  # every file may be mutated: briefs, entities, topics, site, seeds


def mutate(files: dict[str, bytes], mutation: Mutation) -> None:
    """Apply one mutation, in place."""
    name = TARGETS[mutation.file % len(TARGETS)]
    data = files[name]
    at = int(mutation.where * len(data))
    size = max(1, int(mutation.span * min(len(data), 200)))
    piece = mutation.raw or mutation.snippet.encode("utf-8")
    lines = data.split(b"\n")
    line = int(mutation.where * len(lines)) % max(len(lines), 1)
    other = int(mutation.span * len(lines)) % max(len(lines), 1)
    if mutation.operation == "insert":
        data = data[:at] + piece + data[at:]
    elif mutation.operation == "delete":
        data = data[:at] + data[at + size :]
    elif mutation.operation == "replace":
        data = data[:at] + piece + data[at + size :]
    elif mutation.operation == "duplicate-line":
        data = b"\n".join([*lines[: line + 1], lines[line], *lines[line + 1 :]])
    elif mutation.operation == "swap-lines":
        lines[line], lines[other] = lines[other], lines[line]
        data = b"\n".join(lines)
    elif mutation.operation == "truncate":
        data = data[:at]
    elif mutation.operation == "indent":
        lines[line] = piece + lines[line] if piece.isspace() else b"  " + lines[line]
        data = b"\n".join(lines)
    else:
        raise ValueError(f"unknown operation {mutation.operation!r}")
    files[name] = data


def mislocated(diagnostics: Sequence[Diagnostic], root: Path) -> list[str]:
    """The diagnostics whose location is not a line and column inside their file."""
    wrong = []
    for d in diagnostics:
        at = d.location
        path = root / at.path
        if not path.is_file():
            wrong.append(f"{d.format()}  [no such file]")
            continue
        text = newlines(path.read_bytes().decode("utf-8-sig", errors="replace"))
        lines = text.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # the end of the last line, not a line of its own
        if at.line == 1 and at.col == 1:
            continue  # the file as a whole
        if not 1 <= at.line <= len(lines):
            wrong.append(f"{d.format()}  [the file has {len(lines)} lines]")
        elif not 1 <= at.col <= len(lines[at.line - 1]) + 1:
            wrong.append(f"{d.format()}  [line {at.line} has {len(lines[at.line - 1])} chars]")
    return wrong


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Fuzzer:
    """Runs cases in one project folder with one long-lived builder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.builder: Builder | None = None

    def run(self, mutations: Sequence[Mutation]) -> Outcome:
        """Write the golden project with `mutations` applied, check it, and judge."""
        files = dict(BASE)
        for mutation in mutations:
            mutate(files, mutation)
        self._write(files)
        if self.builder is None:
            self.builder = Builder(self.root, Store.none())
        started = time.perf_counter()
        try:
            with _deadline(HANG_SECONDS):
                run = self.builder.check()
                print_diagnostics(run.diagnostics, self.root, io.StringIO())
        except Hang:
            self.builder = None  # its state is whatever the interrupted run left
            return Outcome(None, True, (), 0, time.perf_counter() - started)
        except Exception:
            self.builder = None
            return Outcome(traceback.format_exc(), False, (), 0, time.perf_counter() - started)
        seconds = time.perf_counter() - started
        wrong = tuple(mislocated(run.diagnostics, self.root))
        problems = sum(d.severity == "error" for d in run.diagnostics)
        return Outcome(None, False, wrong, problems, seconds)

    def _write(self, files: dict[str, bytes]) -> None:
        for folder in ("seeds", "content"):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        for relative, data in files.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
