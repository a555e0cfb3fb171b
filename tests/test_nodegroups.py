"""Managed node groups against the API Reference: CreateNodegroup, DescribeNodegroup, ListNodegroups,
DeleteNodegroup, UpdateNodegroupConfig, UpdateNodegroupVersion, tags, waiters and the version rules."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from tests.helpers import create_cluster, create_nodegroup, error_of, unvalidated_client

FROZEN = "2026-11-21 12:00:00"


def _frozen_epoch() -> float:
    return datetime.fromisoformat(FROZEN + "+00:00").timestamp()


def _upgradable_version() -> tuple[str, str]:
    """A version available at FROZEN whose next minor is available too."""
    now = _frozen_epoch()
    for version in versions.available_versions(now):
        following = versions.next_minor(version)
        if following and versions.available(following, now):
            return version, following
    raise AssertionError("catalogue has no upgradable pair")


@pytest.fixture
def cluster(eks_client):
    return create_cluster(eks_client, "c1")


# ---- create, defaults, echo


def test_create_defaults_follow_the_reference(eks_client, cluster):
    group = create_nodegroup(eks_client, cluster="c1")
    assert group["status"] == "CREATING"
    assert re.fullmatch(
        r"arn:aws:eks:us-east-1:123456789012:nodegroup/c1/ng1/[0-9a-f-]{36}", group["nodegroupArn"]
    )
    assert group["clusterName"] == "c1"
    assert group["version"] == cluster["version"]
    assert group["instanceTypes"] == ["t3.medium"]
    assert group["diskSize"] == 20
    assert group["capacityType"] == "ON_DEMAND"
    assert group["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 2}
    assert group["health"] == {"issues": []}
    expected_ami = (
        "AL2023_x86_64_STANDARD" if versions.get(cluster["version"]).minor >= (1, 30) else "AL2_x86_64"
    )
    assert group["amiType"] == expected_ami
    # releaseVersion defaults to an AMI release of the cluster's Kubernetes version
    assert group["releaseVersion"].startswith(cluster["version"] + ".")
    # while CREATING: no resources, no labels (none given), no taints (aws/aws-cli
    # awscli/examples/eks/create-nodegroup.rst)
    assert "resources" not in group and "labels" not in group and "taints" not in group
    assert "launchTemplate" not in group
    described = eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
    assert described["status"] == "ACTIVE"
    # once ACTIVE: labels {} and the Auto Scaling group (aws/aws-cli awscli/examples/eks/describe-nodegroup.rst)
    uuid_part = group["nodegroupArn"].rsplit("/", 1)[1]
    assert described["resources"] == {"autoScalingGroups": [{"name": f"eks-ng1-{uuid_part}"}]}
    assert described["labels"] == {} and "taints" not in described


def test_every_input_member_is_stored_and_echoed(eks_client, cluster):
    params = {
        "scalingConfig": {"minSize": 0, "maxSize": 5, "desiredSize": 3},
        "instanceTypes": ["m6g.large", "m7g.large"],
        "amiType": "BOTTLEROCKET_ARM_64",
        "diskSize": 40,
        "remoteAccess": {"ec2SshKey": "my-key", "sourceSecurityGroups": ["sg-0123456789abcdef0"]},
        "labels": {"team": "a"},
        "taints": [{"key": "dedicated", "value": "gpu", "effect": "NO_SCHEDULE"}],
        "tags": {"env": "test"},
        "updateConfig": {"maxUnavailablePercentage": 25, "updateStrategy": "MINIMAL"},
        "nodeRepairConfig": {"enabled": True, "maxParallelNodesRepairedCount": 2},
        "capacityType": "SPOT",
        "version": cluster["version"],
        "warmPoolConfig": {"enabled": True, "minSize": 1},
    }
    create_nodegroup(eks_client, cluster="c1", **params)
    group = eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
    for member, value in params.items():
        assert group[member] == value, member
    assert group["resources"]["remoteAccessSecurityGroup"].startswith("sg-")


def test_windows_ami_types_default_to_a_50_gib_disk(eks_client, cluster):
    group = create_nodegroup(eks_client, cluster="c1", amiType="WINDOWS_CORE_2022_x86_64")
    assert group["diskSize"] == 50


def test_windows_ami_types_are_refused_outside_commercial_regions():
    with mock_eks():
        client = boto3.client("eks", region_name="cn-north-1")
        create_cluster(client, "c1")
        with pytest.raises(ClientError) as excinfo:
            create_nodegroup(client, cluster="c1", amiType="WINDOWS_FULL_2019_x86_64")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        assert create_nodegroup(client, cluster="c1", amiType="AL2023_x86_64_STANDARD")[
            "nodegroupArn"
        ].startswith("arn:aws-cn:eks:")


def test_arm_instance_types_choose_the_arm_ami_type(eks_client, cluster):
    group = create_nodegroup(eks_client, cluster="c1", instanceTypes=["t4g.medium"])
    assert group["amiType"] in ("AL2023_ARM_64_STANDARD", "AL2_ARM_64")
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(
            eks_client,
            cluster="c1",
            name="ng2",
            instanceTypes=["t4g.medium"],
            amiType="AL2023_x86_64_STANDARD",
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_launch_template_node_group_has_no_disk_size_or_default_instance_types(eks_client, cluster):
    group = create_nodegroup(eks_client, cluster="c1", launchTemplate={"name": "my-lt", "version": "1"})
    # EKS adds the template's id to a template given by name (getmoto/moto moto/eks/models.py, Nodegroup.__init__)
    assert group["launchTemplate"]["name"] == "my-lt" and group["launchTemplate"]["version"] == "1"
    assert group["launchTemplate"]["id"].startswith("lt-")
    assert "diskSize" not in group and "instanceTypes" not in group


@pytest.mark.parametrize(
    "extra",
    [
        {"diskSize": 30},
        {"remoteAccess": {"ec2SshKey": "k"}},
    ],
)
def test_launch_template_refuses_disk_size_and_remote_access(eks_client, cluster, extra):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", launchTemplate={"id": "lt-0123456789abcdef0"}, **extra)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


@pytest.mark.parametrize("template", [{"id": "lt-0123456789abcdef0", "name": "x"}, {"version": "2"}])
def test_launch_template_needs_id_or_name_not_both(eks_client, cluster, template):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", launchTemplate=template)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "not both" in message


def test_launch_template_allows_up_to_twenty_instance_types(eks_client, cluster):
    types = [f"m5.{n}xlarge" for n in range(2, 23)]
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", launchTemplate={"name": "lt"}, instanceTypes=types)
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert (
        create_nodegroup(eks_client, cluster="c1", launchTemplate={"name": "lt"}, instanceTypes=types[:20])[
            "instanceTypes"
        ]
        == types[:20]
    )


# ---- create errors


def test_cluster_must_exist(eks_client):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="missing")
    # the model omits it, but real EKS answers ResourceNotFoundException "No cluster found for name: ..."
    # (terraform-aws-modules/terraform-aws-eks issue #793, 2020-03-13, a real account's log)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No cluster found for name: missing.")


def test_cluster_must_be_active():
    with mock_eks(timing="realistic"), freeze_time(FROZEN) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        with pytest.raises(ClientError) as excinfo:
            create_nodegroup(client, cluster="c1")
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidRequestException", 400)
        assert "c1" in message
        assert excinfo.value.response["clusterName"] == "c1"
        clock.tick(601)
        assert create_nodegroup(client, cluster="c1")["status"] == "CREATING"


def test_name_is_unique_per_cluster(eks_client, cluster):
    create_nodegroup(eks_client, cluster="c1")
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    create_cluster(eks_client, "c2")
    assert create_nodegroup(eks_client, cluster="c2")["nodegroupName"] == "ng1"


@pytest.mark.parametrize("name", ["-lead", "has space", "x" * 101, "dot.ted"])
def test_name_pattern_and_length_as_for_clusters(eks_client, cluster, name):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", name=name)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_name_of_100_characters_is_accepted(eks_client, cluster):
    assert create_nodegroup(eks_client, cluster="c1", name="n" * 100)["nodegroupName"] == "n" * 100


def test_version_must_equal_the_clusters(eks_client, cluster):
    other = next(v for v in versions.available_versions(time.time()) if v != cluster["version"])
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", version=other)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_node_role_must_be_an_iam_role_arn(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", nodeRole="not-an-arn")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


@pytest.mark.parametrize(
    "scaling",
    [
        {"minSize": 3, "maxSize": 2, "desiredSize": 2},
        {"minSize": 1, "maxSize": 2, "desiredSize": 3},
        {"minSize": 2, "maxSize": 4, "desiredSize": 1},
        {"minSize": 1, "maxSize": 2},
        {"minSize": -1, "maxSize": 2, "desiredSize": 1},
        {"minSize": 0, "maxSize": 0, "desiredSize": 0},
    ],
)
def test_scaling_config_bounds(eks_client, cluster, scaling):
    client = unvalidated_client()
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(client, cluster="c1", scalingConfig=scaling)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_taints_limit_and_effect_enum(eks_client, cluster):
    taints = [{"key": f"k{n}", "value": "v", "effect": "NO_EXECUTE"} for n in range(51)]
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", taints=taints)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(unvalidated_client(), cluster="c1", taints=[{"key": "k", "effect": "NoSchedule"}])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    assert len(create_nodegroup(eks_client, cluster="c1", taints=taints[:50])["taints"]) == 50


def test_label_key_length(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(unvalidated_client(), cluster="c1", labels={"k" * 64: "v"})
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_update_config_max_unavailable_xor_percentage(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(
            eks_client, cluster="c1", updateConfig={"maxUnavailable": 1, "maxUnavailablePercentage": 10}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, cluster="c1", updateConfig={"maxUnavailable": 101})
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_node_repair_count_xor_percentage(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(
            eks_client,
            cluster="c1",
            nodeRepairConfig={
                "enabled": True,
                "maxParallelNodesRepairedCount": 1,
                "maxParallelNodesRepairedPercentage": 5,
            },
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


# ---- describe, list, delete


def test_describe_unknown_node_group(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_nodegroup(clusterName="c1", nodegroupName="nope")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    assert excinfo.value.response["nodegroupName"] == "nope"


def test_list_paginates(eks_client, cluster):
    for n in range(5):
        create_nodegroup(eks_client, cluster="c1", name=f"ng{n}")
    first = eks_client.list_nodegroups(clusterName="c1", maxResults=2)
    assert first["nodegroups"] == ["ng0", "ng1"]
    pages = eks_client.get_paginator("list_nodegroups").paginate(
        clusterName="c1", PaginationConfig={"PageSize": 2}
    )
    assert [n for page in pages for n in page["nodegroups"]] == [f"ng{n}" for n in range(5)]


def test_delete_goes_deleting_then_gone_and_cluster_delete_is_refused_meanwhile():
    with mock_eks(timing="realistic"), freeze_time(FROZEN) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        create_nodegroup(client, cluster="c1")
        with pytest.raises(ClientError) as excinfo:
            client.delete_cluster(name="c1")
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(181)
        assert (
            client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]["status"]
            == "DELETING"
        )
        assert (
            client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]["status"]
            == "DELETING"
        )
        with pytest.raises(ClientError):
            client.delete_cluster(name="c1")
        clock.tick(241)
        assert client.list_nodegroups(clusterName="c1")["nodegroups"] == []
        assert client.delete_cluster(name="c1")["cluster"]["status"] == "DELETING"


def test_waiters_under_realistic_timing():
    with mock_eks(timing="realistic"), freeze_time(FROZEN, auto_tick_seconds=15):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        client.get_waiter("cluster_active").wait(name="c1", WaiterConfig={"Delay": 0, "MaxAttempts": 200})
        create_nodegroup(client, cluster="c1")
        client.get_waiter("nodegroup_active").wait(
            clusterName="c1", nodegroupName="ng1", WaiterConfig={"Delay": 0, "MaxAttempts": 200}
        )
        assert (
            client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]["status"]
            == "ACTIVE"
        )
        client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")
        client.get_waiter("nodegroup_deleted").wait(
            clusterName="c1", nodegroupName="ng1", WaiterConfig={"Delay": 0, "MaxAttempts": 200}
        )
        assert client.list_nodegroups(clusterName="c1")["nodegroups"] == []


def test_waiters_under_instant_timing(eks_client, cluster):
    create_nodegroup(eks_client, cluster="c1")
    eks_client.get_waiter("nodegroup_active").wait(
        clusterName="c1", nodegroupName="ng1", WaiterConfig={"Delay": 0}
    )
    eks_client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")
    eks_client.get_waiter("nodegroup_deleted").wait(
        clusterName="c1", nodegroupName="ng1", WaiterConfig={"Delay": 0}
    )


# ---- tags


def test_tags_at_create_are_listed_and_the_arn_is_taggable(eks_client, cluster):
    arn = create_nodegroup(eks_client, cluster="c1", tags={"a": "1"})["nodegroupArn"]
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
    eks_client.tag_resource(resourceArn=arn, tags={"b": "2"})
    eks_client.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]["tags"] == {
        "b": "2"
    }
    wrong = arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_tags_for_resource(resourceArn=wrong)
    assert error_of(excinfo)[:2] == ("NotFoundException", 404)


# ---- UpdateNodegroupConfig


def test_update_config_applies_labels_taints_scaling_and_is_tracked(eks_client, cluster):
    create_nodegroup(
        eks_client,
        cluster="c1",
        labels={"keep": "1", "drop": "2"},
        taints=[{"key": "old", "value": "x", "effect": "NO_SCHEDULE"}],
    )
    update = eks_client.update_nodegroup_config(
        clusterName="c1",
        nodegroupName="ng1",
        labels={"addOrUpdateLabels": {"new": "3"}, "removeLabels": ["drop"]},
        taints={
            "addOrUpdateTaints": [{"key": "t", "value": "v", "effect": "NO_EXECUTE"}],
            "removeTaints": [{"key": "old"}],
        },
        scalingConfig={"maxSize": 6, "desiredSize": 4},
        updateConfig={"maxUnavailable": 2},
        nodeRepairConfig={"enabled": True},
    )["update"]
    assert update["type"] == "ConfigUpdate" and update["status"] == "InProgress"
    params = {p["type"]: p["value"] for p in update["params"]}
    assert json.loads(params["LabelsToAdd"]) == {"new": "3"}
    assert json.loads(params["LabelsToRemove"]) == ["drop"]
    assert params["MaxSize"] == "6" and params["DesiredSize"] == "4" and params["MaxUnavailable"] == "2"
    assert params["NodeRepairEnabled"] == "true"
    described = eks_client.describe_update(name="c1", updateId=update["id"], nodegroupName="ng1")["update"]
    assert described["status"] == "Successful"
    assert eks_client.list_updates(name="c1", nodegroupName="ng1")["updateIds"] == [update["id"]]
    assert eks_client.list_updates(name="c1")["updateIds"] == []
    group = eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
    assert group["labels"] == {"keep": "1", "new": "3"}
    assert group["taints"] == [{"key": "t", "value": "v", "effect": "NO_EXECUTE"}]
    assert group["scalingConfig"] == {"minSize": 1, "maxSize": 6, "desiredSize": 4}
    # updateStrategy stays DEFAULT (a real DescribeNodegroup, 2026-04: tests/recordings/public-*-2026.json)
    assert group["updateConfig"] == {"maxUnavailable": 2, "updateStrategy": "DEFAULT"}
    assert group["nodeRepairConfig"] == {"enabled": True}
    assert group["status"] == "ACTIVE"


def test_update_config_checks_merged_scaling_and_needs_a_change(eks_client, cluster):
    create_nodegroup(eks_client, cluster="c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_config(
            clusterName="c1", nodegroupName="ng1", scalingConfig={"desiredSize": 5}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_config(clusterName="c1", nodegroupName="ng1")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_config(
            clusterName="c1",
            nodegroupName="ng1",
            labels={"addOrUpdateLabels": {"a": "b"}, "removeLabels": ["a"]},
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_config(
            clusterName="c9", nodegroupName="ng1", scalingConfig={"desiredSize": 1}
        )
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_one_update_at_a_time_updating_status_and_delete_refused_meanwhile():
    with mock_eks(timing="realistic"), freeze_time(FROZEN) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        create_nodegroup(client, cluster="c1")
        clock.tick(181)
        first = client.update_nodegroup_config(
            clusterName="c1", nodegroupName="ng1", scalingConfig={"desiredSize": 1}
        )
        group = client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
        assert group["status"] == "UPDATING" and group["scalingConfig"]["desiredSize"] == 2
        with pytest.raises(ClientError) as excinfo:
            client.update_nodegroup_config(
                clusterName="c1", nodegroupName="ng1", scalingConfig={"desiredSize": 2}
            )
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        with pytest.raises(ClientError) as excinfo:
            client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(601)
        group = client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
        assert group["status"] == "ACTIVE" and group["scalingConfig"]["desiredSize"] == 1
        update = client.describe_update(name="c1", updateId=first["update"]["id"], nodegroupName="ng1")[
            "update"
        ]
        assert update["status"] == "Successful"


# ---- UpdateNodegroupVersion and the cluster version rule


def test_version_rules_between_cluster_and_node_groups():
    old, new = _upgradable_version()
    with mock_eks(), freeze_time(FROZEN):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version=old)
        create_nodegroup(client, cluster="c1")
        # not above the cluster's version
        with pytest.raises(ClientError) as excinfo:
            client.update_nodegroup_version(clusterName="c1", nodegroupName="ng1", version=new)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        # node group at the cluster's version: the cluster may move on
        client.update_cluster_version(name="c1", version=new)
        assert client.describe_cluster(name="c1")["cluster"]["version"] == new
        # a newer node group can't be created at the old version any more
        with pytest.raises(ClientError) as excinfo:
            create_nodegroup(client, cluster="c1", name="ng2", version=old)
        assert error_of(excinfo)[0] == "InvalidParameterException"
        # the next cluster update is refused while ng1 lags behind, naming it
        following = versions.next_minor(new)
        if following is not None and versions.available(following, _frozen_epoch()):
            with pytest.raises(ClientError) as excinfo:
                client.update_cluster_version(name="c1", version=following)
            code, _, message = error_of(excinfo)
            # hashicorp/terraform-provider-aws #19478 (2021-05-22): InvalidParameterException 400
            assert code == "InvalidParameterException" and "ng1" in message
        # no version: the node group moves to the cluster's version with its latest AMI
        update = client.update_nodegroup_version(clusterName="c1", nodegroupName="ng1")["update"]
        assert update["type"] == "VersionUpdate"
        params = {p["type"]: p["value"] for p in update["params"]}
        assert params["Version"] == new
        assert params["ReleaseVersion"].startswith(new + ".")
        group = client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
        assert group["version"] == new and group["releaseVersion"] == params["ReleaseVersion"]
        assert client.list_updates(name="c1", nodegroupName="ng1")["updateIds"] == [update["id"]]
        # no roll-back
        with pytest.raises(ClientError) as excinfo:
            client.update_nodegroup_version(clusterName="c1", nodegroupName="ng1", version=old)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        # already current: nothing to do
        with pytest.raises(ClientError) as excinfo:
            client.update_nodegroup_version(clusterName="c1", nodegroupName="ng1")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_cluster_version_update_refused_while_a_node_group_lags():
    old, new = _upgradable_version()
    with mock_eks(), freeze_time(FROZEN):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version=old)
        create_nodegroup(client, cluster="c1")
        client.update_cluster_version(name="c1", version=new)
        following = versions.next_minor(new)
        if following is None:
            pytest.skip("catalogue has no third version")
        with pytest.raises(ClientError) as excinfo:
            client.update_cluster_version(name="c1", version=following)
        code, status, message = error_of(excinfo)
        # hashicorp/terraform-provider-aws #19478 (2021-05-22): "Nodegroups eks-stg-gp must be updated to match
        # cluster version 1.18 before updating cluster version", InvalidParameterException 400
        assert (code, status) == ("InvalidParameterException", 400)
        assert (
            message
            == f"Nodegroups ng1 must be updated to match cluster version {new} before updating cluster version"
        )
        # force overrides upgrade-readiness checks, not the node group version rule
        with pytest.raises(ClientError) as excinfo:
            client.update_cluster_version(name="c1", version=following, force=True)
        assert error_of(excinfo)[0] == "InvalidParameterException"


def test_release_version_no_roll_back_to_an_older_ami():
    old, _ = _upgradable_version()
    with mock_eks(), freeze_time("2026-04-01"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version=old)
        earlier = create_nodegroup(client, cluster="c1")["releaseVersion"]
    with mock_eks(), freeze_time(FROZEN):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version=old)
        latest = create_nodegroup(client, cluster="c1")["releaseVersion"]
        assert latest != earlier
        with pytest.raises(ClientError) as excinfo:
            client.update_nodegroup_version(clusterName="c1", nodegroupName="ng1", releaseVersion=earlier)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        with pytest.raises(ClientError) as excinfo:
            create_nodegroup(client, cluster="c1", name="ng2", releaseVersion="9.99.9-20990101")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        group = create_nodegroup(client, cluster="c1", name="ng3", releaseVersion=earlier)
        assert group["releaseVersion"] == earlier
        update = client.update_nodegroup_version(clusterName="c1", nodegroupName="ng3", releaseVersion=latest)
        assert {"type": "ReleaseVersion", "value": latest} in update["update"]["params"]


def test_launch_template_updates_must_name_the_same_template(eks_client, cluster):
    create_nodegroup(eks_client, cluster="c1", launchTemplate={"name": "lt-a", "version": "1"})
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_version(
            clusterName="c1", nodegroupName="ng1", launchTemplate={"name": "lt-b", "version": "2"}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    update = eks_client.update_nodegroup_version(
        clusterName="c1", nodegroupName="ng1", launchTemplate={"name": "lt-a", "version": "2"}
    )["update"]
    assert {"type": "LaunchTemplateVersion", "value": "2"} in update["params"]
    group = eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng1")["nodegroup"]
    assert {k: group["launchTemplate"][k] for k in ("name", "version")} == {"name": "lt-a", "version": "2"}
    create_nodegroup(eks_client, cluster="c1", name="plain")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_version(
            clusterName="c1", nodegroupName="plain", launchTemplate={"name": "lt-a"}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_launch_template_by_name_gets_its_id_and_back(eks_client, cluster):
    # real EKS returns a template given by name with its id (lt-...), and the other way
    # round; moto's EKS backend (getmoto/moto moto/eks/models.py, Nodegroup.__init__) fills both the same way.
    by_name = create_nodegroup(
        eks_client, cluster="c1", name="a", launchTemplate={"name": "web", "version": "3"}
    )["launchTemplate"]
    assert by_name["id"].startswith("lt-") and len(by_name["id"]) == 20
    by_id = create_nodegroup(eks_client, cluster="c1", name="b", launchTemplate={"id": by_name["id"]})[
        "launchTemplate"
    ]
    assert by_id == {"name": "web", "id": by_name["id"]}
    unseen = create_nodegroup(
        eks_client, cluster="c1", name="c", launchTemplate={"id": "lt-0123456789abcdef0"}
    )["launchTemplate"]
    assert unseen["id"] == "lt-0123456789abcdef0" and unseen["name"]


def test_version_update_with_a_launch_template_lists_its_name_and_version(eks_client, cluster):
    # with a launch template the update's params are LaunchTemplateName/LaunchTemplateVersion,
    # not Version (aws/aws-cli awscli/examples/eks/update-nodegroup-version.rst shows Version without one)
    template = create_nodegroup(eks_client, cluster="c1", launchTemplate={"name": "web", "version": "1"})[
        "launchTemplate"
    ]
    update = eks_client.update_nodegroup_version(
        clusterName="c1", nodegroupName="ng1", launchTemplate={"id": template["id"], "version": "2"}
    )["update"]
    types = [p["type"] for p in update["params"]]
    assert "Version" not in types
    assert {"type": "LaunchTemplateName", "value": "web"} in update["params"]
    assert {"type": "LaunchTemplateVersion", "value": "2"} in update["params"]
