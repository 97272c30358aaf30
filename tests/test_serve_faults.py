"""A real `serve` process under faults: clients that hold connections open, Ctrl-C and
SIGTERM, kills at each step of a write, and a project file turned into a link out."""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.build.write import FAULT_VARIABLE
from tests.helpers import site_files
from tests.test_serve import BUS, BUS_PAGE, GOLDEN, REPO, Preview, _edit, _start

HALF_SENT = 300
STOP_DEADLINE = 3.0  # generous for a busy machine; benchmarks/serve_load.py prints the figure


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    return root


def _threads(process: subprocess.Popen[str]) -> int:
    return len(os.listdir(f"/proc/{process.pid}/task"))


def _stopped_within(preview: Preview, number: signal.Signals) -> tuple[int, float]:
    started = time.monotonic()
    preview.process.send_signal(number)
    try:
        code = preview.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        preview.process.kill()
        raise AssertionError(f"serve ignored {number.name}:\n" + "".join(preview.lines)) from None
    return code, time.monotonic() - started


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_whatever_its_clients_are_doing(tmp_path: Path, number: signal.Signals) -> None:
    root = _project(tmp_path)
    static = root / "layouts/static"
    static.mkdir(parents=True)
    (static / "big.bin").write_bytes(os.urandom(1024) * 30_000)  # 30 MB
    preview = _start(root, tmp_path / "site")
    address = (preview.host, preview.port)
    try:
        idle = http.client.HTTPConnection(*address, timeout=5)
        idle.request("GET", BUS_PAGE)
        assert idle.getresponse().read()  # and then kept alive, doing nothing
        head = http.client.HTTPConnection(*address, timeout=5)
        head.request("HEAD", "/__briefsite/status")
        response = head.getresponse()
        assert (response.status, response.read()) == (200, b"")
        threads = _threads(preview.process)
        half_sent = []
        for _ in range(HALF_SENT):
            sock = socket.create_connection(address, timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            half_sent.append(sock)
        stream = socket.create_connection(address, timeout=5)
        stream.sendall(b"GET /__briefsite/events HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"event: hello" in stream.recv(65536)
        download = socket.socket()
        download.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        download.connect(address)
        download.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        assert download.recv(100).startswith(b"HTTP/1.1 200 OK")
        # A client that cancels a download midway (a reset) is no error worth a traceback.
        cancel = socket.create_connection(address, timeout=5)
        cancel.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        cancel.recv(100)
        cancel.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01" + b"\x00" * 7)
        cancel.close()
        time.sleep(0.3)
        assert _threads(preview.process) <= threads + 2, "no thread per connection"
        code, seconds = _stopped_within(preview, number)
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
    assert code == 0
    assert seconds < STOP_DEADLINE, f"took {seconds:.2f} s to stop"
    output = "".join(preview.lines)
    assert "Stopping" in output and "Traceback" not in output
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=2)


def test_a_second_ctrl_c_ends_the_process_at_once() -> None:
    # The stop itself made slow on purpose: a second Ctrl-C must not wait for it.
    script = (
        "import time\n"
        "from briefsite.serve.preview import _stop_signals\n"
        "with _stop_signals():\n"
        "    try:\n"
        "        print('serving', flush=True)\n"
        "        time.sleep(60)\n"
        "    except KeyboardInterrupt:\n"
        "        print('stopping', flush=True)\n"
        "        time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == "serving\n"
    process.send_signal(signal.SIGINT)
    assert process.stdout.readline() == "stopping\n"
    process.send_signal(signal.SIGINT)
    try:
        assert process.wait(timeout=5) == 130
    finally:
        process.kill()
    assert process.stderr.read() == "Stopped at once\n"


# Where a stop can land that Python ignores exceptions in: a finalizer, and a weak
# reference's callback run by the garbage collector (as serve collects after each rebuild).
_LANDINGS = {
    "finalizer": (
        "class Landing:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(0.5)  # the handler runs here\n"
        "Landing()\n"
    ),
    "collector": (
        "class Landing:\n"
        "    pass\n"
        "def callback(ref):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(0.5)  # the handler runs here\n"
        "landing = Landing()\n"
        "landing.cycle = landing\n"
        "ref = weakref.ref(landing, callback)\n"
        "del landing\n"
        "gc.collect()\n"
    ),
}


@pytest.mark.parametrize("where", sorted(_LANDINGS))
def test_a_ctrl_c_that_python_would_ignore_still_stops_serve(where: str) -> None:
    script = (
        "import gc, os, signal, time, weakref\n"
        "from briefsite.serve.preview import _stop_signals\n"
        "with _stop_signals() as stopping:\n"
        + "".join(f"    {line}\n" for line in _LANDINGS[where].splitlines())
        + "    print('carried on', flush=True)\n"
        "    try:\n"
        "        stopping.check()\n"
        "    except KeyboardInterrupt:\n"
        "        print('stopped', flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=30
    )
    assert done.stdout == "carried on\nstopped\n"
    assert done.returncode == 0
    if where == "collector":  # nothing printed: the stop waits for the collection to end
        assert done.stderr == ""


def test_two_quick_ctrl_c_end_serve(tmp_path: Path) -> None:
    preview = _start(_project(tmp_path), tmp_path / "site")
    preview.process.send_signal(signal.SIGINT)
    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(timeout=STOP_DEADLINE) in (0, 130)


def _clean_builds(
    root: Path, tmp_path: Path, preview: bool = False
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The whole site before and after the edit `_edit_bus` makes; with `preview`, as serve
    builds it (brief pages with the quote picker's offsets, the search index made later)."""
    made = "-served" if preview else ""
    before = tmp_path / f"before{made}"
    assert Builder(root, Store.none(), preview=preview).build(before, search=not preview).ok
    edited = tmp_path / f"edited{made}"
    shutil.copytree(root, edited)
    _edit(edited / BUS, "since 1974", "since 1975")
    after = tmp_path / f"after{made}"
    assert Builder(edited, Store.none(), preview=preview).build(after, search=not preview).ok
    return site_files(before), site_files(after)


def _assert_whole(output: Path, builds: tuple[dict[str, bytes], ...]) -> None:
    assert site_files(output) in builds, "output/ is one whole build, old or new"
    temporary = [p for p in output.rglob("*") if p.name.startswith(".") and p.name != ".briefsite"]
    assert temporary == [], "no temporary file inside output/"


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
@pytest.mark.parametrize("step", ["staged", "synced", "swapped", "cleaned"])
def test_serve_interrupted_at_each_step_of_a_write_leaves_a_whole_output(
    tmp_path: Path, step: str, how: str
) -> None:
    root = _project(tmp_path)
    builds = _clean_builds(root, tmp_path, preview=True)
    built = _clean_builds(root, tmp_path)
    output = tmp_path / "site"
    # Built as serve builds (its brief pages hold the quote picker's offsets): serve then
    # has nothing to write before the edit.
    assert Builder(root, Store.open(root), preview=True).build(output, search=False).ok
    fault = step if how == "SIGKILL" else f"{step}:{how}"
    preview = _start(root, output, env={FAULT_VARIABLE: fault})
    _edit(root / BUS, "since 1974", "since 1975")
    try:
        code = preview.process.wait(timeout=20)
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
    if how == "SIGKILL":
        assert code == -signal.SIGKILL
    else:
        assert code == 0 and "Stopping" in "".join(preview.lines)
        assert "Traceback" not in "".join(preview.lines)
    _assert_whole(output, builds)
    # The next run removes what the interrupted one left beside the output, and finishes.
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "build",
            "--project",
            str(root),
            "--output",
            str(output),
        ],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert site_files(output) == built[1]
    # Nothing is left beside the output but the spare builds kept to be brought up to date.
    beside = {p.name for p in tmp_path.iterdir() if not p.name.endswith("-spare")}
    assert beside == {
        *("after", "before", "edited"),
        *("after-served", "before-served", "edited-served"),
        *("project", "site"),
    }


def test_serve_killed_at_random_moments_while_rebuilding_leaves_a_whole_output(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    builds = _clean_builds(root, tmp_path, preview=True)
    output = tmp_path / "site"
    chance = random.Random(12)
    for round_number in range(6):
        preview = _start(root, output)
        try:
            for _ in range(chance.randint(1, 4)):
                text = (root / BUS).read_text("utf-8")
                old, new = ("since 1974", "since 1975")
                if "since 1975" in text:
                    old, new = new, old
                _edit(root / BUS, old, new)
                time.sleep(chance.uniform(0.05, 0.3))
            number = signal.SIGKILL if round_number % 2 else signal.SIGINT
            preview.process.send_signal(number)
            preview.process.wait(timeout=STOP_DEADLINE + 5)
        finally:
            if preview.process.poll() is None:
                preview.process.kill()
        _assert_whole(output, builds)


def test_a_file_turned_into_a_link_out_is_reported_and_never_shown(tmp_path: Path) -> None:
    root = _project(tmp_path)
    secret = tmp_path / "shadow"
    secret.write_text("root: $6$hunter2-secret-hash\ndaemon: '*'\n", encoding="utf-8")
    preview = _start(root, tmp_path / "site")
    try:
        before = preview.status()["builds"]
        topic = root / "content/topics/transport.yaml"
        topic.unlink()
        topic.symlink_to(secret)
        status = preview.wait_builds(before + 1)
        assert [
            (e["path"], e["line"], e["col"], e["message"], e["source"]) for e in status["errors"]
        ] == [
            (
                "content/topics/transport.yaml",
                1,
                1,
                f"symlink to a file outside the project: content/topics/transport.yaml -> {secret}",
                None,
            )
        ]
        body = preview.get("/__briefsite/status")[2]
        assert b"hunter2" not in body and b"daemon" not in body
        for path in ("/", BUS_PAGE, "/topics/transport/"):
            assert b"hunter2" not in preview.get(path)[2]
    finally:
        preview.process.send_signal(signal.SIGINT)
        preview.process.wait(timeout=15)
    assert "hunter2" not in "".join(preview.lines)
    assert all(b"hunter2" not in data for data in site_files(tmp_path / "site").values())
    assert json.dumps(status).count("hunter2") == 0
