"""Control endpoints under ``/_mock_eks/``: one registry, so each feature adds its own endpoint.

Server mode (and anything else that speaks HTTP to the mock) looks up
``(method, path)`` here before the EKS dispatcher. A feature module registers
its endpoints with ``@control("POST", "faults/calls")``; the function gets the
serving target (its ``backend``, ``timing`` and ``reset()``) and the request,
and returns a ``Response`` (use ``json_response`` / ``control_error``).
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from mock_eks.dispatch import Request, Response
from mock_eks.lifecycle import Timing
from mock_eks.store import Backend

PREFIX = "/_mock_eks/"


class Target(Protocol):
    """What a control endpoint acts on: the server's state."""

    backend: Backend
    timing: Timing

    def reset(self) -> None: ...


Endpoint = Callable[[Target, Request], Response]
ENDPOINTS: dict[str, dict[str, Endpoint]] = {}  # path below PREFIX -> method -> endpoint
# modules whose endpoints register on import; imported by the first control request (import stays cheap)
FEATURE_MODULES = ["mock_eks.tokens", "mock_eks.issuer", "mock_eks.clock", "mock_eks.snapshot"]


def control(method: str, path: str) -> Callable[[Endpoint], Endpoint]:
    """Register ``endpoint`` for ``method`` on ``/_mock_eks/<path>``; a path ending in ``/*`` takes every
    path below it (the endpoint reads the rest from ``request.url``)."""

    def register(endpoint: Endpoint) -> Endpoint:
        ENDPOINTS.setdefault(path, {})[method] = endpoint
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


def handle(target: Target, request: Request, path: str) -> Response:
    """Serve a control request for ``path`` (which starts with PREFIX)."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    below = path[len(PREFIX) :]
    methods = ENDPOINTS.get(below) or next(
        (found for key, found in ENDPOINTS.items() if key.endswith("/*") and below.startswith(key[:-1])), None
    )
    if methods is None:
        return control_error(404, f"No mock_eks control endpoint at {path}", "UnknownOperationException")
    method = request.method.upper()
    endpoint = methods.get(method) or (methods.get("GET") if method == "HEAD" else None)
    if endpoint is None:
        return control_error(405, f"Method {method} is not allowed for {path}", "MethodNotAllowedException")
    try:
        return endpoint(target, request)
    except ValueError as error:
        return control_error(400, str(error))


@control("GET", "health")
def health(target: Target, request: Request) -> Response:
    from mock_eks import __version__

    return json_response(
        200, {"status": "ok", "service": "mock_eks", "version": __version__, "timing": target.timing.profile}
    )


@control("POST", "reset")
def reset(target: Target, request: Request) -> Response:
    target.reset()
    return json_response(200, {"status": "reset"})
