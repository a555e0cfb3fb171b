"""AssociateEncryptionConfig: secrets encryption added to an existing cluster through an Update."""

from __future__ import annotations

import json

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
    # hashicorp/terraform-provider-aws #19968 (2021-06-25), crossplane-contrib/provider-aws #1520 (2022-10-07):
    # InvalidParameterException "Encryption is already enabled on the cluster"
    refused = ("InvalidParameterException", 400, "Encryption is already enabled on the cluster")
    create_cluster(eks_client, "c1", encryptionConfig=CONFIG)
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c1", encryptionConfig=CONFIG)
    assert error_of(excinfo) == refused
    create_cluster(eks_client, "c2")
    eks_client.associate_encryption_config(clusterName="c2", encryptionConfig=CONFIG)
    eks_client.describe_cluster(name="c2")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(clusterName="c2", encryptionConfig=CONFIG)
    assert error_of(excinfo) == refused


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


def test_alias_resolves_to_a_key_arn(eks_client):
    # AssociateEncryptionConfig takes a KMS alias (alias/eks or an alias ARN); the update
    # param and the cluster show the key ARN it resolves to (aws/aws-cli awscli/examples/eks/
    # associate-encryption-config.rst shows the param as [{"resources":["secrets"],"provider":{"keyArn":...}}])
    create_cluster(eks_client, "demo")
    update = eks_client.associate_encryption_config(
        clusterName="demo", encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": "alias/eks"}}]
    )["update"]
    value = json.loads(update["params"][0]["value"])
    key_arn = value[0]["provider"]["keyArn"]
    assert key_arn.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    cluster = eks_client.describe_cluster(name="demo")["cluster"]
    assert cluster["encryptionConfig"][0]["provider"]["keyArn"] == key_arn
    alias_arn = "arn:aws:kms:us-east-1:123456789012:alias/eks"
    created = create_cluster(
        eks_client, "other", encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": alias_arn}}]
    )
    assert created["encryptionConfig"][0]["provider"]["keyArn"] == key_arn  # same alias, same key


@pytest.mark.parametrize(
    ("key", "message"),
    [
        # a bare key id: InvalidParameterException "The keyArn for encryptionConfig is invalid." (a Terraform
        # user's `terraform apply` output against a real account; see data/messages.json "tf-keyarn")
        ("1234abcd-12ab-34cd-56ef-1234567890ab", "The keyArn for encryptionConfig is invalid."),
        # aws-controllers-k8s/community issue #1175 (2022-02-11): "InvalidParameterException: KeyArn is required"
        ("", "KeyArn is required"),
    ],
)
def test_key_that_names_no_key(eks_client, key, message):
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(
            clusterName="demo", encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}]
        )
    assert error_of(excinfo) == ("InvalidParameterException", 400, message)


def test_kms_resolver_seam_decides_first(eks_client, monkeypatch):
    # the moto link's KMS seam answers first; its None means "no such key or alias"
    from mock_eks.moto_link import kms

    def only_known(ctx, value):
        return "arn:aws:kms:us-east-1:123456789012:key/known" if value == "alias/known" else None

    monkeypatch.setattr(kms, "resolve_key", only_known)
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_encryption_config(
            clusterName="demo",
            encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": "alias/unknown"}}],
        )
    assert error_of(excinfo)[2] == "The keyArn for encryptionConfig is invalid."
