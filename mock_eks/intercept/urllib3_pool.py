"""urllib3 used directly while a mock is active: EKS and EKS Auth URLs are answered by the mock.

Code that talks to an EKS host with urllib3 itself (``urllib3.request``, a ``PoolManager``, a
``ProxyManager`` or a connection pool) goes through ``HTTPConnectionPool.urlopen``, which every pool
class inherits. While a mock is active it is wrapped: a URL that ``intercept`` claims (EKS and EKS Auth
hosts, PrivateLink names, ``intercept.ALSO_CATCH``) gets the mock's answer as a ``urllib3.HTTPResponse``
without a connection; any other URL goes to the method that was there before. botocore and ``requests``
are answered before they reach urllib3, so this only sees what they do not. The last stop puts back the
original if it is still in place (a wrapper added since stays, and ours below it is inert).
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Callable
from typing import Any

from mock_eks.intercept import claims
from mock_eks.intercept.patching import Patches
from mock_eks.model.protocol import Request

_DEFAULT_PORTS = {"http": 80, "https": 443}
_patches = Patches()  # HTTPConnectionPool.urlopen


def _full_url(pool: Any, url: str) -> str:
    if url.startswith(("http://", "https://")):  # absolute form: an http:// URL sent through a proxy
        return url
    scheme = getattr(pool, "scheme", "http")
    port = getattr(pool, "port", None)
    netloc = pool.host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{pool.host}:{port}"
    return f"{scheme}://{netloc}{url if url.startswith('/') else '/' + url}"


def _answer(pool: Any, method: str, url: str, body: Any, headers: Any, options: dict[str, Any]) -> Any:
    from urllib3._collections import HTTPHeaderDict
    from urllib3.response import HTTPResponse

    serve = claims.current()
    if serve is None:
        return None
    full = _full_url(pool, url)
    if not claims.claims(full):
        return None
    try:
        response = serve(Request(method, full, HTTPHeaderDict(headers or {}), claims.body_bytes(body)))
    except ConnectionRefusedError as refused:  # a cluster endpoint nothing listens on (yet)
        from urllib3.exceptions import MaxRetryError, NewConnectionError

        raise MaxRetryError(pool, full, NewConnectionError(pool, str(refused))) from None
    if not isinstance(response.body, bytes | bytearray):  # a stream (a Kubernetes watch)
        return _stream_response(response, method, full)
    return HTTPResponse(
        body=io.BytesIO(response.body),
        headers=response.headers,
        status=response.status,
        reason=http.client.responses.get(response.status, ""),
        preload_content=options.get("preload_content", True),
        decode_content=options.get("decode_content", True),
        request_method=method,
        request_url=full,
    )


def _stream_response(response: Any, method: str, url: str) -> Any:
    """A urllib3 response whose ``stream()`` yields each chunk as the server makes it (a watch)."""
    from urllib3.response import HTTPResponse

    reader = claims.ChunkReader(response.body)

    class StreamedResponse(HTTPResponse):
        def stream(self, amt: int | None = 2**16, decode_content: bool | None = None) -> Any:
            while True:
                chunk = reader.next_chunk()
                if not chunk:
                    return
                yield chunk

        def release_conn(self) -> None:
            reader.close()

        def close(self) -> None:
            reader.close()
            super().close()

    return StreamedResponse(
        body=io.BufferedReader(reader),
        headers=response.headers,
        status=response.status,
        reason=http.client.responses.get(response.status, ""),
        preload_content=False,
        decode_content=False,
        request_method=method,
        request_url=url,
    )


def _wrap(original: Callable[..., Any]) -> Callable[..., Any]:
    def urlopen(
        self: Any, method: str, url: str, body: Any = None, headers: Any = None, *args: Any, **kw: Any
    ) -> Any:
        answer = _answer(self, method, url, body, headers, kw)
        return answer if answer is not None else original(self, method, url, body, headers, *args, **kw)

    return urlopen


def install() -> None:
    """Wrap ``HTTPConnectionPool.urlopen`` (first activation; nothing if urllib3 is not installed)."""
    try:
        from urllib3.connectionpool import HTTPConnectionPool
    except ImportError:  # pragma: no cover - requests and botocore depend on urllib3
        return
    _patches.wrap(HTTPConnectionPool, "urlopen", _wrap)


def uninstall() -> None:
    """Put back the original if still under our wrapper (last deactivation)."""
    _patches.restore()
