"""Property-based fuzzing of every operation, shared by tests/test_fuzz.py and benchmarks/fuzz_long.py.

Requests are built from botocore's input shapes (valid values, values that break one rule, JSON nulls,
wrong types) and as raw bodies (garbage bytes, deep nesting, JSON that is not an object), then sent as
HTTP through ``requests`` under the mock, so the whole pipeline answers them: routing, parsing,
validation, handlers, serialization. The rules every answer must keep:

1. nothing escapes: no Python exception reaches the caller, and no answer has a 5xx status;
2. an error's code is one the operation models or one of the Reference's common errors, with that
   code's documented HTTP status;
3. a success parses with botocore's own rest-json parser and validates against the output shape
   (types, 32/64-bit integer ranges, enums, list members and map values not null).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import requests
from botocore.model import Shape
from botocore.parsers import RestJSONParser
from hypothesis import strategies as st

from mock_eks import errors
from mock_eks.model.spec import OPERATIONS, ROUTES, Operation
from tests.helpers import ROLE, SUBNETS

HOSTS = {"eks": "https://eks.us-east-1.amazonaws.com", "eks-auth": "https://eks-auth.us-east-1.api.aws"}
# names that exist after ``seed``, so fuzzed requests reach past the not-found checks
KNOWN_NAMES = ["c1", "ng1", "fp1", "vpc-cni", "coredns", "idp1", ROLE, "default", "app", "1.30", "all"]
OPERATION_NAMES = sorted((service, name) for service, ops in OPERATIONS.items() for name in ops)

_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


# -- the state requests run against ----------------------------------------------------------------


def seed(session: requests.Session) -> None:
    """An ACTIVE cluster c1 with a node group, a Fargate profile, an add-on and an access entry."""
    eks = HOSTS["eks"]
    session.post(
        f"{eks}/clusters",
        json={
            "name": "c1",
            "roleArn": ROLE,
            "resourcesVpcConfig": {"subnetIds": SUBNETS},
            "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"},
        },
    )
    session.get(f"{eks}/clusters/c1")
    session.post(
        f"{eks}/clusters/c1/node-groups", json={"nodegroupName": "ng1", "nodeRole": ROLE, "subnets": SUBNETS}
    )
    session.post(
        f"{eks}/clusters/c1/fargate-profiles",
        json={
            "fargateProfileName": "fp1",
            "podExecutionRoleArn": ROLE,
            "selectors": [{"namespace": "default"}],
            "subnets": SUBNETS,
        },
    )
    session.post(f"{eks}/clusters/c1/addons", json={"addonName": "vpc-cni"})
    session.post(f"{eks}/clusters/c1/access-entries", json={"principalArn": ROLE})
    session.post(
        f"{eks}/clusters/c1/pod-identity-associations",
        json={"namespace": "default", "serviceAccount": "app", "roleArn": ROLE},
    )


# -- strategies from shapes ------------------------------------------------------------------------


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(KNOWN_NAMES),
        st.text(string.ascii_letters + string.digits + "-_./:", max_size=24),
        st.text(max_size=12),  # any unicode, surrogates excluded by JSON encoding below
        st.sampled_from(["", " ", "é", "\x00", "a" * 300, "[" * 50, "https://[abc", "arn:aws:eks:::"]),
    )


def valid_value(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of ``shape``'s type, mostly inside its constraints."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string":
        if getattr(shape, "enum", None):
            return st.one_of(st.sampled_from(list(shape.enum)), _text())
        return _text()
    if kind in ("integer", "long"):
        low = meta.get("min", -(2**31))
        high = meta.get("max", 2**31 - 1)
        return st.one_of(st.integers(low, high), st.sampled_from([low, high]))
    if kind == "boolean":
        return st.booleans()
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    if kind == "timestamp":
        return st.integers(0, 4_102_444_800)
    if kind == "blob":
        return st.binary(max_size=16).map(lambda b: b.hex())
    if depth > 3:
        return st.none()
    if kind == "list":
        return st.lists(valid_value(shape.member, depth + 1), max_size=3)
    if kind == "map":
        return st.dictionaries(
            st.text(string.ascii_letters, min_size=1, max_size=8),
            valid_value(shape.value, depth + 1),
            max_size=3,
        )
    if kind == "structure":
        members = shape.members
        required = shape.required_members
        return st.fixed_dictionaries(
            {name: valid_value(members[name], depth + 1) for name in required},
            optional={
                name: valid_value(member, depth + 1)
                for name, member in members.items()
                if name not in required
            },
        )
    return st.none()


def any_value(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Valid values most of the time; otherwise a null, a wrong type, or a value just outside a bound."""
    kind = shape.type_name
    wrong: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.sampled_from([True, 0, -1, 2**31, 2**63, 1.5, "x", [], {}, [None], {"k": None}]),
    ]
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        wrong.append(st.sampled_from([low - 1, high + 1, 10**30]))
    return st.one_of(valid_value(shape, depth), *wrong) if depth < 4 else valid_value(shape, depth)


