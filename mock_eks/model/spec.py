"""botocore's service models, and everything derived from them, built on first use.

The models are the contract: routes, member locations, error shapes and output
shapes all come from here, so a newer botocore changes the mock by itself.

Nothing here touches a model at import: ``import mock_eks`` and the pytest
plugin stay cheap for test runs that never use EKS. ``MODELS``, ``OPERATIONS``
and ``ROUTES`` are read-only mappings that load a service's model, build an
``Operation`` or compile a route table the first time someone asks for it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
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


class UrlPattern(NamedTuple):
    """One row of ``url_patterns()``: what mock_eks intercepts for one operation."""

    method: str
    pattern: str  # a regular expression over the raw path (labels as named groups)
    service: str
    operation: str


@dataclass(frozen=True, slots=True)
class Route:
    """One operation's URL, derived from its model's ``requestUri``: a row of the one route table."""

    service: str
    operation: str
    method: str
    segments: tuple[str, ...]  # literal segments, or "{}" for a label
    labels: tuple[tuple[int, str], ...]  # (segment index, label name as the URI writes it)
    greedy: frozenset[int]  # segment indexes of {label+} labels

    @property
    def pattern(self) -> str:
        """The path as a regular expression: literals escaped, each label a named group.

        A label may be empty, as in ``RouteTable.match``: the dispatcher refuses an empty label as
        the operation's own invalid input rather than as an unknown route.
        """
        names = dict(self.labels)
        parts = []
        for index, segment in enumerate(self.segments):
            if segment != "{}":
                parts.append(re.escape(segment).replace("\\-", "-"))  # '-' needs no escape here
                continue
            body = ".*" if index in self.greedy else "[^/]*"
            name = names[index]
            parts.append(f"(?P<{name}>{body})" if name.isidentifier() else f"({body})")
        return "^/" + "/".join(parts) + "$"


def _route_of(service: str, op_model: OperationModel) -> Route:
    path = op_model.http["requestUri"].split("?", 1)[0]
    segments: list[str] = []
    labels: list[tuple[int, str]] = []
    greedy: set[int] = set()
    for index, segment in enumerate(s for s in path.split("/") if s):
        match = re.fullmatch(r"\{([^}+]+)(\+?)\}", segment)
        if match:
            labels.append((index, match.group(1)))
            if match.group(2):
                greedy.add(index)
            segments.append("{}")
        else:
            segments.append(segment)
    return Route(
        service, op_model.name, op_model.http["method"], tuple(segments), tuple(labels), frozenset(greedy)
    )


@functools.cache
def routes(service: str) -> tuple[Route, ...]:
    """The route of every operation of ``service``, in the model's order (built on first use)."""
    with _BUILD_LOCK:
        model = MODELS[service]
        return tuple(_route_of(service, model.operation_model(name)) for name in model.operation_names)


def url_patterns() -> list[UrlPattern]:
    """Every operation mock_eks intercepts: (method, path pattern, service, operation).

    The same table routes requests in the dispatcher (``RouteTable``) and gives ``responses`` one
    callback per operation while a mock is active.
    """
    return [UrlPattern(r.method, r.pattern, r.service, r.operation) for s in SERVICE_NAMES for r in routes(s)]


def _build_operation(service: str, op_model: OperationModel) -> Operation:
    route = _route_of(service, op_model)
    label_index = {name: index for index, name in route.labels}
    op = Operation(
        service=service,
        name=op_model.name,
        model=op_model,
        method=route.method,
        segments=route.segments,
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


class RouteTable:
    """Matches (method, raw path) to an operation, one path segment at a time.

    Indexes ``routes(service)``, the table ``url_patterns()`` shows: there is no other route table.
    The matched ``Operation`` (members, shapes) is built on first match.
    """

    def __init__(self, service: str) -> None:
        self.service = service
        self._by_shape: dict[tuple[str, int], list[Route]] = {}
        for route in routes(service):
            self._by_shape.setdefault((route.method, len(route.segments)), []).append(route)
        # literal-heavy routes first, so /clusters/x/updates beats a label
        for candidates in self._by_shape.values():
            candidates.sort(key=literal_count, reverse=True)

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None | bool:
        """The operation and its unquoted labels; False when the path exists for another method."""
        # a trailing slash is an empty last segment: describe_cluster(name="") is GET /clusters/, which
        # must reach DescribeCluster (and fail its validation), not ListClusters
        trimmed = raw_path[1:] if raw_path.startswith("/") else raw_path
        parts = trimmed.split("/") if trimmed else []
        candidates = self._by_shape.get((method, len(parts)))
        if candidates:
            route = self._first(candidates, parts)
            if route is not None:
                op = OPERATIONS[self.service][route.operation]
                return op, {member: unquote(parts[index]) for index, member in op.labels}
        for (other_method, count), others in self._by_shape.items():
            if count == len(parts) and other_method != method and self._first(others, parts) is not None:
                return False
        return None

    @staticmethod
    def _first(candidates: list[Route], parts: list[str]) -> Route | None:
        for route in candidates:
            for index, segment in enumerate(route.segments):
                # an empty label still matches: the dispatcher refuses it as that operation's invalid input
                if segment != "{}" and segment != parts[index]:
                    break
            else:
                return route
        return None


def literal_count(route: Route) -> int:
    """How many literal segments ``route`` has: more literals match first."""
    return sum(1 for segment in route.segments if segment != "{}")


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
