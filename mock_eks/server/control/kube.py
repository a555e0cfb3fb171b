"""Server mode's kubeconfig for a cluster: ``GET /_mock_eks/kubeconfig`` and ``GET /_mock_eks/get-token``.

The kubeconfig is the one ``aws eks update-kubeconfig`` writes (cluster entry with the endpoint and the
cluster's CA, a context named by the cluster ARN), plus ``proxy-url`` set to this server, which answers
``CONNECT`` to the endpoint (``mock_eks.server.tunnel``), so kubectl needs no environment variable. Its user runs
``mock-eks get-token`` as a client-go exec credential plugin: the token comes from this server when kubectl
runs, so it is never one of EKS's 15-minute tokens gone stale, and it is checked on the mock's clock.
"""

from __future__ import annotations

import datetime
import time
import urllib.parse
from typing import Any

from mock_eks import kube
from mock_eks.kube import config
from mock_eks.model import accounts
from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import Target, control_error, json_response

EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1"
# aws eks get-token says its token expires 14 minutes after it is made (one less than the 15 that
# aws-iam-authenticator accepts), so a client refreshes it in time: awscli, customizations/eks/get_token.py
TOKEN_LIFETIME = 14 * 60


def _cluster(target: Target, request: Request) -> tuple[Any, str, str]:
    """(cluster record, region, the server's URL) named by the query; ValueError (400) or LookupError."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
    name = (query.get("cluster") or [""])[0]
    if not name:
        raise ValueError("the query parameter 'cluster' (the cluster's name) is required")
    region = (query.get("region") or [accounts.DEFAULT_REGION])[0]
    account = (query.get("account") or [accounts.configured_account()])[0]
    backend = target.backend
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())
        store = backend.regions.get((account, region))
        cluster = store.clusters.get(name) if store is not None else None
    if cluster is None:
        raise LookupError(f"No cluster found for name: {name} in account {account}, region {region}.")
    return cluster, region, target.url


def kubeconfig_document(target: Target, request: Request) -> dict[str, Any]:
    """The kubeconfig for the cluster the query names, with ``proxy-url`` and an exec user."""
    cluster, region, url = _cluster(target, request)
    with target.backend.lock:
        document = kube.kubeconfig(target.backend, cluster, proxy_url=url)
    for entry in document.get("users", []):
        entry["user"] = {
            "exec": {
                "apiVersion": EXEC_API_VERSION,
                "command": "mock-eks",
                "args": [
                    "get-token",
                    "--cluster-name",
                    cluster.name,
                    "--region",
                    region,
                    "--endpoint-url",
                    url,
                ],
                "interactiveMode": "Never",
                "provideClusterInfo": False,
            }
        }
    return document


def exec_credential(token: str, now: float) -> dict[str, Any]:
    """What an exec credential plugin prints: the token and when the client must ask again."""
    expires = datetime.datetime.fromtimestamp(now + TOKEN_LIFETIME, tz=datetime.UTC)
    return {
        "kind": "ExecCredential",
        "apiVersion": EXEC_API_VERSION,
        "spec": {},
        "status": {"expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "token": token},
    }


def kubeconfig_endpoint(target: Target, request: Request) -> Response:
    try:
        return json_response(200, kubeconfig_document(target, request))
    except LookupError as error:
        return control_error(404, str(error), "ResourceNotFoundException")


def get_token_endpoint(target: Target, request: Request) -> Response:
    """An ExecCredential with a bearer token for the cluster, made as ``aws eks get-token`` makes it, on the
    mock's clock, for the access key ``accessKeyId`` (the caller's; the principal is the one the mock
    takes that key to be) or, without one, the credentials the mock signs with itself."""
    try:
        cluster, _, _ = _cluster(target, request)
    except LookupError as error:
        return control_error(404, str(error), "ResourceNotFoundException")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
    key = (query.get("accessKeyId") or [""])[0]
    signing = None
    if key:
        # the mock checks the signature only of keys whose secret it knows: its own fake key's
        secret = accounts.FAKE_SECRET_ACCESS_KEY if key == accounts.FAKE_ACCESS_KEY_ID else "unknown"
        signing = (key, secret, None)
    with target.backend.lock:
        token = config.token_for(target.backend, cluster, credentials_=signing)
    # the client compares the expiry with its own clock, the real one
    return json_response(200, exec_credential(token, _real_time()))


def _real_time() -> float:
    import sys

    real = getattr(sys.modules.get("freezegun.api"), "real_time", time.time)
    return float(real())
