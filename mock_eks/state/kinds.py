"""Record kinds: the closed registry of the classes a snapshot may hold, each under a stable name.

A snapshot names each object it holds by its kind (``{"$kind": "Nodegroup", ...}``), never by a module
path, so moving code never breaks a snapshot and a snapshot can never name code to import. The registry
is closed: ``take`` refuses an object whose class has no kind, and ``restore`` refuses a kind not here.

Register a record class where it is defined, with the name it will keep for ever (the model shape's
name where there is one)::

    @kinds.record_kind("Nodegroup")
    @dataclass(slots=True, eq=False)
    class Nodegroup: ...

``Collection`` and ``Step`` (the store's and the lifecycle's own) are registered here. A class must be
a dataclass (its fields are what a snapshot writes) or ``Collection``.

``rows`` names fields a write-through store (``state.sqlite_store``) keeps a row per part of, instead of
in the record's own row, so a change costs the parts it changed: a map (the field's value for a number
of levels of string keys, each leaf a part) or, for 0, a log (a list, each item a part keyed by its
first element, an integer, in increasing order). The record reports each part it changes through
``reach.REACHED.changed(record, (field, *keys))``; a snapshot holds the fields whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from mock_eks.state.lifecycle import Step
from mock_eks.state.store import Collection

C = TypeVar("C", bound=type)

KINDS: dict[str, type] = {}  # kind name -> record class
_NAMES: dict[type, str] = {}  # record class -> kind name
FAMILIES: dict[str, type] = {}  # a cluster's child family (``cluster.child(name)``) -> what it holds
ROWS: dict[
    type, dict[str, int]
] = {}  # record class -> its fields kept a row per part: levels of keys, 0: a log


def family(name: str, item: type) -> None:
    """Declare that a cluster's ``child(name)`` collection holds ``item`` instances (checked at restore)."""
    if FAMILIES.get(name, item) is not item:
        raise ValueError(f"child family {name} is registered twice")
    FAMILIES[name] = item


def record_kind(
    name: str, *, family: str | None = None, rows: dict[str, int] | None = None
) -> Callable[[C], C]:
    """Register the decorated class as the record kind ``name`` (each name and class once); ``family``:
    the cluster child family whose collection holds records of this kind; ``rows``: its fields stored a
    row per part (see above)."""

    def register(cls: C) -> C:
        is_record = cls is Collection or dataclasses.is_dataclass(cls)
        if not is_record:
            raise TypeError(f"record kind {name}: {cls.__qualname__} is not a dataclass")
        if KINDS.get(name, cls) is not cls or _NAMES.get(cls, name) != name:
            raise ValueError(f"record kind {name} or class {cls.__qualname__} is registered twice")
        KINDS[name] = cls
        _NAMES[cls] = name
        if family is not None:
            _family(family, cls)
        if rows:
            names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
            if not set(rows) <= names or any(depth < 0 for depth in rows.values()):
                raise ValueError(f"record kind {name}: rows {rows} are not levels of its fields")
            ROWS[cls] = dict(rows)
        return cls

    return register


_family = family


def kind_of(cls: type) -> str | None:
    """The kind name of a record class, or None if it is no record kind."""
    return _NAMES.get(cls)


record_kind("Collection")(Collection)
record_kind("Step")(Step)
