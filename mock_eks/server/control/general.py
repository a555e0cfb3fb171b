"""``GET /_mock_eks/health`` and ``POST /_mock_eks/reset``."""

from __future__ import annotations

from mock_eks import moto_link
from mock_eks.model import VERSION
from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, json_response, query
from mock_eks.state import tenants


def health(target: Target, request: Request) -> Response:
    return json_response(
        200, {"status": "ok", "service": "mock_eks", "version": VERSION, "timing": target.timing.profile}
    )


def reset(target: Target, request: Request) -> Response:
    """Everything, or with ``?account=ID[&region=R]`` only that tenant (its regions, pending transitions
    and faults)."""
    parameters = query(request)
    if "account" not in parameters:
        if "region" in parameters:
            raise ValueError("region needs account: POST /_mock_eks/reset?account=ID&region=R")
        target.reset()
        return json_response(200, {"status": "reset"})
    where = tenants.scope(parameters["account"], parameters.get("region"))
    tenants.forget(target.backend, where)
    moto_link.release(target.backend, *where)  # as a whole reset does: what the link made for it in moto
    return json_response(200, {"status": "reset", "account": where[0], "region": where[1]})
