"""Server mode: EKS and EKS Auth over HTTP, through the same dispatcher boto3 uses in-process.

``MockEKSServer`` is a threading TCP server with its own ``Backend``; h11 (a
well-kept HTTP/1.1 protocol library) reads each request off the socket, so
framing, chunked bodies and malformed input are its rules, not ours. Every
request goes to ``dispatch.dispatch`` with the URL built from the Host header
and the *raw* request target (h11 hands it over as bytes, undecoded), so
percent-encoded ARNs reach the router as the client sent them. Responses go
out in one write with TCP_NODELAY, so keep-alive calls run at full speed. The service, region and account
come from the SigV4 Authorization header (the dispatcher's rule), so EKS and
EKS Auth share one port.

Anything that is not a well-formed request (bad request line, unsupported
method, oversized or unframed body, a failure in the server itself) gets an
AWS-style JSON error with ``x-amzn-ErrorType``: never HTML, never a traceback.

Control endpoints (``/_mock_eks/...``: health, reset, and what features register) live in ``control.py``.
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import os
import re
import select
import signal
import socket
import socketserver
import sqlite3
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, TypeVar

import h11
from requests.structures import CaseInsensitiveDict

from mock_eks import moto_link
from mock_eks.engine.dispatch import HANDLERS, dispatch
from mock_eks.model import accounts, errors
from mock_eks.model.protocol import Request, Response
from mock_eks.moto_link.server import in_process
from mock_eks.server import control, tunnel
from mock_eks.state import seeds, snapshot, sqlite_store
from mock_eks.state.lifecycle import Timing
from mock_eks.state.sqlite_store import SQLiteStore
from mock_eks.state.store import Backend

_T = TypeVar("_T")


def _load_behaviour() -> None:
    """The engine's loader of the behaviour layer (a server is a composition root, like ``mock_eks.mock``)."""
    import mock_eks.kube.store  # noqa: F401 - the record kind of a cluster's Kubernetes objects
    import mock_eks.resources  # noqa: F401 - lazy for import cost: the handlers load on the first request


HANDLERS.use(_load_behaviour)

log = logging.getLogger("mock_eks.server")

MAX_BODY = 10 * 1024 * 1024  # larger bodies get 413; no EKS request comes near it
_DRAIN_LIMIT = (
    64 * 1024 * 1024
)  # up to this much of an oversized body is read and dropped, so the client sees the 413
_HOST_HEADER = re.compile(r"^[A-Za-z0-9._\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")

# What an HTTP-level refusal is answered as: always one of the Reference's common errors, with the status
# the Reference documents for it (so no operation ever sees a code it neither models nor shares with all).
_HTTP_CODES = {
    400: "MalformedHttpRequestException",
    404: "UnknownOperationException",
    408: "RequestTimeoutException",
    411: "MalformedHttpRequestException",
    413: "RequestEntityTooLargeException",
    414: "MalformedHttpRequestException",
    431: "MalformedHttpRequestException",
    500: "InternalFailure",
    501: "UnknownOperationException",  # a method no operation has
    505: "MalformedHttpRequestException",
}


@functools.cache
def _version() -> str:
    try:
        from importlib.metadata import version

        return version("mock_eks")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"


