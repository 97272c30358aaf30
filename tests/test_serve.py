"""`serve` as an annotator uses it: a real server process on 127.0.0.1, edits on disk, SSE."""

from __future__ import annotations

import http.client
import json
import math
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from briefsite.serve.watch import MAX_WAIT_SECONDS

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden"
BUS = "content/briefs/bus-depot.yaml"
BUS_PAGE = "/briefs/bus-depot/"


@dataclass
class Preview:
    """A running `build.py serve` process and what it printed."""

    process: subprocess.Popen[str]
    root: Path
    output: Path
    host: str
    port: int
    lines: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def status(self) -> dict[str, Any]:
        code, _, body = self.get("/__briefsite/status")
        assert code == 200
        result: dict[str, Any] = json.loads(body)
        return result

    def wait_builds(self, builds: int, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["builds"] >= builds:
                return status
            time.sleep(0.05)
        raise AssertionError(f"no build {builds} within {timeout} s: {self.status()}")


class Events:
    """An SSE client reading `/__briefsite/events` in a thread."""

    def __init__(self, preview: Preview) -> None:
        self.queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.connection = http.client.HTTPConnection(preview.host, preview.port, timeout=30)
        self.connection.request("GET", "/__briefsite/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        name, _ = self.next(5)
        assert name == "hello"

    def _read(self) -> None:
        name, data = "message", ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and data:
                    self.queue.put((name, json.loads(data)))
                    name, data = "message", ""
        except (OSError, ValueError):
            pass

    def next(self, timeout: float) -> tuple[str, dict[str, Any]]:
        return self.queue.get(timeout=timeout)

    def close(self) -> None:
        self.connection.close()


def _start(root: Path, output: Path, *extra: str, env: dict[str, str] | None = None) -> Preview:
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(root)]
    command += ["--output", str(output), "--port", "0", *extra]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=root,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"Serving (http://\S+)", line)
        if found:
            url = urlsplit(found.group(1))
            assert url.hostname is not None and url.port is not None
            preview = Preview(process, root, output, url.hostname, url.port, lines)
            threading.Thread(target=_drain, args=(process, lines), daemon=True).start()
            return preview
    process.kill()
    raise AssertionError("serve did not start:\n" + "".join(lines))


