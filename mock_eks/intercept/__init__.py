"""Where requests are caught while a mock is active: botocore's event emitter and ``requests``.

Both paths decide with the same two facts: the host matcher derived from botocore's partition
data (``accounts.parse_host``) and the one route table (``spec.routes``, shown by
``mock_eks.url_patterns()``); both hand the request to the same dispatcher.

botocore: every client of every session (made before or after ``import mock_eks``, before or after
activation) sends through its emitter's ``_emit``, which runs the ``before-send`` handlers. While a
mock is active, ``_emit`` of ``HierarchicalEmitter`` and of every subclass with its own ``_emit``
(aiobotocore's async one included, even when it is imported later) is wrapped: a ``before-send``
for an EKS or EKS Auth host is answered by mock_eks and *no* ``before-send`` handler runs, so moto's
stubber never sees the request and only one EKS state exists. Any other event or host is passed on
untouched. The last stop restores every original. A ``before-sign`` for those hosts runs its
handlers, then has the request signed with the mock's credentials (``credentials.sign_as_mock``), so
a client with an explicit profile or explicit keys never signs an EKS request with them.

``requests``: while active, ``requests.Session.get_adapter`` hands EKS and EKS Auth URLs to an
adapter whose ``send`` is a ``responses.RequestsMock`` holding one callback per operation of the
route table, plus one catch-all for those hosts that answers unknown routes with the mock's JSON
error. Patching ``get_adapter`` rather than ``HTTPAdapter.send`` (which is what ``responses.start``
patches) keeps mock_eks out of the way of the user's own ``responses`` mocks and moto's, whatever
order they start and stop in, and keeps theirs from ever seeing an EKS URL.

``urllib.request`` (``intercept.urllib_request``) and urllib3 used directly (``intercept.urllib3_pool``) are
answered the same way; any other client is refused at ``socket.getaddrinfo`` (``intercept.names``),
so an EKS host's name is never even looked up while a mock is active.

Requests to any other host, such as a custom ``endpoint_url`` pointing at ``mock-eks serve``,
go where they were sent: to the user's or moto's ``responses`` mock if one is active, else to the
network (moto's own rule for URLs it does not mock: ``passthru`` of ``http``).
"""

from __future__ import annotations

import inspect
import io
import re
import threading
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.hooks import HierarchicalEmitter

from mock_eks.intercept import credentials
from mock_eks.intercept import names as intercept_names
from mock_eks.intercept import urllib3_pool as intercept_urllib3
from mock_eks.intercept import urllib_request as intercept_urllib
from mock_eks.intercept.claims import (
    ALSO_CATCH,
    CLUSTER_API_URL,
    OIDC_URL,
    ChunkReader,
    Serve,
    body_bytes,
    claims,
    current,
    eks_host,
    serve_with,
)
from mock_eks.intercept.patching import Patches
from mock_eks.model import accounts, spec
from mock_eks.model.protocol import Request

__all__ = [
    "ALSO_CATCH",
    "CLUSTER_API_URL",
    "OIDC_URL",
    "Serve",
    "eks_host",
    "install",
    "registered_responses",
    "uninstall",
]
_lock = threading.Lock()

# -- botocore --------------------------------------------------------------------------------------


