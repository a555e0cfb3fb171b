"""Server mode as an HTTP proxy for cluster endpoints: ``CONNECT <endpoint host>:443``, then the cluster's
Kubernetes API over TLS.

kubectl (with ``proxy-url`` in its kubeconfig, or ``HTTPS_PROXY``) asks the server to open a tunnel to the
endpoint host DescribeCluster returned. The server answers ``200 Connection established`` for an ACTIVE
(or UPDATING) cluster's endpoint on port 443 only, then speaks TLS itself on that connection, with a
certificate for the endpoint host signed by that cluster's CA (so the kubeconfig's
``certificate-authority-data`` verifies it), and serves HTTP/1.1 on it (keep-alive, chunked streams for
watches) through the same request loop as the EKS API, answered by ``mock_eks.kube.serve``. Nothing is
ever forwarded: a CONNECT to any other host gets 403 and the connection closes.
"""

from __future__ import annotations

import logging
import os
import ssl
import tempfile
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import h11

from mock_eks import kube
from mock_eks.identity import certificates
from mock_eks.model.protocol import Request, Response

if TYPE_CHECKING:
    import socket

log = logging.getLogger("mock_eks.server")

_contexts: dict[tuple[str, str], ssl.SSLContext] = {}
_contexts_lock = threading.Lock()
_CONTEXT_LIMIT = 1024


def connect(handler: Any, sock: socket.socket, state: Any, event: h11.Request) -> bool:
    """Answer the CONNECT ``event`` read by ``state`` on ``sock``; run the tunnel. Always False: when the
    tunnel ends, so does the connection."""
    state.method = "CONNECT"
    state.target = target = event.target.decode("latin-1")
    while not isinstance(state.next_event(), h11.EndOfMessage):  # a CONNECT body is meaningless: dropped
        pass
    host, _, port = target.rpartition(":")
    server = handler.server
    name, ca, ca_key = (
        server.in_turn("GET", lambda: _authority_of(server.backend, host))
        if port == "443" and host
        else (None, None, None)
    )
    if name is None or ca is None:
        state.close = True
        state.send(_refusal(target))
        log.info('%s "CONNECT %s" 403', handler.client_address[0], target[:200])
        return False
    try:
        context = _context(ca, ca_key, host)
    except ValueError:
        # a snapshot written before clusters kept their CA key: no certificate that chains to the CA
        # DescribeCluster shows can be made, and a new CA would break every kubeconfig already written
        state.close = True
        state.send(_no_ca_key(name))
        log.info('%s "CONNECT %s" 502', handler.client_address[0], target[:200])
        return False
    conn = state.conn
    sock.sendall(
        conn.send(
            h11.Response(status_code=200, headers=[("Server", "mock_eks")], reason=b"Connection established")
        )
    )
    log.info('%s "CONNECT %s" 200', handler.client_address[0], target)
    if conn.trailing_data[0]:  # a client that speaks before the 200 is not one a proxy can serve
        return False
    try:
        tls = context.wrap_socket(sock, server_side=True)
    except (ssl.SSLError, OSError) as error:
        log.debug("TLS handshake for %s failed: %r", host, error)
        return False
    origin = f"https://{host}"

    def route(request: Request) -> Response:
        # in the request's turn on the state, as an EKS request: with --state x.db what kubectl creates is
        # written there and seen by every process
        def answer() -> tuple[Any, Response]:
            backend = server.backend
            forwarded = Request(request.method, origin + request.url, request.headers, request.body)
            return backend, kube.serve(backend, forwarded)

        backend, response = server.in_turn(request.method, answer)
        if isinstance(response.body, bytes | bytearray):
            return response
        stream: Any = _while_current(server, backend, cast(Iterable[bytes], response.body))  # a watch's
        return Response(response.status, response.headers, stream)

    # the TLS socket now owns the connection: a stop cuts this one, and the server's close closes it
    handler.request = tls
    try:
        if handler.server.connections.idle(handler):  # between requests, as after any answered one
            handler._serve(tls, route)  # the server's own request loop: keep-alive, streams, stop
    finally:
        tls.close()
    return False


def _while_current(server: Any, backend: Any, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A watch's stream, ended once this process's state is no longer ``backend``.

    A watch's initial list is made in its request's turn on the state; the stream runs after that turn
    (a transaction held for a watch's life would block every other process on the file) and follows
    this process's copy of the state: the changes made through this process. When a request here loads
    another process's write (or a reset replaces the state), the copy the watch follows is no longer the
    state, so the watch ends, as a kube-apiserver watch ends at its timeout: the client lists and
    watches again, and sees the state as it is now.
    """
    try:
        for chunk in chunks:
            yield chunk
            if server.backend is not backend:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def _authority_of(backend: Any, host: str) -> tuple[str | None, str | None, str | None]:
    """The name, CA certificate and CA key of the cluster serving ``host`` (all None when none does)."""
    with backend.lock:
        cluster = kube.cluster_for_host(backend, host)
        if cluster is None:
            return None, None, None
        return cluster.name, (cluster.certificate_authority or {}).get("data"), cluster.ca_key


def _refusal(target: str) -> Response:
    """What a proxy answers for a tunnel it will not open: 403, with the reason in plain text."""
    body = (
        f"mock_eks opens tunnels only to the endpoint of an ACTIVE cluster it serves, on port 443; "
        f"not to {target[:200]!r}\n"
    ).encode()
    return Response(403, {"Content-Type": "text/plain; charset=utf-8"}, body)


def _no_ca_key(name: str) -> Response:
    """502 (RFC 9110 15.6.3: the proxy cannot get a valid answer from the endpoint): the cluster's CA
    certificate came from a snapshot without its key, so no certificate that verifies can be served."""
    body = (
        f"mock_eks cannot serve cluster {name!r}'s endpoint: the snapshot it was restored from has no CA "
        f"key for this cluster (written before mock_eks kept it), so no certificate can chain to its "
        f"certificateAuthority; recreate the cluster or restore a newer snapshot\n"
    ).encode()
    return Response(502, {"Content-Type": "text/plain; charset=utf-8"}, body)


def _context(ca_data: str, ca_key: str | None, host: str) -> ssl.SSLContext:
    """A server-side TLS context presenting a certificate for ``host`` signed by the cluster's CA."""
    key = (ca_data, host)
    with _contexts_lock:
        context = _contexts.get(key)
    if context is not None:
        return context
    cert_pem, key_pem = certificates.serving_certificate(ca_data, ca_key, host)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])  # no h2: the request loop speaks HTTP/1.1
    # the ssl module loads a certificate chain from files only: write them where only we can read, then remove
    with tempfile.TemporaryDirectory(prefix="mock_eks-tls-") as directory:
        cert_path = os.path.join(directory, "cert.pem")
        key_path = os.path.join(directory, "key.pem")
        for path, data in ((cert_path, cert_pem), (key_path, key_pem)):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
        context.load_cert_chain(cert_path, key_path)
    with _contexts_lock:
        if len(_contexts) >= _CONTEXT_LIMIT:
            _contexts.clear()
        _contexts[key] = context
    return context
