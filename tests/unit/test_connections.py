"""The preview's HTTP server on real sockets, in this process: timeouts, limits, HEAD,
malformed requests, and a stop that no client can hold up."""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from briefsite.serve import connections
from briefsite.serve.connections import PreviewServer
from briefsite.serve.server import SiteState

SITE = {
    "index.html": b"<html><body>home</body></html>",
    "briefs/x/index.html": b"<html><body>x</body></html>",
    "assets/site.css": b"body{}",
    "404.html": b"<html><body>missing</body></html>",
    "big.bin": bytes(range(256)) * 40_000,  # 10 MB: more than any socket buffer holds
}
PATHS = [
    "/",
    "/briefs/x/",
    "/briefs/x",
    "/assets/site.css",
    "/nope",
    "/big.bin",
    "/__briefsite/status",
    "/__briefsite/events",
]


@pytest.fixture
def state() -> SiteState:
    state = SiteState("test")
    state.publish(SITE, [], {})
    return state


@pytest.fixture
def server(state: SiteState) -> Iterator[PreviewServer]:
    running = PreviewServer("127.0.0.1", 0, state, verbose=False)
    running.start()
    yield running
    running.stop()


def _connect(server: PreviewServer) -> socket.socket:
    return socket.create_connection(server.address, timeout=5)


def _closed_by_server(sock: socket.socket, within: float) -> bytes:
    """Everything the server sent until it closed the connection; fails if it does not close
    it within `within` seconds."""
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError as exc:
        raise AssertionError(f"still open after {within} s; got {received[:200]!r}") from exc
    return received


def _wait_connections(server: PreviewServer, count: int) -> None:
    deadline = time.monotonic() + 5
    while server.connections() != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{server.connections()} connections open, not {count}")
        time.sleep(0.01)


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_what_get_answers_without_the_body(server: PreviewServer, path: str) -> None:
    connection = http.client.HTTPConnection(*server.address, timeout=5)
    connection.request("HEAD", path)
    head = connection.getresponse()
    assert head.read() == b""
    if path == "/__briefsite/events":
        assert (head.status, head.getheader("Content-Type")) == (200, "text/event-stream")
        return
    connection.request("GET", path)  # on the same, kept-alive connection
    get = connection.getresponse()
    body = get.read()
    assert head.status == get.status
    for name in ("Content-Type", "Content-Length", "Location", "Cache-Control"):
        assert head.getheader(name) == get.getheader(name), name
    assert int(get.getheader("Content-Length") or -1) == len(body)
    connection.close()


