"""The mock object: decorator, context manager, start()/stop(), nesting.

Activations are reference-counted across every MockEKS instance: the
outermost start creates an empty Backend, the last stop drops it. The timing
of the innermost active mock applies to new transitions.
"""

from __future__ import annotations

import functools
import inspect
import os
import unittest
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from mock_eks import intercept, moto_link
from mock_eks.engine.dispatch import HANDLERS, dispatch
from mock_eks.intercept import credentials
from mock_eks.intercept import kubernetes_client as client_compat
from mock_eks.model import accounts
from mock_eks.model.protocol import Request, Response
from mock_eks.model.sessions import fresh_botocore_session
from mock_eks.state import clock, sqlite_store
from mock_eks.state.active import ACTIVE
from mock_eks.state.lifecycle import Timing
from mock_eks.state.store import Backend

if TYPE_CHECKING:
    from mock_eks.state.faults import Faults

__all__ = ["ACTIVE", "MockEKS", "fresh_botocore_session", "mock_eks"]

F = TypeVar("F", bound=Callable[..., Any])


class NotActiveError(AttributeError, RuntimeError):
    """An attribute of the active mock read while none is active: an AttributeError, as the attribute
    protocol expects (``hasattr(m, "faults")`` is False), and a RuntimeError, as it always was."""


def _load_behaviour() -> None:
    """The engine's loader of the behaviour layer (this module is a composition root)."""
    import mock_eks.kube.store  # noqa: F401 - the record kind of a cluster's Kubernetes objects
    import mock_eks.resources  # noqa: F401 - lazy for import cost: the handlers load on the first request


HANDLERS.use(_load_behaviour)
# fake credentials in the environment while any mock is active
_CREDENTIALS = credentials.FakeEnvironment()


def _serve(request: Request) -> Response:
    """Every intercepted request of the active mocks: the OIDC issuer's, a cluster's Kubernetes API, or
    EKS's through the engine."""
    backend = ACTIVE.backend
    innermost = ACTIVE.innermost()
    if backend is None or innermost is None:  # pragma: no cover - hooks are unset when inactive
        raise RuntimeError("mock_eks is not active")
    store = _STORE.store
    if store is None:
        return _answer(backend, innermost, request)
    with store.transaction(backend, read_only=request.method.upper() in ("GET", "HEAD")) as turn:
        ACTIVE.backend = turn.backend
        return _answer(turn.backend, innermost, request)


class _Store:
    """mock_eks(state="x.db"): the SQLite store the state is written through to, and the mock that opened it."""

    def __init__(self) -> None:
        self.store: sqlite_store.SQLiteStore | None = None
        self.owner: MockEKS | None = None

    def open(self, owner: MockEKS, path: str | os.PathLike[str]) -> Backend | None:
        if self.store is not None:
            raise RuntimeError("a mock_eks with a SQLite state is active already; nest without state=")
        HANDLERS.load()  # the record kinds the stored snapshots name
        self.store, self.owner = sqlite_store.SQLiteStore(path), owner
        return self.store.load()

    def close(self, owner: MockEKS, last: bool) -> None:
        if self.store is not None and (self.owner is owner or last):
            self.store.close()
            self.store = self.owner = None

    def save(self, backend: Backend) -> None:
        if self.store is not None:
            self.store.save(backend)


_STORE = _Store()


def _turn(backend: Backend, change: Callable[[Backend], Any]) -> Any:
    """``ACTIVE.change``: with a SQLite state, a change made outside a request is one turn of the store,
    written at once (another process on the file sees a fault added or the clock moved)."""
    store = _STORE.store
    if store is None:
        return change(backend)
    with store.transaction(backend) as turn:
        ACTIVE.backend = turn.backend
        return change(turn.backend)


ACTIVE.turn = _turn


class _FaultsInTurns:
    """``m.faults`` with a SQLite state: each call acts on the stored state in a turn of its own."""

    def __getattr__(self, name: str) -> Any:
        backend = ACTIVE.backend
        if backend is None:
            raise NotActiveError("mock_eks is not active: start it before injecting faults")
        found = getattr(backend.faults, name)
        if not callable(found):
            return found
        return lambda *args, **kwargs: ACTIVE.change(
            lambda backend: getattr(backend.faults, name)(*args, **kwargs)
        )


