"""Each mocked cluster's OIDC issuer: its discovery document and its key set (JWKS).

EKS hosts ``https://oidc.eks.<region>.amazonaws.com/id/<ID>`` for every cluster, serving
``/.well-known/openid-configuration`` (``issuer``, ``jwks_uri``, ...) and ``/keys`` (the public keys
that verify the cluster's service account tokens). ``answer`` serves those two documents for any
cluster of a backend; in-process, the mock routes ``requests`` and ``urllib`` calls to issuer URLs here, and in server
mode they are under ``/_mock_eks/oidc/<issuer without https://>/...``.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from mock_eks.identity import tokens
from mock_eks.model.protocol import Response

# an issuer URL (any region, both partitions' domains), and what follows the cluster id
ISSUER_URL = re.compile(
    r"^https?://(?P<host>oidc\.eks\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?)(?::\d+)?"
    r"/id/(?P<id>[^/?#]+)(?P<rest>[^?#]*)"
)
DISCOVERY_PATH = "/.well-known/openid-configuration"
KEYS_PATH = "/keys"


def _json(status: int, document: Any) -> Response:
    headers = {
        "Content-Type": "application/json",
        "Cache-Control": "max-age=3600",
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    return Response(status, headers, json.dumps(document).encode())


def _error(status: int, message: str, code: str | None = None) -> Response:
    response = _json(status, {"message": message})
    response.headers.pop("Cache-Control")
    if code is not None:
        response.headers["x-amzn-ErrorType"] = code
    return response


def _not_found(url: str) -> Response:
    return _error(404, f"Not Found: {url}")


def discovery_document(issuer: str, jwks_uri: str) -> dict[str, Any]:
    """The discovery document a Kubernetes service account issuer publishes.

    Members as in the Kubernetes service account issuer discovery KEP (kubernetes/enhancements,
    keps/sig-auth/1393-oidc-discovery, read 2026-11-28); the JWKS members (kty, kid, use, alg, n, e)
    as the EKS User Guide's "Fetch signing keys to validate OIDC tokens" shows them (read 2026-11-28).
    """
    return {
        "issuer": issuer,
        "jwks_uri": jwks_uri,
        "authorization_endpoint": "urn:kubernetes:programmatic_authorization",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "claims_supported": ["sub", "iss"],
        "id_token_signing_alg_values_supported": [tokens.ALGORITHM],
    }


def answer(backend: Any, method: str, url: str, jwks_base: str | None = None) -> Response:
    """Serve ``method url`` for an issuer URL; ``jwks_base`` replaces the issuer in ``jwks_uri``
    (server mode, where the issuer's own host is not reachable)."""
    match = ISSUER_URL.match(url)
    if match is None:
        return _not_found(url)
    issuer = f"https://{match.group('host')}/id/{match.group('id')}"
    rest = match.group("rest").rstrip("/")
    if rest not in (DISCOVERY_PATH, KEYS_PATH):
        return _not_found(url)
    if method.upper() not in ("GET", "HEAD"):
        return _error(405, f"Method {method} is not allowed for {url}", "MethodNotAllowedException")
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())  # the issuer sees the clusters as EKS requests would
        cluster = tokens.cluster_of_issuer(backend, issuer)
        if cluster is None or cluster.identity is None:  # no such cluster, or not provisioned yet
            return _not_found(url)
        if rest == DISCOVERY_PATH:
            return _json(200, discovery_document(issuer, f"{jwks_base or issuer}{KEYS_PATH}"))
        return _json(200, {"keys": [tokens.public_jwk(tokens.cluster_key(cluster))]})
