"""The kubeconfig of a mocked cluster, as ``aws eks update-kubeconfig`` writes it, with a ready token.

``aws eks update-kubeconfig`` names the cluster, context and user after the cluster's ARN and writes the
endpoint and CA data (aws/aws-cli ``awscli/customizations/eks/update_kubeconfig.py``); its user runs ``aws eks
get-token``. Here the user entry holds such a token directly (made from the mock's credentials on the mock's
clock, valid for 15 minutes), so the document works in-process with nothing else installed.
"""

from __future__ import annotations

import os
from typing import Any

from mock_eks.kube import sts_token
from mock_eks.model import accounts


def caller_credentials() -> tuple[str, str, str | None]:
    """(access key, secret, session token) the caller's clients sign with while the mock is active."""
    key = os.environ.get("AWS_ACCESS_KEY_ID") or accounts.FAKE_ACCESS_KEY_ID
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY") or accounts.FAKE_SECRET_ACCESS_KEY
    return key, secret, os.environ.get("AWS_SESSION_TOKEN") or None


def region_of(cluster: Any) -> str:
    return cluster.arn.split(":")[3]


def partition_of(cluster: Any) -> str:
    return cluster.arn.split(":")[1]


def token_for(backend: Any, cluster: Any, *, credentials_: tuple[str, str, str | None] | None = None) -> str:
    """A bearer token for ``cluster`` as ``aws eks get-token`` makes it, presigned on the mock's clock."""
    key, secret, session = credentials_ or caller_credentials()
    region = region_of(cluster)
    suffix = accounts.dns_suffix(partition_of(cluster))
    return sts_token.make(cluster.name, region, suffix, key, secret, session, backend.now())


def kubeconfig(
    backend: Any, cluster: Any, *, server_url: str | None = None, proxy_url: str | None = None
) -> dict[str, Any]:
    """The kubeconfig document (a dict) for ``cluster``: its endpoint (or ``server_url``) and CA, one
    context named after its ARN, and a user with a bearer token; ``proxy_url`` sets the cluster's
    ``proxy-url`` (server mode)."""
    with backend.lock:
        ca = cluster.certificate_authority
        endpoint = cluster.endpoint_url
        token = token_for(backend, cluster)
    entry: dict[str, Any] = {"server": server_url or endpoint}
    if ca is not None:
        entry["certificate-authority-data"] = ca["data"]
    if proxy_url:
        entry["proxy-url"] = proxy_url
    name = cluster.arn
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"cluster": entry, "name": name}],
        "contexts": [{"context": {"cluster": name, "user": name}, "name": name}],
        "current-context": name,
        "preferences": {},
        "users": [{"name": name, "user": {"token": token}}],
    }
