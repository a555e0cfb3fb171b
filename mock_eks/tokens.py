"""Kubernetes service account tokens for EKS Pod Identity, as the mock mints and checks them.

A real token is an RS256 JWT the cluster's service account issuer signs. The mock signs with HS256 under
a key derived from the cluster's OIDC issuer URL, so a token made here for one cluster is valid for that
cluster only, and any edit of it breaks the signature.

In tests::

    token = make_service_account_token("my-cluster", "default", "my-sa", pod_name="web-0")
    eks_auth_client.assume_role_for_pod_identity(clusterName="my-cluster", token=token)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import uuid
from typing import Any

AUDIENCE = "pods.eks.amazonaws.com"


class TokenError(ValueError):
    """A token that is not a well-formed, correctly signed mock service account token."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(issuer: str) -> bytes:
    return hashlib.sha256(b"mock-eks service account issuer " + issuer.encode()).digest()


def encode(claims: dict[str, Any], issuer: str) -> str:
    """A JWT of ``claims`` signed for ``issuer``."""
    header = _b64(
        json.dumps({"alg": "HS256", "typ": "JWT", "kid": "mock-eks"}, separators=(",", ":")).encode()
    )
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(_key(issuer), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def decode(token: str) -> dict[str, Any]:
    """The claims of a token whose signature matches its own ``iss`` (TokenError otherwise)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("the token is not a JWT: it must have three base64url parts")
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except ValueError:
        raise TokenError("the token's parts are not base64url-encoded JSON") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenError("the token's header and payload must be JSON objects")
    if header.get("alg") != "HS256":
        raise TokenError(f"unsupported signing algorithm {header.get('alg')!r}")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise TokenError("the token has no iss claim")
    expected = hmac.new(_key(issuer), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise TokenError("the token's signature is not valid")
    return claims


def _issuer_of(cluster_name: str, region: str, account: str | None) -> str:
    from mock_eks import accounts
    from mock_eks.mock import ACTIVE

    backend = ACTIVE.backend
    if backend is None:
        raise RuntimeError("mock_eks is not active: start it, or pass issuer= explicitly")
    account = account or accounts.account_for(os.environ.get("AWS_ACCESS_KEY_ID"))
    with backend.lock:
        store = backend.regions.get((account, region))
        cluster = store.clusters.get(cluster_name) if store is not None else None
        issuer = cluster.oidc_issuer if cluster is not None else None
    if issuer is None:
        raise LookupError(
            f"no cluster {cluster_name!r} with an OIDC issuer in account {account}, region {region}"
        )
    return issuer


def make_service_account_token(
    cluster_name: str,
    namespace: str = "default",
    service_account: str = "default",
    *,
    pod_name: str | None = None,
    node_name: str | None = None,
    region: str = "us-east-1",
    account: str | None = None,
    issuer: str | None = None,
    audience: str | list[str] = AUDIENCE,
    expires_in: float = 86400,
    issued_at: float | None = None,
) -> str:
    """A service account token for ``namespace``/``service_account`` of the mocked cluster ``cluster_name``.

    The issuer is the cluster's OIDC issuer, looked up in the active mock (account as the mock resolves
    it from AWS_ACCESS_KEY_ID / MOCK_EKS_ACCOUNT_ID unless given); pass ``issuer=`` to skip the look-up.
    ``expires_in`` may be negative to make an expired token. Times follow ``time.time()`` (freezegun).
    """
    issuer = issuer or _issuer_of(cluster_name, region, account)
    now = int(issued_at if issued_at is not None else time.time())
    pod_name = pod_name or f"{service_account}-{uuid.uuid4().hex[:10]}"
    claims: dict[str, Any] = {
        "aud": [audience] if isinstance(audience, str) else list(audience),
        "exp": now + int(expires_in),
        "iat": now,
        "nbf": now,
        "iss": issuer,
        "jti": str(uuid.uuid4()),
        "kubernetes.io": {
            "namespace": namespace,
            "node": {"name": node_name or "ip-192-168-1-1.ec2.internal", "uid": str(uuid.uuid4())},
            "pod": {"name": pod_name, "uid": str(uuid.uuid4())},
            "serviceaccount": {"name": service_account, "uid": str(uuid.uuid4())},
        },
        "sub": f"system:serviceaccount:{namespace}:{service_account}",
    }
    return encode(claims, issuer)
