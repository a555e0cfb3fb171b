"""``mock-eks serve --moto link|strict``: moto in the server's process, one endpoint for both.

The server starts moto's ``mock_aws`` for its lifetime (when moto is installed), so EKS requests are
linked to moto's backends, and answers every request that is not EKS or EKS Auth (EC2, IAM, Auto
Scaling, KMS, ...: any service moto serves, told apart by the SigV4 credential scope) with moto's own
server application, in-process. One ``--endpoint-url`` then serves the whole account.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from typing import Any

from mock_eks.model import accounts
from mock_eks.model.protocol import Response

log = logging.getLogger("mock_eks.moto_link")
EKS_SERVICES = ("eks", "eks-auth")


class InProcessMoto:
    """moto's mock_aws and server application, started and stopped with the server."""

    def __init__(self) -> None:
        from moto import mock_aws

        self._mock = mock_aws()
        self.running = False
        try:  # moto's server application needs moto[server] (Flask); without it EKS is still linked
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        except ImportError:
            log.warning("moto[server] is not installed: this endpoint serves EKS only (linked to moto)")
            self.app = None
        else:
            self.app = DomainDispatcherApplication(create_backend_app)

    def start(self) -> None:
        if not self.running:
            self._mock.start()
            self.running = True

    def stop(self) -> None:
        if self.running:
            self._mock.stop()
            self.running = False

    def answers(self, headers: Mapping[str, Any]) -> bool:
        """True for a request signed for a service other than EKS and EKS Auth."""
        if self.app is None:
            return False
        service = accounts.credential_scope(headers.get("Authorization"))[2]
        return service is not None and service not in EKS_SERVICES

    def serve(self, method: str, target: str, headers: Mapping[str, Any], body: bytes) -> Response:
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        path, _, query = target.partition("?")
        forwarded = [(k, v) for k, v in headers.items() if k.lower() != "content-length"]
        if "x-moto-account-id" not in headers:
            # one account rule on this endpoint, mock_eks's: a 12-digit access key id, MOCK_EKS_ACCOUNT_ID
            # or the default; moto is told it, so EKS and moto's services see the same account
            access_key = accounts.credential_scope(headers.get("Authorization"))[0]
            forwarded.append(("x-moto-account-id", accounts.account_for(access_key)))
        builder = EnvironBuilder(path=path, query_string=query, method=method, headers=forwarded, data=body)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        app = self.app
        assert app is not None  # serve() follows answers(), which is False without moto
        app_iter, status, response_headers = run_wsgi_app(app, environ, buffered=True)
        try:
            payload = b"".join(app_iter)
        finally:
            getattr(app_iter, "close", lambda: None)()
        headers_out = {
            k: v for k, v in response_headers.items() if k.lower() not in ("content-length", "connection")
        }
        return Response(int(status.split()[0]), headers_out, payload)


def in_process(mode: str) -> InProcessMoto | None:
    """moto for a server in ``mode``, or None (``"off"``, or moto not installed)."""
    if mode == "off" or importlib.util.find_spec("moto") is None:
        return None
    return InProcessMoto()
