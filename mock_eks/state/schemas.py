"""What each record kind's values may be, checked when a snapshot is restored.

A record's schema is two things the code already states: its dataclass annotations (``created_at: float``,
``tags: dict[str, str]``, ``children: dict[str, Collection[Any]]``) and, for a kind named after a shape of
EKS's botocore model (``Cluster``, ``Nodegroup``, ``Addon``, ...), that shape's member of the same name
(``createdAt`` is a timestamp, ``status`` one of its enum, a member named ``...Arn`` an ARN). A value
that fits neither is refused with the path of the first bad value, so a restored state never meets a
serializer or handler with a value it cannot take (a string for a timestamp, a list for tags).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import types
import typing
from collections.abc import Callable
from typing import Any

from botocore import xform_name

from mock_eks.model.spec import MODELS
from mock_eks.state import kinds
from mock_eks.state.lifecycle import Step
from mock_eks.state.store import Collection

MAX_DEPTH = 64  # nesting of lists and objects inside one record field (real records use under 10)
# timestamps between the epoch and the end of year 9999: every SDK's date type holds these
LATEST = 253402300799.0


class SchemaError(ValueError):
    """A value that its record kind does not allow; ``path`` names it."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return type(value).__name__


# -- annotations -------------------------------------------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - an annotation this check cannot resolve is not checked
        return {}


def _annotation(value: Any, hint: Any, path: str, depth: int) -> None:
    """Raise SchemaError unless ``value`` fits the annotation ``hint``."""
    if depth > MAX_DEPTH:
        raise SchemaError(path, f"nested deeper than {MAX_DEPTH} levels")
    if hint is Any or hint is object:
        _depth(value, path, depth)
        return
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        problems = []
        for option in options:
            try:
                _annotation(value, option, path, depth)
                return
            except SchemaError as error:
                problems.append(error)
        deepest = max(problems, key=lambda error: len(error.path))
        if deepest.path != path:
            raise deepest
        expected = " or ".join(_hint_name(option) for option in options)
        raise SchemaError(path, f"expected {expected}, not {_type_name(value)} {_short(value)}")
    if hint is type(None):
        if value is not None:
            raise SchemaError(path, f"expected null, not {_type_name(value)} {_short(value)}")
        return
    if origin is not None:
        if not isinstance(value, origin):
            raise SchemaError(path, f"expected {_hint_name(hint)}, not {_type_name(value)} {_short(value)}")
        args = typing.get_args(hint)
        if origin is dict and len(args) == 2:
            for key, item in value.items():
                _annotation(key, args[0], f"{path}[{_short(key)}]", depth + 1)
                _annotation(item, args[1], f"{path}[{_short(key)}]", depth + 1)
        elif origin in (list, set, frozenset) and args:
            for index, item in enumerate(value):
                _annotation(item, args[0], f"{path}[{index}]", depth + 1)
        elif origin is tuple and args:
            if len(args) == 2 and args[1] is Ellipsis:
                args = (args[0],) * len(value)
            if len(args) != len(value):
                raise SchemaError(path, f"expected {len(args)} items, not {len(value)}")
            for index, (item, arg) in enumerate(zip(value, args, strict=True)):
                _annotation(item, arg, f"{path}[{index}]", depth + 1)
        return
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SchemaError(path, f"expected a finite number, not {_type_name(value)} {_short(value)}")
        return
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(path, f"expected an integer, not {_type_name(value)} {_short(value)}")
        return
    if isinstance(hint, type) and not isinstance(value, hint):
        raise SchemaError(path, f"expected {_hint_name(hint)}, not {_type_name(value)} {_short(value)}")
    _depth(value, path, depth)


