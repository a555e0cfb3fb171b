"""Mutated snapshots: each must be refused with SnapshotError, or be served by every read without a 5xx.

Shared by the suite (``tests/test_snapshot_values.py``, a bounded run) and ``benchmarks/fuzz_snapshots.py``
(the long run). A mutation replaces one value anywhere in a real snapshot's JSON (record fields, tags,
timestamps, statuses, references, collection items, pending steps, faults) with a value of another type
or a plausible wrong one, or deletes one key.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_eks import mock_eks
from mock_eks.state.snapshot import SnapshotError
from tests.helpers import (
    NODE_ROLE,
    associate_pod_identity,
    create_cluster,
    create_fargate_profile,
    create_nodegroup,
)

WRONG = [
    "x",
    "yesterday",
    "",
    -1,
    0,
    2**70,
    1e308,
    -0.5,
    True,
    None,
    [],
    {},
    ["x"],
    {"a": 1},
    {"$ref": 10_000},
    {"$ref": -1},
    {"$ref": True},
    {"$tuple": 5},
    {"$dict": [[1]]},
    {"$bytes": "!!"},
    {"$set": [[]]},
    {"$float": "soon"},
    {"$kind": "Cluster"},
    "arn:aws:eks:us-east-1:123456789012:cluster/other",
    "ACTIVE",
    "not an arn",
]


def base_snapshot() -> dict[str, Any]:
    """A snapshot holding one of nearly every family, a pending transition and a pending fault."""
    with mock_eks(timing="realistic") as m:
        eks = client()
        create_cluster(eks, "c1", tags={"t": "v"}, accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
        m.advance(3600)
        create_nodegroup(eks, "ng", cluster="c1")
        create_fargate_profile(
            eks, "fp", cluster="c1", podExecutionRoleArn=NODE_ROLE, selectors=[{"namespace": "a"}]
        )
        eks.create_access_entry(clusterName="c1", principalArn="arn:aws:iam::123456789012:role/app")
        associate_pod_identity(eks, cluster="c1", roleArn=NODE_ROLE)
        m.advance(3600)
        eks.update_cluster_config(
            name="c1", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
        )
        eks.tag_resource(resourceArn=eks.describe_cluster(name="c1")["cluster"]["arn"], tags={"more": "tags"})
        m.faults.fail_calls("DescribeAddon", "ServerException", times=1)
        return json.loads(json.dumps(m.snapshot()))


def client() -> Any:
    return boto3.client("eks", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))


def _slots(document: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the document a value can be replaced (the format and version excepted)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if path == () and key in ("format", "version"):
                continue
            yield (*path, key)
            yield from _slots(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield (*path, index)
            yield from _slots(value, (*path, index))


def mutate(snapshot: dict[str, Any], chooser: random.Random) -> tuple[dict[str, Any], str]:
    """A copy of ``snapshot`` with one value replaced or one key removed, and what was done."""
    mutated = copy.deepcopy(snapshot)
    slots = list(_slots(mutated))
    path = chooser.choice(slots)
    parent = mutated
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(parent, dict) and chooser.random() < 0.1:
        del parent[path[-1]]
        return mutated, f"deleted {path}"
    value = copy.deepcopy(chooser.choice(WRONG))
    parent[path[-1]] = value
    return mutated, f"{path} = {value!r}"


@dataclass
class Outcome:
    refused: int = 0
    accepted: int = 0
    failures: list[str] = field(default_factory=list)  # accepted then 5xx, or not a SnapshotError


def read_everything(eks: Any) -> None:
    """Every read a client makes of the state; ClientError with a 5xx status propagates as a failure."""
    for name in eks.list_clusters()["clusters"]:
        cluster = eks.describe_cluster(name=name)["cluster"]
        eks.list_tags_for_resource(resourceArn=cluster["arn"])
        for list_call, describe_call, key, argument in (
            ("list_nodegroups", "describe_nodegroup", "nodegroups", "nodegroupName"),
            (
                "list_fargate_profiles",
                "describe_fargate_profile",
                "fargateProfileNames",
                "fargateProfileName",
            ),
            ("list_addons", "describe_addon", "addons", "addonName"),
            ("list_access_entries", "describe_access_entry", "accessEntries", "principalArn"),
        ):
            for item in getattr(eks, list_call)(clusterName=name)[key]:
                getattr(eks, describe_call)(clusterName=name, **{argument: item})
        for update in eks.list_updates(name=name)["updateIds"]:
            eks.describe_update(name=name, updateId=update)
        for association in eks.list_pod_identity_associations(clusterName=name)["associations"]:
            eks.describe_pod_identity_association(
                clusterName=name, associationId=association["associationId"]
            )
        eks.list_identity_provider_configs(clusterName=name)


def run(snapshot: dict[str, Any], count: int, seed: int) -> Outcome:
    chooser = random.Random(seed)
    outcome = Outcome()
    with mock_eks() as m:
        eks = client()
        for _ in range(count):
            mutated, what = mutate(snapshot, chooser)
            m.reset()
            try:
                m.restore(mutated)
            except SnapshotError:
                outcome.refused += 1
                if m.backend is None or m.backend.regions:  # the old (empty) state is kept
                    outcome.failures.append(f"{what}: refused, but the state changed")
                continue
            except Exception as error:  # noqa: BLE001 - exactly what the fuzz looks for
                outcome.failures.append(f"{what}: {type(error).__name__}: {error}"[:300])
                continue
            outcome.accepted += 1
            try:
                read_everything(eks)
            except ClientError as error:
                status = error.response["ResponseMetadata"]["HTTPStatusCode"]
                if status >= 500 and not _injected(error):
                    outcome.failures.append(f"{what}: accepted, then {status} {error}"[:300])
            except Exception as error:  # noqa: BLE001
                outcome.failures.append(f"{what}: accepted, then {type(error).__name__}: {error}"[:300])
    return outcome


def _injected(error: ClientError) -> bool:
    """The base snapshot's own pending fault (a ServerException on DescribeAddon) is not a failure."""
    return error.operation_name == "DescribeAddon" and error.response["Error"]["Code"] == "ServerException"