@dataclass
class Call:
    service: str
    operation: str
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{HOSTS[self.service]}{self.path}" + (f"?{self.query}" if self.query else "")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)) or value is None:
        return json.dumps(value)
    return str(value)


def build_call(op: Operation, params: dict[str, Any]) -> Call:
    """The rest-json request for ``params`` (members by model name), as a careless client would send it."""
    uri = op.model.http["requestUri"].split("?", 1)[0]
    query: list[tuple[str, str]] = []
    body: dict[str, Any] = {}
    for name, value in params.items():
        member = op.members[name]
        if member.location == "uri":
            text = quote(_scalar_text(value), safe="") if value is not None else ""
            uri = uri.replace("{" + member.wire_name + "}", text).replace("{" + member.wire_name + "+}", text)
        elif member.location == "querystring":
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            query.extend((member.wire_name, _scalar_text(item)) for item in values)
        elif member.location == "header":
            continue
        else:
            body[member.wire_name] = value
    for label in op.model.input_shape.members if op.model.input_shape else ():
        uri = uri.replace("{" + label + "}", "x")
    data = json.dumps(body).encode() if body else b""
    return Call(op.service, op.name, op.method, uri, urlencode(query), data)


@st.composite
def shaped_call(draw: st.DrawFn, operation: tuple[str, str] | None = None) -> Call:
    """A request for ``operation`` (else a random one) with members drawn from its input shape."""
    service, name = operation or draw(st.sampled_from(OPERATION_NAMES))
    op = OPERATIONS[service][name]
    shape = op.model.input_shape
    params: dict[str, Any] = {}
    if shape is not None:
        for member_name, member in shape.members.items():
            required = member_name in shape.required_members
            if required or draw(st.booleans()):
                params[member_name] = draw(
                    any_value(member) if draw(st.integers(0, 4)) == 0 else valid_value(member)
                )
    return build_call(op, params)


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@st.composite
def raw_call(draw: st.DrawFn, operation: tuple[str, str] | None = None) -> Call:
    """A request for ``operation``'s (else a random operation's) route with a body the model does not say."""
    service, name = operation or draw(st.sampled_from(OPERATION_NAMES))
    op = OPERATIONS[service][name]
    call = build_call(op, {m: "c1" for m in op.members if op.members[m].location == "uri"})
    call.body = draw(
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from(
                [
                    b"[" * 5000,
                    _deep(100),
                    b'{"a":' * 300 + b"1" + b"}" * 300,
                    b"null",
                    b"[]",
                    b"1e999",
                    b'"x"',
                    b'{"name": NaN}',
                    b"{",
                    b"\xff\xfe",
                    b'{"tags": {"k": null}}',
                    b'{"name": "\\ud800"}',
                ]
            ),
            st.recursive(
                st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
                lambda children: st.one_of(
                    st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
                ),
                max_leaves=8,
            ).map(lambda doc: json.dumps(doc).encode()),
        )
    )
    call.method = draw(st.sampled_from([op.method, op.method, "GET", "PATCH"]))
    if draw(st.booleans()):
        call.path = draw(
            st.sampled_from([call.path + "/", call.path.replace("c1", "", 1), "//", call.path + "%ZZ"])
        )
    return call


calls = st.one_of(shaped_call(), shaped_call(), raw_call())


# -- the rules ---------------------------------------------------------------------------------------


