"""Scheduled status transitions, applied at the start of every request.

No threads and no sleeping: a mutating operation sets an in-flight status and
schedules what happens next at a due time. Under the ``instant`` profile the
due time is now, so the next request sees the result even under frozen time;
under ``realistic`` it is a service-like duration later, which the mock's clock
(freezegun's tick() and move_to(), ``m.advance()``) reaches.

A pending transition is data, not a closure: a ``Step`` names a registered
action and holds its arguments (plain values, records and collections), so a
snapshot can write it down and a restore can bring it back. Actions are
registered with ``@action(name)`` and called as ``fn(backend, due, **args)``.
The generic ones live here (``assign``, ``settle``, ``remove``, ``sequence``);
families register their own for what a change of attributes cannot say.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks.state.reach import REACHED

REALISTIC_SECONDS: dict[str, float] = json.loads(
    resources.files("mock_eks.data").joinpath("durations.json").read_text()
)
TIMINGS = ("instant", "realistic")

# Lifecycle kinds (data/durations.json) whose completion is an Update record started by start_update,
# and whose failure (m.faults.fail_next) leaves the resource as it was: Update Failed with errors.
UPDATE_KINDS = frozenset(
    {
        "cluster.update",
        "cluster.version",
        "encryption.associate",
        "identity_provider.associate",
        "identity_provider.disassociate",
        "nodegroup.update",
        "addon.update",
        "capability.update",
    }
)


@dataclass(frozen=True)
class Timing:
    """How long each kind of transition takes: ``profile`` plus per-kind overrides in seconds.

    Overrides must name known kinds (data/durations.json) and be finite numbers >= 0. They apply under
    either profile: ``timing="instant", durations={"cluster.create": 30}`` keeps everything instant
    except cluster creation, which takes 30 seconds of the (frozen) clock.
    """

    profile: str = "instant"
    durations: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.profile not in TIMINGS:
            raise ValueError(f"timing must be one of {TIMINGS}, not {self.profile!r}")
        unknown = set(self.durations) - set(REALISTIC_SECONDS)
        if unknown:
            raise ValueError(f"unknown duration kinds {sorted(unknown)}; known: {sorted(REALISTIC_SECONDS)}")
        for kind, seconds in self.durations.items():
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, (int, float))
                or not math.isfinite(seconds)
                or seconds < 0
            ):
                raise ValueError(
                    f"duration of {kind!r} must be a finite number of seconds >= 0, not {seconds!r}"
                )

    def is_instant(self) -> bool:
        """Every transition completes at once (so nothing ever needs to wait for one)."""
        return self.profile == "instant" and not any(self.durations.values())

    def seconds(self, kind: str) -> float:
        if kind in self.durations:
            return float(self.durations[kind])
        if self.profile == "instant":
            return 0.0
        return REALISTIC_SECONDS[kind]


Action = Callable[..., None]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register ``fn(backend, due, **args)`` as the action ``name`` of scheduled steps."""

    def register(fn: Action) -> Action:
        ACTIONS[name] = fn
        return fn

    return register


@dataclass(slots=True)
class Step:
    """One pending transition as data: the registered action's name and its keyword arguments."""

    action: str
    args: dict[str, Any] = field(default_factory=dict)


def step(name: str, **args: Any) -> Step:
    return Step(name, args)


Path = Sequence[str]  # an attribute name, then keys into the dicts it holds


def _set(record: Any, path: Path, value: Any) -> None:
    if len(path) == 1:
        setattr(record, path[0], value)
        return
    target = getattr(record, path[0])
    for key in path[1:-1]:
        target = target[key]
    target[path[-1]] = value


