"""Server mode: EKS and EKS Auth over HTTP, through the same dispatcher boto3 uses in-process.

``MockEKSServer`` is a standard-library ``ThreadingHTTPServer`` with its own
``Backend``; every request goes to ``dispatch.dispatch`` with the URL built
from the Host header and the *raw* request target, so percent-encoded ARNs
reach the router as the client sent them. The service, region and account
come from the SigV4 Authorization header (the dispatcher's rule), so EKS and
EKS Auth share one port.

Anything that is not a well-formed request (bad request line, unsupported
method, oversized or unframed body, a failure in the server itself) gets an
AWS-style JSON error with ``x-amzn-ErrorType``: never HTML, never a traceback.

Control endpoints (``/_mock_eks/...``: health, reset, and what features register) live in ``control.py``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import signal
import socket
import sys
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from mock_eks import control
from mock_eks import faults as _faults  # noqa: F401 - registers the /_mock_eks/faults* endpoints
from mock_eks.dispatch import Request, Response, dispatch
from mock_eks.lifecycle import Timing
from mock_eks.store import Backend

log = logging.getLogger("mock_eks.server")

MAX_BODY = 10 * 1024 * 1024  # larger bodies get 413; no EKS request comes near it
_DRAIN_LIMIT = (
    64 * 1024 * 1024
)  # up to this much of an oversized body is read and dropped, so the client sees the 413
_HOST_HEADER = re.compile(r"^[A-Za-z0-9._\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")

# the error code an HTTP-level status is reported under
_HTTP_CODES = {
    400: "BadRequestException",
    404: "UnknownOperationException",
    405: "MethodNotAllowedException",
    408: "RequestTimeoutException",
    411: "LengthRequiredException",
    413: "RequestEntityTooLargeException",
    414: "RequestURITooLongException",
    431: "RequestHeaderFieldsTooLargeException",
    500: "InternalFailure",
    501: "NotImplementedException",
    505: "HTTPVersionNotSupportedException",
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


def error_response(status: int, message: str, code: str | None = None) -> Response:
    """An AWS-style JSON error the SDKs parse (code from ``x-amzn-ErrorType`` and the body)."""
    code = code or _HTTP_CODES.get(status, "BadRequestException")
    body = json.dumps({"message": message}).encode()
    headers = {
        "Content-Type": "application/json",
        "x-amzn-ErrorType": code,
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    return Response(status, headers, body)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    timeout = 120  # seconds a connection may sit idle or stall mid-request

    # -- every method goes through one path; the dispatcher answers unknown paths and methods --------

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        try:
            response = self._respond()
        except TimeoutError:
            self.close_connection = True
            response = error_response(408, "The request was not received in time.")
        except ConnectionError:  # the client went away mid-request: nobody to answer
            self.close_connection = True
            return
        except _HTTPError as refused:
            if refused.close:
                self.close_connection = True
            response = error_response(refused.status, refused.message)
        except Exception:  # noqa: BLE001 - the client gets a JSON 500, the log gets the traceback
            log.exception("mock_eks server failed on %s %s", self.command, self.path)
            self.close_connection = True
            response = error_response(500, "Internal failure in the mock_eks server.")
        self._write(response)

    def _respond(self) -> Response:
        target = self._target()
        body = self._read_body()
        path = target.partition("?")[0]
        if path.startswith(control.PREFIX):
            request = Request(self.command, target, self.headers, body)  # type: ignore[arg-type]
            return control.handle(self.server, request, path)
        host = self.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            host = self.server.authority
        # http.client.HTTPMessage: a case-insensitive header mapping, as the dispatcher expects
        request = Request(self.command, f"http://{host}{target}", self.headers, body)  # type: ignore[arg-type]
        return dispatch(self.server.backend, self.server.timing, request)

    def _target(self) -> str:
        """The raw path and query (percent-encoding intact); absolute-form targets lose their authority."""
        target = self.path
        if target.startswith(("http://", "https://")):
            rest = target.split("://", 1)[1]
            slash = rest.find("/")
            target = rest[slash:] if slash >= 0 else "/"
        if not target.startswith("/"):
            raise _HTTPError(400, f"Request target must be an absolute path, not {target[:100]!r}")
        return target

    def _read_body(self) -> bytes:
        encoding = self.headers.get("Transfer-Encoding")
        length_header = self.headers.get("Content-Length")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise _HTTPError(400, f"Unsupported Transfer-Encoding: {encoding}", close=True)
            if length_header is not None:
                raise _HTTPError(
                    400, "A request must not carry both Content-Length and Transfer-Encoding.", close=True
                )
            return self._read_chunked()
        if length_header is None:
            # RFC 9112 6.3: no framing means no body. Bytes sent anyway cannot be told from the next
            # request, so this connection ends with this response.
            if self.command in ("POST", "PUT", "PATCH"):
                self.close_connection = True
            return b""
        try:
            length = int(length_header)
            if length < 0 or not length_header.strip().isdigit():
                raise ValueError
        except ValueError:
            raise _HTTPError(400, f"Invalid Content-Length: {length_header[:50]!r}", close=True) from None
        if length > MAX_BODY:
            if length <= _DRAIN_LIMIT:
                self._discard(length)
            else:
                self.close_connection = True
            raise _HTTPError(413, f"Request body of {length} bytes exceeds the limit of {MAX_BODY} bytes.")
        body = self.rfile.read(length)
        if len(body) < length:
            raise _HTTPError(400, "Request body is shorter than its Content-Length.", close=True)
        return body

    def _discard(self, length: int) -> None:
        remaining = length
        while remaining:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                self.close_connection = True
                return
            remaining -= len(chunk)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _HTTPError(400, "Malformed chunked request body.", close=True) from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise _HTTPError(413, f"Request body exceeds the limit of {MAX_BODY} bytes.", close=True)
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(1024) not in (b"\r\n", b"\n"):
                raise _HTTPError(400, "Malformed chunked request body.", close=True)
            parts.append(chunk)

    # -- output ------------------------------------------------------------------------------------------

    def _write(self, response: Response) -> None:
        self._status = response.status
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unsupported method, ...) as JSON too."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        if not getattr(self, "command", None):
            self.command = "GET"  # the request line could not be read: a body is still wanted
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # an unreadable request line: still answer with headers
        self._write(error_response(code, message or phrase))

    def version_string(self) -> str:
        return f"mock_eks/{_version()}"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info('%s "%s" %s', self.address_string(), getattr(self, "requestline", ""), code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], timing: Timing) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.timing = timing
        self.backend = Backend()
        self._reset_lock = threading.Lock()

    @property
    def authority(self) -> str:
        host, port = self.server_address[:2]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def reset(self) -> None:
        """A fresh, empty backend; requests already inside the old one finish there."""
        with self._reset_lock:
            self.backend = Backend()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hangs up mid-response is not the server's failure: no traceback on stderr
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("connection from %s ended: %r", client_address, error)
        else:
            log.exception("mock_eks server: error on a connection from %s", client_address)


class MockEKSServer:
    """An EKS + EKS Auth endpoint on ``host:port`` (port 0 picks a free one), served from a thread.

    >>> with MockEKSServer() as server:
    ...     client = boto3.client("eks", endpoint_url=server.url, region_name="us-east-1")
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, timing: str | Timing = "instant") -> None:
        self.timing = timing if isinstance(timing, Timing) else Timing(timing)
        self._httpd = _HTTPServer((host, port), self.timing)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def backend(self) -> Backend:
        return self._httpd.backend

    def reset(self) -> None:
        self._httpd.reset()

    def start(self) -> MockEKSServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="mock_eks-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> MockEKSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(host: str, port: int, timing: str) -> int:
    """``mock-eks serve``: serve until Ctrl-C or SIGTERM; the exit status."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        server = MockEKSServer(host, port, timing)
    except OSError as error:
        print(f"mock-eks: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread only
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    server.start()
    print(f"mock_eks serving EKS and EKS Auth on {server.url} (timing: {server.timing.profile})", flush=True)
    print(f"  aws eks list-clusters --endpoint-url {server.url}", flush=True)
    print("  Ctrl-C to stop", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print("mock_eks stopped", flush=True)
    return 0
