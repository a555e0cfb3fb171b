"""Kubernetes protobuf request bodies (``application/vnd.kubernetes.protobuf``) read as the JSON objects they
stand for.

kubectl 1.32+ sends typed objects as protobuf and does not fall back to JSON on a 415: ``kubectl create
configmap|namespace|deployment|secret|...``, ``kubectl run`` and ``auth can-i``'s SelfSubjectAccessReview
(seen on the wire from kubectl 1.37). The body is the magic ``k8s\\x00`` and a ``runtime.Unknown``
(``typeMeta`` {apiVersion, kind}, ``raw``: the object's own message), as the Kubernetes API concepts page
("Alternate representations of resources": Protobuf encoding) describes. The field tables come from the
published ``generated.proto`` files (``data/kube_protobuf.json.gz``, built by
``scripts/build_kube_protobuf.py``, provenance inside); the wire format is protobuf's own (varints,
length-delimited fields, map entries as key=1/value=2 messages).

The JSON form follows Kubernetes' JSON encoding: ``Time`` as RFC 3339, ``IntOrString`` as a number or a
string, ``Quantity`` as its string, ``bytes`` as base64, ``RawExtension`` as the JSON it holds. Fields gogo
writes for Go zero values that JSON omits (``omitempty`` non-pointer fields, empty strings, a zero ``Time``)
are left out, and embedded structs are flattened as JSON does (a Volume's source, an IngressRule's value). Answers go back as
JSON, which kubectl accepts (its Accept header lists ``application/json`` after protobuf).
"""

from __future__ import annotations

import base64
import datetime
import functools
import gzip
import json
from importlib import resources
from typing import Any

CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"
_UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown"
_META = "k8s.io.apimachinery.pkg.apis.meta.v1."
_VARINT_TYPES = frozenset({"int32", "int64", "uint32", "uint64", "bool", "enum"})


class ProtobufError(ValueError):
    """A body that is not a Kubernetes protobuf object of a kind the tables know."""