def _hint_name(hint: Any) -> str:
    if hint is type(None):
        return "null"
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def _depth(value: Any, path: str, depth: int) -> None:
    """Only the nesting of a value whose shape nothing states is bounded."""
    if depth > MAX_DEPTH:
        raise SchemaError(path, f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            _depth(item, f"{path}[{_short(key)}]", depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _depth(item, f"{path}[{index}]", depth + 1)


# -- the model's shapes ------------------------------------------------------------------------------------

ShapeCheck = Callable[[Any, str, int], None]


@functools.cache
def _model_shape(kind: str) -> Any:
    model = MODELS["eks"]
    return model.shape_for(kind) if kind in model.shape_names else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _shape(value: Any, shape: Any, path: str, depth: int) -> None:
    if value is None:  # an absent member: the serializer leaves it out
        return
    if depth > MAX_DEPTH:
        raise SchemaError(path, f"nested deeper than {MAX_DEPTH} levels")
    kind = shape.type_name
    bad = None
    if kind == "string":
        if not isinstance(value, str):
            bad = "a string"
        elif shape.enum and value not in shape.enum:
            raise SchemaError(path, f"{_short(value)} is not one of {', '.join(shape.enum)[:200]}")
        elif shape.name.endswith("Arn") or path.lower().endswith(("arn", "role")):
            parts = value.split(":", 5)
            if len(parts) < 6 or parts[0] != "arn" or not parts[1].startswith("aws"):
                raise SchemaError(path, f"{_short(value)} is not an ARN")
    elif kind == "timestamp":
        if not _is_time(value):
            bad = "a timestamp (seconds since the epoch, up to the year 9999)"
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            bad = "an integer"
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            bad = "a finite number"
    elif kind == "boolean":
        if not isinstance(value, bool):
            bad = "true or false"
    elif kind == "list":
        if not isinstance(value, list):
            bad = "a list"
        else:
            for index, item in enumerate(value):
                _shape(item, shape.member, f"{path}[{index}]", depth + 1)
    elif kind == "map":
        if not isinstance(value, dict):
            bad = "an object"
        else:
            for key, item in value.items():
                if not isinstance(key, str):
                    raise SchemaError(path, f"keys must be strings, not {_short(key)}")
                _shape(item, shape.value, f"{path}[{_short(key)}]", depth + 1)
    elif kind == "structure":
        if isinstance(value, dict):
            for name, member in shape.members.items():
                if name in value:
                    _shape(value[name], member, f"{path}.{name}", depth + 1)
        elif not (dataclasses.is_dataclass(value) or isinstance(value, Collection)):
            bad = "an object"
    if bad is not None:
        raise SchemaError(path, f"expected {bad}, not {_type_name(value)} {_short(value)}")


# -- a record ----------------------------------------------------------------------------------------------


def _is_time(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 <= value <= LATEST


def check_record(record: Any, kind: str, path: str) -> None:
    """Raise SchemaError unless every field of ``record`` (a restored record of ``kind``) is allowed."""
    if isinstance(record, (Collection, Step)):
        return
    record_class: type = type(record)
    hints = _hints(record_class)
    shape = _model_shape(kind)
    fields = dataclasses.fields(record)
    for field in fields:
        value = getattr(record, field.name)
        where = f"{path}.{field.name}"
        hint = hints.get(field.name)
        if hint is not None:
            _annotation(value, hint, where, 0)
        else:
            _depth(value, where, 0)
        if field.name.endswith("_at") and value is not None and not _is_time(value):
            raise SchemaError(where, f"expected a time (seconds since the epoch), not {_short(value)}")
        if shape is not None:
            member = shape.members.get(_camel(field.name))
            if member is not None:
                _shape(value, member, where, 0)
    extra = getattr(record, "extra", None)
    if shape is not None and isinstance(extra, dict):  # output members a record keeps as they came
        for name, value in extra.items():
            member = shape.members.get(name) if isinstance(name, str) else None
            if member is not None:
                _shape(value, member, f"{path}.extra.{name}", 0)
    if shape is not None:  # members a record computes (a @property) from its fields are checked as served
        names = {field.name for field in fields}
        record = copy.copy(record)  # computed on a copy: one made on first read (a CA) is not made here
        for member_name, member in shape.members.items():
            attribute = xform_name(member_name)
            if attribute in names or not isinstance(getattr(type(record), attribute, None), property):
                continue
            where = f"{path}.{attribute}"
            try:
                value = getattr(record, attribute)
            except Exception as error:  # noqa: BLE001 - fields it cannot be computed from are bad values
                raise SchemaError(where, f"cannot be computed: {type(error).__name__}") from None
            _shape(value, member, where, 0)
    children = getattr(record, "children", None)
    if isinstance(children, dict):
        for family, collection in children.items():
            item = kinds.FAMILIES.get(family)
            if item is None:
                raise SchemaError(f"{path}.children", f"{_short(family)} is not a child family")
            check_items(collection, item, f"{path}.children[{_short(family)}]")


def check_items(collection: Any, item: type, path: str) -> None:
    """Raise SchemaError unless ``collection`` is a Collection of ``item`` instances."""
    if not isinstance(collection, Collection):
        raise SchemaError(path, f"expected a collection, not {_type_name(collection)}")
    for key in collection.keys():
        value = collection.get(key)
        if not isinstance(value, item):
            expected = kinds.kind_of(item) or item.__name__
            raise SchemaError(f"{path}[{_short(key)}]", f"expected {expected}, not {_type_name(value)}")
