"""Snapshots (m.snapshot / m.restore / mock_eks(state=...)) and seeds (mock_eks(seed=...))."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from mock_eks.demo import SECTIONS, Demo
from mock_eks.state.seeds import SeedError
from mock_eks.state.snapshot import SnapshotError
from tests.helpers import NODE_ROLE, ROLE, SUBNETS, cluster_params, create_cluster, create_nodegroup, error_of

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def eks(region: str = "us-east-1", account: str | None = None, **options):
    if account is None:
        return boto3.client("eks", region_name=region, **options)
    return boto3.client("eks", region_name=region, aws_access_key_id=account, aws_secret_access_key="secret")


def roundtrip(snapshot: dict) -> dict:
    return json.loads(json.dumps(snapshot))


def test_a_snapshot_is_versioned_json_of_every_account_and_region():
    with mock_eks() as m:
        create_cluster(eks(), "east")
        create_cluster(eks("eu-west-1"), "west")
        create_cluster(eks(account="210987654321"), "other-account")
        snapshot = roundtrip(m.snapshot())
    assert snapshot["format"] == "mock_eks.snapshot" and snapshot["version"] == 3
    with mock_eks(state=snapshot):
        assert eks().list_clusters()["clusters"] == ["east"]
        assert eks("eu-west-1").list_clusters()["clusters"] == ["west"]
        assert eks(account="210987654321").list_clusters()["clusters"] == ["other-account"]
        assert eks().describe_cluster(name="east")["cluster"]["status"] == "ACTIVE"


def test_families_updates_and_their_answers_survive_a_restore():
    with mock_eks() as m:
        client = eks()
        create_cluster(client, "c1")
        create_nodegroup(client, "ng", cluster="c1")
        update = client.update_nodegroup_config(
            clusterName="c1", nodegroupName="ng", scalingConfig={"minSize": 1, "maxSize": 5, "desiredSize": 3}
        )["update"]
        client.create_addon(clusterName="c1", addonName="vpc-cni")
        client.tag_resource(
            resourceArn=client.describe_cluster(name="c1")["cluster"]["arn"], tags={"team": "a"}
        )
        before = {
            "cluster": client.describe_cluster(name="c1")["cluster"],
            "nodegroup": client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"],
            "addon": client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"],
            "update": client.describe_update(name="c1", updateId=update["id"], nodegroupName="ng")["update"],
        }
        snapshot = roundtrip(m.snapshot())
    with mock_eks(state=snapshot):
        client = eks()
        after = {
            "cluster": client.describe_cluster(name="c1")["cluster"],
            "nodegroup": client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"],
            "addon": client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"],
            "update": client.describe_update(name="c1", updateId=update["id"], nodegroupName="ng")["update"],
        }
        assert after == before
        assert after["nodegroup"]["scalingConfig"]["desiredSize"] == 3
        assert client.list_updates(name="c1", nodegroupName="ng")["updateIds"] == [update["id"]]


def test_pending_transitions_and_in_progress_updates_resume_after_a_restore():
    with mock_eks(timing="realistic") as m, freeze_time(T0) as clock:
        client = eks()
        create_cluster(client, "c1")
        clock.tick(600)
        create_nodegroup(client, "ng", cluster="c1")
        clock.tick(180)
        update = client.update_nodegroup_config(
            clusterName="c1", nodegroupName="ng", labels={"addOrUpdateLabels": {"tier": "web"}}
        )["update"]
        create_cluster(client, "c2")  # CREATING
        snapshot = roundtrip(m.snapshot())
    assert len(snapshot["lifecycle"]) == 2
    with mock_eks(timing="realistic", state=snapshot), freeze_time(T0) as clock:
        client = eks()
        clock.tick(780)
        assert client.describe_cluster(name="c2")["cluster"]["status"] == "CREATING"
        ng = client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
        assert ng["status"] == "UPDATING" and "tier" not in ng["labels"]
        clock.tick(600)
        assert client.describe_cluster(name="c2")["cluster"]["status"] == "ACTIVE"
        ng = client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
        assert ng["status"] == "ACTIVE" and ng["labels"]["tier"] == "web"
        described = client.describe_update(name="c1", updateId=update["id"], nodegroupName="ng")["update"]
        assert described["status"] == "Successful"


def no_retries():
    # botocore retries throttling and 503s; each failure here should be seen
    return eks(config=Config(retries={"total_max_attempts": 1}))


def test_pending_faults_survive_a_restore():
    with mock_eks() as m:
        create_cluster(eks(), "c1")
        m.faults.fail_calls("DescribeCluster", "ThrottlingException", times=2, message="slow down")
        m.faults.fail_calls("ListClusters", "ServiceUnavailable", rate=0.5, seed=7)
        m.faults.fail_next("nodegroup.create", "Ec2SubnetNotFound", message="gone")
        with pytest.raises(ClientError):  # one of the two throttles is used before the snapshot
            no_retries().describe_cluster(name="c1")
        snapshot = roundtrip(m.snapshot())
        draws = list_outcomes(no_retries())
    with mock_eks(state=snapshot):
        client = no_retries()
        with pytest.raises(ClientError) as excinfo:
            client.describe_cluster(name="c1")
        assert error_of(excinfo)[0] == "ThrottlingException" and error_of(excinfo)[2] == "slow down"
        assert client.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"  # only one was left
        # the rate fault goes on from where its generator was: the same draws as before the restore
        assert list_outcomes(client) == draws and {"ok", "failed"} == set(draws)
        create_nodegroup(client, "ng", cluster="c1")
        described = client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
        assert described["status"] == "CREATE_FAILED"
        assert described["health"]["issues"][0]["code"] == "Ec2SubnetNotFound"
        assert described["health"]["issues"][0]["message"] == "gone"


def list_outcomes(client) -> list[str]:
    outcomes = []
    for _ in range(12):
        try:
            client.list_clusters()
            outcomes.append("ok")
        except ClientError:
            outcomes.append("failed")
    return outcomes


def test_a_version_1_snapshot_still_loads():
    # written by mock_eks before snapshots held faults and the moto link's record (format version 1):
    # a cluster CREATING under realistic timing, its transition pending
    path = Path(__file__).parent / "data" / "snapshot-v1.json"
    assert json.loads(path.read_text())["version"] == 1
    with freeze_time("2026-06-01 12:00:00") as clock, mock_eks(timing="realistic", state=path) as m:
        client = eks()
        assert client.describe_cluster(name="v1")["cluster"]["status"] == "CREATING"
        clock.tick(3600)
        assert client.describe_cluster(name="v1")["cluster"]["status"] == "ACTIVE"
        snapshot = m.snapshot()
        assert snapshot["version"] == 3 and snapshot["faults"] == {"calls": [], "lifecycle": {}}


def test_a_version_2_snapshot_still_loads():
    # written by mock_eks 0.1.0 (format version 2: records named by module path, before record kinds)
    # under realistic timing at 2026-06-01 12:45: cluster v2 ACTIVE with a node group (a scaling update
    # in progress), a Fargate profile, an add-on, an access entry and a pod identity association;
    # v2-creating CREATING; a cluster made with a clientRequestToken; one in eu-west-1; two pending faults
    path = Path(__file__).parent / "data" / "snapshot-v2.json"
    old = json.loads(path.read_text())
    assert old["version"] == 2 and {"$class"} <= set(old["objects"][0])
    with freeze_time("2026-06-01 12:45:00") as clock, mock_eks(timing="realistic", state=path) as m:
        client = eks()
        assert client.list_clusters()["clusters"] == ["idem", "v2", "v2-creating"]
        assert eks("eu-west-1").list_clusters()["clusters"] == ["west"]
        with pytest.raises(ClientError) as excinfo:  # the pending call fault
            no_retries().describe_cluster(name="v2")
        assert error_of(excinfo)[:1] == ("ThrottlingException",)
        cluster = client.describe_cluster(name="v2")["cluster"]
        assert cluster["status"] == "ACTIVE" and cluster["tags"] == {"team": "a"}
        assert client.describe_cluster(name="v2-creating")["cluster"]["status"] == "CREATING"
        ng = client.describe_nodegroup(clusterName="v2", nodegroupName="ng")["nodegroup"]
        assert ng["status"] == "UPDATING" and ng["labels"] == {"tier": "web"}
        assert client.list_fargate_profiles(clusterName="v2")["fargateProfileNames"] == ["fp"]
        assert client.list_addons(clusterName="v2")["addons"] == ["vpc-cni"]
        assert (
            "arn:aws:iam::123456789012:role/dev"
            in client.list_access_entries(clusterName="v2")["accessEntries"]
        )
        assert len(client.list_pod_identity_associations(clusterName="v2")["associations"]) == 1
        again = create_cluster(client, "idem", clientRequestToken="tok")
        assert again["name"] == "idem"  # the idempotency record came along: the same answer
        clock.tick(3600)
        ng = client.describe_nodegroup(clusterName="v2", nodegroupName="ng")["nodegroup"]
        assert ng["status"] == "ACTIVE" and ng["scalingConfig"]["desiredSize"] == 3
        assert client.describe_cluster(name="v2-creating")["cluster"]["status"] == "ACTIVE"
        create_nodegroup(client, "ng2", cluster="v2")
        clock.tick(3600)
        failed = client.describe_nodegroup(clusterName="v2", nodegroupName="ng2")["nodegroup"]
        assert failed["status"] == "CREATE_FAILED"  # the pending lifecycle fault
        written = m.snapshot()
    assert written["version"] == 3
    assert {entry["$kind"] for entry in written["objects"]} >= {
        "Cluster",
        "Nodegroup",
        "Collection",
        "Update",
    }
    assert not any("$class" in entry for entry in written["objects"])  # kinds, never module paths


def test_malformed_faults_or_link_records_are_refused():
    with mock_eks() as m:
        snapshot = m.snapshot()
        bad = [
            {"faults": {"calls": [{"operation": "NoSuchOperation", "code": "ThrottlingException"}]}},
            {"faults": {"lifecycle": {"cluster.create": [{"code": "NotACode"}]}}},
            {"faults": {"calls": [{"operation": "ListClusters", "code": "ServiceUnavailable", "rate": 0.5}]}},
            {"faults": []},
            {"moto_link": [["asg", "123456789012"]]},
        ]
        for change in bad:
            with pytest.raises(SnapshotError, match="malformed"):
                m.restore({**snapshot, **change})


def test_restore_replaces_the_active_state_and_accepts_a_file(tmp_path):
    with mock_eks() as m:
        create_cluster(eks(), "kept")
        path = tmp_path / "state.json"
        path.write_text(json.dumps(m.snapshot()))
        create_cluster(eks(), "dropped")
        m.restore(str(path))
        assert eks().list_clusters()["clusters"] == ["kept"]
    with mock_eks(state=path):
        assert eks().list_clusters()["clusters"] == ["kept"]
    with mock_eks():
        assert eks().list_clusters()["clusters"] == []  # the next outermost activation starts empty again


def test_pagination_tokens_and_idempotency_survive_a_restore():
    with mock_eks() as m:
        client = eks()
        for name in ("a", "b", "c"):
            create_cluster(client, name)
        page = client.list_clusters(maxResults=1)
        params = cluster_params("d")
        first = client.create_cluster(clientRequestToken="once", **params)["cluster"]
        snapshot = roundtrip(m.snapshot())
    with mock_eks(state=snapshot):
        client = eks()
        assert client.list_clusters(nextToken=page["nextToken"], maxResults=2)["clusters"] == ["b", "c"]
        again = client.create_cluster(clientRequestToken="once", **params)["cluster"]
        assert again["arn"] == first["arn"]


def test_every_demo_section_survives_a_snapshot_and_can_be_torn_down_after_it():
    with mock_eks() as m:
        demo = Demo(io.StringIO())
        sections = SECTIONS
        for section in sections:
            section.run(demo)
        text = json.dumps(m.snapshot())
        m.restore(json.loads(text))
        assert json.dumps(m.snapshot()) == text
        for section in reversed(sections):
            if hasattr(section, "teardown"):
                section.teardown(demo)


def test_snapshots_of_a_future_version_or_of_something_else_are_refused(tmp_path):
    with mock_eks() as m:
        snapshot = m.snapshot()
        with pytest.raises(SnapshotError, match="version 4.*upgrade mock_eks"):
            m.restore({**snapshot, "version": 4})
        for bad in ({}, {"format": "mock_eks.snapshot", "version": "1"}, [1, 2]):
            with pytest.raises(SnapshotError):
                m.restore(bad)
        foreign = {**snapshot, "objects": [{"$class": "os:system", "fields": {}}]}
        with pytest.raises(SnapshotError, match="not a mock_eks record class"):
            m.restore(foreign)
        (tmp_path / "broken.json").write_text("{")
        with pytest.raises(SnapshotError, match="not JSON"):
            m.restore(tmp_path / "broken.json")
    with pytest.raises(SnapshotError):
        mock_eks(state={**snapshot, "version": 99}).start()
    with mock_eks():  # the failed start left nothing active behind
        assert eks().list_clusters()["clusters"] == []
    with pytest.raises(RuntimeError):
        mock_eks.snapshot()


SEED = [
    {
        "operation": "create_cluster",
        "params": cluster_params("seeded"),
    },
    {
        "operation": "CreateNodegroup",
        "params": {"clusterName": "seeded", "nodegroupName": "ng", "nodeRole": NODE_ROLE, "subnets": SUBNETS},
    },
    {
        "operation": "CreateCluster",
        "region": "eu-west-1",
        "account": "210987654321",
        "params": cluster_params("elsewhere"),
    },
]


def test_a_seed_list_is_replayed_at_start_with_either_naming():
    with mock_eks(seed=SEED):
        client = eks()
        assert client.list_clusters()["clusters"] == ["seeded"]
        assert client.list_nodegroups(clusterName="seeded")["nodegroups"] == ["ng"]
        assert eks("eu-west-1", "210987654321").list_clusters()["clusters"] == ["elsewhere"]


def test_seed_files_in_yaml_and_json(tmp_path):
    yaml_file = tmp_path / "seed.yaml"
    yaml_file.write_text(
        "- operation: create_cluster\n"
        "  params:\n"
        "    name: from-yaml\n"
        f"    roleArn: {ROLE}\n"
        f"    resourcesVpcConfig: {{subnetIds: [{SUBNETS[0]}, {SUBNETS[1]}]}}\n"
    )
    json_file = tmp_path / "seed.json"
    json_file.write_text(json.dumps(SEED[:1]))
    with mock_eks(seed=yaml_file):
        assert eks().list_clusters()["clusters"] == ["from-yaml"]
    with mock_eks(seed=str(json_file)):
        assert eks().list_clusters()["clusters"] == ["seeded"]


@pytest.mark.parametrize(
    ("seed", "named"),
    [
        ([SEED[0], SEED[0]], r"seed item 1 \(create_cluster\) failed: .*ResourceInUseException"),
        ([SEED[0], {"operation": "launch_rocket", "params": {}}], "seed item 1: 'launch_rocket'"),
        (
            [{"operation": "create_cluster", "params": {"name": "x"}}],
            r"seed item 0 \(create_cluster\) failed",
        ),
        ([{"operation": "list_clusters", "parms": {}}], "seed item 0: unknown key"),
        ({"operation": "list_clusters"}, "a seed is a list"),
    ],
)
def test_a_failing_seed_item_stops_start_up_naming_it(seed, named):
    with pytest.raises(SeedError, match=named):
        mock_eks(seed=seed).start()
    with mock_eks():
        assert eks().list_clusters()["clusters"] == []


def test_a_seed_can_build_on_a_state():
    with mock_eks() as m:
        create_cluster(eks(), "from-state")
        snapshot = m.snapshot()
    with mock_eks(state=snapshot, seed=SEED[:1]):
        assert eks().list_clusters()["clusters"] == ["from-state", "seeded"]
        with pytest.raises(ClientError) as excinfo:
            eks().describe_cluster(name="missing")
        assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_record_fields_added_or_removed_since_a_snapshot_was_written_do_not_stop_it_loading():
    with mock_eks() as m:
        create_cluster(eks(), "c1")
        snapshot = roundtrip(m.snapshot())
    for entry in snapshot["objects"]:
        if entry["$kind"] == "Cluster":
            del entry["fields"]["deletion_protection"]  # a field this version added: its default is used
            entry["fields"]["retired_field"] = "x"  # a field this version dropped: ignored
    with mock_eks(state=snapshot):
        cluster = eks().describe_cluster(name="c1")["cluster"]
        assert cluster["status"] == "ACTIVE" and "deletionProtection" not in cluster  # its default: None
