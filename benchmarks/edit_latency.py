"""How long from saving a file to the open page's reload event, on a large site.

Generates the synthetic project of build_speed.py (default 1000 briefs), starts
`build.py serve` on it as a separate process, listens to its event stream like an open
page does, waits for the first search index that serve makes in the background, and makes
one-note edits to briefs chosen at random. For each edit it records the
time from the save to the reload event, and the split the server reports: waiting for the
burst of file events to settle, rebuilding, and writing. Prints the median and the 95th
percentile of each.

    .venv/bin/python benchmarks/edit_latency.py --briefs 1000 --edits 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.build_speed import generate  # noqa: E402


def _start(root: Path, output: Path) -> tuple[subprocess.Popen[str], str, int]:
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(root)]
    command += ["--output", str(output), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        print(f"  serve: {line.rstrip()}", file=sys.stderr)
        found = re.search(r"Serving (http://\S+)", line)
        if found:
            url = urlsplit(found.group(1))
            assert url.hostname is not None and url.port is not None
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return process, url.hostname, url.port
    raise SystemExit("serve did not start")


def _drain(process: subprocess.Popen[str]) -> None:
    for _ in process.stdout or ():
        pass  # keep the pipe from filling up


def _listen(host: str, port: int, events: queue.Queue[tuple[str, dict[str, Any]]]) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=600)
    connection.request("GET", "/__briefsite/events")
    response = connection.getresponse()
    name, data = "message", ""
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif not line and data:
            events.put((name, json.loads(data)))
            name, data = "message", ""


def _edit(path: Path, number: int) -> None:
    """Change one word of the first note: a one-note edit, the same size every time."""
    text = path.read_text(encoding="utf-8")
    marker = "    note: |\n"
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    line = re.sub(r" \(edit \d+\)$", "", text[at:end])
    path.write_text(f"{text[:at]}{line} (edit {number}){text[end:]}", encoding="utf-8")


def _wait_for_the_index(output: Path) -> float:
    """Wait until serve's first search index, made in the background after the first
    build, is done: until then every edit shares the CPUs with Pagefind indexing the whole
    site, which an annotator meets only in the first minute or so."""
    from briefsite.build.output import live_build
    from briefsite.build.search import indexed_build

    started = time.perf_counter()
    while indexed_build(output) != live_build(output):
        if time.perf_counter() - started > 900:
            raise SystemExit("the first search index took more than 15 minutes")
        time.sleep(0.2)
    return time.perf_counter() - started


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: Sequence[str]) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", type=int, default=1000, help="briefs (default 1000)")
    parser.add_argument("--edits", type=int, default=20, help="edits to time (default 20)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="briefsite-latency-"))
    process: subprocess.Popen[str] | None = None
    try:
        root = folder / "project"
        print(f"generating {args.briefs} briefs in {root} ...", file=sys.stderr)
        generate(root, args.briefs)
        started = time.perf_counter()
        process, host, port = _start(root, folder / "output")
        print(f"  first build and start: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=_listen, args=(host, port, events), daemon=True).start()
        assert events.get(timeout=30)[0] == "hello"
        waited = _wait_for_the_index(folder / "output")
        print(f"  first search index made beside it: {waited:.1f} s more", file=sys.stderr)
        briefs = sorted((root / "content" / "briefs").glob("*.yaml"))
        rng = random.Random("briefsite-edit-latency")
        rows: dict[str, list[float]] = {
            k: [] for k in ("total", "settle", "rebuild", "write", "rebuild+write", "pages")
        }
        for number in range(1, args.edits + 1):
            brief = rng.choice(briefs)
            page = f"briefs/{brief.stem}/index.html"
            saved = time.perf_counter()
            _edit(brief, number)
            while True:
                name, data = events.get(timeout=60)
                if name == "errors":
                    raise SystemExit(f"the edit broke the build: {data['errors'][:3]}")
                if name == "reload" and page in data["changed"]:
                    break
            received = time.perf_counter()
            timings = data["timings"]
            rows["total"].append((received - saved) * 1000)
            rows["settle"].append(timings["settle_ms"])
            rows["rebuild"].append(timings["rebuild_ms"])
            rows["write"].append(timings["write_ms"])
            rows["rebuild+write"].append(timings["rebuild_ms"] + timings["write_ms"])
            rows["pages"].append(timings["pages_rendered"])
            time.sleep(0.3)
        print(
            f"briefsite edit latency: {args.briefs} briefs, {args.edits} one-note edits, "
            "save -> reload event received by an open page"
        )
        print()
        print(f"{'':24}{'median':>10}{'p95':>10}")
        labels = {
            "total": "save to reload event ms",
            "settle": "  settle wait ms",
            "rebuild": "  rebuild ms",
            "write": "  write ms",
            "rebuild+write": "rebuild + write ms",
            "pages": "pages rendered",
        }
        for key, label in labels.items():
            values = rows[key]
            print(f"{label:24}{statistics.median(values):>10.1f}{_p95(values):>10.1f}")
        print()
        print(f"Python {sys.version.split()[0]}; reproduce: {' '.join(sys.argv)}")
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
