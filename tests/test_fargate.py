"""Fargate profiles against the API Reference: CreateFargateProfile, DescribeFargateProfile,
ListFargateProfiles, DeleteFargateProfile, the one-DELETING-at-a-time rule, tags and waiters."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import POD_EXECUTION_ROLE, SUBNETS, create_cluster, create_fargate_profile, error_of

FROZEN = "2026-11-21 12:00:00"


@pytest.fixture
def cluster(eks_client):
    return create_cluster(eks_client, "c1")


def _realistic_client(clock):
    client = boto3.client("eks", region_name="us-east-1")
    create_cluster(client, "c1")
    clock.tick(601)
    return client


def test_create_echoes_every_member_and_becomes_active(eks_client, cluster):
    profile = create_fargate_profile(
        eks_client,
        cluster="c1",
        subnets=["subnet-0aaa1111bbbb22223"],
        selectors=[
            {"namespace": "default", "labels": {"infrastructure": "fargate"}},
            {"namespace": "kube-system"},
        ],
        tags={"team": "a"},
    )
    assert profile["status"] == "CREATING"
    assert re.fullmatch(
        r"arn:aws:eks:us-east-1:123456789012:fargateprofile/c1/fp1/[0-9a-f-]{36}",
        profile["fargateProfileArn"],
    )
    described = eks_client.describe_fargate_profile(clusterName="c1", fargateProfileName="fp1")[
        "fargateProfile"
    ]
    assert described["status"] == "ACTIVE"
    assert described["clusterName"] == "c1"
    assert described["podExecutionRoleArn"] == POD_EXECUTION_ROLE
    assert described["subnets"] == ["subnet-0aaa1111bbbb22223"]
    assert described["selectors"] == [
        {"namespace": "default", "labels": {"infrastructure": "fargate"}},
        {"namespace": "kube-system"},
    ]
    assert described["tags"] == {"team": "a"}
    # a healthy profile has no health member (aws-cli examples describe-fargate-profile.rst, 2024-04;
    # tests/recordings/cli-describe-fargate-profile.json)
    assert "health" not in described


def test_subnets_default_to_the_clusters(eks_client, cluster):
    assert create_fargate_profile(eks_client, cluster="c1")["subnets"] == SUBNETS


def test_cluster_must_exist_and_be_active():
    with mock_eks(timing="realistic"), freeze_time(FROZEN) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError) as excinfo:
            create_fargate_profile(client, cluster="c1")
        # the model omits it, but real EKS answers ResourceNotFoundException (moto/eks/models.py
        # create_fargate_profile, captured from the real API; data/messages.json recorded_for)
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
        create_cluster(client, "c1")
        with pytest.raises(ClientError) as excinfo:
            create_fargate_profile(client, cluster="c1")
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidRequestException", 400) and "c1" in message
        clock.tick(601)
        assert create_fargate_profile(client, cluster="c1")["status"] == "CREATING"


@pytest.mark.parametrize(
    "selectors",
    [
        [],
        [{"namespace": f"ns{n}"} for n in range(6)],
        [{"labels": {"a": "b"}}],
        [{"namespace": "default", "labels": {f"k{n}": "v" for n in range(6)}}],
    ],
)
def test_selector_rules(eks_client, cluster, selectors):
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(eks_client, cluster="c1", selectors=selectors)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_five_selectors_with_five_labels_are_accepted(eks_client, cluster):
    selectors = [{"namespace": f"ns{n}", "labels": {f"k{m}": "v" for m in range(5)}} for n in range(5)]
    assert create_fargate_profile(eks_client, cluster="c1", selectors=selectors)["selectors"] == selectors


def test_selectors_are_required_even_when_omitted(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_fargate_profile(
            clusterName="c1", fargateProfileName="fp1", podExecutionRoleArn=POD_EXECUTION_ROLE
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_pod_execution_role_must_be_an_iam_role_arn(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(
            eks_client, cluster="c1", podExecutionRoleArn="arn:aws:iam::123456789012:user/bob"
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_name_rules(eks_client, cluster):
    create_fargate_profile(eks_client, cluster="c1")
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(eks_client, cluster="c1")
    # message: getmoto/moto, moto/eks/models.py FARGATE_PROFILE_EXISTS_MSG (captured from the real API);
    # code: the model omits it, but real EKS answers ResourceInUseException 409 (same moto source)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        409,
        "A Fargate Profile already exists with this name in this cluster.",
    )
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(eks_client, cluster="c1", name="_bad")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_subnet_ids_must_be_subnet_ids(eks_client, cluster):
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(eks_client, cluster="c1", subnets=["sg-0123456789abcdef0"])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_describe_and_delete_unknown(eks_client, cluster):
    for call in (eks_client.describe_fargate_profile, eks_client.delete_fargate_profile):
        with pytest.raises(ClientError) as excinfo:
            call(clusterName="c1", fargateProfileName="nope")
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
        assert excinfo.value.response["fargateProfileName"] == "nope"


def test_list_paginates(eks_client, cluster):
    for n in range(4):
        create_fargate_profile(eks_client, cluster="c1", name=f"fp{n}")
    first = eks_client.list_fargate_profiles(clusterName="c1", maxResults=3)
    assert first["fargateProfileNames"] == ["fp0", "fp1", "fp2"]
    rest = eks_client.list_fargate_profiles(clusterName="c1", maxResults=3, nextToken=first["nextToken"])
    assert rest["fargateProfileNames"] == ["fp3"] and "nextToken" not in rest


def test_only_one_profile_deleting_at_a_time():
    with mock_eks(timing="realistic"), freeze_time(FROZEN) as clock:
        client = _realistic_client(clock)
        create_fargate_profile(client, cluster="c1", name="a")
        create_fargate_profile(client, cluster="c1", name="b")
        clock.tick(121)
        deleted = client.delete_fargate_profile(clusterName="c1", fargateProfileName="a")["fargateProfile"]
        assert deleted["status"] == "DELETING"
        # a second delete is refused while one is DELETING
        with pytest.raises(ClientError) as excinfo:
            client.delete_fargate_profile(clusterName="c1", fargateProfileName="b")
        # real EKS answers 409 ResourceInUseException (public Terragrunt notes quoting DeleteFargateProfile;
        # eksctl-io/eksctl pkg/fargate quotes the same sentence), although the model omits the code here
        assert error_of(excinfo) == (
            "ResourceInUseException",
            409,
            "Cannot delete Fargate profile b because cluster c1 currently has Fargate profile a in status DELETING",
        )
        # and so is a create
        with pytest.raises(ClientError) as excinfo:
            create_fargate_profile(client, cluster="c1", name="c")
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
        assert (
            client.describe_fargate_profile(clusterName="c1", fargateProfileName="b")["fargateProfile"][
                "status"
            ]
            == "ACTIVE"
        )
        clock.tick(121)
        assert client.list_fargate_profiles(clusterName="c1")["fargateProfileNames"] == ["b"]
        assert (
            client.delete_fargate_profile(clusterName="c1", fargateProfileName="b")["fargateProfile"][
                "status"
            ]
            == "DELETING"
        )
        clock.tick(121)
        assert create_fargate_profile(client, cluster="c1", name="c")["status"] == "CREATING"


def test_delete_cluster_refused_while_a_profile_exists(eks_client, cluster):
    create_fargate_profile(eks_client, cluster="c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="c1")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    eks_client.delete_fargate_profile(clusterName="c1", fargateProfileName="fp1")
    assert eks_client.list_fargate_profiles(clusterName="c1")["fargateProfileNames"] == []
    assert eks_client.delete_cluster(name="c1")["cluster"]["status"] == "DELETING"


def test_tags(eks_client, cluster):
    arn = create_fargate_profile(eks_client, cluster="c1", tags={"a": "1"})["fargateProfileArn"]
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
    eks_client.tag_resource(resourceArn=arn, tags={"b": "2"})
    eks_client.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}


def test_waiters_under_realistic_timing():
    with mock_eks(timing="realistic"), freeze_time(FROZEN, auto_tick_seconds=15):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        client.get_waiter("cluster_active").wait(name="c1", WaiterConfig={"Delay": 0, "MaxAttempts": 200})
        create_fargate_profile(client, cluster="c1")
        client.get_waiter("fargate_profile_active").wait(
            clusterName="c1", fargateProfileName="fp1", WaiterConfig={"Delay": 0, "MaxAttempts": 200}
        )
        status = client.describe_fargate_profile(clusterName="c1", fargateProfileName="fp1")["fargateProfile"]
        assert status["status"] == "ACTIVE"
        client.delete_fargate_profile(clusterName="c1", fargateProfileName="fp1")
        client.get_waiter("fargate_profile_deleted").wait(
            clusterName="c1", fargateProfileName="fp1", WaiterConfig={"Delay": 0, "MaxAttempts": 200}
        )
        assert client.list_fargate_profiles(clusterName="c1")["fargateProfileNames"] == []


def test_waiters_under_instant_timing(eks_client, cluster):
    create_fargate_profile(eks_client, cluster="c1")
    eks_client.get_waiter("fargate_profile_active").wait(
        clusterName="c1", fargateProfileName="fp1", WaiterConfig={"Delay": 0}
    )
    eks_client.delete_fargate_profile(clusterName="c1", fargateProfileName="fp1")
    eks_client.get_waiter("fargate_profile_deleted").wait(
        clusterName="c1", fargateProfileName="fp1", WaiterConfig={"Delay": 0}
    )