class _RawBody:
    """The ``raw`` of a canned response, for botocore (``stream``) and aiobotocore (``read``)."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body

    async def read(self, *_: Any) -> bytes:
        return self._body

    async def aread(self) -> bytes:
        return self._body


def mock_eks_answer(**_: Any) -> None:  # pragma: no cover - a name for the answer, never called
    """Stands for mock_eks in the (handler, response) list of an answered ``before-send``."""


def _answer(request: Any, response_class: type[AWSResponse]) -> AWSResponse | None:
    serve = current()
    if serve is None or request is None or eks_host(request.url) is None:
        return None
    response = serve(Request(request.method, request.url, request.headers, body_bytes(request.body)))
    return response_class(request.url, response.status, response.headers, _RawBody(response.whole_body()))


def _aio_response_class() -> type[AWSResponse]:
    from aiobotocore.awsrequest import AioAWSResponse

    return AioAWSResponse


def _sign_as_mock(kwargs: dict, asynchronous: bool) -> None:
    # after the user's own before-sign handlers: the URL is final and the mock's credentials win
    request = kwargs.get("request")
    if current() is not None and request is not None and eks_host(request.url) is not None:
        credentials.sign_as_mock(request, kwargs.get("request_signer"), asynchronous)


def _wrap(original: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(original):

        async def _emit_async(
            self: Any, event_name: str, kwargs: dict, stop_on_response: bool = False
        ) -> Any:
            if event_name.startswith("before-send."):
                answer = _answer(kwargs.get("request"), _aio_response_class())
                if answer is not None:
                    return [(mock_eks_answer, answer)]
            elif event_name.startswith("before-sign."):
                responses = await original(self, event_name, kwargs, stop_on_response)
                _sign_as_mock(kwargs, asynchronous=True)
                return responses
            return await original(self, event_name, kwargs, stop_on_response)

        return _emit_async

    def _emit(self: Any, event_name: str, kwargs: dict, stop_on_response: bool = False) -> Any:
        if event_name.startswith("before-send."):
            answer = _answer(kwargs.get("request"), AWSResponse)
            if answer is not None:
                return [(mock_eks_answer, answer)]
        elif event_name.startswith("before-sign."):
            responses = original(self, event_name, kwargs, stop_on_response)
            _sign_as_mock(kwargs, asynchronous=False)
            return responses
        return original(self, event_name, kwargs, stop_on_response)

    return _emit


_patches = Patches()  # each emitter class's own _emit


def _patch_emitter_class(cls: type) -> None:
    _patches.wrap(cls, "_emit", _wrap)


def _emitter_classes(root: type) -> list[type]:
    found, pending = [], [root]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def _on_new_emitter_class(cls: type, **kwargs: Any) -> None:
    # an emitter class defined while a mock is active (aiobotocore imported inside a test)
    super(HierarchicalEmitter, cls).__init_subclass__(**kwargs)
    if current() is not None:
        _patch_emitter_class(cls)


def _install_botocore() -> None:
    for cls in _emitter_classes(HierarchicalEmitter):
        _patch_emitter_class(cls)
    if "__init_subclass__" not in vars(HierarchicalEmitter):
        HierarchicalEmitter.__init_subclass__ = classmethod(_on_new_emitter_class)  # type: ignore[assignment]


def _uninstall_botocore() -> None:
    _patches.restore()
    hook = vars(HierarchicalEmitter).get("__init_subclass__")
    if hook is not None and getattr(hook, "__func__", None) is _on_new_emitter_class:
        del HierarchicalEmitter.__init_subclass__


# -- requests --------------------------------------------------------------------------------------


class _Requests:
    """The ``responses`` registry (one callback per operation, one catch-all) and the adapter using it."""

    def __init__(self) -> None:
        import responses
        from requests.adapters import HTTPAdapter
        from responses.registries import FirstMatchRegistry

        class FirstMatch(FirstMatchRegistry):
            # responses' default registry drops a response when a second one matches too; ours keep
            # every callback for the life of the mock and stop at the first match (table order)
            def find(self, request: Any) -> tuple[Any, list[str]]:
                reasons: list[str] = []
                for response in self.registered:
                    matched, reason = response.matches(request)
                    if matched:
                        return response, reasons
                    reasons.append(reason)
                return None, reasons

        class CatchAll(responses.CallbackResponse):
            def matches(self, request: Any) -> tuple[bool, str]:
                if self._url_matches(self.url, str(request.url)):
                    return True, ""
                return False, "URL does not match"

        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False, registry=FirstMatch)
        send = self.mock.unbound_on_send()

        class Adapter(HTTPAdapter):
            def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
                return send(self, request, *args, **kwargs)

        self.adapter = Adapter()
        self._callback_class = responses.CallbackResponse
        self._catch_all_class = CatchAll
        self._spec = spec
        self._built = False
        self._extras = 0

    def register(self) -> None:
        """One callback per operation, in the route table's matching order, then the catch-all.

        Built on the first activation and kept (``responses`` checks each new registration against
        all earlier ones, so rebuilding 70-odd on every activation would cost most of a start); only
        catch-alls added to ``ALSO_CATCH`` since are added later.
        """
        if not self._built:
            tail = r"(?:[?#].*)?$"
            for service in self._spec.SERVICE_NAMES:
                host = accounts.host_pattern(service)
                for route in sorted(self._spec.routes(service), key=_literal_first):
                    url = re.compile(rf"^https?://{host}{route.pattern[1:-1]}{tail}", re.IGNORECASE)
                    self.mock.add(
                        self._callback_class(
                            route.method, url, callback=_requests_callback, content_type=None
                        )
                    )
            anything = re.compile(rf"^https?://{accounts.host_pattern()}(?:[/?#].*)?$", re.IGNORECASE)
            self.mock.add(
                self._catch_all_class("ANY", anything, callback=_requests_callback, content_type=None)
            )
            self._built = True
        for pattern in ALSO_CATCH[self._extras :]:
            self.mock.add(
                self._catch_all_class("ANY", pattern, callback=_requests_callback, content_type=None)
            )
        self._extras = len(ALSO_CATCH)

    def reset(self) -> None:
        """Forget the calls seen (the registrations stay for the next activation)."""
        self.mock.calls.reset()
        for registration in self.mock.registered():
            registration.calls.reset()


def _literal_first(route: Any) -> int:
    return -sum(1 for segment in route.segments if segment != "{}")


def _requests_callback(prepared: Any) -> tuple[int, dict[str, str], Any]:
    serve = current()
    if serve is None:  # pragma: no cover - the adapter is only handed out while a mock is active
        raise RuntimeError("mock_eks is not active")
    try:
        response = serve(Request(prepared.method, prepared.url, prepared.headers, body_bytes(prepared.body)))
    except ConnectionRefusedError as refused:  # a cluster endpoint nothing listens on (yet)
        import requests

        raise requests.exceptions.ConnectionError(refused, request=prepared) from None
    if not isinstance(response.body, bytes | bytearray):  # a stream (a Kubernetes watch)
        return response.status, response.headers, io.BufferedReader(ChunkReader(response.body))
    return response.status, response.headers, response.body


_requests: _Requests | None = None
_adapter_patches = Patches()  # requests.Session.get_adapter


def _adapter_for(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_adapter(self: Any, url: str) -> Any:
        requests_side = _requests
        if current() is not None and requests_side is not None and claims(url):
            return requests_side.adapter
        return original(self, url)

    return get_adapter


def _install_requests() -> None:
    global _requests
    import requests

    if _requests is None:
        _requests = _Requests()
    _requests.register()
    _adapter_patches.wrap(requests.Session, "get_adapter", _adapter_for)


def _uninstall_requests() -> None:
    if _requests is not None:
        _requests.reset()
    _adapter_patches.restore()


def registered_responses() -> list[Any]:
    """The ``responses`` registrations of the active mock (empty while inactive)."""
    if current() is None or _requests is None:
        return []
    return list(_requests.mock.registered())


# -- activation ------------------------------------------------------------------------------------


def install(serve: Serve) -> None:
    """Start catching (first activation): every request for an EKS or EKS Auth host goes to ``serve``."""
    with _lock:
        serve_with(serve)
        _install_botocore()
        _install_requests()
        intercept_urllib.install()
        intercept_urllib3.install()
        intercept_names.install()


def uninstall() -> None:
    """Stop catching (last deactivation) and put back everything ``install`` replaced."""
    with _lock:
        serve_with(None)
        _uninstall_botocore()
        _uninstall_requests()
        intercept_urllib.uninstall()
        intercept_urllib3.uninstall()
        intercept_names.uninstall()
