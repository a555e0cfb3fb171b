"""Answers as kube-apiserver shapes them: JSON documents and ``Status`` failures."""

from __future__ import annotations

import json
from typing import Any

from mock_eks.model.protocol import Response

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
