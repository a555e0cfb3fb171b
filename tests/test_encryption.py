"""AssociateEncryptionConfig: secrets encryption added to an existing cluster through an Update."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONFIG = [{"resources": ["secrets"], "provider": {"keyArn": KEY}}]


def test_associate_encryption_config_lifecycle():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        assert "encryptionConfig" not in client.describe_cluster(name="c1")["cluster"]
        update = client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)["update"]
        assert (update["type"], update["status"]) == ("AssociateEncryptionConfig", "InProgress")
        assert update["params"][0]["type"] == "EncryptionConfig"
        assert KEY in update["params"][0]["value"]
        cluster = client.describe_cluster(name="c1")["cluster"]
        assert cluster["status"] == "UPDATING"
        assert "encryptionConfig" not in cluster
        assert update["id"] in client.list_updates(name="c1")["updateIds"]
        clock.tick(1801)
        cluster = client.describe_cluster(name="c1")["cluster"]
        assert cluster["status"] == "ACTIVE"
        assert cluster["encryptionConfig"] == CONFIG
        assert client.describe_update(name="c1", updateId=update["id"])["update"]["status"] == "Successful"


def test_second_association_while_in_progress_is_resource_in_use():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)
        with pytest.raises(ClientError) as excinfo:
            client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)


def test_cluster_with_encryption_refuses_another(eks_client):
    create_cluster(eks_client, "c1", encryptionConfig=CONFIG)
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)
    assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
    create_cluster(eks_client, "c2")
    eks_client.associate_encryption_config(clusterName="c2", encryptionConfig=CONFIG)
    eks_client.describe_cluster(name="c2")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c2", encryptionConfig=CONFIG)
    assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)


@pytest.mark.parametrize(
    "config",
    [
        [],
        [{"resources": ["secrets"], "provider": {}}],
        [{"resources": ["secrets"]}],
        [{"resources": ["secrets"], "provider": {"keyArn": "arn:aws:s3:::not-a-key"}}],
        [{"resources": ["configmaps"], "provider": {"keyArn": KEY}}],
        [{"provider": {"keyArn": KEY}}],
    ],
)
def test_invalid_encryption_config(eks_client, config):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c1", encryptionConfig=config)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_two_configs_refused_by_the_model_limit(eks_client):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG * 2)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_unknown_and_creating_cluster(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="nope", encryptionConfig=CONFIG)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_creating_cluster_refused():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        with pytest.raises(ClientError) as excinfo:
            client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
