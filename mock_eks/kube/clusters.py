"""Which cluster a Kubernetes API request is for: the endpoint host, or a name for ``m.kubeconfig``."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from mock_eks.model.accounts import account_for
from mock_eks.model.protocol import Response

# The statuses in which a cluster's API server answers: its endpoint does not exist while CREATING (or
# after a failed create), and is gone once DELETING starts.
SERVING = ("ACTIVE", "UPDATING")

# endpoint host -> (account, region, cluster name), per backend: found once by a scan, then checked
_HOSTS: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, str, str]]] = weakref.WeakKeyDictionary()


def host_of_endpoint(endpoint: str) -> str:
    return endpoint.partition("://")[2].split("/", 1)[0].lower()


def _located(backend: Any, host: str) -> Any:
    index = _HOSTS.get(backend)
    if index is None:
        index = _HOSTS[backend] = {}
    known = index.get(host)
    if known is not None:
        store = backend.regions.get(known[:2])
        cluster = store.clusters.get(known[2]) if store is not None else None
        if cluster is not None and cluster.endpoint_url and host_of_endpoint(cluster.endpoint_url) == host:
            return cluster
    for (account, region), store in list(backend.regions.items()):
        for cluster in store.clusters:
            if cluster.endpoint_url and host_of_endpoint(cluster.endpoint_url) == host:
                index[host] = (account, region, cluster.name)
                return cluster
    return None


def cluster_for_host(backend: Any, host: str) -> Any:
    """The cluster whose endpoint host is ``host`` (a port is ignored) if its API answers, else None."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())
        cluster = _located(backend, name.rstrip(".").lower())
        if cluster is None or cluster.status not in SERVING or cluster.connector_config is not None:
            return None
        return cluster


def find_cluster(backend: Any, name: str, region: str | None = None, account: str | None = None) -> Any:
    """The cluster ``name`` of ``account`` (the default account: the mock's account rule for the
    environment's credentials) in ``region``, or in whichever region has one. ValueError if there is none
    or, without a region, several."""
    import os

    account = account or account_for(os.environ.get("AWS_ACCESS_KEY_ID"))
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())
        found = [
            store.clusters.get(name)
            for (owner, where), store in backend.regions.items()
            if owner == account and (region is None or where == region) and name in store.clusters
        ]
    if not found:
        place = f"region {region}" if region else "any region"
        raise ValueError(f"No cluster named {name!r} in account {account}, {place}")
    if len(found) > 1:
        regions = ", ".join(sorted(c.arn.split(":")[3] for c in found))
        raise ValueError(
            f"Several clusters are named {name!r} in account {account} ({regions}): pass region="
        )
    return found[0]


def is_stream(response: Response) -> bool:
    """True for a watch's answer, whose ``body`` is an iterator of bytes chunks rather than bytes."""
    return not isinstance(response.body, bytes | bytearray)


def chunks(response: Response) -> Iterator[bytes]:
    """The body of any answer as chunks (one chunk for plain bytes)."""
    if isinstance(response.body, bytes | bytearray):
        yield bytes(response.body)
    else:
        yield from response.body  # a stream's body is its chunks
