"""``GET /_mock_eks/oidc/<issuer host>/id/<ID>/...``: each cluster's OIDC issuer, served by the server
(``mock_eks.identity.issuer``), since the issuer's own host is not reachable in server mode."""

from __future__ import annotations

from mock_eks.identity.issuer import ISSUER_URL, answer
from mock_eks.model.protocol import Request, Response
from mock_eks.server.control.http import PREFIX, Target

SERVER_PREFIX = PREFIX + "oidc/"


def server_issuer(target: Target, request: Request) -> Response:
    """``GET /_mock_eks/oidc/<issuer host>/id/<ID>/{.well-known/openid-configuration,keys}``."""
    path = request.url.partition("?")[0]
    below = path[len(SERVER_PREFIX) :]
    match = ISSUER_URL.match(f"https://{below}")
    jwks_base = None
    if match is not None:  # the server's own URL: a Host header is the caller's word, and this is cached
        jwks_base = f"{target.url}{SERVER_PREFIX}{match.group('host')}/id/{match.group('id')}"
    return answer(target.backend, request.method, f"https://{below}", jwks_base)