# enum values real EKS answers that the model's enum lacks: DescribeClusterVersions fills the
# deprecated `status` (ClusterVersionStatus, lower-case in the model) with versionStatus's spelling
# (cloud-custodian tests/data/placebo/test_eks_upgrade_available/eks.DescribeClusterVersions_1.json, 2026-01)
REAL_OVER_MODEL = {"ClusterVersionStatus": ("STANDARD_SUPPORT", "EXTENDED_SUPPORT", "UNSUPPORTED")}


def check_output(shape: Shape | None, value: Any, path: str, problems: list[str]) -> None:
    """Problems of a botocore-parsed value against ``shape`` (type, int range, enum, nulls)."""
    if shape is None:
        return
    if value is None:
        problems.append(f"{path}: null")
        return
    kind = shape.type_name
    expected = {
        "string": str,
        "integer": int,
        "long": int,
        "boolean": bool,
        "double": (int, float),
        "float": (int, float),
        "timestamp": datetime,
        "list": list,
        "map": dict,
        "structure": dict,
        "blob": (bytes, str),
    }.get(kind, object)
    if not isinstance(value, expected) or (kind in _INT_RANGES and isinstance(value, bool)):
        problems.append(f"{path}: {type(value).__name__} is not {kind}")
        return
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if not low <= value <= high:
            problems.append(f"{path}: {value} outside {kind}")
    elif (
        kind == "string"
        and getattr(shape, "enum", None)
        and value not in shape.enum
        and value not in REAL_OVER_MODEL.get(shape.name, ())
    ):
        problems.append(f"{path}: {value!r} not in enum {shape.name}")
    elif kind == "list":
        for index, item in enumerate(value):
            check_output(shape.member, item, f"{path}[{index}]", problems)
    elif kind == "map":
        for key, item in value.items():
            check_output(shape.value, item, f"{path}.{key}", problems)
    elif kind == "structure":
        for key, item in value.items():
            if key == "ResponseMetadata" and not path:
                continue
            member = shape.members.get(key)
            if member is None:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            check_output(member, item, f"{path}.{key}", problems)


def _documented_status(service: str, code: str) -> int | None:
    error = errors.error_class(service, code)
    return error.status if error is not None else None


def routed(call: Call) -> Operation | None:
    """The operation the model's routes give this method and path (the call may have been bent)."""
    found = ROUTES[call.service].match(call.method, call.path)
    return found[0] if found else None


def verdict(call: Call, status: int, headers: dict[str, str], body: bytes) -> str | None:
    """None if the answer keeps the rules, else what it breaks."""
    if status >= 500:
        return f"status {status}"
    op = routed(call)
    if status >= 400:
        code = headers.get("x-amzn-ErrorType", "").split(":", 1)[0]
        allowed = (
            errors.allowed_codes(call.service, op.error_codes, op.name)
            if op
            else frozenset(errors.COMMON_ERRORS)
        )
        if code not in allowed:
            return f"code {code!r} is neither modelled by {op.name if op else 'any operation'}, nor common, nor recorded"
        if _documented_status(call.service, code) != status:
            return f"code {code} with status {status}"
        try:
            json.loads(body)
        except ValueError:
            return "error body is not JSON"
        return None
    if op is None:
        return f"success {status} for a path no operation serves"
    if status != op.status:
        return f"success status {status}, the model says {op.status}"
    parsed = RestJSONParser().parse(
        {"status_code": status, "headers": headers, "body": body}, op.model.output_shape
    )
    problems: list[str] = []
    check_output(op.model.output_shape, parsed, "", problems)
    return f"{op.name}: " + "; ".join(problems[:3]) if problems else None


def send(session: requests.Session, call: Call) -> str | None:
    """Send one call; None if the answer keeps every rule, else the broken rule."""
    try:
        response = session.request(call.method, call.url, data=call.body, headers=call.headers)
    except Exception as error:  # noqa: BLE001 - rule 1: nothing escapes to the caller
        return f"{type(error).__name__}: {error}"[:300]
    try:
        return verdict(call, response.status_code, dict(response.headers), response.content)
    except Exception as error:  # noqa: BLE001 - an answer botocore cannot parse breaks rule 3
        return f"unparseable answer: {type(error).__name__}: {error}"[:300]
