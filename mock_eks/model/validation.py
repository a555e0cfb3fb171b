"""Input validation against the operation's input shape.

botocore's client-side validator checks only required members, minimums and
types; other SDKs, the CLI with validation off and raw HTTP callers check
nothing. So every constraint of the model is enforced here: required, type,
min/max (length, size or value), pattern as a full match, and enum.
Validators are compiled once per shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.model import Shape

Check = Callable[[Any, str, list[str]], Any]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (int, float),
    "float": (int, float),
    "list": (list,),
    "map": (dict,),
    "structure": (dict,),
    "blob": (str, bytes),
    "timestamp": (int, float, str),
}
# botocore's Integer is a 32-bit and Long a 64-bit signed number (Smithy's int and long): Go and Java
# clients cannot read a larger value back, so the model's type is a range as well as a kind.
_RANGES: dict[str, tuple[int, int]] = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}
_compiled: dict[int, Check] = {}


def _describe(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 100 else text[:97] + "..."


def _constraint(errors: list[str], value: Any, path: str, rule: str) -> None:
    errors.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: Member must {rule}")


def compile_shape(shape: Shape) -> Check:
    """A function (value, path, errors) -> coerced value that appends violations to ``errors``."""
    key = id(shape)
    if key in _compiled:
        return _compiled[key]
    type_name = shape.type_name
    allowed: Any = _TYPES.get(type_name, (object,))  # a tuple of types: no narrowing of ``value`` below
    metadata = shape.metadata
    low = metadata.get("min")
    high = metadata.get("max")
    type_low, type_high = _RANGES.get(type_name, (None, None))
    enum = frozenset(shape.enum) if getattr(shape, "enum", None) else None
    pattern = None
    if metadata.get("pattern"):
        try:
            pattern = re.compile(metadata["pattern"])
        except re.error:  # a Java-only construct: leave the pattern to the handler
            pattern = None
    children: dict[str, Check] = {}
    required: tuple[str, ...] = ()
    item_check: Check | None = None
    key_check: Check | None = None
    value_check: Check | None = None

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if value is None:
            return None
        if not isinstance(value, allowed) or (
            type_name in ("integer", "long", "double", "float") and isinstance(value, bool)
        ):
            errors.append(
                f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: Member must be of type {type_name}"
            )
            return value
        if type_name == "structure":
            for name in required:
                if value.get(name) is None:
                    _constraint(errors, "null", f"{path}.{name}" if path else name, "not be null")
            for name, item in list(value.items()):
                if item is None:
                    # a member sent as JSON null is a member not sent (AWS JSON protocols read it so);
                    # handlers then never meet None where the model promises a value
                    del value[name]
                    continue
                child = children.get(name)
                if child is not None:
                    value[name] = child(item, f"{path}.{name}" if path else name, errors)
            return value
        if type_name in ("integer", "long", "double", "float"):
            if type_low is not None and not type_low <= value <= type_high:
                _constraint(errors, value, path, f"be a {type_name} between {type_low} and {type_high}")
                return value
            if type_low is None and not math.isfinite(value):
                _constraint(errors, value, path, "be a finite number")
                return value
            if low is not None and value < low:
                _constraint(errors, value, path, f"have value greater than or equal to {low}")
            if high is not None and value > high:
                _constraint(errors, value, path, f"have value less than or equal to {high}")
            return value
        if type_name == "timestamp":
            if isinstance(value, str):
                try:
                    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
                except ValueError:
                    _constraint(errors, value, path, "be a timestamp")
            return value
        if type_name != "boolean":
            size = len(value)
            if low is not None and size < low:
                what = "length" if type_name == "string" else "size"
                _constraint(errors, value, path, f"have {what} greater than or equal to {low}")
            if high is not None and size > high:
                what = "length" if type_name == "string" else "size"
                _constraint(errors, value, path, f"have {what} less than or equal to {high}")
        if type_name == "string":
            if enum is not None and value not in enum:
                _constraint(errors, value, path, f"satisfy enum value set: [{', '.join(sorted(enum))}]")
            elif pattern is not None and not pattern.fullmatch(value):
                _constraint(errors, value, path, f"satisfy regular expression pattern: {pattern.pattern}")
        elif type_name == "list" and item_check is not None:
            for index, item in enumerate(value):
                # JSON null inside a list is no value of the member's type (sparse lists are not modelled)
                if item is None:
                    _constraint(errors, "null", f"{path}.{index + 1}", "not be null")
                    continue
                value[index] = item_check(item, f"{path}.{index + 1}", errors)
        elif type_name == "map" and value_check is not None and key_check is not None:
            for map_key, item in value.items():
                key_check(map_key, f"{path}.key", errors)
                if item is None:
                    _constraint(errors, "null", f"{path}.{map_key}", "not be null")
                    continue
                value[map_key] = value_check(item, f"{path}.{map_key}", errors)
        return value

    _compiled[key] = check
    # children are compiled after registering, so a recursive shape terminates
    if type_name == "structure":
        children.update({name: compile_shape(member) for name, member in shape.members.items()})
        required = tuple(shape.required_members)
    elif type_name == "list":
        item_check = compile_shape(shape.member)
    elif type_name == "map":
        key_check = compile_shape(shape.key)
        value_check = compile_shape(shape.value)
    return check


def validation_message(errors: list[str]) -> dict[str, Any]:
    """The placeholders of the "request.validation" message (data/messages.json) for ``errors``."""
    count = len(errors)
    return {"count": count, "noun": "error" if count == 1 else "errors", "problems": "; ".join(errors)}