@functools.cache
def _tables() -> dict[str, Any]:
    data = resources.files("mock_eks.data").joinpath("kube_protobuf.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


def is_protobuf(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == CONTENT_TYPE


def decode(body: bytes) -> dict[str, Any]:
    """The JSON object (with ``apiVersion`` and ``kind``) a Kubernetes protobuf body encodes.

    ProtobufError names what is wrong: no ``k8s\\x00`` magic, a truncated or malformed message, or an
    apiVersion/kind the tables do not have.
    """
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf magic k8s\\x00")
    try:
        envelope = _message(memoryview(body)[len(MAGIC) :], _UNKNOWN)
        # typeMeta is embedded in runtime.Unknown: flattened like any embedded struct
        api_version, kind = envelope.get("apiVersion", ""), envelope.get("kind", "")
        package = _tables()["packages"].get(api_version)
        name = f"{package}.{kind}"
        if package is None or not kind or name not in _tables()["messages"]:
            raise ProtobufError(f"no protobuf message is known for kind {kind!r} of {api_version!r}")
        if envelope.get("contentEncoding"):
            raise ProtobufError(f"content encoding {envelope['contentEncoding']!r} is not supported")
        raw = base64.b64decode(envelope.get("raw", ""))
        document = _message(memoryview(raw), name)
    except (IndexError, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, ProtobufError):
            raise
        raise ProtobufError(f"the protobuf body is malformed: {error}") from None
    return {"apiVersion": api_version, "kind": kind, **document}


def _varint(data: memoryview, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise ValueError("a varint longer than 10 bytes")


def _fields(data: memoryview) -> list[tuple[int, int, Any]]:
    """(field number, wire type, raw value) of every field of a message, in order."""
    out = []
    at, end = 0, len(data)
    value: Any  # an int (varint) or the field's bytes
    while at < end:
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            length, at = _varint(data, at)
            if at + length > end:
                raise ValueError("a length-delimited field runs past the end")
            value, at = data[at : at + length], at + length
        elif wire == 1:
            value, at = bytes(data[at : at + 8]), at + 8
        elif wire == 5:
            value, at = bytes(data[at : at + 4]), at + 4
        else:
            raise ValueError(f"wire type {wire} (groups) is not used by Kubernetes")
        out.append((number, wire, value))
    if at != end:
        raise ValueError("a field runs past the end")
    return out


def _scalar(kind: str, wire: int, value: Any) -> Any:
    if kind == "string":
        return bytes(value).decode("utf-8")
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode()
    if kind == "bool":
        return bool(value)
    if kind in ("int32", "int64"):
        return value - (1 << 64) if value >= 1 << 63 else value
    if kind in ("double", "float"):
        import struct

        return struct.unpack("<d" if wire == 1 else "<f", value)[0]
    return value


def _value(kind: Any, wire: int, value: Any) -> Any:
    if kind in _tables()["messages"]:
        return _message(value, kind)
    return _scalar(kind, wire, value)


def _message(data: memoryview, name: str) -> Any:
    table = _tables()["messages"][name]
    document: dict[str, Any] = {}
    for number, wire, value in _fields(data):
        field = table.get(str(number))
        if field is None:  # a newer client's field: skipped, as protobuf readers do
            continue
        json_name, kind, label = field
        if label == "map":
            key_kind, value_kind = kind
            entry = {n: (w, v) for n, w, v in _fields(value)}
            key = _value(key_kind, *entry[1]) if 1 in entry else ""
            item = _value(value_kind, *entry[2]) if 2 in entry else _zero(value_kind)
            document.setdefault(json_name, {})[key] = item
        elif label == "repeated":
            items = document.setdefault(json_name, [])
            if wire == 2 and kind in _VARINT_TYPES:  # packed scalars
                for _, _, packed in _fields(_packed(value)):
                    items.append(_scalar(kind, 0, packed))
            else:
                items.append(_value(kind, wire, value))
        elif label == "inline":  # an embedded Go struct: JSON flattens its fields into this object
            inner = _value(kind, wire, value)
            if isinstance(inner, dict):
                document.update(inner)
        else:
            item = _value(kind, wire, value)
            if label != "omitzero" or item:
                document[json_name] = item
    return _special(name, document)


def _packed(value: memoryview) -> memoryview:
    """Packed varints re-keyed as field 1 each, so one reader serves both forms."""
    out = bytearray()
    at = 0
    while at < len(value):
        start = at
        _, at = _varint(value, at)
        out += b"\x08" + bytes(value[start:at])
    return memoryview(bytes(out))


def _zero(kind: Any) -> Any:
    return {"string": "", "bytes": "", "bool": False}.get(kind, 0 if kind in _VARINT_TYPES else {})


def _special(name: str, document: dict[str, Any]) -> Any:
    """Kubernetes' JSON form of the types that are not plain objects; empty strings left out."""
    if name in (_META + "Time", _META + "MicroTime"):
        if not document:
            return None  # Go's zero time: JSON null, i.e. absent
        moment = datetime.datetime.fromtimestamp(document.get("seconds", 0), tz=datetime.UTC)
        if name.endswith("MicroTime"):
            moment += datetime.timedelta(microseconds=document.get("nanos", 0) // 1000)
            return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if name == _META + "Duration":
        return f"{document.get('duration', 0) / 1e9:g}s"
    if name == "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return document.get("strVal", "") if document.get("type") == 1 else document.get("intVal", 0)
    if name == "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return document.get("string", "")
    if name in ("k8s.io.apimachinery.pkg.runtime.RawExtension", _META + "FieldsV1"):
        raw = base64.b64decode(document.get("raw") or document.get("Raw") or "")
        return json.loads(raw) if raw else None
    if name == _META + "ObjectMeta" and document.get("generation") == 0:
        del document["generation"]  # the server's to set; gogo writes Go's zero
    return {key: value for key, value in document.items() if value != "" and value is not None}
