#!/usr/bin/env python3
"""The preview server under load while briefs are edited: latency, errors, partial pages,
and how long it takes to stop afterwards.

    .venv/bin/python benchmarks/serve_load.py [--briefs 300] [--clients 50] [--seconds 60]
                                             [--edit-every 0.2] [--think 0.05]

A synthetic project (`benchmarks/build_speed.py: generate`) is built once, then served by
a real `build.py serve` process. Meanwhile:

- `--clients` clients, each on one kept-alive connection, ask for pages at random (the
  index, briefs, entities, topics, the stylesheet), waiting `--think` seconds between a
  response and the next request, as a person clicking through would, only faster;
- every `--edit-every` seconds one brief's summary is edited (saved by writing a temporary
  file and renaming it over the brief, as editors save), so `serve` rebuilds all along.

A response is an error if it is not 200 or the connection fails; it is partial if its body
is shorter or longer than its Content-Length, or an HTML page does not end with `</html>`.
Latency is measured on kept-alive connections only (every request but a connection's
first). At the end `serve` gets SIGINT and the time until it has exited is measured. Goals:
0 errors, 0 partial pages, page p99 <= 100 ms, stop <= 1 s. The script prints figures and
makes no judgement on them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.build_speed import generate

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)  # seconds, kept-alive requests
    first: list[float] = field(default_factory=list)  # seconds, a connection's first request
    errors: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    bytes: int = 0


def _pages(root: Path) -> list[str]:
    pages = ["/", "/briefs/", "/assets/site.css"]
    for folder, prefix in (("briefs", "briefs"), ("entities", "entities"), ("topics", "topics")):
        found = sorted((root / "content" / folder).glob("[!.]*.yaml"))
        pages += [f"/{prefix}/{p.stem}/" for p in found]
    return pages


async def _client(
    host: str, port: int, pages: Sequence[str], until: float, think: float, seed: int, tally: Tally
) -> None:
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection(host, port)
    first = True
    try:
        while loop.time() < until:
            page = rng.choice(pages)
            started = time.perf_counter()
            writer.write(f"GET {page} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                found = re.search(rb"\r\ncontent-length: (\d+)\r\n", head.lower())
                length = int(found.group(1)) if found else -1
                body = await reader.readexactly(length) if length >= 0 else b""
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                tally.errors.append(f"{page}: {type(exc).__name__}: {exc}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                first = True
                continue
            seconds = time.perf_counter() - started
            (tally.first if first else tally.latencies).append(seconds)
            first = False
            tally.bytes += len(body)
            if status != 200:
                tally.errors.append(f"{page}: status {status}")
            elif length < 0 or (page.endswith("/") and not body.rstrip().endswith(b"</html>")):
                tally.partial.append(f"{page}: {length} bytes announced, {len(body)} read")
            await asyncio.sleep(think)
    finally:
        writer.close()


def _editor(root: Path, every: float, stop: threading.Event, edits: list[float]) -> None:
    rng = random.Random(7)
    briefs = sorted((root / "content" / "briefs").iterdir())
    while not stop.wait(every):
        path = rng.choice(briefs)
        text = path.read_text("utf-8")
        changed = re.sub(
            r"^summary: >-\n  ", f"summary: >-\n  Edit {len(edits)}. ", text, count=1, flags=re.M
        )
        if changed == text:
            raise RuntimeError(f"no summary to edit in {path}")
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(changed, "utf-8")
        os.replace(temporary, path)
        edits.append(time.monotonic())


def _status(host: str, port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://{host}:{port}/__briefsite/status", timeout=10) as r:
        result: dict[str, object] = json.load(r)
    return result


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--edit-every", type=float, default=0.2)
    parser.add_argument("--think", type=float, default=0.05)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefsite-load-") as temp:
        root = Path(temp) / "project"
        generate(root, args.briefs)
        build = [sys.executable, str(REPO / "build.py")]
        subprocess.run([*build, "build", "--project", str(root), "-q"], check=True)
        process = subprocess.Popen(
            [*build, "serve", "--project", str(root), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        lines: list[str] = []
        while True:
            line = process.stdout.readline()
            lines.append(line)
            found = re.search(r"Serving http://([\d.]+):(\d+)/", line)
            if found:
                host, port = found.group(1), int(found.group(2))
                break
            if not line:
                print("".join(lines), file=sys.stderr)
                return 1
        threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True).start()
        builds_before = int(str(_status(host, port)["builds"]))
        tally = Tally()
        edits: list[float] = []
        stop = threading.Event()
        editor = threading.Thread(target=_editor, args=(root, args.edit_every, stop, edits))
        editor.start()

        pages = _pages(root)

        async def load() -> None:
            until = asyncio.get_running_loop().time() + args.seconds
            await asyncio.gather(
                *(
                    _client(host, port, pages, until, args.think, n, tally)
                    for n in range(args.clients)
                )
            )

        started = time.perf_counter()
        asyncio.run(load())
        elapsed = time.perf_counter() - started
        stop.set()
        editor.join()
        time.sleep(1.5)  # the last edit is built
        status = _status(host, port)
        stopping = time.perf_counter()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
        stop_seconds = time.perf_counter() - stopping
    requests = len(tally.latencies) + len(tally.first)
    builds = int(str(status["builds"])) - builds_before
    every = args.edit_every * 1000
    print(f"project:     {args.briefs} briefs; {args.clients} clients for {elapsed:.0f} s, "
          f"think {args.think * 1000:.0f} ms; an edit every {every:.0f} ms")  # fmt: skip
    print(f"edits:       {len(edits)} saved, {builds} rebuilds, "
          f"build errors at the end: {len(status['errors'])}")  # type: ignore[arg-type]  # fmt: skip
    print(f"requests:    {requests} ({requests / elapsed:.0f}/s, "
          f"{tally.bytes / elapsed / 1e6:.1f} MB/s)")  # fmt: skip
    print(f"errors:      {len(tally.errors)}")
    print(f"partial:     {len(tally.partial)}")
    if tally.latencies:
        ms = [s * 1000 for s in tally.latencies]
        print(f"kept-alive:  p50 {statistics.median(ms):.1f} ms, p90 {_percentile(ms, 0.9):.1f} "
              f"ms, p99 {_percentile(ms, 0.99):.1f} ms, max {max(ms):.0f} ms")  # fmt: skip
    if tally.first:
        ms = [s * 1000 for s in tally.first]
        print(f"first:       p50 {statistics.median(ms):.1f} ms, max {max(ms):.0f} ms")
    print(f"stop:        {stop_seconds:.2f} s after SIGINT, exit code {code}")
    for problem in (tally.errors + tally.partial)[:10]:
        print(f"  {problem}")
    if "Traceback" in "".join(lines):
        print("serve printed a traceback:\n" + "".join(lines)[-3000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
