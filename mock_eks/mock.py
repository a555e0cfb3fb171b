"""The mock object: decorator, context manager, start()/stop(), nesting.

Activations are reference-counted across every MockEKS instance: the
outermost start creates an empty Backend, the last stop drops it. The timing
of the innermost active mock applies to new transitions.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
import unittest
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from mock_eks import accounts, clock, intercept
from mock_eks.dispatch import Request, Response, dispatch
from mock_eks.lifecycle import Timing
from mock_eks.store import Backend

if TYPE_CHECKING:
    from mock_eks.faults import Faults

F = TypeVar("F", bound=Callable[..., Any])
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIAMOCKEKSTESTING00", "AWS_SECRET_ACCESS_KEY": "mock-eks-secret"}


class _Activations:
    """The shared state of all active mocks."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stack: list[MockEKS] = []
        self.backend: Backend | None = None
        self.requests: intercept.RequestsInterceptor | None = None
        self.env_added: list[str] = []

    def serve(self, request: Request) -> Response:
        backend = self.backend
        stack = self.stack
        if backend is None or not stack:  # pragma: no cover - hooks are unset when inactive
            raise RuntimeError("mock_eks is not active")
        if intercept.OIDC_URL.match(request.url):
            from mock_eks import issuer

            return issuer.answer(backend, request.method, request.url)
        return dispatch(backend, stack[-1].timing, request)


ACTIVE = _Activations()


class MockEKS:
    """``@mock_eks``, ``@mock_eks(timing=...)``, ``with mock_eks(...)``, ``start()``/``stop()``."""

    def __init__(self, timing: str = "instant", durations: dict[str, float] | None = None) -> None:
        self.timing = Timing(timing, dict(durations or {}))

    # -- activation ------------------------------------------------------------------------------

    def start(self) -> MockEKS:
        with ACTIVE.lock:
            if not ACTIVE.stack:
                accounts.configured_account()  # a bad MOCK_EKS_ACCOUNT_ID fails here, not in every request
                ACTIVE.backend = Backend()
                ACTIVE.env_added = [k for k in _FAKE_CREDENTIALS if k not in os.environ]
                if "AWS_PROFILE" not in os.environ and "AWS_ACCESS_KEY_ID" not in os.environ:
                    for key in ACTIVE.env_added:
                        os.environ[key] = _FAKE_CREDENTIALS[key]
                else:
                    ACTIVE.env_added = []
                ACTIVE.requests = intercept.RequestsInterceptor()
                ACTIVE.requests.start()
                intercept.set_server(ACTIVE.serve)
                clock.install_waiter_clock()
            ACTIVE.stack.append(self)
        return self

    def stop(self) -> None:
        with ACTIVE.lock:
            if self not in ACTIVE.stack:
                raise RuntimeError("stop() called on a mock_eks that is not started")
            # remove the innermost activation of this mock
            index = len(ACTIVE.stack) - 1 - ACTIVE.stack[::-1].index(self)
            del ACTIVE.stack[index]
            if not ACTIVE.stack:
                clock.uninstall_waiter_clock()
                intercept.set_server(None)
                if ACTIVE.requests is not None:
                    ACTIVE.requests.stop()
                ACTIVE.requests = None
                ACTIVE.backend = None
                for key in ACTIVE.env_added:
                    os.environ.pop(key, None)
                ACTIVE.env_added = []

    def reset(self) -> None:
        """Forget every resource (the mock stays active)."""
        with ACTIVE.lock:
            if ACTIVE.backend is not None:
                ACTIVE.backend = Backend()

    @property
    def backend(self) -> Backend | None:
        """The state of the active mock, for inspection in tests."""
        return ACTIVE.backend

    def advance(self, seconds: float) -> float:
        """Move the mock's clock ``seconds`` forward (composes with freezegun); the new mock time.

        Transitions that come due run at the next request, as if that much time had passed.
        """
        backend = ACTIVE.backend
        if backend is None:
            raise RuntimeError("mock_eks is not active: start it before advancing its clock")
        return clock.advance(backend, seconds)

    @property
    def faults(self) -> Faults:
        """Fault injection on the active backend (``fail_calls``, ``fail_next``, ``degrade``, ``recover``, ``clear``)."""
        backend = ACTIVE.backend
        if backend is None:
            raise RuntimeError("mock_eks is not active: start it before injecting faults")
        return backend.faults

    def __enter__(self) -> MockEKS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- decoration ------------------------------------------------------------------------------

    def __call__(self, func: Any = None, /, **options: Any) -> Any:
        if func is None:
            return MockEKS(**options) if options else self
        if options:
            raise TypeError("pass options as mock_eks(timing=...) and decorate with the result")
        if isinstance(func, type):
            return self._decorate_class(func)
        return self._decorate_callable(func)

    def _decorate_callable(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            # active from setUp to the last cleanup, so fixtures made in setUp are mocked too
            original_setup = cls.setUp
            mock = self

            def setUp(test: unittest.TestCase) -> None:  # noqa: N802 - unittest's name
                mock.start()
                test.addCleanup(mock.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign]
            return cls
        for name, attribute in list(vars(cls).items()):
            if name.startswith("test") and callable(attribute):
                setattr(cls, name, self._decorate_callable(attribute))
        return cls


mock_eks = MockEKS()
