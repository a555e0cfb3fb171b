"""The mock's clock: ``m.advance(seconds)``, waiters that never really sleep, and ``/_mock_eks/clock/advance``.

The mock reads its time as ``time.time()`` (so freezegun drives it) plus an offset kept on the
``Backend``; ``advance`` moves only the offset, so it composes with a frozen clock. Lifecycle
transitions, timestamps and support status all read that clock (``Backend.now``).

botocore's waiters sleep between polls with ``time.sleep`` (``botocore.waiter``). While a mock whose
timing is not instant is active, a waiter that polls EKS sleeps in mock time instead: its sleep
advances the mock's clock (or, under freezegun, ticks the frozen clock, which the mock follows), so
it makes the same polls as against EKS and returns at once. Other services' waiters, and EKS waiters
when no such mock is active, sleep as usual. aiobotocore's waiters and endpoints (their async ``_sleep``
method) get the same treatment: patched at activation when aiobotocore is loaded, else when the first
waiter or client is made (they share botocore's ``Waiter.__init__`` and ``Endpoint.__init__``, wrapped
while active), so aiobotocore imported after the mock starts is covered too without importing it at every
activation.

botocore's retry back-off sleeps with ``time.sleep`` too (``botocore.endpoint``, legacy and standard
retry modes). While any mock is active, the back-off of a request to EKS or EKS Auth sleeps in mock time
the same way, whatever the timing: a throttled call retried twice returns at once, the mock's clock
(or the frozen clock) one back-off later, as if the client had waited. aiobotocore's back-off too.
"""

from __future__ import annotations

import datetime
import math
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from mock_eks.state.active import ACTIVE, mock_time_backend


def check_seconds(seconds: Any) -> float:
    """``seconds`` as a finite, non-negative float (ValueError otherwise)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
        raise ValueError(f"seconds must be a finite number, not {seconds!r}")
    if seconds < 0:
        raise ValueError(f"the mock's clock only moves forward: seconds must be >= 0, not {seconds!r}")
    return float(seconds)


def advance(backend: Any, seconds: Any) -> float:
    """Move ``backend``'s clock ``seconds`` forward; the new mock time."""
    seconds = check_seconds(seconds)
    with backend.lock:
        backend.clock_offset += seconds
        return backend.now()


def _freezegun_factory() -> Any:
    """The innermost active freezegun clock, if freezegun is in use."""
    api = sys.modules.get("freezegun.api")
    factories = getattr(api, "freeze_factories", None) if api is not None else None
    return factories[-1] if factories else None


def pass_time(backend: Any, seconds: float) -> None:
    """Let ``seconds`` of mock time pass: tick a frozen freezegun clock if there is one (the mock and the
    code under test both see it), else move the mock's own clock."""
    factory = _freezegun_factory()
    if factory is not None:
        with backend.lock:
            factory.tick(datetime.timedelta(seconds=seconds))
    else:
        advance(backend, seconds)


# -- waiters ---------------------------------------------------------------------------------------------

_local = threading.local()
_installed = 0
_install_lock = threading.Lock()
_originals: dict[str, Any] = {}


def _service_of(waiter: Any) -> str | None:
    try:
        client = waiter._operation_method._client_method.__self__
        return str(client.meta.service_model.service_name)
    except AttributeError:
        return None


def _fast_forwarded() -> Any:
    """The backend an EKS waiter's or retry's sleep in this thread passes in, or None for a real sleep."""
    if getattr(_local, "eks_retries", 0):
        return ACTIVE.backend
    return mock_time_backend() if getattr(_local, "eks_waiters", 0) else None


def _wait(waiter: Any, **kwargs: Any) -> Any:
    if _service_of(waiter) != "eks":
        return _originals["wait"](waiter, **kwargs)
    _local.eks_waiters = getattr(_local, "eks_waiters", 0) + 1
    try:
        return _originals["wait"](waiter, **kwargs)
    finally:
        _local.eks_waiters -= 1


_EKS_SERVICES = frozenset({"eks", "eks-auth"})


def _needs_retry(endpoint: Any, attempts: Any, operation_model: Any, *args: Any, **kwargs: Any) -> Any:
    if operation_model.service_model.service_name not in _EKS_SERVICES:
        return _originals["needs_retry"](endpoint, attempts, operation_model, *args, **kwargs)
    _local.eks_retries = getattr(_local, "eks_retries", 0) + 1
    try:
        return _originals["needs_retry"](endpoint, attempts, operation_model, *args, **kwargs)
    finally:
        _local.eks_retries -= 1


class _WaiterTime:
    """What ``botocore.waiter`` and ``botocore.endpoint`` see as their ``time`` module while mocks are active."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def sleep(self, seconds: float) -> None:
        if _fast_forwarded() is None:
            self._real.sleep(seconds)
        else:
            ACTIVE.change(lambda backend: pass_time(backend, float(seconds)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _waiter_in_mock_time(waiter: Any) -> bool:
    """Whether an aiobotocore waiter's sleep passes in mock time: an EKS waiter while mock time runs."""
    return _service_of(waiter) == "eks" and mock_time_backend() is not None


def _retry_in_mock_time(endpoint: Any) -> bool:
    """Whether an aiobotocore endpoint's retry back-off passes in mock time: EKS's and EKS Auth's, while a
    mock is active (``_endpoint_prefix`` is the service's endpoint prefix, as botocore's Endpoint keeps it)."""
    return getattr(endpoint, "_endpoint_prefix", None) in _EKS_SERVICES and ACTIVE.backend is not None


