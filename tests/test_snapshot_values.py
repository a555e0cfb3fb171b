"""restore() checks every value of a snapshot against its record kind (the dataclass's annotations and
the EKS model shape of the same name): a bad value is a SnapshotError (HTTP 400) naming its path, the old
state stays, and a snapshot restore accepts is served by every read without a 5xx."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from mock_eks import mock_eks
from mock_eks.server import MockEKSServer
from mock_eks.state.snapshot import SnapshotError
from tests import snapshot_fuzz
from tests.serving import request


@pytest.fixture(scope="module")
def snapshot() -> Iterator[dict[str, Any]]:
    yield snapshot_fuzz.base_snapshot()


def _field(snapshot: dict[str, Any], kind: str, name: str, value: Any) -> tuple[dict[str, Any], int]:
    changed = json.loads(json.dumps(snapshot))
    index = next(i for i, entry in enumerate(changed["objects"]) if entry["$kind"] == kind)
    changed["objects"][index]["fields"][name] = value
    return changed, index


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    [
        ("Cluster", "tags", "x"),
        ("Cluster", "created_at", "yesterday"),
        ("Cluster", "created_at", 1e308),
        ("Cluster", "status", "SLEEPING"),
        ("Cluster", "role_arn", "not an arn"),
        ("Nodegroup", "scaling_config", [1, 2]),
        ("Update", "status", 7),
    ],
)
def test_a_bad_value_is_refused_naming_its_path_and_the_old_state_stays(
    snapshot: dict[str, Any], kind: str, name: str, value: Any
) -> None:
    bad, index = _field(snapshot, kind, name, value)
    with mock_eks() as m:
        m.restore(snapshot)
        before = m.snapshot()
        with pytest.raises(SnapshotError) as excinfo:
            m.restore(bad)
        assert f"objects[{index}] ({kind}).{name}" in str(excinfo.value)
        assert m.snapshot() == before


def test_a_foreign_kind_is_refused_and_nothing_is_imported(snapshot: dict[str, Any]) -> None:
    sys.modules.pop("mock_eks.__main__", None)
    for entry in ({"$kind": "mock_eks.__main__:x", "fields": {}}, {"$kind": "Popen", "fields": {}}):
        foreign = {**snapshot, "objects": [*snapshot["objects"], entry]}
        with mock_eks() as m, pytest.raises(SnapshotError, match="not a mock_eks record"):
            m.restore(foreign)
    old_format = {**snapshot, "version": 2, "objects": [{"$class": "mock_eks.__main__:x", "fields": {}}]}
    with mock_eks() as m, pytest.raises(SnapshotError):
        m.restore(old_format)
    assert "mock_eks.__main__" not in sys.modules
    with MockEKSServer() as server:
        status, _, body = request(server, "PUT", "/_mock_eks/state", json.dumps(old_format).encode())
        assert status == 400 and json.loads(body)["message"]
        assert "mock_eks.__main__" not in sys.modules


def test_deep_nesting_is_refused_not_a_recursion_error(snapshot: dict[str, Any]) -> None:
    deep: Any = "bottom"
    for _ in range(100_000):
        deep = [deep]
    bad, _ = _field(snapshot, "Cluster", "extra", {"x": deep})
    with mock_eks() as m, pytest.raises(SnapshotError, match="deeper"):
        m.restore(bad)
    with MockEKSServer() as server:
        body = (
            b'{"format": "mock_eks.snapshot", "version": 3, "objects": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}"
        )
        assert request(server, "PUT", "/_mock_eks/state", body)[0] == 400
        bad_value = json.dumps(_field(snapshot, "Cluster", "tags", "x")[0]).encode()
        status, _, answer = request(server, "PUT", "/_mock_eks/state", bad_value)
        assert status == 400 and ".tags" in json.loads(answer)["message"]


def test_mutated_snapshots_are_refused_or_served_without_a_5xx(snapshot: dict[str, Any]) -> None:
    """A bounded run of benchmarks/fuzz_snapshots.py: 1,500 one-value mutations of a real snapshot."""
    outcome = snapshot_fuzz.run(snapshot, 1500, seed=20261205)
    assert outcome.failures == []
    assert outcome.refused > 500 and outcome.accepted > 100  # both sides of the check were exercised
