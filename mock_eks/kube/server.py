"""Routing of Kubernetes API paths to discovery, health and resource handlers."""

from __future__ import annotations

import hashlib
from typing import Any

from mock_eks.catalogue import versions
from mock_eks.kube.responses import json_response, status
from mock_eks.model.protocol import Request, Response


def version_document(cluster: Any) -> dict[str, Any]:
    """``/version`` as EKS answers it: the catalogue's patch release with an ``-eks-<commit>`` suffix."""
    minor_version = cluster.version or versions.DEFAULT_VERSION
    entry = versions.get(minor_version)
    patch = entry.patch if entry is not None else minor_version + ".0"
    major, minor = minor_version.split(".")[:2]
    commit = hashlib.sha1(f"{patch}/{cluster.platform_version}".encode(), usedforsecurity=False).hexdigest()
    return {
        "major": major,
        "minor": f"{minor}+",
        "gitVersion": f"v{patch}-eks-{commit[:7]}",
        "gitCommit": commit,
        "gitTreeState": "clean",
        "buildDate": "2024-01-01T00:00:00Z",
        "goVersion": "go1.22.8",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def handle(backend: Any, cluster: Any, request: Request) -> Response:
    path = "/" + request.url.partition("://")[2].partition("/")[2]
    path = path.partition("?")[0].rstrip("/") or "/"
    if path == "/version":
        return json_response(200, version_document(cluster))
    if path in ("/healthz", "/livez", "/readyz"):
        return Response(200, {"Content-Type": "text/plain; charset=utf-8"}, b"ok")
    return status(404, "NotFound", "the server could not find the requested resource", {})
