"""The Kubernetes API server of a mocked cluster: one request in, one answer out."""

from __future__ import annotations

from typing import Any

from mock_eks.kube import server
from mock_eks.kube.clusters import cluster_for_host
from mock_eks.model.accounts import host_of
from mock_eks.model.protocol import Request, Response


def serve(backend: Any, request: Request) -> Response:
    """Answer ``request`` as the API server of the cluster whose endpoint host the URL names.

    Raises ``ConnectionRefusedError`` when no cluster answers on that host (none has it, or it is not
    ACTIVE/UPDATING): there is nothing listening there.
    """
    host = host_of(request.url)
    cluster = cluster_for_host(backend, host)
    if cluster is None:
        raise ConnectionRefusedError(111, f"Connection refused: no Kubernetes API server at {host}")
    return server.handle(backend, cluster, request)
