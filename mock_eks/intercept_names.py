"""The last line while a mock is active: no name lookup of an EKS host, whatever the client.

botocore, aiobotocore, ``requests``, urllib3 and ``urllib.request`` are answered by the mock before they
connect. Any other client (``http.client``, ``asyncio`` streams, aiohttp, httpx, a socket opened by
hand) must look the host's name up first, through ``socket.getaddrinfo`` (or ``gethostbyname``). While a
mock is active those functions are wrapped: the names of EKS and EKS Auth endpoints (every partition, FIPS, dual-stack,
PrivateLink), the clusters' OIDC issuers and the clusters' Kubernetes API endpoints the mock hands out
(``<id>.<zone>.<region>.eks.amazonaws.com``) get ``socket.gaierror``, so such a call fails inside the
process instead of reaching the network. Every other name goes to the function that was there before (the
user's own socket guards keep working). The last stop puts back the original if it is still in place.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from typing import Any

# a cluster's Kubernetes API endpoint, as the mock makes it (resources/clusters.py ``endpoint_for``)
CLUSTER_API_HOST = re.compile(
    r"^[0-9a-z]+\.[0-9a-z]+\.[0-9a-z-]+\.eks\.amazonaws\.com(?:\.cn)?$", re.IGNORECASE
)

# the resolver functions of the socket module; each wrapped while active
_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex")
_installed: dict[str, Callable[..., Any]] = {}  # name -> our wrapper, while it is socket.<name>


def refused(name: str) -> bool:
    """True for a host name no client may look up while a mock is active."""
    from mock_eks import intercept

    name = name.rstrip(".")
    return bool(CLUSTER_API_HOST.match(name)) or intercept._claims(f"https://{name}/")


def _wrap(original: Callable[..., Any]) -> Callable[..., Any]:
    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        from mock_eks import intercept

        if intercept._serve is not None and host is not None:
            name = host.decode("ascii", "replace") if isinstance(host, bytes | bytearray) else str(host)
            if refused(name):
                raise socket.gaierror(
                    socket.EAI_NONAME,
                    f"mock_eks is active: {name} is an Amazon EKS host and this client is not one the mock "
                    "answers (botocore, aiobotocore, requests, urllib3, urllib.request): not looked up",
                )
        return original(host, *args, **kwargs)

    resolve.mock_eks_original = original  # type: ignore[attr-defined]
    return resolve


def install() -> None:
    """Wrap the socket module's resolvers (first activation)."""
    for name in _RESOLVERS:
        if name in _installed and getattr(socket, name) is _installed[name]:
            continue
        _installed[name] = _wrap(getattr(socket, name))
        setattr(socket, name, _installed[name])


def uninstall() -> None:
    """Put back each original still under ours (else ours stays below theirs, inert)."""
    for name, wrapped in list(_installed.items()):
        if getattr(socket, name) is wrapped:
            setattr(socket, name, wrapped.mock_eks_original)  # type: ignore[attr-defined]
        del _installed[name]
