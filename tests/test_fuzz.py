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
