"""The active mock: the backend every in-process request serves, and the stack of activations over it.

``mock_eks.mock`` (the composition root) changes it; the layers that act on "the mock that is active
now" (the waiter clock, service account tokens) read it here, below them, instead of reaching up.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from mock_eks.state.lifecycle import Timing
from mock_eks.state.store import Backend


class Activation(Protocol):
    """One entry of the stack: an active ``MockEKS`` (the innermost one's options apply)."""

    timing: Timing
    moto: str


class Activations:
    """The shared state of all active mocks (one per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stack: list[Activation] = []
        self.backend: Backend | None = None

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
