"""Control endpoints under ``/_mock_eks/``: one registry, so each feature adds its own endpoint.

Server mode (and anything else that speaks HTTP to the mock) looks up
``(method, path)`` here before the EKS dispatcher. A feature module registers
its endpoints with ``@control("POST", "faults/calls")``; the function gets the
serving target (its ``backend``, ``timing`` and ``reset()``) and the request,
and returns a ``Response`` (use ``json_response`` / ``control_error``).

Who may call them is decided once, in ``handle`` (the control plane's only entry), so an endpoint added
later is guarded like the others: the ``Host`` must be one of the server's own names and an ``Origin``, if
sent, too (a web page the user visits can reach a loopback port, by DNS rebinding or a cross-origin
request: see the Fetch standard's CORS-safelisted requests, which are sent without a preflight), and with
a control token every endpoint not registered ``public=True`` needs ``Authorization: Bearer TOKEN``.
"""

from __future__ import annotations

import hmac
import importlib
import ipaddress
import json
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from mock_eks.dispatch import Request, Response
from mock_eks.lifecycle import Timing
from mock_eks.store import Backend

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
    url: str  # documents the server builds (OIDC discovery, kubeconfigs) point here, never at the Host header

    def reset(self) -> None: ...


Endpoint = Callable[[Target, Request], Response]
ENDPOINTS: dict[str, dict[str, Endpoint]] = {}  # path below PREFIX -> method -> endpoint
PUBLIC: set[str] = set()  # paths below PREFIX served without the control token (health, OIDC documents)
# modules whose endpoints register on import; imported by the first control request (import stays cheap)
FEATURE_MODULES = [
    "mock_eks.tokens",
    "mock_eks.issuer",
    "mock_eks.clock",
    "mock_eks.snapshot",
    "mock_eks.kube_control",
]


def control(method: str, path: str, *, public: bool = False) -> Callable[[Endpoint], Endpoint]:
    """Register ``endpoint`` for ``method`` on ``/_mock_eks/<path>``; a path ending in ``/*`` takes every
    path below it (the endpoint reads the rest from ``request.url``). ``public``: answered without the
    control token (the Host and Origin checks still hold)."""

    def register(endpoint: Endpoint) -> Endpoint:
        ENDPOINTS.setdefault(path, {})[method] = endpoint
        if public:
            PUBLIC.add(path)
        return endpoint

    return register


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


def handle(target: Target, request: Request, path: str) -> Response:
    """Serve a control request for ``path`` (which starts with PREFIX)."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    below = path[len(PREFIX) :]
    key = below if below in ENDPOINTS else None
    if key is None:
        key = next((k for k in ENDPOINTS if k.endswith("/*") and below.startswith(k[:-1])), None)
    refused = target.access.refusal(request, public=key in PUBLIC)
    if refused is not None:
        return refused
    if key is None:
        return control_error(404, f"No mock_eks control endpoint at {path}", "UnknownOperationException")
    method = request.method.upper()
    methods = ENDPOINTS[key]
    endpoint = methods.get(method) or (methods.get("GET") if method == "HEAD" else None)
    if endpoint is None:
        return control_error(405, f"Method {method} is not allowed for {path}", "MethodNotAllowedException")
    try:
        return endpoint(target, request)
    except ValueError as error:
        return control_error(400, str(error))


@control("GET", "health", public=True)
def health(target: Target, request: Request) -> Response:
    from mock_eks import __version__

    return json_response(
        200, {"status": "ok", "service": "mock_eks", "version": __version__, "timing": target.timing.profile}
    )


@control("POST", "reset")
def reset(target: Target, request: Request) -> Response:
    """Everything, or with ``?account=ID[&region=R]`` only that tenant (its regions, pending transitions
    and faults)."""
    from mock_eks import tenants

    parameters = query(request)
    if "account" not in parameters:
        if "region" in parameters:
            raise ValueError("region needs account: POST /_mock_eks/reset?account=ID&region=R")
        target.reset()
        return json_response(200, {"status": "reset"})
    where = tenants.scope(parameters["account"], parameters.get("region"))
    tenants.forget(target.backend, where)
    return json_response(200, {"status": "reset", "account": where[0], "region": where[1]})
