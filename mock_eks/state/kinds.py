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


def family(name: str, item: type) -> None:
    """Declare that a cluster's ``child(name)`` collection holds ``item`` instances (checked at restore)."""
    if FAMILIES.get(name, item) is not item:
        raise ValueError(f"child family {name} is registered twice")
    FAMILIES[name] = item


def record_kind(name: str, *, family: str | None = None) -> Callable[[C], C]:
    """Register the decorated class as the record kind ``name`` (each name and class once); ``family``:
    the cluster child family whose collection holds records of this kind."""

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
        return cls

    return register


_family = family


def kind_of(cls: type) -> str | None:
    """The kind name of a record class, or None if it is no record kind."""
    return _NAMES.get(cls)


record_kind("Collection")(Collection)
record_kind("Step")(Step)