def _answer(backend: Backend, innermost: Any, request: Request) -> Response:
    if intercept.OIDC_URL.match(request.url):
        from mock_eks.identity import issuer  # lazy for import cost: cryptography and PyJWT

        return issuer.answer(backend, request.method, request.url)
    if intercept.CLUSTER_API_URL.match(request.url):
        from mock_eks import kube  # lazy for import cost: only a cluster's API needs it

        return kube.serve(backend, request)
    backend.moto = innermost.moto
    return dispatch(backend, innermost.timing, request)


class MockEKS:
    """``@mock_eks``, ``@mock_eks(timing=...)``, ``with mock_eks(...)``, ``start()``/``stop()``.

    ``moto``: ``"link"`` (default), ``"strict"`` or ``"off"``; how EKS requests use moto's EC2,
    Auto Scaling, KMS and IAM while moto's ``mock_aws`` is active (see ``mock_eks.moto_link``).
    """

    def __init__(
        self,
        timing: str = "instant",
        durations: dict[str, float] | None = None,
        *,
        state: dict[str, Any] | str | os.PathLike[str] | None = None,
        seed: list[Any] | str | os.PathLike[str] | None = None,
        moto: str = "link",
    ) -> None:
        self.timing = Timing(timing, dict(durations or {}))
        # a snapshot (dict or JSON file) to start from, and {operation, params} items to replay at start
        self.state = state
        self.seed = seed
        self.moto = moto_link.check_mode(moto)

    # -- activation ------------------------------------------------------------------------------

    def start(self) -> MockEKS:
        with ACTIVE.lock:
            if not ACTIVE.stack:
                accounts.configured_account()  # a bad MOCK_EKS_ACCOUNT_ID fails here, not in every request
                ACTIVE.backend = Backend()
                _CREDENTIALS.place()
                intercept.install(_serve)
                clock.install_waiter_clock()
                client_compat.install()
            ACTIVE.stack.append(self)
        if self.state is not None or self.seed is not None:
            try:
                self._load()
            except BaseException:
                self.stop()
                raise
        return self

    def _load(self) -> None:
        """Start from ``state`` and replay ``seed`` (in a nested activation: into the shared state).

        A state file that exists is a saved state: the seed, which made it, is not replayed onto it (as
        ``mock-eks serve --state F --seed S``); a missing one is a fresh start. A state given as a dict is
        this run's own starting point, and the seed builds on it."""
        from mock_eks.state import seeds  # lazy for import cost: YAML and JSON seed files

        state = self.state
        if sqlite_store.is_database(state):
            stored = _STORE.open(self, state)  # type: ignore[arg-type]
            if stored is not None:
                with ACTIVE.lock:
                    moto_link.handover(ACTIVE.backend, stored)
                    ACTIVE.backend = stored
            elif self.seed is not None:  # a fresh store: the seed makes its first state, written through
                seeds.replay(seeds.read(self.seed), seeds.clients())
            return
        if isinstance(state, (str, os.PathLike)) and not os.path.exists(state):
            state = None
        if state is not None:
            self.restore(state)
        if self.seed is not None and (state is None or isinstance(state, dict)):
            seeds.replay(seeds.read(self.seed), seeds.clients())

    def stop(self) -> None:
        with ACTIVE.lock:
            if self not in ACTIVE.stack:
                raise RuntimeError("stop() called on a mock_eks that is not started")
            # remove the innermost activation of this mock
            index = len(ACTIVE.stack) - 1 - ACTIVE.stack[::-1].index(self)
            del ACTIVE.stack[index]
            _STORE.close(self, last=not ACTIVE.stack)
            if not ACTIVE.stack:
                clock.uninstall_waiter_clock()
                client_compat.uninstall()
                intercept.uninstall()
                _CREDENTIALS.restore()
                if ACTIVE.backend is not None:  # what the link made in moto ends with the activation
                    moto_link.release(ACTIVE.backend)
                ACTIVE.backend = None

    def reset(self) -> None:
        """Forget every resource (the mock stays active)."""
        with ACTIVE.lock:
            if ACTIVE.backend is not None:
                moto_link.release(ACTIVE.backend)
                ACTIVE.backend = Backend()
                _STORE.save(ACTIVE.backend)

    @property
    def backend(self) -> Backend | None:
        """The state of the active mock, for inspection in tests."""
        return ACTIVE.backend

    def snapshot(self) -> dict[str, Any]:
        """The active state (every account, region and family, pending transitions, Update records) as a
        versioned, JSON-serialisable dict: ``mock_eks(state=...)`` and ``restore()`` load it."""
        from mock_eks.state import snapshot  # lazy for import cost, like every optional feature here

        backend = self._active("taking a snapshot")
        with backend.lock:
            return snapshot.take(backend)

    def restore(self, state: dict[str, Any] | str | os.PathLike[str]) -> None:
        """Replace the active state with a snapshot (a dict from ``snapshot()``, or a JSON file of one)."""
        from mock_eks.state import snapshot  # lazy for import cost, like every optional feature here

        self._active("restoring a snapshot")
        HANDLERS.load()  # the behaviour's record kinds are what a snapshot names
        backend = snapshot.load(state)
        with ACTIVE.lock:
            moto_link.handover(ACTIVE.backend, backend)  # what the replaced state made in moto goes with it
            ACTIVE.backend = backend
            _STORE.save(backend)

    @staticmethod
    def _active(doing: str) -> Backend:
        backend = ACTIVE.backend
        if backend is None:
            raise RuntimeError(f"mock_eks is not active: start it before {doing}")
        return backend

    def advance(self, seconds: float) -> float:
        """Move the mock's clock ``seconds`` forward (composes with freezegun); the new mock time.

        Transitions that come due run at the next request, as if that much time had passed.
        """
        if ACTIVE.backend is None:
            raise RuntimeError("mock_eks is not active: start it before advancing its clock")
        return ACTIVE.change(lambda backend: clock.advance(backend, seconds))

    def kubeconfig(self, cluster: str, region: str | None = None) -> dict[str, Any]:
        """The kubeconfig (a dict) ``aws eks update-kubeconfig`` writes for the cluster ``cluster`` of the
        default account (in ``region``, or wherever it is), with a bearer token as ``aws eks get-token``
        makes it: ``kubernetes.config.load_kube_config_from_dict(m.kubeconfig("demo"))``. ValueError if
        there is no such cluster, or several (pass ``region``)."""
        from mock_eks import kube  # lazy for import cost: only a cluster's API needs it

        self._active("making a kubeconfig")
        client_compat.install()  # the kubernetes client imported since activation
        # a change: the cluster's CA is made on first read
        return ACTIVE.change(
            lambda backend: kube.kubeconfig(backend, kube.find_cluster(backend, cluster, region))
        )

    @property
    def faults(self) -> Faults:
        """Fault injection on the active backend (``fail_calls``, ``fail_next``, ``degrade``, ``recover``, ``clear``)."""
        backend = ACTIVE.backend
        if backend is None:
            raise NotActiveError("mock_eks is not active: start it before injecting faults")
        if _STORE.store is not None:
            return cast("Faults", _FaultsInTurns())
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
        """Like moto: one activation per test, from its set-up to its tear-down.

        ``unittest.TestCase``: active from ``setUp`` until the last cleanup. Other classes (pytest
        style): active from ``setup_method`` until ``teardown_method`` has run. Every ``test*``
        method is decorated as well (nested activations share the state of the outer one).
        """
        mock = self
        if issubclass(cls, unittest.TestCase):
            original_setup = cls.setUp

            @functools.wraps(original_setup)
            def setUp(test: unittest.TestCase) -> None:  # noqa: N802 - unittest's name
                mock.start()
                test.addCleanup(mock.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
        elif hasattr(cls, "setup_method") or hasattr(cls, "teardown_method"):
            original_setup_method = getattr(cls, "setup_method", None)
            original_teardown = getattr(cls, "teardown_method", None)

            def setup_method(instance: Any, method: Any = None) -> None:
                mock.start()
                try:
                    if original_setup_method is not None:
                        _call_xunit(original_setup_method, instance, method)
                except BaseException:
                    mock.stop()  # pytest skips teardown_method when setup_method fails
                    raise

            def teardown_method(instance: Any, method: Any = None) -> None:
                try:
                    if original_teardown is not None:
                        _call_xunit(original_teardown, instance, method)
                finally:
                    mock.stop()

            cls.setup_method = setup_method  # type: ignore[attr-defined]
            cls.teardown_method = teardown_method  # type: ignore[attr-defined]
        for name in dir(cls):
            if not name.startswith("test"):
                continue
            attribute = inspect.getattr_static(cls, name)
            if inspect.isfunction(attribute):
                setattr(cls, name, self._decorate_callable(attribute))
        return cls


def _call_xunit(function: Callable[..., Any], instance: Any, method: Any) -> None:
    """Call a setup_method/teardown_method written with or without pytest's ``method`` argument."""
    try:
        accepts_method = len(inspect.signature(function).parameters) > 1
    except (TypeError, ValueError):  # pragma: no cover - builtins
        accepts_method = True
    if accepts_method:
        function(instance, method)
    else:
        function(instance)


mock_eks = MockEKS()
