"""The Kubernetes API behind every cluster endpoint: a layer above the state and identity layers.

Each mocked cluster's endpoint host (``<id>.<cell>.<region>.eks.amazonaws.com``, exactly as DescribeCluster
shows it) answers as that cluster's Kubernetes API server, from the mock's own state and clock: no Docker,
no kube-apiserver. The transports (in-process interception, ``mock-eks serve``'s CONNECT proxy) call:

- ``cluster_for_host(backend, host)``: the cluster whose endpoint host ``host`` is, if it answers (ACTIVE
  or UPDATING); None means nothing listens there (a transport refuses the connection).
- ``serve(backend, request)``: one HTTP request (the dispatcher's ``Request``, ``url`` =
  ``https://<endpoint host>/path?query``) -> ``Response``. A watch (``?watch=true``) answers a
  ``Response`` whose ``body`` is an iterator of bytes chunks (one JSON watch event per line) instead of
  bytes: the transport sends each chunk as it comes, and closes the iterator (``close()``) when the
  client goes away. While it has nothing to send it yields empty chunks now and then: a transport skips
  them, and may check whether its client is still there. The stream ends by itself at ``timeoutSeconds`` (counted on the real clock and the
  mock's clock, whichever passes it first). ``is_stream(response)`` tells the two apart.
- ``kubeconfig(backend, cluster, server_url=None, proxy_url=None)``: the kubeconfig ``aws eks
  update-kubeconfig`` writes for the cluster, with a user entry holding a bearer token made as ``aws eks
  get-token`` makes it from the mock's credentials.
"""

from __future__ import annotations

from mock_eks.kube.api import serve
from mock_eks.kube.clusters import cluster_for_host, find_cluster, is_stream
from mock_eks.kube.config import kubeconfig

__all__ = ["cluster_for_host", "find_cluster", "is_stream", "kubeconfig", "serve"]