def _drain(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


def _stop(preview: Preview) -> int:
    preview.process.send_signal(signal.SIGINT)
    return preview.process.wait(timeout=15)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    running = _start(root, tmp_path / "site")
    yield running
    if running.process.poll() is None:
        assert _stop(running) == 0, "".join(running.lines)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _reload_for(events: Events, page: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        name, data = events.next(max(deadline - time.monotonic(), 0.01))
        if name == "reload" and page in data["changed"]:
            return data


def test_an_edit_is_served_and_announced_within_two_seconds(preview: Preview) -> None:
    events = Events(preview)
    assert b"since 1974" in preview.get(BUS_PAGE)[2]
    saved = time.monotonic()
    _edit(preview.root / BUS, "since 1974", "since 1975")
    data = _reload_for(events, "briefs/bus-depot/index.html", timeout=2.0)
    assert time.monotonic() - saved < 2.0
    assert set(data["timings"]) == {"settle_ms", "rebuild_ms", "write_ms", "pages_rendered"}
    page = preview.get(BUS_PAGE)[2]
    assert b"since 1975" in page and b"since 1974" not in page
    # The file on disk is kept in step too, without the reload script.
    written = (preview.output / "briefs/bus-depot/index.html").read_bytes()
    assert b"since 1975" in written and b"briefsite-livereload" not in written
    events.close()


def test_a_save_by_writing_a_temp_file_and_renaming_it_is_seen(preview: Preview) -> None:
    events = Events(preview)
    target = preview.root / BUS
    temporary = target.with_name(".bus-depot.yaml.tmp1234")
    temporary.write_text(target.read_text(encoding="utf-8").replace("1974", "1976"), "utf-8")
    os.replace(temporary, target)
    _reload_for(events, "briefs/bus-depot/index.html", timeout=5.0)
    assert b"since 1976" in preview.get(BUS_PAGE)[2]
    events.close()


def test_a_burst_of_two_hundred_changes_makes_at_most_two_rebuilds(preview: Preview) -> None:
    before = preview.status()["builds"]
    topics = preview.root / "content" / "topics"
    started = time.monotonic()
    for i in range(200):
        (topics / f"burst-{i:03d}.yaml").write_text(f"name: Burst {i}\n", encoding="utf-8")
    burst = time.monotonic() - started
    preview.wait_builds(before + 1)
    time.sleep(2.5)  # anything still pending has settled and been built by now
    after = preview.status()["builds"]
    # A burst is built once when it settles; a burst longer than the longest wait for it
    # to settle is built once per such wait, so a steady stream cannot hold rebuilds back.
    allowed = 1 + math.ceil(burst / MAX_WAIT_SECONDS)
    assert 1 <= after - before <= allowed
    assert preview.get("/topics/burst-199/")[0] == 200


def test_a_bad_edit_shows_errors_over_the_last_good_site_until_fixed(preview: Preview) -> None:
    events = Events(preview)
    good = preview.get(BUS_PAGE)[2]
    _edit(preview.root / BUS, "  - id: depot-move", "  - id: depot-move\n    qoute: x")
    name, data = events.next(5)
    assert name == "errors"
    (error,) = data["errors"]
    lines = (preview.root / BUS).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "qoute: x" in text)
    assert (error["path"], error["line"], error["col"], error["message"]) == (
        BUS,
        line,
        5,
        "unknown key 'qoute' in annotation",
    )
    assert error["source"].strip() == "qoute: x" and error["hint"] == "did you mean 'quote'?"
    assert preview.get(BUS_PAGE)[2] == good  # still the last good page
    assert preview.status()["errors"] == data["errors"]
    _edit(preview.root / BUS, "\n    qoute: x", "")
    name, data = events.next(5)
    assert name == "reload"
    assert preview.status()["errors"] == []
    events.close()


def test_paths_that_leave_the_site_get_404(preview: Preview, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    (preview.output / "leak.txt").symlink_to(secret)
    not_found = preview.get("/404.html")[2]
    for path in (
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/briefs/../../secret.txt",
        "/leak.txt",
        "/briefs/%00/",
        "/briefs\\..\\secret.txt",
    ):
        status, _, body = preview.get(path)
        assert status == 404, path
        assert b"top secret" not in body and b"root:" not in body
        assert body == not_found  # the site's own 404 page
    status, _, body = preview.get("/briefs/")
    assert status == 200 and b"Index of" not in body  # a page, never a folder listing


def test_content_types_folders_and_redirects(preview: Preview) -> None:
    status, headers, body = preview.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'id="briefsite-livereload"' in body
    status, headers, _ = preview.get("/assets/site.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
    status, headers, _ = preview.get("/briefs/bus-depot")
    assert status == 301 and headers["Location"] == "/briefs/bus-depot/"


def test_ctrl_c_stops_cleanly_and_frees_the_port(preview: Preview) -> None:
    Events(preview)  # an open event stream must not keep the server alive
    assert _stop(preview) == 0
    assert any("Stopping" in line for line in preview.lines)
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the port any more
        socket.create_connection((preview.host, preview.port), timeout=2).close()
    with socket.socket() as probe:  # and a new server can take it (as serve itself would)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((preview.host, preview.port))
    leftovers = [p.name for p in preview.output.parent.iterdir() if "staging" in p.name]
    assert leftovers == []


def test_a_port_in_use_is_reported_with_a_free_one(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(root)]
        result = subprocess.run(
            [*command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    message = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"\./build\.py: error: port {port} on 127\.0\.0\.1 is already in use; try "
        r"`\./build\.py serve --port (\d+)` \(with make: `make serve PORT=\1`\), "
        r"or --port 0 to pick a free one",
        message,
    ), result.stderr
    assert "Traceback" not in result.stderr


def test_binding_all_interfaces_warns(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    running = _start(root, tmp_path / "site", "--host", "0.0.0.0")
    try:
        assert any("warning: serving on all network interfaces" in line for line in running.lines)
    finally:
        assert _stop(running) == 0


def test_polling_is_used_when_asked(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    running = _start(root, tmp_path / "site", "--poll")
    try:
        assert any("polling, as asked (--poll)" in line for line in running.lines)
        events = Events(running)
        _edit(root / BUS, "since 1974", "since 1975")
        _reload_for(events, "briefs/bus-depot/index.html", timeout=5.0)
        events.close()
    finally:
        assert _stop(running) == 0


def test_sigterm_stops_cleanly_too(preview: Preview) -> None:
    preview.process.send_signal(signal.SIGTERM)
    assert preview.process.wait(timeout=15) == 0
    assert any("Stopping" in line for line in preview.lines)


def test_serve_started_again_renders_nothing_and_never_writes_output(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    preview = root / ".briefsite" / "serve"  # serve's own folder: output/ is build's
    first = _start(root, preview)
    assert _stop(first) == 0, "".join(first.lines)
    running = _start(root, preview)
    try:
        again = next(line for line in running.lines if line.startswith("Rebuilt"))
        assert again.startswith("Rebuilt 0 page(s), 0 file(s) changed, 0 removed"), again
        assert running.get(BUS_PAGE)[0] == 200
    finally:
        assert _stop(running) == 0, "".join(running.lines)
    assert not (root / "output").exists()
    page = (preview / "briefs/bus-depot/index.html").read_text(encoding="utf-8")
    assert 'data-brief="bus-depot"' in page, "a preview build: the quote picker's offsets"


def test_serve_into_a_build_output_makes_preview_pages_there(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    command = [sys.executable, str(REPO / "build.py"), "build", "--project", str(root)]
    command += ["--output", str(tmp_path / "site")]
    subprocess.run(command, check=True, capture_output=True, cwd=root)
    assert "data-o=" not in (tmp_path / "site/briefs/bus-depot/index.html").read_text()
    running = _start(root, tmp_path / "site")
    try:
        _, _, body = running.get(BUS_PAGE)
        assert b'data-brief="bus-depot"' in body, "the build's pages are not the preview's"
    finally:
        assert _stop(running) == 0, "".join(running.lines)
