"""botocore's service models, and everything derived from them, built on first use.

The models are the contract: routes, member locations, error shapes and output
shapes all come from here, so a newer botocore changes the mock by itself.

Nothing here touches a model at import: ``import mock_eks`` and the pytest
plugin stay cheap for test runs that never use EKS. ``MODELS``, ``OPERATIONS``
and ``ROUTES`` are read-only mappings that load a service's model, build an
``Operation`` or compile a route table the first time someone asks for it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from botocore import xform_name

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

SERVICE_NAMES = ("eks", "eks-auth")
V = TypeVar("V")

# one lock for every lazy build: builds nest (a route table asks for its models), hence re-entrant
_BUILD_LOCK = threading.RLock()


class LazyMapping(Mapping[str, V]):
    """A read-only mapping whose keys are known up front (or on first need) and whose values are built on first access."""

    def __init__(self, keys: Callable[[], Iterable[str]], build: Callable[[str], V]) -> None:
        self._keys_source = keys
        self._keys: tuple[str, ...] | None = None
        self._key_set: frozenset[str] = frozenset()
        self._build = build
        self._built: dict[str, V] = {}

    def _names(self) -> tuple[str, ...]:
        if self._keys is None:
            with _BUILD_LOCK:
                if self._keys is None:
                    keys = tuple(self._keys_source())
                    self._key_set = frozenset(keys)
                    self._keys = keys
        return self._keys

    def __getitem__(self, key: str) -> V:
        try:
            return self._built[key]
        except KeyError:
            pass
        if key not in self:
            raise KeyError(key)
        with _BUILD_LOCK:
            if key not in self._built:
                self._built[key] = self._build(key)
            return self._built[key]

    def __contains__(self, key: object) -> bool:
        self._names()
        return key in self._key_set

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {list(self._names())}>"


_sessions: list[Any] = []


def _session() -> Any:
    """One botocore session for the models (imported here: botocore.session is the expensive import)."""
    if not _sessions:
        with _BUILD_LOCK:
            if not _sessions:
                import botocore.session

                _sessions.append(botocore.session.get_session())
    return _sessions[0]


def _load_model(service: str) -> ServiceModel:
    return _session().get_service_model(service)


MODELS: Mapping[str, ServiceModel] = LazyMapping(lambda: SERVICE_NAMES, _load_model)


def load_paginators(service: str) -> dict:
    """The paginator definitions botocore ships for ``service`` (empty if none)."""
    try:
        return _session().get_paginator_model(service)._paginator_config
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
    method, segments, uri_labels = _route_of(op_model)
    label_index = {wire_name: index for index, wire_name in uri_labels}
    op = Operation(
        service=service,
        name=op_model.name,
        model=op_model,
        method=method,
        segments=segments,
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
                labels.append((label_index[wire_name], name))
            elif location == "querystring":
                op.query_members[wire_name] = member
            elif location is None:
                op.body_members[wire_name] = member
    op.labels = tuple(sorted(labels))
    return op


def _route_of(op_model: OperationModel) -> tuple[str, tuple[str, ...], tuple[tuple[int, str], ...]]:
    """(method, segments with "{}" for labels, (segment index, label wire name)) of an operation's URI."""
    path = op_model.http["requestUri"].split("?", 1)[0]
    segments: list[str] = []
    labels: list[tuple[int, str]] = []
    for index, segment in enumerate(s for s in path.split("/") if s):
        match = re.fullmatch(r"\{([^}+]+)\+?\}", segment)
        if match:
            labels.append((index, match.group(1)))
            segments.append("{}")
        else:
            segments.append(segment)
    return op_model.http["method"], tuple(segments), tuple(labels)


class RouteTable:
    """Matches (method, raw path) to an operation, one path segment at a time.

    Built from the URIs alone; the matched ``Operation`` (members, shapes) is built on first match.
    """

    def __init__(self, service: str) -> None:
        self.service = service
        model = MODELS[service]
        self._by_shape: dict[tuple[str, int], list[tuple[str, tuple[str, ...]]]] = {}
        for name in model.operation_names:
            method, segments, _ = _route_of(model.operation_model(name))
            self._by_shape.setdefault((method, len(segments)), []).append((name, segments))
        # literal-heavy routes first, so /clusters/x/updates beats a label
        for routes in self._by_shape.values():
            routes.sort(key=lambda route: -sum(1 for s in route[1] if s != "{}"))

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None | bool:
        """The operation and its unquoted labels; False when the path exists for another method."""
        # a trailing slash is an empty last segment: describe_cluster(name="") is GET /clusters/, which
        # must reach DescribeCluster (and fail its validation), not ListClusters
        trimmed = raw_path[1:] if raw_path.startswith("/") else raw_path
        parts = trimmed.split("/") if trimmed else []
        candidates = self._by_shape.get((method, len(parts)))
        if candidates:
            name = self._first(candidates, parts)
            if name is not None:
                op = OPERATIONS[self.service][name]
                return op, {member: unquote(parts[index]) for index, member in op.labels}
        for (other_method, count), routes in self._by_shape.items():
            if count == len(parts) and other_method != method and self._first(routes, parts) is not None:
                return False
        return None

    @staticmethod
    def _first(candidates: list[tuple[str, tuple[str, ...]]], parts: list[str]) -> str | None:
        for name, segments in candidates:
            for index, segment in enumerate(segments):
                # an empty label still matches: the dispatcher refuses it as that operation's invalid input
                if segment != "{}" and segment != parts[index]:
                    break
            else:
                return name
        return None


def _operations(service: str) -> LazyMapping[Operation]:
    return LazyMapping(
        lambda: MODELS[service].operation_names,
        lambda name: _build_operation(service, MODELS[service].operation_model(name)),
    )


OPERATIONS: Mapping[str, Mapping[str, Operation]] = LazyMapping(lambda: SERVICE_NAMES, _operations)
ROUTES: Mapping[str, RouteTable] = LazyMapping(lambda: SERVICE_NAMES, RouteTable)


def all_operations() -> list[tuple[str, str]]:
    """Every (service, operation) pair the installed models list."""
    return [(service, name) for service, ops in OPERATIONS.items() for name in ops]
