"""The last line while a mock is active: no name lookup of an EKS host, whatever the client.

botocore, aiobotocore, ``requests``, urllib3 and ``urllib.request`` are answered by the mock before they
connect. Any other client (``http.client``, ``asyncio`` streams, aiohttp, httpx, a socket opened by
hand) must look the host's name up first, through ``socket.getaddrinfo`` (or ``gethostbyname``), or
name it to an HTTP proxy (``http.client``'s ``set_tunnel``, or an absolute URL in ``putrequest``).
While a mock is active those are wrapped: the names of EKS and EKS Auth endpoints (every partition,
FIPS, dual-stack, PrivateLink), the clusters' OIDC issuers and the clusters' Kubernetes API endpoints
the mock hands out (``<id>.<zone>.<region>.eks.amazonaws.com``) get ``socket.gaierror``, so such a call
fails inside the process instead of reaching the network. Every other name goes to the function that was there before (the
user's own socket guards keep working). The last stop puts back the original if it is still in place.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from typing import Any

from mock_eks.intercept import claims
from mock_eks.intercept.patching import Patches
from mock_eks.model.accounts import host_of

# a cluster's Kubernetes API endpoint, as the mock makes it (resources/clusters.py ``endpoint_for``)
CLUSTER_API_HOST = re.compile(
    r"^[0-9a-z]+\.[0-9a-z]+\.[0-9a-z-]+\.eks\.amazonaws\.com(?:\.cn)?$", re.IGNORECASE
)

_patches = Patches()  # resolvers and http.client's proxy paths


def refused(name: str) -> bool:
    """True for a host name no client may look up while a mock is active."""
    name = name.rstrip(".")
    return bool(CLUSTER_API_HOST.match(name)) or claims.claims(f"https://{name}/")


def _refuse(host: Any) -> None:
    if claims.current() is None or host is None:
        return
    name = host.decode("ascii", "replace") if isinstance(host, bytes | bytearray) else str(host)
    if refused(name):
        raise socket.gaierror(
            socket.EAI_NONAME,
            f"mock_eks is active: {name} is an Amazon EKS host and this client is not one the mock "
            "answers (botocore, aiobotocore, requests, urllib3, urllib.request): not looked up",
        )


def _without_port(host: str) -> str:
    name, _, port = host.rpartition(":")
    return name if name and port.isdigit() and not host.endswith("]") and "[" not in name else host


def _resolver(original: Callable[..., Any]) -> Callable[..., Any]:
    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        _refuse(host)
        return original(host, *args, **kwargs)

    return resolve


def _tunnel(original: Callable[..., Any]) -> Callable[..., Any]:
    # http.client through an HTTPS proxy: only the proxy's name is looked up, the EKS host is CONNECTed to
    def set_tunnel(self: Any, host: str, *args: Any, **kwargs: Any) -> Any:
        _refuse(_without_port(host))
        return original(self, host, *args, **kwargs)

    return set_tunnel


def _absolute_form(original: Callable[..., Any]) -> Callable[..., Any]:
    # http.client through an HTTP proxy: the request line carries the EKS URL, sent to the proxy
    def putrequest(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if isinstance(url, str) and url[:8].lower().startswith(("http://", "https://")):
            _refuse(_without_port(host_of(url)))
        return original(self, method, url, *args, **kwargs)

    return putrequest


def _targets() -> list[tuple[Any, str, Callable[..., Any]]]:
    import http.client

    return [
        (socket, "getaddrinfo", _resolver),
        (socket, "gethostbyname", _resolver),
        (socket, "gethostbyname_ex", _resolver),
        (http.client.HTTPConnection, "set_tunnel", _tunnel),
        (http.client.HTTPConnection, "putrequest", _absolute_form),
    ]


def install() -> None:
    """Wrap the resolvers and http.client's proxy paths (first activation)."""
    for owner, attribute, wrap in _targets():
        _patches.wrap(owner, attribute, wrap)


def uninstall() -> None:
    """Put back each original still under ours (else ours stays below theirs, inert)."""
    _patches.restore()
