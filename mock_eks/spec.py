"""botocore's service models, and everything derived from them once at import.

The models are the contract: routes, member locations, error shapes and output
shapes all come from here, so a newer botocore changes the mock by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import botocore.session
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel, Shape

_session = botocore.session.get_session()

SERVICE_NAMES = ("eks", "eks-auth")
MODELS: dict[str, ServiceModel] = {name: _session.get_service_model(name) for name in SERVICE_NAMES}


def load_paginators(service: str) -> dict:
    """The paginator definitions botocore ships for ``service`` (empty if none)."""
    try:
        return _session.get_paginator_model(service)._paginator_config
    except Exception:  # noqa: BLE001 - a service without paginators is fine
        return {}


@dataclass(slots=True)
class Member:
    name: str
    arg: str  # the snake_case keyword the handler receives
    location: str | None  # uri, querystring, header, or None for the body
    wire_name: str
    shape: Shape


@dataclass(slots=True)
class Operation:
    service: str
    name: str
    model: OperationModel
    method: str
    segments: tuple[str, ...]  # literal segments, or "{label}" for a label
    labels: tuple[tuple[int, str], ...]  # (segment index, member name)
    members: dict[str, Member] = field(default_factory=dict)
    body_members: dict[str, Member] = field(default_factory=dict)
    query_members: dict[str, Member] = field(default_factory=dict)
    status: int = 200
    error_codes: frozenset[str] = frozenset()
    names_by_arg: dict[str, str] = field(default_factory=dict)  # snake_case keyword -> member name

    @property
    def handler_name(self) -> str:
        return xform_name(self.name)


def _build_operation(service: str, op_model: OperationModel) -> Operation:
    uri = op_model.http["requestUri"]
    path = uri.split("?", 1)[0]
    raw_segments = tuple(s for s in path.split("/") if s)
    segments: list[str] = []
    label_members: dict[str, int] = {}
    for index, segment in enumerate(raw_segments):
        match = re.fullmatch(r"\{([^}+]+)\+?\}", segment)
        if match:
            label_members[match.group(1)] = index
            segments.append("{}")
        else:
            segments.append(segment)
    op = Operation(
        service=service,
        name=op_model.name,
        model=op_model,
        method=op_model.http["method"],
        segments=tuple(segments),
        labels=(),
        status=op_model.http.get("responseCode") or 200,
        error_codes=frozenset(shape.name for shape in op_model.error_shapes),
    )
    labels: list[tuple[int, str]] = []
    input_shape = op_model.input_shape
    if input_shape is not None:
        for name, shape in input_shape.members.items():
            location = shape.serialization.get("location")
            wire_name = shape.serialization.get("name", name)
            member = Member(name, xform_name(name), location, wire_name, shape)
            op.members[name] = member
            op.names_by_arg[member.arg] = name
            if location == "uri":
                labels.append((label_members[wire_name], name))
            elif location == "querystring":
                op.query_members[wire_name] = member
            elif location is None:
                op.body_members[wire_name] = member
    op.labels = tuple(sorted(labels))
    return op


class RouteTable:
    """Matches (method, raw path) to an operation, one path segment at a time."""

    def __init__(self, operations: list[Operation]) -> None:
        self._by_shape: dict[tuple[str, int], list[Operation]] = {}
        for op in operations:
            self._by_shape.setdefault((op.method, len(op.segments)), []).append(op)
        # literal-heavy routes first, so /clusters/x/updates beats a label
        for ops in self._by_shape.values():
            ops.sort(key=lambda o: -sum(1 for s in o.segments if s != "{}"))
        self._paths = {(len(op.segments)) for op in operations}

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None | bool:
        """The operation and its unquoted labels; False when the path exists for another method."""
        # a trailing slash is an empty last segment: describe_cluster(name="") is GET /clusters/, which
        # must reach DescribeCluster (and fail its validation), not ListClusters
        trimmed = raw_path[1:] if raw_path.startswith("/") else raw_path
        parts = trimmed.split("/") if trimmed else []
        candidates = self._by_shape.get((method, len(parts)))
        if candidates:
            found = self._first(candidates, parts)
            if found is not None:
                return found
        for (other_method, count), ops in self._by_shape.items():
            if count == len(parts) and other_method != method and self._first(ops, parts) is not None:
                return False
        return None

    @staticmethod
    def _first(candidates: list[Operation], parts: list[str]) -> tuple[Operation, dict[str, str]] | None:
        for op in candidates:
            segments = op.segments
            for index, segment in enumerate(segments):
                # an empty label still matches: the dispatcher refuses it as that operation's invalid input
                if segment != "{}" and segment != parts[index]:
                    break
            else:
                return op, {name: unquote(parts[index]) for index, name in op.labels}
        return None


OPERATIONS: dict[str, dict[str, Operation]] = {
    service: {name: _build_operation(service, model.operation_model(name)) for name in model.operation_names}
    for service, model in MODELS.items()
}
ROUTES: dict[str, RouteTable] = {
    service: RouteTable(list(ops.values())) for service, ops in OPERATIONS.items()
}


def all_operations() -> list[tuple[str, str]]:
    """Every (service, operation) pair the installed models list."""
    return [(service, name) for service, ops in OPERATIONS.items() for name in ops]