class _HTTPError(Exception):
    """A request the server refuses before it reaches the dispatcher."""

    def __init__(self, status: int, message: str, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close


# refusals of the HTTP message itself keep the status HTTP gives them (RFC 9110 15.6.6 505, RFC 6585 5 431),
# with the Reference's code for a request malformed at the HTTP level
_HTTP_STATUS_KEPT = frozenset({431, 505})


def error_response(status: int, message: str, code: str | None = None) -> Response:
    """An AWS-style JSON error the SDKs parse (code from ``x-amzn-ErrorType`` and the body)."""
    if code is None:
        code = _HTTP_CODES.get(status, "MalformedHttpRequestException")
        if status not in _HTTP_STATUS_KEPT:
            status = errors.COMMON_ERRORS[code].status
    body = json.dumps({"message": message}).encode()
    headers = {
        "Content-Type": "application/json",
        "x-amzn-ErrorType": code,
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    return Response(status, headers, body)


_METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
_RESERVED_HEADERS = frozenset({"content-length", "connection", "transfer-encoding", "server", "date"})
_MAX_HEAD = 64 * 1024  # request line plus headers; beyond it h11 refuses the request (431)


class _Connection(socketserver.BaseRequestHandler):
    """One client connection: HTTP/1.1 parsed by h11, requests answered in order over keep-alive."""

    server: _HTTPServer
    timeout = 120  # seconds a connection may sit idle or stall mid-request

    def handle(self) -> None:
        sock: socket.socket = self.request
        # without TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK on keep-alive: ~40 ms a call
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(self.timeout)
        connections = self.server.connections
        if not connections.idle(self):  # the server is stopping: this one is not served
            return
        try:
            self._serve(sock)
        finally:
            connections.gone(self)

    def _serve(self, sock: socket.socket, route: Callable[[Request], Response] | None = None) -> None:
        """Requests on ``sock`` until it closes; ``route`` answers them instead of the EKS dispatcher (a
        tunnel's cluster API)."""
        leftover = b""
        while True:
            # one h11 state machine per request: bytes of a pipelined next request carry over
            conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD)
            if leftover:
                conn.receive_data(_skip_blank_lines(leftover))
            try:
                keep_open = self._serve_one(sock, conn, route)
            except (ConnectionError, OSError) as error:  # the client went away: nobody to answer
                log.debug("connection from %s ended: %r", self.client_address, error)
                return
            if not keep_open or not self.server.connections.idle(self):
                return
            leftover = conn.trailing_data[0]

    def _serve_one(
        self, sock: socket.socket, conn: h11.Connection, route: Callable[[Request], Response] | None = None
    ) -> bool:
        """Read one request and answer it; whether the connection carries another."""
        state = _Exchange(sock, conn)
        try:
            event = state.next_event(first=True)
            if event is None:  # the client closed (or idled out) between requests
                return False
            if not self.server.connections.busy(self):  # stopping: a request not begun is not answered
                return False
            if event.method == b"CONNECT" and route is None:
                return tunnel.connect(self, sock, state, event)
            response = self._respond(state, event, route)
        except TimeoutError:
            if not state.started:
                return False  # idle keep-alive connection: close quietly
            response, state.close = error_response(408, "The request was not received in time."), True
        except h11.RemoteProtocolError as error:
            status = error.error_status_hint if error.error_status_hint >= 400 else 400
            message = f"Malformed HTTP request: {error}"
            if status == 431:
                message = f"Request line and headers exceed {_MAX_HEAD} bytes."
            response, state.close = error_response(status, message), True
        except _HTTPError as refused:
            state.close = state.close or refused.close
            response = error_response(refused.status, refused.message)
        except (ConnectionError, OSError):
            raise
        except Exception:  # noqa: BLE001 - the client gets a JSON 500, the log gets the traceback
            log.exception("mock_eks server failed on %s %s", state.method, state.target)
            response, state.close = error_response(500, "Internal failure in the mock_eks server."), True
        if self.server.connections.stopping:
            state.close = True  # Connection: close, so the client sends its next request elsewhere
        state.send(response)
        log.info('%s "%s %s" %s', self.client_address[0], state.method, state.target, response.status)
        return not state.close and conn.our_state is h11.DONE and conn.their_state is h11.DONE

    def _respond(
        self, state: _Exchange, event: h11.Request, route: Callable[[Request], Response] | None = None
    ) -> Response:
        method = event.method.decode("ascii", "replace")
        state.method = method
        state.target = event.target.decode("latin-1")
        if event.http_version[:1] != b"1":  # h11 reads any HTTP/x.y request line; it speaks only 1.x
            state.close = True
            raise _HTTPError(
                505, f"HTTP/{event.http_version.decode('ascii', 'replace')} is not supported: HTTP/1.1 only."
            )
        # h11 bounds only a head that arrives in pieces (max_incomplete_event_size); one read can bring more
        head = len(event.method) + len(event.target) + sum(len(n) + len(v) + 4 for n, v in event.headers)
        if head > _MAX_HEAD:
            state.close = True
            raise _HTTPError(431, f"Request line and headers exceed {_MAX_HEAD} bytes.")
        headers = CaseInsensitiveDict(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in event.headers
        )
        if method not in _METHODS:
            state.close = True
            if method.upper() in _METHODS:  # RFC 9110 9.1: the method token is case-sensitive
                raise _HTTPError(
                    400, f"Method {method!r} is not {method.upper()!r}: methods are case-sensitive."
                )
            raise _HTTPError(501, f"Unsupported method ({method[:20]!r})")
        target = self._target(state.target)
        body = self._read_body(state, headers)
        if route is not None:
            return route(Request(method, target, headers, body))
        return self.server.serve_request(method, target, headers, body)

    @staticmethod
    def _target(target: str) -> str:
        """The raw path and query (percent-encoding intact); absolute-form targets lose their authority."""
        if target.startswith(("http://", "https://")):
            rest = target.split("://", 1)[1]
            slash = rest.find("/")
            target = rest[slash:] if slash >= 0 else "/"
        if not target.startswith("/"):
            raise _HTTPError(400, f"Request target must be an absolute path, not {target[:100]!r}")
        return target

    @staticmethod
    def _read_body(state: _Exchange, headers: CaseInsensitiveDict) -> bytes:
        encoding = headers.get("Transfer-Encoding")
        length_header = headers.get("Content-Length")
        if encoding is not None and length_header is not None:
            raise _HTTPError(
                400, "A request must not carry both Content-Length and Transfer-Encoding.", close=True
            )
        if encoding is None and length_header is None and state.method in ("POST", "PUT", "PATCH"):
            # RFC 9112 6.3: no framing means no body. Bytes sent anyway cannot be told from the next
            # request, so this connection ends with this response.
            state.close = True
        if length_header is not None and int(length_header) > MAX_BODY:  # h11 has checked it is a number
            length = int(length_header)
            if length > _DRAIN_LIMIT:
                state.close = True
            else:  # read and drop it, so the client sees the 413 and the connection carries on
                state.drain()
            raise _HTTPError(413, f"Request body of {length} bytes exceeds the limit of {MAX_BODY} bytes.")
        return state.body()


def _skip_blank_lines(data: bytes) -> bytes:
    # RFC 9112 2.2: a server SHOULD ignore empty lines received before the request line
    return data.lstrip(b"\r\n")


class _Exchange:
    """One request and its response on a connection: reading through h11, one write for the answer."""

    def __init__(self, sock: socket.socket, conn: h11.Connection) -> None:
        self.sock = sock
        self.conn = conn
        self.started = False  # any byte of this request seen
        self.close = False
        self.method = "GET"
        self.target = ""

    def next_event(self, first: bool = False) -> Any:
        conn = self.conn
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                if isinstance(event, h11.ConnectionClosed):
                    if first and not self.started:
                        return None
                    raise _HTTPError(
                        400, "The connection closed before the request was complete.", close=True
                    )
                self.started = True
                return event
            if conn.they_are_waiting_for_100_continue:
                self.sock.sendall(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
            data = self.sock.recv(65536)
            if data and first and not self.started and conn.their_state is h11.IDLE:
                data = _skip_blank_lines(data)
                if not data:
                    continue
            if data:
                self.started = True
            conn.receive_data(data)

    def body(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            event = self.next_event()
            if isinstance(event, h11.EndOfMessage):
                return b"".join(parts)
            total += len(event.data)
            if total > MAX_BODY:
                raise _HTTPError(413, f"Request body exceeds the limit of {MAX_BODY} bytes.", close=True)
            parts.append(bytes(event.data))

    def drain(self) -> None:
        while not isinstance(self.next_event(), h11.EndOfMessage):
            pass

    def send(self, response: Response) -> None:
        """Status line, headers and body in one write: no small segments for Nagle to hold back."""
        conn = self.conn
        if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        headers = [
            (name, value) for name, value in response.headers.items() if name.lower() not in _RESERVED_HEADERS
        ]
        body = response.body
        if isinstance(body, bytes | bytearray):  # otherwise an iterator of chunks: a watch, chunked
            headers.append(("Content-Length", str(len(body))))
        headers.append(("Server", f"mock_eks/{_version()}"))
        headers.append(("Date", _date()))
        if self.close or conn.their_state is not h11.DONE:  # an unread or broken request ends the connection
            headers.append(("Connection", "close"))
            self.close = True
        status = response.status
        data = conn.send(h11.Response(status_code=status, headers=headers, reason=_reason(status)))
        if not isinstance(body, bytes | bytearray):
            self._stream(data, body)
            return
        if self.method != "HEAD" and body:
            data += conn.send(h11.Data(data=body))
        data += conn.send(h11.EndOfMessage())
        self.sock.sendall(data)

    def _stream(self, head: bytes, chunks: Iterable[bytes]) -> None:
        """The head, then each chunk as it comes; the iterable is closed however the stream ends."""
        conn = self.conn
        self.sock.sendall(head)
        try:
            for chunk in chunks:
                if chunk and self.method != "HEAD":
                    self.sock.sendall(conn.send(h11.Data(data=chunk)))
                elif not chunk and _peer_gone(self.sock):  # a quiet stream's tick: is the client still there?
                    break
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self.sock.sendall(conn.send(h11.EndOfMessage()))


def _peer_gone(sock: Any) -> bool:
    """True when the client of a streamed answer has gone: its socket (a TLS tunnel's too) turned readable.
    A watch's client sends nothing more on its connection, so readable means closed (or misbehaving)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        timeout = sock.gettimeout()
        sock.setblocking(False)
        try:
            sock.recv(1)
        finally:
            sock.settimeout(timeout)  # the connection's idle timeout, not blocking for ever
    except ssl.SSLWantReadError:  # part of a TLS record (a key update): the client is still there
        return False
    except (OSError, ValueError):
        return True
    return True


@functools.cache
def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


_dates: list[tuple[int, str]] = [(0, "")]


def _date() -> str:
    """The Date header, formatted once a second."""
    now = int(time.time())
    cached = _dates[0]
    if cached[0] != now:
        cached = (now, email.utils.formatdate(now, usegmt=True))
        _dates[0] = cached
    return cached[1]


class _Connections:
    """The open client connections and whether each is between requests, so a stop can end the idle ones
    at once and let the busy ones finish the request they are answering."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._open: dict[_Connection, bool] = {}  # connection -> busy
        self.stopping = False

    def idle(self, connection: _Connection) -> bool:
        """``connection`` waits for its next request; False (close it) once the server is stopping."""
        with self._lock:
            if self.stopping:
                return False
            self._open[connection] = False
            return True

    def busy(self, connection: _Connection) -> bool:
        """``connection`` has read a request head; False (drop it unanswered) once the server is stopping."""
        with self._lock:
            if self.stopping:
                return False
            self._open[connection] = True
            return True

    def gone(self, connection: _Connection) -> None:
        with self._lock:
            self._open.pop(connection, None)
            self._lock.notify_all()

    def drain(self, timeout: float) -> None:
        """Stop taking requests, close idle connections, wait up to ``timeout`` for busy ones to finish
        their request (then cut them: a response not sent is a request not acknowledged)."""
        with self._lock:
            self.stopping = True
            for connection, busy in self._open.items():
                if not busy:
                    _cut(connection.request)
            if not self._lock.wait_for(lambda: not self._open, timeout):
                for connection in self._open:
                    _cut(connection.request)
                self._lock.wait_for(lambda: not self._open, 5)


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the client
        pass


class _HTTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], timing: Timing) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Connection)
        self.timing = timing
        self.backend = Backend()
        self._reset_lock = threading.Lock()
        self.moto_mode = "off"  # --moto, and moto in the process when linked (MockEKSServer sets them)
        self.moto: Any = None
        self.public_url: str | None = None
        self.access = control.Access.of(str(self.server_address[0]))
        self.connections = _Connections()
        self.store: SQLiteStore | None = (
            None  # --state x.db: the state is written through, request by request
        )

    @property
    def authority(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @property
    def url(self) -> str:
        """The URL clients reach the server at: ``public_url``, else the bound address (loopback for a
        wildcard one)."""
        if self.public_url is not None:
            return self.public_url
        host, port = str(self.server_address[0]), self.server_address[1]
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve_request(self, method: str, target: str, headers: Any, body: bytes) -> Response:
        """A control or service request; with a SQLite state, inside its write transaction."""
        return self.in_turn(method, lambda: self._serve_request(method, target, headers, body))

    def in_turn(self, method: str, run: Callable[[], _T]) -> _T:
        """``run()`` as one request of ``method`` on the state: with a SQLite state, inside its transaction
        (EKS, control and tunnelled Kubernetes requests alike), read-only for GET and HEAD; ``run`` reads
        ``self.backend`` there, which is the state as the transaction loaded it."""
        store = self.store
        if store is None:
            return run()
        with store.transaction(self.backend, read_only=method in ("GET", "HEAD")) as turn:
            self.backend = turn.backend
            try:
                return run()
            finally:
                turn.backend = self.backend  # a reset or a restore replaced it: that is what is written

    def _serve_request(self, method: str, target: str, headers: Any, body: bytes) -> Response:
        path = target.partition("?")[0]
        if path.startswith(control.PREFIX):
            return control.handle(self, Request(method, target, headers, body), path)
        return self.answer(method, target, headers, body)

    def answer(self, method: str, target: str, headers: Any, body: bytes) -> Response:
        """An EKS, EKS Auth (or, with ``--moto``, moto) request for ``target`` (path and query)."""
        moto = self.moto
        if moto is not None and moto.answers(headers):  # --moto: any other service is moto's, in-process
            return moto.serve(method, target, headers, body)
        host = headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            host = self.authority
        backend = self.backend
        backend.moto = self.moto_mode
        backend.moto_server = True  # the server's own account rule holds; moto is told the same account
        return dispatch(backend, self.timing, Request(method, f"http://{host}{target}", headers, body))

    def reset(self) -> None:
        """A fresh, empty backend; requests already inside the old one finish there."""
        with self._reset_lock:
            moto_link.release(self.backend)
            self.backend = Backend()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hangs up mid-response is not the server's failure: no traceback on stderr
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("connection from %s ended: %r", client_address, error)
        else:
            log.exception("mock_eks server: error on a connection from %s", client_address)


def check_public_url(url: str) -> str:
    """``url`` without a trailing slash if it is an http(s) URL with a host and no path beyond ``/``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"not an http(s)://HOST[:PORT] URL: {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"not an http(s)://HOST[:PORT] URL: {url!r}")
    return url.rstrip("/")


class MockEKSServer:
    """An EKS + EKS Auth endpoint on ``host:port`` (port 0 picks a free one), served from a thread.

    >>> with MockEKSServer() as server:
    ...     client = boto3.client("eks", endpoint_url=server.url, region_name="us-east-1")
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        timing: str | Timing = "instant",
        moto: str = "link",
        *,
        allow_hosts: Iterable[str] = (),
        control_token: str | None = None,
        public_url: str | None = None,
    ) -> None:
        """``allow_hosts``: more names the control plane answers to (besides the bound address and
        loopback); ``control_token``: required as ``Authorization: Bearer`` on ``/_mock_eks/*`` (health and
        the OIDC documents excepted); ``public_url``: the server's URL in the documents it builds (its host
        is allowed too)."""
        accounts.configured_account()  # a bad MOCK_EKS_ACCOUNT_ID fails at start, as in-process
        self.timing = timing if isinstance(timing, Timing) else Timing(timing)
        extra = list(allow_hosts)
        if public_url is not None:
            public_url = check_public_url(public_url)
            extra.append(urllib.parse.urlsplit(public_url).netloc)
        self._httpd = _HTTPServer((host, port), self.timing)
        self._httpd.moto_mode = moto_link.check_mode(moto)
        self._httpd.public_url = public_url
        self._httpd.access = control.Access.of(self.host, extra, control_token)
        self._thread: threading.Thread | None = None
        self._moto_started = False

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return self._httpd.url

    @property
    def backend(self) -> Backend:
        return self._httpd.backend

    def reset(self) -> None:
        self._httpd.reset()

    def _start_moto(self) -> None:
        if self._moto_started:
            return
        self._moto_started = True
        if self._httpd.moto is None:
            self._httpd.moto = in_process(self._httpd.moto_mode)
        if self._httpd.moto is not None:
            self._httpd.moto.start()

    def load(self, state: str | None = None, seed: list[Any] | None = None) -> None:
        """Before ``start``: the state of the file ``state`` if it exists, else ``seed``'s items replayed
        (a seed makes a fresh state, never replays onto a saved one). SnapshotError or SeedError."""
        stored = None
        if sqlite_store.is_database(state):
            HANDLERS.load()  # the record kinds the stored snapshots name (any request may reload one)
            store = self._httpd.store = sqlite_store.SQLiteStore(state)  # type: ignore[arg-type]
            try:
                stored = store.load()
            except sqlite3.DatabaseError as error:
                raise snapshot.SnapshotError(f"cannot use {state} as a SQLite state: {error}") from None
        elif state is not None and os.path.exists(state):
            HANDLERS.load()  # the behaviour's record kinds are what a snapshot names
            stored = snapshot.load(state)
        if stored is not None:
            self._httpd.backend = stored
        elif seed is not None:
            self._start_moto()  # the seed's calls see moto as requests served later will
            seeds.replay(seed, self._direct_clients())

    def _direct_clients(self) -> Any:
        """Seed clients whose requests are answered by this server's handling, without its socket (which
        answers nobody until the state is loaded)."""
        import io

        from botocore.awsrequest import AWSResponse
        from urllib3.response import HTTPResponse

        httpd = self._httpd
        made = seeds.clients(self.url)

        def send(request: Any, **_: Any) -> AWSResponse:
            target = urllib.parse.urlsplit(request.url)
            path = target.path + (f"?{target.query}" if target.query else "")
            headers = CaseInsensitiveDict({key: str(value) for key, value in request.headers.items()})
            headers.setdefault("Host", httpd.authority)
            body = request.body or b""  # botocore's serializers give bytes or str
            answer = httpd.serve_request(
                request.method, path, headers, body.encode() if isinstance(body, str) else body
            )
            raw = HTTPResponse(body=io.BytesIO(answer.whole_body()), preload_content=False)
            return AWSResponse(request.url, answer.status, answer.headers, raw)

        def client_for(service: str, region: str, account: str | None) -> Any:
            client = made(service, region, account)
            client.meta.events.register("before-send", send, unique_id="mock_eks-seed")
            return client

        return client_for

    def start(self) -> MockEKSServer:
        if self._thread is None:
            self._start_moto()
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="mock_eks-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self, drain_timeout: float = 10.0) -> None:
        """Stop accepting, end idle keep-alive connections, let requests in flight finish (up to
        ``drain_timeout`` seconds): after ``stop`` no request is answered, so the state is final."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
            self._httpd.socket.close()  # new connections are refused from here on
            self._httpd.connections.drain(drain_timeout)
            moto_link.release(self._httpd.backend)
        if self._moto_started and self._httpd.moto is not None:
            self._httpd.moto.stop()
        self._moto_started = False
        self._httpd.server_close()
        if self._httpd.store is not None:
            self._httpd.store.close()
            self._httpd.store = None

    def __enter__(self) -> MockEKSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(
    host: str,
    port: int,
    timing: str | Timing,
    *,
    state: str | None = None,
    seed: str | list[Any] | None = None,
    **server_options: Any,
) -> int:
    """``mock-eks serve``: serve until SIGINT (Ctrl-C), SIGTERM or SIGHUP; the exit status.

    ``state``: a snapshot file loaded at start if it exists and written (atomically) when stopped, after
    the last request is answered; ``seed``: {operation, params} items (or a YAML/JSON file of them)
    replayed at start into a fresh state. Nothing is answered before both are loaded.
    ``server_options`` go to ``MockEKSServer`` as keyword arguments (a CLI flag becomes one).
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    problem = None if state is None else snapshot.check_path(state)
    if problem is not None:
        print(f"mock-eks: --state: {problem}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread only
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        return _serve(host, port, timing, state, seed, stop, server_options)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _serve(
    host: str,
    port: int,
    timing: str | Timing,
    state: str | None,
    seed: str | list[Any] | None,
    stop: threading.Event,
    server_options: dict[str, Any],
) -> int:
    try:
        server = MockEKSServer(host, port, timing, **server_options)
    except OSError as error:
        print(f"mock-eks: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        server.load(state, None if seed is None else seeds.read(seed))
    except (snapshot.SnapshotError, seeds.SeedError) as error:
        server.stop()
        print(f"mock-eks: {error}", file=sys.stderr)
        return 1
    server.start()
    bound = f"http://{server._httpd.authority}"
    print(f"mock_eks serving EKS and EKS Auth on {bound} (timing: {server.timing.profile})", flush=True)
    if not control.is_loopback(server.host) and server._httpd.access.token is None:
        print(
            f"mock-eks: warning: {server.host} is not a loopback address and there is no --control-token: "
            "anyone who reaches this port can read, replace and reset the state",
            file=sys.stderr,
            flush=True,
        )
    print(f"  aws eks list-clusters --endpoint-url {server.url}", flush=True)
    print("  Ctrl-C to stop", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()  # every request answered is in the backend now, and none is answered after
        if state is not None and not sqlite_store.is_database(state):  # a database is written through
            backend = server.backend
            with backend.lock:
                snapshot.write(snapshot.take(backend), state)
            print(f"mock_eks state written to {state}", flush=True)
    print("mock_eks stopped", flush=True)
    return 0
