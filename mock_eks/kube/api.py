"""The Kubernetes API server of a mocked cluster: one request in, one answer out."""

from __future__ import annotations

import json
from typing import Any

from mock_eks.dispatch import Request, Response
from mock_eks.kube.clusters import cluster_for_host

JSON = "application/json"


def status(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> Response:
    """A ``Status`` answer, as kube-apiserver words failures."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        body["details"] = details
    return json_response(code, body)


def json_response(code: int, document: Any, content_type: str = JSON) -> Response:
    return Response(
        code, {"Content-Type": content_type}, json.dumps(document, separators=(",", ":")).encode()
    )


def serve(backend: Any, request: Request) -> Response:
    """Answer ``request`` as the API server of the cluster whose endpoint host the URL names.

    Raises ``ConnectionRefusedError`` when no cluster answers on that host (none has it, or it is not
    ACTIVE/UPDATING): there is nothing listening there.
    """
    from mock_eks.accounts import host_of
    from mock_eks.kube import server

    host = host_of(request.url)
    cluster = cluster_for_host(backend, host)
    if cluster is None:
        raise ConnectionRefusedError(111, f"Connection refused: no Kubernetes API server at {host}")
    return server.handle(backend, cluster, request)
