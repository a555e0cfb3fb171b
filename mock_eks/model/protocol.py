"""rest-json on the wire: the request parser and the shape-driven serializer.

The serializer writes exactly what an output or error shape allows: members
outside the shape and None values are dropped, timestamps become epoch
seconds with millisecond precision. Records are dicts keyed by member name, or objects whose snake_case
attributes are named after the members (with an ``extra`` dict for members
the mock stores without reasoning about them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

import orjson
from botocore import xform_name
from botocore.model import Shape

from mock_eks.model import messages
from mock_eks.model.spec import Operation

Serializer = Callable[[Any], Any]


@dataclass(slots=True)
class Request:
    """One HTTP request as every transport hands it to the engine."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass(slots=True)
class Response:
    """The answer a transport writes back (status, headers, body bytes; a Kubernetes watch's body is an
    iterator of chunks instead)."""

    status: int
    headers: dict[str, str]
    body: bytes | Iterator[bytes]

    def whole_body(self) -> bytes:
        """The body of an answer that is not a stream (an AWS API answer never is)."""
        if isinstance(self.body, bytes | bytearray):
            return bytes(self.body)
        raise TypeError("a streamed answer has no whole body")


class ParseError(Exception):
    """The request body or query string cannot be read as the model says: ``message`` is worded by
    data/messages.json."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.message = messages.text(key, **values)
        super().__init__(self.message)


# No EKS input shape nests deeper than a handful of levels, nor comes near 10 MiB; beyond these limits a
# body is refused before anything walks it, so no parser, validator or handler can recurse without bound.
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_JSON_DEPTH = 64


def _too_deep(document: Any, limit: int) -> bool:
    """Whether ``document`` nests lists/objects more than ``limit`` levels (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values() if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return False


def load_json_body(body: bytes) -> Any:
    """The JSON document of a request body, within MAX_JSON_DEPTH; ParseError otherwise."""
    try:
        document = json.loads(body)
    except RecursionError:
        raise ParseError("request.too_deep", limit=MAX_JSON_DEPTH) from None
    except ValueError as error:
        raise ParseError("request.not_json", problem=error) from None
    # fewer opening brackets than the limit cannot nest past it: skip the walk for ordinary bodies
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and _too_deep(document, MAX_JSON_DEPTH):
        raise ParseError("request.too_deep", limit=MAX_JSON_DEPTH)
    return document


# -- request ---------------------------------------------------------------------------------------

_QUERY_SCALARS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "long": int,
    "boolean": lambda text: {"true": True, "false": False}[text.lower()],
    "double": float,
    "float": float,
}


def parse_request(op: Operation, labels: dict[str, str], query: str, body: bytes) -> dict[str, Any]:
    """Input members by model name, from URI labels, the query string and the JSON body."""
    params: dict[str, Any] = dict(labels)
    if query:
        for key, text in parse_qsl(query, keep_blank_values=True):
            member = op.query_members.get(key)
            if member is None:
                continue
            shape = member.shape
            if shape.type_name == "list":
                params.setdefault(member.name, []).append(text)
                continue
            convert = _QUERY_SCALARS.get(shape.type_name)
            if convert is None:
                params[member.name] = text
                continue
            try:
                params[member.name] = convert(text)
            except (ValueError, KeyError):
                # left as text, so the validator reports the type error for this member
                params[member.name] = text
    if body and op.body_members:
        document = load_json_body(body)
        if not isinstance(document, dict):
            raise ParseError("request.not_object")
        for key, value in document.items():
            member = op.body_members.get(key)
            if member is not None:
                params[member.name] = value
    return params


# -- response --------------------------------------------------------------------------------------

_serializers: dict[int, Serializer | None] = {}


def _timestamp(value: Any) -> Any:
    # EKS writes epoch seconds with millisecond precision, everywhere (aws/aws-cli
    # awscli/examples/eks/update-cluster-config.rst shows "createdAt": 1565806986.506)
    if isinstance(value, datetime):
        value = value.timestamp()
    if isinstance(value, float):
        return round(value, 3)
    return value


_NOT_A_MEMBER: Any = object()  # a dict key the structure's shape has no member for: left out


def compile_serializer(shape: Shape) -> Serializer | None:
    """A function that turns a record into this shape's JSON value; None where the value passes as is."""
    key = id(shape)
    if key in _serializers:
        return _serializers[key]
    type_name = shape.type_name
    if type_name == "timestamp":
        _serializers[key] = _timestamp
        return _timestamp
    if type_name not in ("structure", "list", "map"):
        _serializers[key] = None
        return None

    if type_name == "structure":
        fields: list[tuple[str, str, Serializer | None]] = []
        by_name: dict[str, Serializer | None] = {}
        # per record class: members read as attributes, and members read from ``extra``
        plans: dict[
            type, tuple[list[tuple[str, str, Serializer | None]], list[tuple[str, Serializer | None]]]
        ] = {}

        def plan_for(cls: type) -> tuple[list, list]:
            declared = getattr(cls, "__dataclass_fields__", {})
            attributes = [(n, a, c) for n, a, c in fields if hasattr(cls, a) or a in declared]
            from_extra = [(n, c) for n, a, c in fields if not (hasattr(cls, a) or a in declared)]
            plans[cls] = (attributes, from_extra)
            return plans[cls]

        def serialize_structure(value: Any) -> Any:
            out = {}
            if isinstance(value, dict):
                for name, item in value.items():
                    child = by_name.get(name, _NOT_A_MEMBER)
                    if item is not None and child is not _NOT_A_MEMBER:
                        out[name] = child(item) if child is not None else item
                return out
            attributes, from_extra = plans.get(type(value)) or plan_for(type(value))
            for name, attr, child in attributes:
                item = getattr(value, attr, None)
                if item is not None:
                    out[name] = child(item) if child is not None else item
            if from_extra:
                extra = getattr(value, "extra", None)
                if extra:
                    for name, child in from_extra:
                        item = extra.get(name)
                        if item is not None:
                            out[name] = child(item) if child is not None else item
            return out

        _serializers[key] = serialize_structure
        fields.extend(
            (name, xform_name(name), compile_serializer(member)) for name, member in shape.members.items()
        )
        by_name.update((name, child) for name, _, child in fields)
        return serialize_structure

    if type_name == "list":

        def serialize_list(value: Any) -> Any:
            return [item_serializer(item) for item in value] if item_serializer is not None else list(value)

        _serializers[key] = serialize_list
        item_serializer = compile_serializer(shape.member)
        return serialize_list

    def serialize_map(value: Any) -> Any:
        return (
            {k: value_serializer(v) for k, v in value.items()}
            if value_serializer is not None
            else dict(value)
        )

    _serializers[key] = serialize_map
    value_serializer = compile_serializer(shape.value)
    return serialize_map


def serialize_output(op: Operation, result: Any) -> bytes:
    """The response body for ``result`` as the operation's output shape allows it."""
    shape = op.model.output_shape
    if shape is None or result is None:
        return b"{}"
    serializer = compile_serializer(shape)
    document = serializer(result) if serializer else result
    try:
        # orjson writes the same compact JSON about ten times faster: encoding was most of a describe's cost
        return orjson.dumps(document)
    except TypeError:  # integers beyond 64 bits or non-string keys: the standard library takes any
        return json.dumps(document, separators=(",", ":")).encode()


def error_headers(code: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-ErrorType": code}


JSON_HEADERS = {"Content-Type": "application/json"}
