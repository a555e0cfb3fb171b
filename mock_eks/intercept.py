"""Where requests are caught: botocore's before-send event and the ``requests`` library.

The botocore hook is installed once, at import, as a built-in handler
registered first, so every client created afterwards asks mock_eks before any
other before-send handler (moto's included) and before the network. It answers
only EKS and EKS Auth hosts, and only while a mock is active; for everything
else it returns None and botocore carries on (to moto, if moto is active).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.handlers import REGISTER_FIRST

from mock_eks.dispatch import Request, Response

# the host part of an EKS or EKS Auth URL, any partition, optional port
EKS_URL = re.compile(
    r"^https?://(?:eks-auth|eks)(?:-fips)?\.[a-z]{2}(?:-[a-z]+)+-\d+\."
    r"(?:amazonaws\.com(?:\.cn)?|api\.aws|api\.amazonwebservices\.com\.cn)(?::\d+)?(?:/|$)"
)

# a cluster's OIDC issuer (discovery document and JWKS, see issuer.py): answered for ``requests`` only
OIDC_URL = re.compile(r"^https?://oidc\.eks\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?(?::\d+)?/")

Serve = Callable[[Request], Response]
_serve: Serve | None = None


def set_server(serve: Serve | None) -> None:
    """Point both hooks at ``serve`` (an active mock) or at nothing."""
    global _serve
    _serve = serve


class _RawBody:
    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _body_bytes(body: Any) -> bytes:
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
    return bytes(body)


def botocore_before_send(request: Any, **_: Any) -> AWSResponse | None:
    serve = _serve
    if serve is None or not EKS_URL.match(request.url):
        return None
    response = serve(Request(request.method, request.url, request.headers, _body_bytes(request.body)))
    return AWSResponse(request.url, response.status, response.headers, _RawBody(response.body))


botocore.handlers.BUILTIN_HANDLERS.insert(0, ("before-send", botocore_before_send, REGISTER_FIRST))


class RequestsInterceptor:
    """Serves EKS URLs sent through ``requests`` while active; other URLs pass through."""

    def __init__(self) -> None:
        import responses

        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"):
            self._mock.add_callback(method, EKS_URL, callback=self._callback)
            self._mock.add_callback(method, OIDC_URL, callback=self._callback)
        self._mock.add_passthru(re.compile(r"^(?!https?://(?:eks-auth|eks|oidc\.eks)(?:-fips)?\.)"))

    @staticmethod
    def _callback(prepared: Any) -> tuple[int, dict[str, str], bytes]:
        serve = _serve
        if serve is None:  # pragma: no cover - the interceptor only runs while a mock is active
            raise RuntimeError("mock_eks is not active")
        response = serve(Request(prepared.method, prepared.url, prepared.headers, _body_bytes(prepared.body)))
        return response.status, response.headers, response.body

    def start(self) -> None:
        self._mock.start()

    def stop(self) -> None:
        self._mock.stop(allow_assert=False)
        self._mock.reset()
