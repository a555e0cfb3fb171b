"""``POST /_mock_eks/service-account-token``: mint a cluster's service account token (``mock_eks.identity.tokens``)."""

from __future__ import annotations

import math
from typing import Any

from mock_eks.identity.tokens import claims_for, cluster_key, encode, find_cluster
from mock_eks.model import accounts
from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, control_error, json_body, json_response


def _optional(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError(f"{name} must be a non-empty string")
    return value


def _required(body: dict[str, Any], name: str) -> str:
    value = _optional(body, name)
    if value is None:
        raise ValueError(f"{name} is required")
    return value


def mint_endpoint(target: Target, request: Request) -> Response:
    """``POST /_mock_eks/service-account-token``: {"clusterName", "namespace", "serviceAccount", "region",
    "accountId"?, "podName"?, "expiresIn"?} -> {"token": ...}."""
    body = json_body(request)
    cluster_name = _required(body, "clusterName")
    namespace = _required(body, "namespace")
    service_account = _required(body, "serviceAccount")
    region = _required(body, "region")
    # without accountId: the account a request without credentials is served in (MOCK_EKS_ACCOUNT_ID or the default)
    account = _optional(body, "accountId") or accounts.account_for(None)
    pod_name = _optional(body, "podName")
    expires_in = body.get("expiresIn", 86400)
    if (
        isinstance(expires_in, bool)
        or not isinstance(expires_in, (int, float))
        or not math.isfinite(expires_in)
    ):
        raise ValueError("expiresIn must be a number of seconds")
    backend = target.backend
    with backend.lock:
        try:
            cluster = find_cluster(backend, cluster_name, region, account)
        except LookupError as error:
            return control_error(
                404, f"No cluster to mint a token for: {error}.", "ResourceNotFoundException"
            )
        pem = cluster_key(cluster)
        claims = claims_for(
            cluster.oidc_issuer,
            namespace,
            service_account,
            now=backend.now(),
            expires_in=expires_in,
            pod_name=pod_name,
        )
    return json_response(200, {"token": encode(claims, pem)})