def _get(record: Any, path: Path) -> Any:
    value = getattr(record, path[0], None)
    for key in path[1:]:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def assign(
    record: Any,
    changes: Iterable[tuple[Path, Any]] = (),
    *,
    stamp: str | None = None,
    status: tuple[str, str] | None = None,
    only_if: tuple[Path, Any] | None = None,
) -> Step:
    """A step that sets each path of ``record`` to its value, sets the attribute ``stamp`` to the due
    time, and moves ``record.status`` from ``status[0]`` to ``status[1]`` if it is still ``status[0]``;
    all of it only if ``only_if``'s path holds its value at the due time."""
    return step(
        "assign",
        record=record,
        changes=[[list(path), value] for path, value in changes],
        stamp=stamp,
        status=list(status) if status else None,
        only_if=[list(only_if[0]), only_if[1]] if only_if else None,
    )


@action("assign")
def _assign(
    backend: Any,
    due: float,
    *,
    record: Any,
    changes: list[list[Any]],
    stamp: str | None = None,
    status: list[str] | None = None,
    only_if: list[Any] | None = None,
) -> None:
    if only_if is not None and _get(record, only_if[0]) != only_if[1]:
        return
    for path, value in changes:
        _set(record, path, value)
    if stamp is not None:
        setattr(record, stamp, due)
    if status is not None and record.status == status[0]:
        record.status = status[1]


def sequence(*steps: Step) -> Step:
    """One step that runs ``steps`` in order."""
    return step("sequence", steps=list(steps))


@action("sequence")
def _sequence(backend: Any, due: float, *, steps: list[Step]) -> None:
    for item in steps:
        run(backend, item, due)


@action("settle")
def _settle(
    backend: Any, due: float, *, kind: str, record: Any, source: str, target: str, stamp: str | None
) -> None:
    """``Context.settle_later``: ``source`` -> ``target`` (or the fault of ``kind``'s failure)."""
    if record.status != source:
        return
    # m.faults.fail_next(kind, ...): the create fails instead
    fault = backend.faults.take_for(kind, record)
    if fault is not None:
        fault.fail_create(record, due)
        return
    record.status = target
    if stamp is not None:
        setattr(record, stamp, due)


@action("remove")
def _remove(
    backend: Any, due: float, *, collection: Any, key: str, record: Any, kind: str | None = None
) -> None:
    """Take ``record`` out of ``collection`` unless ``key`` names another record by then. With ``kind``
    (``Context.remove_later``), a pending fault of that kind leaves it in place, DELETE_FAILED."""
    if collection.get(key) is not record:
        return
    fault = backend.faults.take_for(kind, record) if kind is not None else None
    if fault is not None:
        fault.fail_delete(record, due)
        return
    collection.remove(key)


def run(backend: Any, item: Step, due: float) -> None:
    ACTIONS[item.action](backend, due, **item.args)


class Lifecycle:
    """A heap of (due time, order, step), run against ``backend`` when due."""

    def __init__(self, backend: Any = None) -> None:
        self.backend = backend
        self._heap: list[tuple[float, int, Step]] = []
        self._order = itertools.count()

    def schedule(self, due: float, item: Step) -> None:
        if not isinstance(item, Step):
            raise TypeError(
                "schedule a lifecycle.Step (a registered action and its arguments), not a callable"
            )
        if item.action not in ACTIONS:
            raise ValueError(f"no lifecycle action {item.action!r} is registered")
        heapq.heappush(self._heap, (due, next(self._order), item))

    def apply_due(self, now: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= now:
            due, _, item = heapq.heappop(heap)
            REACHED.changed(item)  # the records its action changes are its arguments
            run(self.backend, item, due)

    def pending(self) -> int:
        return len(self._heap)

    def entries(self) -> list[tuple[float, Step]]:
        """The pending steps in the order they will run."""
        return [(due, item) for due, _, item in sorted(self._heap, key=lambda entry: entry[:2])]

    def replace(self, entries: Iterable[tuple[float, Step]]) -> None:
        """Pending steps from ``entries()`` of another lifecycle (a restored snapshot)."""
        self._heap = []
        self._order = itertools.count()
        for due, item in entries:
            self.schedule(due, item)
