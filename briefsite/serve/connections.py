"""The preview's HTTP/1.1 server: one asyncio event loop in a thread of its own, h11 for the
protocol, and two threads to read the files it serves the first time.

Bounded by construction, so that no client can keep the server from stopping or from
serving others: every connection has an idle timeout between requests, a deadline to send
a whole request and one to take each response; there are at most `MAX_CONNECTIONS` at once;
no thread is tied to a connection. `stop` aborts every connection, whatever it is doing
(kept alive, half-sent, streaming events, mid-download), and returns within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import h11

from briefsite.serve.server import Event, Reply, SiteState, is_events, route, waits

BACKLOG = 128  # connections the system queues before they are accepted
MAX_CONNECTIONS = 512  # open at once; more are answered 503 and closed
IDLE_SECONDS = 30.0  # a kept-alive connection with no new request is closed after this
READ_SECONDS = 10.0  # a request begun must have arrived whole within this
WRITE_SECONDS = 30.0  # a client must take each response, or each event, within this
HEARTBEAT_SECONDS = 15.0  # an idle event stream is sent a comment this often
MAX_HEAD_BYTES = 64 * 1024  # request line and headers; more is answered 431
MAX_BODY_BYTES = 1024 * 1024  # a GET or HEAD has no use for a body; more is answered 413
READ_CHUNK = 64 * 1024
READERS = 2  # threads reading files not yet in memory, so that no read holds up the loop
STOP_SECONDS = 0.5  # how long `stop` waits for the loop to end

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 22\r\nRetry-After: 1\r\nConnection: close\r\n\r\nToo many connections.\n"
)
_STREAM_HEADERS = (("Content-Type", "text/event-stream"), ("Cache-Control", "no-store"))
_GONE = (ConnectionError, TimeoutError, h11.RemoteProtocolError)


class PreviewServer:
    """Listens on `host`:`port` from the moment it is made; serves once started."""

    def __init__(self, host: str, port: int, state: SiteState, verbose: bool) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, port), family=family, backlog=BACKLOG)
        self._socket.setblocking(False)
        self.address: tuple[str, int] = self._socket.getsockname()[:2]
        self.state = state
        self.verbose = verbose
        self._loop = asyncio.new_event_loop()
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="briefsite-read")
        self._thread = threading.Thread(target=self._run, name="briefsite-server", daemon=True)
        self._ready = threading.Event()
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._done: asyncio.Event | None = None

    def start(self) -> None:
        """Start serving, in a thread of its own."""
        self._thread.start()
        self._ready.wait()

    def stop(self) -> None:
        """Stop listening and close every connection; returns within `STOP_SECONDS`."""
        if self._thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop has just ended by itself
                self._loop.call_soon_threadsafe(self._finish)
            self._thread.join(STOP_SECONDS)
        self._readers.shutdown(wait=False, cancel_futures=True)
        self._socket.close()

    def connections(self) -> int:
        """How many connections are open now."""
        return len(self._connections)

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._ready.set()
            self._loop.close()

    def _finish(self) -> None:
        if self._done is not None:
            self._done.set()

    async def _serve(self) -> None:
        self._done = asyncio.Event()
        server = await asyncio.start_server(self._accept, sock=self._socket, limit=READ_CHUNK)
        self._ready.set()
        await self._done.wait()
        server.close()
        for task, writer in list(self._connections.items()):
            writer.transport.abort()
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        rest = asyncio.all_tasks() - {asyncio.current_task()}  # e.g. an event stream's waits
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        await asyncio.sleep(0)  # let the aborted transports finish closing

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        if len(self._connections) >= MAX_CONNECTIONS:
            writer.write(_BUSY)
            writer.close()
            return
        self._connections[task] = writer
        sock = writer.get_extra_info("socket")
        if sock is not None:  # answers go out at once, not after the delayed ACK (40 ms)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await self._converse(reader, writer)
            writer.close()
        except (*_GONE, asyncio.CancelledError):
            writer.transport.abort()  # the client went away, was too slow, or we stop
        except Exception:  # a bug: shown, and this connection alone is dropped
            traceback.print_exc()
            writer.transport.abort()
        finally:
            del self._connections[task]

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer requests on one connection until it is closed, times out or must end."""
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        while True:
            try:
                request = await _request(conn, reader)
            except h11.RemoteProtocolError as exc:
                if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                    status = HTTPStatus(exc.error_status_hint)
                    await self._send(conn, writer, _plain(status, status.phrase), False)
                return
            if request is None:
                return
            method = request.method.decode("ascii")
            target = request.target.decode("latin-1")
            if method not in ("GET", "HEAD"):
                reply = _plain(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD are served.")
                reply = Reply(reply.status, (*reply.headers, ("Allow", "GET, HEAD")), reply.body)
            elif is_events(target) and method == "GET":
                await self._stream(conn, reader, writer)
                self._log(writer, method, target, HTTPStatus.OK)
                return
            elif is_events(target):
                reply = Reply(HTTPStatus.OK, _STREAM_HEADERS, b"")
            elif waits(self.state, target):
                loop = asyncio.get_running_loop()
                reply = await loop.run_in_executor(self._readers, route, self.state, target)
            else:
                reply = route(self.state, target)
            await self._send(conn, writer, reply, method == "HEAD")
            self._log(writer, method, target, reply.status)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _send(
        self, conn: h11.Connection, writer: asyncio.StreamWriter, reply: Reply, head: bool
    ) -> None:
        """Send a whole response in one write: headers and body leave in one packet."""
        headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
        response = h11.Response(
            status_code=reply.status, headers=headers, reason=reply.status.phrase
        )
        data = conn.send(response)
        if not head and reply.body:
            data += conn.send(h11.Data(data=reply.body)) or b""
        data += conn.send(h11.EndOfMessage()) or b""
        await _write(writer, data or b"")

    async def _stream(
        self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """The live-reload event stream: a hello, then every event, until either side ends."""
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[Event] = asyncio.Queue()

        def deliver(event: Event) -> None:  # called from the builder's thread
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(events.put_nowait, event)

        self.state.listen(deliver)
        # Anything the client sends now, or its closing the connection, ends the stream.
        gone = asyncio.ensure_future(reader.read(1))
        got: asyncio.Future[Event] | None = None
        try:
            headers = [*_STREAM_HEADERS, ("Connection", "close")]
            response = h11.Response(status_code=200, headers=headers, reason="OK")
            head = conn.send(response) or b""
            _, version, errors = self.state.snapshot()
            hello = _event("hello", _json({"version": version, "errors": errors}))
            await _write(writer, head + (conn.send(h11.Data(data=b"retry: 500\n" + hello)) or b""))
            while not self.state.closed.is_set():
                got = asyncio.ensure_future(events.get())
                done, _ = await asyncio.wait(
                    {got, gone}, timeout=HEARTBEAT_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                if gone in done:
                    return
                if got not in done:
                    got.cancel()
                    await _write(writer, conn.send(h11.Data(data=b": ping\n\n")) or b"")
                    continue
                event = got.result()
                if event is None:
                    break
                name, data = event
                await _write(writer, conn.send(h11.Data(data=_event(name, data))) or b"")
            await _write(writer, conn.send(h11.EndOfMessage()) or b"")
        finally:
            for waiting in (gone, got):
                if waiting is not None:
                    waiting.cancel()
            self.state.forget(deliver)

    def _log(self, writer: asyncio.StreamWriter, method: str, target: str, status: int) -> None:
        if self.verbose:
            peer = writer.get_extra_info("peername")
            host = peer[0] if isinstance(peer, tuple) else "-"
            print(f'{host} "{method} {target}" {status}', file=sys.stderr, flush=True)


async def _request(conn: h11.Connection, reader: asyncio.StreamReader) -> h11.Request | None:
    """The next whole request on a connection (its body, if any, read and dropped), or None
    when the client closed it or let it idle too long."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + IDLE_SECONDS
    started = False
    request: h11.Request | None = None
    body = 0
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            try:
                async with asyncio.timeout_at(deadline):
                    data = await reader.read(READ_CHUNK)
            except TimeoutError:
                if started:
                    raise
                return None  # idle: closed quietly
            if data and not started:
                started = True
                deadline = loop.time() + READ_SECONDS
            conn.receive_data(data)
        elif isinstance(event, h11.Request):
            # h11 bounds a head that arrives in pieces; one that arrives whole is measured.
            size = len(event.target) + sum(len(k) + len(v) + 4 for k, v in event.headers)
            if size > MAX_HEAD_BYTES:
                raise h11.RemoteProtocolError("request head too large", 431)
            request = event
        elif isinstance(event, h11.Data):
            body += len(event.data)
            if body > MAX_BODY_BYTES:
                raise h11.RemoteProtocolError("request body too large", 413)
        elif isinstance(event, h11.EndOfMessage):
            return request
        elif isinstance(event, h11.ConnectionClosed):
            return None
        else:  # PAUSED cannot come before the request is answered
            raise h11.RemoteProtocolError("unexpected data", 400)


async def _write(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    async with asyncio.timeout(WRITE_SECONDS):
        await writer.drain()


def _plain(status: HTTPStatus, text: str) -> Reply:
    headers = (("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close"))
    return Reply(status, headers, f"{text}\n".encode())


def _event(name: str, data: str) -> bytes:
    return f"event: {name}\ndata: {data}\n\n".encode()


def _json(value: object) -> str:
    return json.dumps(value)
