"""A bounded property-based fuzz run over every operation (the long run: benchmarks/fuzz_long.py).

The rules (tests/fuzzing.py): nothing escapes and nothing answers 5xx; an error's code is modelled by
the operation or common, with its documented status; a success parses with botocore and validates
against the output shape. Each operation gets shaped requests (valid and invalid members) and raw
bodies; derandomized, so a CI failure reproduces.
"""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_eks import mock_eks
from tests import fuzzing

BOUNDED = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _run(batch: list[fuzzing.Call]) -> None:
    with mock_eks(), requests.Session() as session:
        fuzzing.seed(session)
        failures = [(call, fuzzing.send(session, call)) for call in batch]
    broken = [(call.method, call.url, call.body[:200], problem) for call, problem in failures if problem]
    assert not broken, broken


@pytest.mark.parametrize(
    "operation", fuzzing.OPERATION_NAMES, ids=[name for _, name in fuzzing.OPERATION_NAMES]
)
def test_every_answer_keeps_the_rules(operation: tuple[str, str]) -> None:
    calls = st.one_of(
        fuzzing.shaped_call(operation), fuzzing.shaped_call(operation), fuzzing.raw_call(operation)
    )

    @BOUNDED
    @given(batch=st.lists(calls, min_size=4, max_size=8))
    def check(batch: list[fuzzing.Call]) -> None:
        _run(batch)

    check()


@pytest.mark.parametrize(
    "body",
    [b"[" * 5000, b'{"a":' * 300 + b"1" + b"}" * 300, b"\xff\xfe", b"null", b'{"name": NaN}', b"1e999"],
    ids=["brackets", "objects", "bytes", "null", "nan", "huge-number"],
)
def test_raw_bodies_on_every_route(body: bytes) -> None:
    batch = []
    for operation in fuzzing.OPERATION_NAMES:
        op = fuzzing.OPERATIONS[operation[0]][operation[1]]
        call = fuzzing.build_call(
            op, {m: "c1" for m, member in op.members.items() if member.location == "uri"}
        )
        call.body = body
        batch.append(call)
    _run(batch)


def _filler(shape) -> object:
    return {"list": [], "map": {}, "structure": {}, "integer": 1, "long": 1, "boolean": True}.get(
        shape.type_name, "c1"
    )


def _nested_nulls(shape, depth: int = 0) -> list:
    """Values of ``shape`` with a JSON null inside a list or map, at every level the shape has one."""
    kind = shape.type_name
    if depth > 3:
        return []
    if kind == "list":
        return [[None]] + [[inner] for inner in _nested_nulls(shape.member, depth + 1)]
    if kind == "map":
        return [{"k": None}] + [{"k": inner} for inner in _nested_nulls(shape.value, depth + 1)]
    if kind == "structure":
        found = []
        for name, member in shape.members.items():
            base = {required: _filler(shape.members[required]) for required in shape.required_members}
            found += [{**base, name: inner} for inner in _nested_nulls(member, depth + 1)]
        return found
    return []


def test_a_null_inside_any_list_or_map_of_any_operation() -> None:
    """The sweep the random run may miss: a null at each list/map position of each input shape."""
    batch = []
    for service, name in fuzzing.OPERATION_NAMES:
        op = fuzzing.OPERATIONS[service][name]
        shape = op.model.input_shape
        if shape is None:
            continue
        base = {required: _filler(shape.members[required]) for required in shape.required_members}
        for member_name, member in shape.members.items():
            if member.serialization.get("location"):
                continue
            for value in _nested_nulls(member):
                batch.append(fuzzing.build_call(op, {**base, member_name: value}))
    assert len(batch) > 50
    _run(batch)
