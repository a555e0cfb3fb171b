"""What every interception path shares: the ``serve`` callable of the active mocks, which URLs are
the mock's to answer, and reading a request body whatever shape a client sends it in.

The transports below (botocore and ``requests`` in the package, ``urllib_request``, ``urllib3_pool``,
``names``) read these; only ``install``/``uninstall`` set ``serve``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from mock_eks.model import accounts
from mock_eks.model.protocol import Request, Response

Serve = Callable[[Request], Response]
_serve: Serve | None = None


def current() -> Serve | None:
    """Where an intercepted request goes now (None while no mock is active)."""
    return _serve


def serve_with(serve: Serve | None) -> None:
    global _serve
    _serve = serve


# a cluster's OIDC issuer (discovery document and JWKS, see issuer.py): answered for ``requests`` and
# ``urllib.request`` (intercept_urllib.py)
OIDC_URL = re.compile(r"^https?://oidc\.eks\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?(?::\d+)?/")

# a cluster's Kubernetes API endpoint (mock_eks.kube answers it; intercept_names refuses it to other clients)
CLUSTER_API_URL = re.compile(
    r"^https?://[0-9a-z]+\.[0-9a-z]+\.[0-9a-z-]+\.eks\.amazonaws\.com(?:\.cn)?\.?(?::\d+)?(?:[/?#]|$)",
    re.IGNORECASE,
)

# Further URLs that ``requests`` and ``urllib.request`` send to the mock while it is active, beside the
# EKS and EKS Auth hosts; the served request reaches the same ``serve`` callable (which tells them apart).
ALSO_CATCH: list[re.Pattern[str]] = [OIDC_URL, CLUSTER_API_URL]


def eks_host(url: str) -> accounts.Host | None:
    """The EKS or EKS Auth endpoint host ``url`` is addressed to, or None."""
    return accounts.parse_host(accounts.host_of(url))


def body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        position = body.tell() if hasattr(body, "tell") else None
        data = body.read()
        if position is not None:
            body.seek(position)
        return data if isinstance(data, bytes) else data.encode()
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    # an iterable of chunks, which urllib, urllib3 and requests all send as a body
    return b"".join(part.encode() if isinstance(part, str) else bytes(part) for part in body)


def claims(url: str) -> bool:
    """Whether ``url`` is the mock's to answer: an EKS or EKS Auth host, or a pattern of ``ALSO_CATCH``."""
    return eks_host(url) is not None or any(pattern.match(url) for pattern in ALSO_CATCH)


class ChunkReader(io.RawIOBase):
    """A readable file over an iterator of bytes chunks (a streamed answer); ``close`` closes the iterator."""

    def __init__(self, chunks: Any) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def next_chunk(self) -> bytes:
        """What is left of the current chunk, else the next non-empty one (b"" at the end): a stream may
        yield empty chunks while it has nothing to send."""
        if self._pending:
            chunk, self._pending = self._pending, b""
            return chunk
        for chunk in self._chunks:
            if chunk:
                return chunk
        return b""

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        super().close()
