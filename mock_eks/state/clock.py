"""The mock's clock: ``m.advance(seconds)``, waiters that never really sleep, and ``/_mock_eks/clock/advance``.

The mock reads its time as ``time.time()`` (so freezegun drives it) plus an offset kept on the
``Backend``; ``advance`` moves only the offset, so it composes with a frozen clock. Lifecycle
transitions, timestamps and support status all read that clock (``Backend.now``).

botocore's waiters sleep between polls with ``time.sleep`` (``botocore.waiter``). While a mock whose
timing is not instant is active, a waiter that polls EKS sleeps in mock time instead: its sleep
advances the mock's clock (or, under freezegun, ticks the frozen clock, which the mock follows), so
it makes the same polls as against EKS and returns at once. Other services' waiters, and EKS waiters
when no such mock is active, sleep as usual. aiobotocore's waiters (their ``_sleep`` method) get the
same treatment: patched at activation when aiobotocore is loaded, else when the first waiter is made
(aiobotocore's waiters share botocore's ``Waiter.__init__``, which is wrapped while active), so
aiobotocore imported after the mock starts is covered too without importing it at every activation.

botocore's retry back-off sleeps with ``time.sleep`` too (``botocore.endpoint``, legacy and standard
retry modes). While any mock is active, the back-off of a request to EKS or EKS Auth sleeps in mock time
the same way, whatever the timing: a throttled call retried twice returns at once, the mock's clock
(or the frozen clock) one back-off later, as if the client had waited.
"""

from __future__ import annotations

import datetime
import math
import sys
import threading
import time
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


def _async_waiter_classes() -> list[type]:
    """aiobotocore's waiter classes that sleep through a ``_sleep`` method, if aiobotocore is loaded."""
    module = sys.modules.get("aiobotocore.waiter")
    classes = [getattr(module, name, None) for name in ("AIOWaiter", "AnyioWaiter")] if module else []
    return [cls for cls in classes if isinstance(cls, type) and "_sleep" in vars(cls)]


def _async_sleep(original: Any) -> Any:
    async def _sleep(waiter: Any, sleep_amount: float) -> None:
        if _service_of(waiter) != "eks" or mock_time_backend() is None:
            await original(waiter, sleep_amount)
        else:
            ACTIVE.change(lambda backend: pass_time(backend, float(sleep_amount)))
            await original(waiter, 0)  # still yield to the event loop, as a sleep does

    return _sleep


def _patch_async_waiters() -> None:
    """Patch the aiobotocore waiter classes not patched yet (call under ``_install_lock``, while installed)."""
    patched = _originals.setdefault("async", [])
    done = {cls for cls, _ in patched}
    for cls in _async_waiter_classes():
        if cls not in done:
            original = vars(cls)["_sleep"]
            cls._sleep = _async_sleep(original)  # type: ignore[attr-defined]
            patched.append((cls, original))


def _waiter_init(waiter: Any, *args: Any, **kwargs: Any) -> None:
    _originals["init"](waiter, *args, **kwargs)
    # an aiobotocore waiter whose module was imported after the mock started: patch its class now,
    # before its first sleep
    if "_sleep" not in vars(type(waiter)) and "aiobotocore.waiter" in sys.modules:
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
            _originals["endpoint_time"] = botocore.endpoint.time
            botocore.waiter.Waiter.wait = _wait  # type: ignore[method-assign]
            botocore.waiter.Waiter.__init__ = _waiter_init  # type: ignore[method-assign]
            botocore.waiter.time = _WaiterTime(time)  # type: ignore[assignment]
            botocore.endpoint.Endpoint._needs_retry = _needs_retry  # type: ignore[method-assign]
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
