"""Connected clusters: RegisterCluster, DeregisterCluster, and how the cluster operations see them."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import CONNECTOR_ROLE, create_cluster, error_of, register_cluster


def test_register_cluster_is_pending_with_activation(eks_client):
    cluster = register_cluster(eks_client, provider="EKS_ANYWHERE", tags={"site": "dc1"})
    assert cluster["status"] == "PENDING"
    assert cluster["arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/onprem"
    connector = cluster["connectorConfig"]
    assert connector["provider"] == "EKS_ANYWHERE"
    assert connector["roleArn"] == CONNECTOR_ROLE
    assert connector["activationId"] and connector["activationCode"]
    assert connector["activationExpiry"] - cluster["createdAt"] == timedelta(days=3)
    assert "version" not in cluster and "endpoint" not in cluster and "roleArn" not in cluster
    described = eks_client.describe_cluster(name="onprem")["cluster"]
    assert described["connectorConfig"]["activationId"] == connector["activationId"]
    assert described["tags"] == {"site": "dc1"}


def test_list_clusters_shows_registered_only_with_include_all(eks_client):
    create_cluster(eks_client, "eks-one")
    register_cluster(eks_client)
    assert eks_client.list_clusters()["clusters"] == ["eks-one"]
    assert eks_client.list_clusters(include=["all"])["clusters"] == ["eks-one", "onprem"]


def test_name_is_shared_with_eks_clusters(eks_client):
    create_cluster(eks_client, "taken")
    with pytest.raises(ClientError) as excinfo:
        register_cluster(eks_client, "taken")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    register_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "onprem")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)


@pytest.mark.parametrize(
    "connector",
    [{"roleArn": "not-an-arn", "provider": "GKE"}, {"roleArn": CONNECTOR_ROLE, "provider": "NOT_A_PROVIDER"}],
)
def test_register_rejects_invalid_connector_config(eks_client, connector):
    with pytest.raises(ClientError) as excinfo:
        eks_client.register_cluster(name="x", connectorConfig=connector)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_deregister_and_delete_cluster_each_refuse_the_other_kind(eks_client):
    create_cluster(eks_client, "eks-one")
    register_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.deregister_cluster(name="eks-one")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.deregister_cluster(name="ghost")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="onprem")
    assert error_of(excinfo)[0] == "InvalidRequestException"


def test_deregister_lifecycle_realistic():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        register_cluster(client)
        assert client.deregister_cluster(name="onprem")["cluster"]["status"] == "DELETING"
        assert client.describe_cluster(name="onprem")["cluster"]["status"] == "DELETING"
        assert client.deregister_cluster(name="onprem")["cluster"]["status"] == "DELETING"
        clock.tick(61)
        with pytest.raises(ClientError) as excinfo:
            client.describe_cluster(name="onprem")
        assert error_of(excinfo)[0] == "ResourceNotFoundException"
        assert client.list_clusters(include=["all"])["clusters"] == []


def test_activation_expires_after_three_days():
    with mock_eks(), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        register_cluster(client)
        clock.tick(3 * 86400 - 10)
        assert client.describe_cluster(name="onprem")["cluster"]["status"] == "PENDING"
        clock.tick(20)
        assert client.describe_cluster(name="onprem")["cluster"]["status"] == "FAILED"
        client.deregister_cluster(name="onprem")
        assert client.list_clusters(include=["all"])["clusters"] == []


def test_registered_cluster_tags(eks_client):
    arn = register_cluster(eks_client)["arn"]
    eks_client.tag_resource(resourceArn=arn, tags={"k": "v"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"k": "v"}
