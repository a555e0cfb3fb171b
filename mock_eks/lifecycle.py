"""Scheduled status transitions, applied at the start of every request.

No threads and no sleeping: a mutating operation sets an in-flight status and
schedules what happens next at a due time. Under the ``instant`` profile the
due time is now, so the next request sees the result even under frozen time;
under ``realistic`` it is a service-like duration later, which freezegun's
tick() and move_to() reach.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

Transition = Callable[[float], None]

REALISTIC_SECONDS: dict[str, float] = json.loads(
    resources.files("mock_eks.data").joinpath("durations.json").read_text()
)
TIMINGS = ("instant", "realistic")


@dataclass(frozen=True)
class Timing:
    """How long each kind of transition takes: ``profile`` plus per-kind overrides in seconds."""

    profile: str = "instant"
    durations: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.profile not in TIMINGS:
            raise ValueError(f"timing must be one of {TIMINGS}, not {self.profile!r}")
        unknown = set(self.durations) - set(REALISTIC_SECONDS)
        if unknown:
            raise ValueError(f"unknown duration kinds {sorted(unknown)}; known: {sorted(REALISTIC_SECONDS)}")

    def seconds(self, kind: str) -> float:
        if kind in self.durations:
            return float(self.durations[kind])
        if self.profile == "instant":
            return 0.0
        return REALISTIC_SECONDS[kind]


class Lifecycle:
    """A heap of (due time, order, transition)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Transition]] = []
        self._order = itertools.count()

    def schedule(self, due: float, transition: Transition) -> None:
        heapq.heappush(self._heap, (due, next(self._order), transition))

    def apply_due(self, now: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= now:
            due, _, transition = heapq.heappop(heap)
            transition(due)

    def pending(self) -> int:
        return len(self._heap)