# aiobotocore's classes that sleep through an async ``_sleep(self, seconds)``: (module, class names, whether
# an instance's sleep passes in mock time)
_ASYNC_SLEEPERS: tuple[tuple[str, tuple[str, ...], Callable[[Any], bool]], ...] = (
    ("aiobotocore.waiter", ("AIOWaiter", "AnyioWaiter"), _waiter_in_mock_time),
    ("aiobotocore.endpoint", ("AioEndpoint", "AnyioEndpoint"), _retry_in_mock_time),
)


def _async_sleepers() -> list[tuple[type, Callable[[Any], bool]]]:
    """aiobotocore's sleeping classes (those of its modules already loaded), each with its test."""
    found = []
    for module_name, names, in_mock_time in _ASYNC_SLEEPERS:
        module = sys.modules.get(module_name)
        for name in names if module is not None else ():
            cls = getattr(module, name, None)
            if isinstance(cls, type) and "_sleep" in vars(cls):
                found.append((cls, in_mock_time))
    return found


def _async_sleep(original: Any, in_mock_time: Callable[[Any], bool]) -> Any:
    async def _sleep(sleeper: Any, sleep_amount: float) -> None:
        if not in_mock_time(sleeper):
            await original(sleeper, sleep_amount)
        else:
            ACTIVE.change(lambda backend: pass_time(backend, float(sleep_amount)))
            await original(sleeper, 0)  # still yield to the event loop, as a sleep does

    return _sleep


def _patch_async_waiters() -> None:
    """Patch aiobotocore's sleeping classes not patched yet (call under ``_install_lock``, while installed)."""
    patched = _originals.setdefault("async", [])
    done = {cls for cls, _ in patched}
    for cls, in_mock_time in _async_sleepers():
        if cls not in done:
            original = vars(cls)["_sleep"]
            cls._sleep = _async_sleep(original, in_mock_time)  # type: ignore[attr-defined]
            patched.append((cls, original))


def _waiter_init(waiter: Any, *args: Any, **kwargs: Any) -> None:
    _originals["init"](waiter, *args, **kwargs)
    # an aiobotocore waiter whose module was imported after the mock started: patch its class now,
    # before its first sleep
    if "_sleep" not in vars(type(waiter)) and "aiobotocore.waiter" in sys.modules:
        with _install_lock:
            if _installed:
                _patch_async_waiters()


def _endpoint_init(endpoint: Any, *args: Any, **kwargs: Any) -> None:
    _originals["endpoint_init"](endpoint, *args, **kwargs)
    # an aiobotocore client made after its module was imported while the mock was active (one endpoint
    # per client, so this runs at client creation, not per call)
    if type(endpoint).__module__.startswith("aiobotocore"):
        with _install_lock:
            if _installed:
                _patch_async_waiters()


def install_waiter_clock() -> None:
    """Called by each outermost activation (counted): EKS waiters and retries sleep in mock time."""
    global _installed
    import botocore.endpoint
    import botocore.waiter

    with _install_lock:
        _installed += 1
        if _installed == 1:
            _originals["wait"] = botocore.waiter.Waiter.wait
            _originals["init"] = botocore.waiter.Waiter.__init__
            _originals["time"] = botocore.waiter.time
            _originals["needs_retry"] = botocore.endpoint.Endpoint._needs_retry
            _originals["endpoint_init"] = botocore.endpoint.Endpoint.__init__
            _originals["endpoint_time"] = botocore.endpoint.time
            botocore.waiter.Waiter.wait = _wait  # type: ignore[method-assign]
            botocore.waiter.Waiter.__init__ = _waiter_init  # type: ignore[method-assign]
            botocore.waiter.time = _WaiterTime(time)  # type: ignore[assignment]
            botocore.endpoint.Endpoint._needs_retry = _needs_retry  # type: ignore[method-assign]
            botocore.endpoint.Endpoint.__init__ = _endpoint_init  # type: ignore[method-assign]
            botocore.endpoint.time = _WaiterTime(time)  # type: ignore[assignment]
            _originals["async"] = []
            _patch_async_waiters()


def uninstall_waiter_clock() -> None:
    global _installed
    import botocore.endpoint
    import botocore.waiter

    with _install_lock:
        if _installed == 0:
            return
        _installed -= 1
        if _installed == 0:
            botocore.waiter.Waiter.wait = _originals.pop("wait")  # type: ignore[method-assign]
            botocore.waiter.Waiter.__init__ = _originals.pop("init")  # type: ignore[method-assign]
            botocore.waiter.time = _originals.pop("time")
            botocore.endpoint.Endpoint._needs_retry = _originals.pop("needs_retry")  # type: ignore[method-assign]
            botocore.endpoint.Endpoint.__init__ = _originals.pop("endpoint_init")  # type: ignore[method-assign]
            botocore.endpoint.time = _originals.pop("endpoint_time")
            for cls, original in _originals.pop("async", []):
                cls._sleep = original


# -- server mode -----------------------------------------------------------------------------------------


def parse_durations(text: str) -> dict[str, float]:
    """``kind=seconds,kind=seconds`` (``mock-eks serve --durations``) as a dict (ValueError if malformed)."""
    durations: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, value = item.partition("=")
        if not sep or not kind.strip():
            raise ValueError(f"{item!r} is not kind=seconds")
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number of seconds (in {item!r})") from None
        durations[kind.strip()] = check_seconds(seconds)
    return durations
