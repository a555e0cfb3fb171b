"""``GET /_mock_eks/state`` (a snapshot) and ``PUT /_mock_eks/state`` (restore one), whole or one tenant's."""

from __future__ import annotations

import json

from mock_eks import moto_link
from mock_eks.engine.dispatch import HANDLERS
from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, json_response, query
from mock_eks.state import snapshot, tenants


def _tenant(request: Request) -> str | None:
    parameters = query(request)
    return None if "account" not in parameters else tenants.scope(parameters["account"])[0]


def get_state(target: Target, request: Request) -> Response:
    """The whole state, or with ``?account=ID`` only that account's."""
    tenant = _tenant(request)
    backend = target.backend
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())
        return json_response(200, snapshot.take(backend, tenant))


def put_state(target: Target, request: Request) -> Response:
    """Replace the whole state, or with ``?account=ID`` only that account's (the snapshot may hold no
    other account; the other tenants, the clock and pagination keys stay as they are)."""
    tenant = _tenant(request)
    try:
        document = json.loads(request.body or b"null")
    except (ValueError, RecursionError) as error:
        raise ValueError(f"the body is not JSON: {error}") from None
    HANDLERS.load()  # the behaviour's record kinds are what a snapshot names
    backend = snapshot.restore(document)  # SnapshotError is a ValueError: 400 with its message
    if tenant is not None:
        snapshot.replace_tenant(target.backend, backend, tenant)
        moto_link.hand_over_tenant(target.backend, backend, tenant)
        return json_response(200, {"status": "restored", "account": tenant})
    moto_link.handover(target.backend, backend)
    target.backend = backend
    return json_response(200, {"status": "restored"})