def test_requests_on_a_kept_alive_connection_are_answered_in_order(
    server: PreviewServer,
) -> None:
    sock = _connect(server)
    sock.sendall(b"".join(f"GET {p} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for p in PATHS[:5]))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    received = _closed_by_server(sock, 5)
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", received)
    assert statuses == [b"200", b"200", b"301", b"200", b"404", b"200"]


def test_an_idle_kept_alive_connection_is_closed(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "IDLE_SECONDS", 0.3)
    sock = _connect(server)
    sock.sendall(b"GET /assets/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
    received = _closed_by_server(sock, 3)
    assert received.startswith(b"HTTP/1.1 200 ") and received.endswith(b"body{}")
    _wait_connections(server, 0)


def test_a_half_sent_request_is_dropped_after_the_read_timeout(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "READ_SECONDS", 0.3)
    sock = _connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # no blank line: the headers never end
    assert _closed_by_server(sock, 3) == b""
    _wait_connections(server, 0)


def test_a_request_trickled_in_is_dropped_at_the_read_deadline(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each byte comes well within the deadline, but the request as a whole does not.
    monkeypatch.setattr(connections, "READ_SECONDS", 0.5)
    sock = _connect(server)
    started = time.monotonic()
    with pytest.raises((BrokenPipeError, ConnectionResetError)):
        for byte in b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 1000:
            sock.send(bytes([byte]))
            time.sleep(0.05)
            if time.monotonic() - started > 5:
                raise AssertionError("a trickled request was never dropped")
    _wait_connections(server, 0)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\n\r\n", b"400"),  # HTTP/1.1 without Host
        (b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", b"431"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", b"405"),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + b"a" * 2_000_000,
            b"413",
        ),
    ],
)
def test_bad_requests_get_their_status_and_the_connection_is_closed(
    server: PreviewServer, request_bytes: bytes, status: bytes
) -> None:
    sock = _connect(server)
    # The server may answer and close before the rest is sent.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(request_bytes)
    received = _closed_by_server(sock, 5)
    assert received.split(b" ")[1] == status, received[:200]
    _wait_connections(server, 0)


def test_connections_beyond_the_limit_are_turned_away(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "MAX_CONNECTIONS", 3)
    held = [_connect(server) for _ in range(3)]
    _wait_connections(server, 3)
    extra = _connect(server)
    assert _closed_by_server(extra, 5).startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    held[0].close()
    _wait_connections(server, 2)
    again = http.client.HTTPConnection(*server.address, timeout=5)
    again.request("GET", "/")
    assert again.getresponse().status == 200


def test_a_target_that_is_no_url_is_not_found(
    server: PreviewServer, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = http.client.HTTPConnection(*server.address, timeout=5)
    connection.request("GET", "//[x/")
    response = connection.getresponse()
    assert response.status == 404
    assert response.read().startswith(b"<html><body>missing<script")
    assert capsys.readouterr().err == ""


def test_a_client_that_goes_away_mid_download_is_forgotten_quietly(
    server: PreviewServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(5):
        sock = _connect(server)
        sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.recv(1000)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # a reset, as a browser that cancels a download sends
    _wait_connections(server, 0)
    assert capsys.readouterr().err == ""


def test_the_event_stream_says_hello_then_relays_events_then_ends_on_close(
    server: PreviewServer, state: SiteState
) -> None:
    sock = _connect(server)
    sock.sendall(b"GET /__briefsite/events HTTP/1.1\r\nHost: x\r\n\r\n")
    first = sock.recv(65536)
    assert b"text/event-stream" in first and b"event: hello" in first
    state.publish(SITE, ["index.html"], {})
    relayed = sock.recv(65536)
    assert b"event: reload" in relayed and b'"changed": ["index.html"]' in relayed
    state.close()
    _closed_by_server(sock, 5)


def test_stop_returns_at_once_whatever_the_clients_are_doing(state: SiteState) -> None:
    server = PreviewServer("127.0.0.1", 0, state, verbose=False)
    server.start()
    idle = _connect(server)
    idle.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    idle.recv(65536)
    half = [_connect(server) for _ in range(50)]
    for sock in half:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    stream = _connect(server)
    stream.sendall(b"GET /__briefsite/events HTTP/1.1\r\nHost: x\r\n\r\n")
    stream.recv(65536)
    download = socket.socket()
    download.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    download.connect(server.address)
    download.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    download.recv(100)  # and then reads no more: the server is stuck writing to it
    _wait_connections(server, 53)
    threads = threading.active_count()
    stopping = threading.Thread(target=server.stop)
    stopping.start()
    stopping.join(timeout=5)
    assert not stopping.is_alive(), "stop() did not return"
    for sock in (idle, *half, stream):
        _closed_by_server(sock, 2)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(server.address, timeout=2)
    assert threading.active_count() <= threads - 1  # the server's thread has ended


def test_the_listen_backlog_fits_a_burst_of_clients(server: PreviewServer) -> None:
    # The kernel shows a listening socket's backlog as its Send-Q; read it from ss when
    # installed, else from the constant the socket was made with.
    assert connections.BACKLOG >= 128
    burst = [_connect(server) for _ in range(200)]  # all accepted, none refused
    _wait_connections(server, 200)
    for sock in burst:
        sock.close()
