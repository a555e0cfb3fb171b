"""What every control endpoint shares: the target it acts on, who may call it, and its JSON answers.

Who may call is decided once, in ``handle``, for every endpoint (``Access``): the ``Host`` must be one of
the server's own names and an ``Origin``, if sent, too (a web page the user visits can reach a loopback
port, by DNS rebinding or a cross-origin request: see the Fetch standard's CORS-safelisted requests,
which are sent without a preflight), and with a control token every endpoint not in ``PUBLIC`` needs
``Authorization: Bearer TOKEN``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from mock_eks.model.protocol import Request, Response
from mock_eks.state.lifecycle import Timing
from mock_eks.state.store import Backend

PREFIX = "/_mock_eks/"


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def host_name(authority: str) -> str | None:
    """The host of a ``Host`` header value or URL authority, lower-case, without port or brackets."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        end = authority.find("]")
        return authority[1:end] if end > 0 else None
    name = authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority
    return name.rstrip(".") or None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass(frozen=True)
class Access:
    """Who the control plane lets in: requests to one of ``names``, and with ``token`` only bearers of it."""

    names: frozenset[str] = frozenset(LOOPBACK_NAMES)
    token: str | None = None

    @classmethod
    def of(cls, bound: str, extra: Iterable[str] = (), token: str | None = None) -> Access:
        names = {bound.lower(), *LOOPBACK_NAMES}
        names.update(filter(None, (host_name(name) for name in extra)))
        return cls(frozenset(names), token or None)

    def refusal(self, request: Request, public: bool) -> Response | None:
        """The 403 or 401 this request gets, or None when it may go on."""
        host = request.headers.get("Host")
        if host is not None and host_name(host) not in self.names:
            return control_error(
                403,
                f"Host {host[:100]!r} is not a name of this server (add it with --allow-host)",
                _FORBIDDEN,
            )
        origin = request.headers.get("Origin")
        if origin is not None and host_name(urllib.parse.urlsplit(origin).netloc) not in self.names:
            return control_error(403, f"Requests from origin {origin[:100]!r} are not allowed", _FORBIDDEN)
        if self.token is None or public:
            return None
        scheme, _, presented = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), self.token.encode()
        ):
            return None
        refused = control_error(
            401,
            "This control endpoint needs Authorization: Bearer <the server's control token>",
            _UNAUTHORIZED,
        )
        refused.headers["WWW-Authenticate"] = 'Bearer realm="mock_eks"'
        return refused


_FORBIDDEN = "AccessDeniedException"
_UNAUTHORIZED = "UnauthorizedException"


class Target(Protocol):
    """What a control endpoint acts on: the server's state, its own URL and who may call it."""

    backend: Backend
    timing: Timing
    access: Access

    @property
    def url(self) -> str: ...  # documents the server builds (OIDC discovery, kubeconfigs) point here

    def reset(self) -> None: ...


Endpoint = Callable[[Target, Request], Response]


def json_response(status: int, document: Any) -> Response:
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
    return Response(status, headers, json.dumps(document).encode())


def control_error(status: int, message: str, code: str = "BadRequestException") -> Response:
    """An AWS-style JSON error for a control endpoint (400 for bad input, 404, 405)."""
    response = json_response(status, {"message": message})
    response.headers["x-amzn-ErrorType"] = code
    return response


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body ({} when empty); ValueError with a readable reason otherwise."""
    if not request.body:
        return {}
    try:
        document = json.loads(request.body)
    except ValueError as error:
        raise ValueError(f"the body is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise ValueError("the body must be a JSON object")
    return document


def query(request: Request) -> dict[str, str]:
    """The request's query parameters (the last of each name; ValueError for one given twice)."""
    pairs = urllib.parse.parse_qsl(request.url.partition("?")[2])
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"give each query parameter once: {', '.join(repeated)[:100]}")
    return dict(pairs)
