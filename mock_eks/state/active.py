"""The active mock: the backend every in-process request serves, and the stack of activations over it.

``mock_eks.mock`` (the composition root) changes it; the layers that act on "the mock that is active
now" (the waiter clock, service account tokens) read it here, below them, instead of reaching up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from mock_eks.state.lifecycle import Timing
from mock_eks.state.store import Backend

_T = TypeVar("_T")


class Activation(Protocol):
    """One entry of the stack: an active ``MockEKS`` (the innermost one's options apply)."""

    timing: Timing
    moto: str


def _directly(backend: Backend, change: Callable[[Backend], Any]) -> Any:
    return change(backend)


class Activations:
    """The shared state of all active mocks (one per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stack: list[Activation] = []
        self.backend: Backend | None = None
        # how a change made outside a request (m.advance, m.faults, a waiter's sleep) runs on the active
        # backend: directly, unless the composition root makes it one turn of a SQLite store (written at once)
        self.turn: Callable[[Backend, Callable[[Backend], Any]], Any] = _directly

    def change(self, change: Callable[[Backend], _T]) -> _T:
        """``change(backend)`` on the active backend, written at once when the state is a SQLite file."""
        backend = self.backend
        if backend is None:
            raise RuntimeError("mock_eks is not active")
        result: _T = self.turn(backend, change)
        return result

    def innermost(self) -> Activation | None:
        stack = self.stack
        return stack[-1] if stack else None


ACTIVE = Activations()


def mock_time_backend() -> Any:
    """The active backend if the innermost active mock's transitions take time, else None."""
    backend, innermost = ACTIVE.backend, ACTIVE.innermost()
    if backend is None or innermost is None or innermost.timing.is_instant():
        return None
    return backend
