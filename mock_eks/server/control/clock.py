"""``POST /_mock_eks/clock/advance``: move the server's mock clock (``mock_eks.state.clock.advance``)."""

from __future__ import annotations

from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, json_body, json_response
from mock_eks.state.clock import advance


def advance_endpoint(target: Target, request: Request) -> Response:
    """``POST /_mock_eks/clock/advance`` with ``{"seconds": N}`` -> ``{"now": <mock epoch seconds>}``."""
    body = json_body(request)
    if "seconds" not in body:
        raise ValueError('the body must be {"seconds": N}')
    now = advance(target.backend, body["seconds"])
    return json_response(200, {"now": now, "offset": target.backend.clock_offset})
