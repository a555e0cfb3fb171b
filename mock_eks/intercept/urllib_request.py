"""``urllib.request`` while a mock is active: the URLs the mock answers for ``requests`` are answered here too.

Libraries that fetch an OIDC issuer's documents with the standard library (PyJWT's ``PyJWKClient``,
many OIDC clients) call ``urllib.request.urlopen``. While a mock is active, the ``http_open`` and
``https_open`` methods of ``urllib.request.HTTPHandler`` / ``HTTPSHandler`` are wrapped: a URL that
``intercept`` claims (EKS and EKS Auth hosts, and ``intercept.ALSO_CATCH``: the clusters' OIDC issuers)
gets the mock's answer without a connection; any other URL goes to the method that was there before,
so the user's own patches of those methods, ``urlopen`` mocks and openers keep working. Patching the
handler classes (rather than installing a global opener) also covers openers built with
``build_opener`` before or after activation, and leaves ``urllib.request.install_opener`` to the user.
The last stop puts back each original that is still in place (one wrapped since stays, inert).
"""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable
from typing import Any

from mock_eks.intercept import claims
from mock_eks.intercept.patching import Patches
from mock_eks.model.protocol import Request

_patches = Patches()  # the handlers' open methods


def _answer(request: urllib.request.Request) -> Any:
    """The mock's response to ``request`` as urllib's handlers return one (None: not ours)."""
    serve = claims.current()
    url = request.full_url
    if serve is None or not claims.claims(url):
        return None
    headers = dict(request.header_items())
    try:
        response = serve(Request(request.get_method(), url, headers, claims.body_bytes(request.data)))
    except ConnectionRefusedError as refused:  # a cluster endpoint nothing listens on (yet)
        raise urllib.error.URLError(refused) from None
    message = http.client.HTTPMessage()
    for name, value in response.headers.items():
        message[name] = value
    body: Any = io.BytesIO(response.body) if isinstance(response.body, bytes | bytearray) else None
    if body is None:  # a stream (a Kubernetes watch): read as it comes
        body = io.BufferedReader(claims.ChunkReader(response.body))
    answer = urllib.response.addinfourl(body, message, url, response.status)
    # what HTTPErrorProcessor reads (a non-2xx status becomes urllib.error.HTTPError, as over the wire)
    answer.msg = http.client.responses.get(response.status, "")  # type: ignore[attr-defined]
    return answer


def _wrap(original: Callable[..., Any]) -> Callable[..., Any]:
    def open_url(self: Any, request: urllib.request.Request) -> Any:
        answer = _answer(request)
        return answer if answer is not None else original(self, request)

    return open_url


def install() -> None:
    """Wrap the handlers' open methods (first activation)."""
    # HTTPSHandler is missing where Python was built without ssl
    for cls_name, name in (("HTTPHandler", "http_open"), ("HTTPSHandler", "https_open")):
        cls = getattr(urllib.request, cls_name, None)
        if cls is not None:
            _patches.wrap(cls, name, _wrap)


def uninstall() -> None:
    """Put back each original still under our wrapper (last deactivation)."""
    _patches.restore()
