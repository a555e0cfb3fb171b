"""Control endpoints under ``/_mock_eks/``: one table, here, calling down into the features.

Server mode (and anything else that speaks HTTP to the mock) looks up ``(method, path)`` here before
the EKS dispatcher. An endpoint is a function ``(target, request) -> Response`` (``http.Target``: the
server's ``backend``, ``timing``, ``url``, ``access`` and ``reset()``) in a module of this package; add
it to ``ENDPOINTS`` (and to ``PUBLIC`` if it needs no control token). A ValueError it raises is a 400
with its message. Who may call is decided once, in ``handle`` (``http.Access``), so an endpoint
added later is guarded like the others.
"""

from __future__ import annotations

from mock_eks.model.protocol import Request, Response
from mock_eks.server.control import clock, faults, general, kube, oidc, state, tokens
from mock_eks.server.control.http import (
    LOOPBACK_NAMES,
    PREFIX,
    Access,
    Endpoint,
    Target,
    control_error,
    host_name,
    is_loopback,
    json_body,
    json_response,
    query,
)

__all__ = [
    "ENDPOINTS",
    "LOOPBACK_NAMES",
    "PREFIX",
    "PUBLIC",
    "Access",
    "Endpoint",
    "Target",
    "control_error",
    "handle",
    "host_name",
    "is_loopback",
    "json_body",
    "json_response",
    "query",
]

# path below PREFIX -> method -> endpoint; a path ending in ``/*`` takes every path below it
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "health": {"GET": general.health},
    "reset": {"POST": general.reset},
    "clock/advance": {"POST": clock.advance_endpoint},
    "service-account-token": {"POST": tokens.mint_endpoint},
    "oidc/*": {"GET": oidc.server_issuer},
    "state": {"GET": state.get_state, "PUT": state.put_state},
    "faults": {"DELETE": faults.delete_all},
    "faults/calls": {"POST": faults.post_calls},
    "faults/lifecycle": {"POST": faults.post_lifecycle},
    "faults/degrade": {"POST": faults.post_degrade},
    "faults/recover": {"POST": faults.post_recover},
    "kubeconfig": {"GET": kube.kubeconfig_endpoint},
    "get-token": {"GET": kube.get_token_endpoint},
}
# paths below PREFIX served without the control token (the Host and Origin checks still hold)
PUBLIC = {"health", "oidc/*"}


def handle(target: Target, request: Request, path: str) -> Response:
    """Serve a control request for ``path`` (which starts with PREFIX)."""
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
