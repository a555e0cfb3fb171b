"""Replay public recordings of real EKS responses and compare the mock's answer field for field.

Each file in tests/recordings/ holds one recorded call (see tests/recordings/README.md): where it comes
from, the state it was made in (``setup``: calls that rebuild that state, derived from the recording),
the request and the recorded response. The replay runs under ``mock_eks`` with the clock frozen at the
recording's time and the recording's region, then compares:

- the same members at every level (present on one side only = mismatch);
- the same value types (by botocore's output shape);
- enums, booleans, numbers and user-given strings exactly;
- account-, time- and id-specific strings by shape (ARN layout, endpoint and issuer hosts, ids, versions);
- timestamps by precision: a recorded whole-second value must be whole seconds, any other at most
  milliseconds;
- errors: code, HTTP status and message exactly.

A mismatch fails unless the recording is in KNOWN_DIFFERENCES with its reason; a listed recording that
matches fails too, so the table stays true. ``python -m tests.test_recordings`` prints the match table.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

RECORDINGS = Path(__file__).parent / "recordings"

_NODEGROUP_2024 = (
    "recorded 2024-04, before nodeRepairConfig (node auto repair, 2024-12) and updateConfig.updateStrategy "
    "(2024-11) existed; a 2026-04 real DescribeNodegroup (public-describe-nodegroup-create-failed-2026) "
    "returns both for a node group made without them, and the mock follows that newer recording"
)
_POD_IDENTITY_2025_05 = (
    "recorded 2025-05, before disableSessionTags (2025-06); newer real answers carry disableSessionTags "
    "false (public-create-pod-identity-association-2025-10), which the mock follows"
)
_CLUSTER_2024 = (
    "recorded 2024-03/04, before upgradePolicy (2024-07), deletionProtection and controlPlaneScalingConfig; "
    "its health {issues: []} on a healthy cluster is contradicted by the newer 2026-03 DescribeCluster "
    "recordings (custodian-addon-health-*), which omit health and which the mock follows"
)
_ADDON_2024 = (
    "recorded 2024-03, before namespaceConfig (2025); the newer 2026-03 DescribeAddon recordings "
    "(custodian-describe-addon-*) show the add-on's namespace there, and the mock follows them"
)

# recording -> why the mock answers otherwise (keep this small; fix the mock instead where possible)
KNOWN_DIFFERENCES: dict[str, str] = {
    "cli-create-nodegroup-2": _NODEGROUP_2024,
    "cli-create-nodegroup-3": _NODEGROUP_2024,
    "cli-describe-nodegroup": _NODEGROUP_2024,
    "cli-delete-nodegroup": _NODEGROUP_2024,
    "cli-create-pod-identity-association": _POD_IDENTITY_2025_05,
    "cli-describe-pod-identity-association": _POD_IDENTITY_2025_05,
    "cli-update-pod-identity-association": _POD_IDENTITY_2025_05,
    "cli-delete-pod-identity-association": _POD_IDENTITY_2025_05,
    "cli-describe-cluster": _CLUSTER_2024,
    "cli-delete-cluster": _CLUSTER_2024,
    "custodian-associate-encryption-config-describecluster-3": (
        "recorded 2023-03, before accessConfig (2023-12), upgradePolicy, deletionProtection and "
        "controlPlaneScalingConfig; the 2026-03 custodian recordings show all four"
    ),
    "cli-list-access-policies": (
        "the example lists the 19 access policies of mid-2025; the mock's table (data/access_policies.json) "
        "also holds policies published since (for example AmazonEKSACKPolicy). Both are sorted by name"
    ),
    "cli-list-insights": (
        "recorded 2025-05, before the 'Amazon Linux 2 compatibility' check; public list-insights of 2025-09 "
        "(upgrades to 1.33) show it, and the mock follows them"
    ),
    "custodian-associate-encryption-config-unknown-alias": (
        "the mock holds no KMS keys: without moto's KMS linked in strict mode it resolves any well-formed "
        "alias to a stable key ARN; with it, an unknown alias is this 400 (tests/test_encryption.py)"
    ),
    "custodian-associate-encryption-config-missing-key": (
        "the mock holds no KMS keys, so a key ARN is taken as is; with moto's KMS linked in strict mode an "
        "unknown key ARN gets this recorded 400 and message (tests/test_moto_link.py)"
    ),
    "cli-describe-addon-configuration-vpc-cni": (
        "recorded before mid-2024, when add-ons began to publish podIdentityConfiguration (the example was "
        "committed 2024-06-14); the user guide's later describe-addon-configuration output shows the member "
        "for add-ons that use IAM, which the mock follows (aws-node for vpc-cni)"
    ),
    "cli-create-addon-2": _ADDON_2024,
    "cli-create-addon-3": _ADDON_2024,
    "cli-describe-addon": _ADDON_2024,
    "cli-delete-addon": _ADDON_2024,
}

# free text whose wording other tables own (insight texts, add-on schemas): compared by type only
FREE_TEXT = {"description", "reason", "recommendation", "configurationSchema"}
# a value the source redacted
REDACTED = "<redacted>"

_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"LS0t[A-Za-z0-9+/=]+"), "<pem-base64>"),
    (re.compile(r"\b[0-9a-fx]{8}-[0-9a-fx]{4}-[0-9a-fx]{4}-[0-9a-fx]{4}-[0-9a-fx]{12}\b"), "<uuid>"),
    (re.compile(r"\b[0-9A-F]{32}\b"), "<endpoint-id>"),
    # the endpoint's cell label differs between Regions and accounts (gr7, yl4, sk1, ...)
    (re.compile(r"\.[a-z]{2}[0-9]\.(?=[a-z]{2}(?:-[a-z]+)+-[0-9]\.eks\.)"), ".<cell>."),
    (re.compile(r"\b(sg|vpc|subnet|lt|eni|i)-[0-9a-f]{8,17}\b"), r"\1-<hex>"),
    (re.compile(r"\ba-[0-9a-z]{17}\b"), "a-<association>"),
    (re.compile(r"\bv[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+\b"), "<addon-version>"),
    (re.compile(r"\b[0-9]+\.[0-9]+\.[0-9]+-[0-9]{8}\b"), "<ami-release>"),
    (re.compile(r"\beks\.[0-9]+\b"), "eks.<n>"),
    # after the ids above, whose hex digits can hold 12 decimal digits in a row
    (re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])"), "<account>"),
    (re.compile(r"\b1\.[0-9]+\.[0-9]+\b"), "<kubernetes-patch>"),
]


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def shape_of(value: str) -> str:
    for pattern, replacement in _SHAPES:
        value = pattern.sub(replacement, value)
    return value


def load(name: str) -> dict[str, Any]:
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def recording_names() -> list[str]:
    return sorted(path.stem for path in RECORDINGS.glob("*.json"))


# ------------------------------------------------------------------------------------------- compare
def _parse_time(value: Any) -> datetime.datetime:
    if isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value, datetime.UTC)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def compare(recorded: Any, got: Any, shape: Any, path: str = "") -> list[str]:
    """Every way ``got`` (boto3's parsed answer) differs from ``recorded`` under botocore ``shape``."""
    where = path or "<body>"
    if recorded == REDACTED:
        return [] if isinstance(got, str) else [f"{where}: {type(got).__name__}, recorded a string"]
    kind = shape.type_name if shape is not None else None
    if kind == "structure" or (shape is None and isinstance(recorded, dict)):
        if not isinstance(got, dict):
            return [f"{where}: {type(got).__name__}, recorded an object"]
        out = []
        for key in sorted(set(recorded) - set(got)):
            out.append(f"{path}.{key}: missing (recorded {json.dumps(recorded[key])[:80]})")
        for key in sorted(set(got) - set(recorded)):
            out.append(f"{path}.{key}: not in the recording (mock gave {str(got[key])[:80]})")
        for key in sorted(set(recorded) & set(got)):
            member = shape.members.get(key) if shape is not None else None
            if key in FREE_TEXT and isinstance(recorded[key], str):
                if not isinstance(got[key], str):
                    out.append(f"{path}.{key}: {type(got[key]).__name__}, recorded a string")
                continue
            out.extend(compare(recorded[key], got[key], member, f"{path}.{key}"))
        return out
    if kind == "map":
        if not isinstance(got, dict):
            return [f"{where}: {type(got).__name__}, recorded a map"]
        out = (
            [f"{where}: keys {sorted(got)} != recorded {sorted(recorded)}"]
            if set(got) != set(recorded)
            else []
        )
        for key in sorted(set(recorded) & set(got)):
            out.extend(compare(recorded[key], got[key], shape.value, f"{path}[{key!r}]"))
        return out
    if kind == "list" or (shape is None and isinstance(recorded, list)):
        if not isinstance(got, list):
            return [f"{where}: {type(got).__name__}, recorded a list"]
        if len(got) != len(recorded):
            return [f"{where}: {len(got)} items, recorded {len(recorded)}: {str(got)[:160]}"]
        member = shape.member if shape is not None else None
        return [
            problem
            for index, (want, have) in enumerate(zip(recorded, got, strict=True))
            for problem in compare(want, have, member, f"{path}[{index}]")
        ]
    if kind == "timestamp":
        if not isinstance(got, datetime.datetime):
            return [f"{where}: {type(got).__name__}, recorded a timestamp"]
        want = _parse_time(recorded)
        if want.microsecond == 0 and got.microsecond != 0:
            return [f"{where}: {got.isoformat()} has fractions, recorded whole seconds ({recorded})"]
        if got.microsecond % 1000:
            return [f"{where}: {got.isoformat()} is finer than milliseconds"]
        return []
    if kind in ("boolean", "integer", "long", "double", "float"):
        return (
            []
            if got == recorded and type(got) is type(recorded)
            else [f"{where}: {got!r}, recorded {recorded!r}"]
        )
    if isinstance(recorded, str):
        if not isinstance(got, str):
            return [f"{where}: {type(got).__name__}, recorded a string"]
        if path.endswith(".update.id") or path.startswith(".updateIds["):
            # update ids: the UUID version tells node group / add-on updates (3) from cluster ones (4)
            if UUID.fullmatch(recorded) and (not UUID.fullmatch(got) or got[14] != recorded[14]):
                return [
                    f"{where}: {got!r} is not a version-{recorded[14]} UUID like the recorded {recorded!r}"
                ]
        if shape is not None and shape.enum:
            return [] if got == recorded else [f"{where}: {got!r}, recorded {recorded!r}"]
        if got == recorded or shape_of(got) == shape_of(recorded):
            return []
        return [
            f"{where}: {got!r} (shape {shape_of(got)!r}), recorded {recorded!r} (shape {shape_of(recorded)!r})"
        ]
    return [] if got == recorded else [f"{where}: {got!r}, recorded {recorded!r}"]


# -------------------------------------------------------------------------------------------- replay
def _method(client: Any, operation: str) -> Any:
    from botocore import xform_name

    return getattr(client, xform_name(operation))


def _resolve(client: Any, request: dict[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Fill the request's placeholders with what the setup made (ids and ARNs are the mock's own)."""
    resolved = dict(request)
    for key, value in request.items():
        if value == "<from-setup>":
            last = results[-1]
            resolved[key] = last["update"]["id"] if "update" in last else last["association"]["associationId"]
        elif isinstance(value, str) and value.startswith("<insight:"):
            name = value[len("<insight:") : -1]
            insights = client.list_insights(clusterName=request["clusterName"])["insights"]
            resolved[key] = next(item["id"] for item in insights if item["name"] == name)
        elif isinstance(value, str) and value.startswith("<arn:"):
            kind, _, where = value[len("<arn:") : -1].partition(":")
            parts = where.split("/")
            if kind == "cluster":
                resolved[key] = client.describe_cluster(name=parts[0])["cluster"]["arn"]
            elif kind == "nodegroup":
                found = client.describe_nodegroup(clusterName=parts[0], nodegroupName=parts[1])
                resolved[key] = found["nodegroup"]["nodegroupArn"]
            elif kind == "addon":
                resolved[key] = client.describe_addon(clusterName=parts[0], addonName=parts[1])["addon"][
                    "addonArn"
                ]
    return resolved


def _frozen_at(at: str) -> datetime.datetime:
    moment = _parse_time(at)
    # a fractional instant, so that a whole-second value in the answer shows it was truncated on purpose
    return moment + datetime.timedelta(milliseconds=123) if moment.microsecond == 0 else moment


def replay(recording: dict[str, Any]) -> tuple[int, dict[str, Any], Any]:
    """(HTTP status, parsed answer without ResponseMetadata, output shape) of the recorded call."""
    import boto3
    from botocore.exceptions import ClientError
    from freezegun import freeze_time

    from mock_eks import mock_eks

    service = recording.get("service", "eks")
    timing = recording.get("timing", "instant")
    with freeze_time(_frozen_at(recording["at"])), mock_eks(timing=timing) as mock:
        client = boto3.client(service, region_name=recording["region"])
        results = []
        for step in recording.get("setup", []):
            if "advance" in step:  # let realistic-timing transitions come due
                mock.advance(step["advance"])
            elif "fault" in step:  # the recorded state is a failure: arm the mock's lifecycle fault
                fault = step["fault"]
                mock.faults.fail_next(fault["kind"], fault["code"], message=fault.get("message"))
            else:
                caller = (
                    boto3.client(step["service"], region_name=recording["region"])
                    if "service" in step
                    else client
                )
                results.append(_method(caller, step["operation"])(**step["params"]))
        request = _resolve(client, recording["request"], results)
        operation = client.meta.service_model.operation_model(recording["operation"])
        try:
            answer = _method(client, recording["operation"])(**request)
        except ClientError as error:
            answer = dict(error.response)
            status = answer.pop("ResponseMetadata")["HTTPStatusCode"]
            return status, answer, None
        status = answer.pop("ResponseMetadata")["HTTPStatusCode"]
        if "query" in recording:  # the source recorded the CLI's --query projection, not the whole body
            import jmespath

            return status, jmespath.search(recording["query"], answer), None
        return status, answer, operation.output_shape


def differences(name: str) -> list[str]:
    recording = load(name)
    try:
        status, answer, shape = replay(recording)
    except Exception as error:  # a setup the mock refuses is a difference too
        return [f"replay failed: {type(error).__name__}: {error}"]
    want_status = recording.get("status", 200)
    problems = []
    if want_status >= 400 or status >= 400:
        if status != want_status:
            problems.append(f"HTTP status {status}, recorded {want_status}")
        recorded = recording["response"]
        if set(recorded) == {"Error"}:
            # recorded by an SDK that did not parse the error's modelled fields (clusterName, message, ...):
            # only code and message can be compared
            answer = {"Error": answer.get("Error")} if "Error" in answer else answer
        problems += compare(recorded, answer, None)
        return problems
    if status not in (200, 204) or want_status not in (200, 204):
        problems.append(f"HTTP status {status}, recorded {want_status}")
    return problems + compare(recording["response"], answer, shape)


@pytest.mark.parametrize("name", recording_names())
def test_recording_matches(name: str) -> None:
    problems = differences(name)
    if name in KNOWN_DIFFERENCES:
        assert problems, f"{name} matches now: remove it from KNOWN_DIFFERENCES"
        return
    assert not problems, f"{name} differs from the recording:\n  " + "\n  ".join(problems)


def test_every_recording_names_its_source() -> None:
    for name in recording_names():
        recording = load(name)
        source = recording["source"]
        assert source["project"] and source["file"] and (source.get("commit") or source.get("date")), name
        assert recording["operation"] and "response" in recording and "request" in recording, name
    assert set(KNOWN_DIFFERENCES) <= set(recording_names())


if __name__ == "__main__":
    matched = 0
    names = recording_names()
    for each in names:
        found = differences(each)
        matched += not found
        print(
            ("ok  " if not found else "DIFF")
            + f" {each}"
            + ("" if not found else "\n    " + "\n    ".join(found))
        )
    print(f"{matched}/{len(names)} recordings match")


def test_lists_are_in_name_order_across_pages() -> None:
    # ListAddons (custodian-list-addons-order, 2026-03) and ListAccessEntries (cli-list-access-entries-order,
    # 2025-05) list by name although created in another order; ListClusters recordings are all by name.
    import boto3

    from mock_eks import mock_eks
    from tests.helpers import create_cluster, create_nodegroup

    with mock_eks():
        client = boto3.client("eks", region_name="us-east-1")
        for name in ["zeta", "alpha", "mid", "beta"]:
            create_cluster(client, name)
        first = client.list_clusters(maxResults=2)
        assert first["clusters"] == ["alpha", "beta"]
        client.delete_cluster(name="alpha")
        create_cluster(client, "aaa")  # sorts before the page already served: not repeated, not skipped after
        rest = client.list_clusters(maxResults=2, nextToken=first["nextToken"])
        assert rest["clusters"] == ["mid", "zeta"] and "nextToken" not in rest
        for name in ["web", "api", "db"]:
            create_nodegroup(client, name, cluster="zeta")
        assert client.list_nodegroups(clusterName="zeta")["nodegroups"] == ["api", "db", "web"]


def test_addon_versions_are_listed_by_name_descending() -> None:
    # aws-cli examples describe-addon-versions.rst (2024): `sort_by(addons, &owner)` is stable, and within
    # each owner the add-ons run vpc-cni, snapshot-controller, ..., adot: names descending
    import boto3

    from mock_eks import mock_eks

    with mock_eks():
        client = boto3.client("eks", region_name="us-east-1")
        names = [a["addonName"] for a in client.describe_addon_versions()["addons"]]
        assert names == sorted(names, reverse=True) and len(names) > 3
        pages = client.get_paginator("describe_addon_versions").paginate(PaginationConfig={"PageSize": 2})
        assert [a["addonName"] for page in pages for a in page["addons"]] == names
