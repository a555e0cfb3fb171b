"""``/_mock_eks/faults*``: the server's ``m.faults``; JSON bodies keyed by ``Faults``' own parameter names."""

from __future__ import annotations

import functools
import inspect

from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, json_body, json_response, query
from mock_eks.state.faults import Faults


@functools.cache
def _arguments(method: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) body keys of ``Faults.<method>``: read from its signature, never written twice."""
    parameters = list(inspect.signature(getattr(Faults, method)).parameters.values())[1:]  # after self
    required = tuple(p.name for p in parameters if p.default is p.empty)
    optional = tuple(p.name for p in parameters if p.default is not p.empty)
    return required, optional


def _invoke(target: Target, request: Request, method: str) -> Response:
    """Call ``Faults.<method>`` with the body's keys as arguments; ValueError (-> 400) names bad input."""
    body = json_body(request)
    required, optional = _arguments(method)
    unknown = sorted(set(body) - set(required) - set(optional))
    if unknown:
        raise ValueError(
            f"unknown field(s) {', '.join(unknown)}; {method} takes {', '.join(required + optional)}"
        )
    missing = [name for name in required if name not in body]
    if missing:
        raise ValueError(f"missing required field(s) {', '.join(missing)}")
    getattr(target.backend.faults, method)(**body)
    return json_response(200, {"status": "ok"})


def post_calls(target: Target, request: Request) -> Response:
    return _invoke(target, request, "fail_calls")


def post_lifecycle(target: Target, request: Request) -> Response:
    return _invoke(target, request, "fail_next")


def post_degrade(target: Target, request: Request) -> Response:
    return _invoke(target, request, "degrade")


def post_recover(target: Target, request: Request) -> Response:
    return _invoke(target, request, "recover")


def delete_all(target: Target, request: Request) -> Response:
    target.backend.faults.clear(query(request).get("account"))
    return json_response(200, {"status": "cleared"})
