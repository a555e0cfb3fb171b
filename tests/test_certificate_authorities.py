"""Cluster CA rotation: Create/Describe/List/Activate/DeleteCertificateAuthority."""

from __future__ import annotations

import base64

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of


def cas(client, cluster="demo"):
    return client.list_certificate_authorities(clusterName=cluster)["certificateAuthorities"]


def test_initial_ca_is_eks_created_signing_and_matches_describe_cluster(eks_client):
    create_cluster(eks_client)
    [initial] = cas(eks_client)
    assert initial["createdBy"] == "EKS"
    assert initial["signingStatus"] == "IN_USE"
    assert initial["distributionStatus"] == "COMPLETE"
    described = eks_client.describe_certificate_authority(
        clusterName="demo", certificateAuthorityId=initial["id"]
    )
    ca = described["certificateAuthority"]
    cluster_data = eks_client.describe_cluster(name="demo")["cluster"]["certificateAuthority"]["data"]
    assert ca["data"] == cluster_data
    assert ca["validity"]["notAfter"] > ca["validity"]["notBefore"]
    assert ca["rollbackAvailable"] is False
    x509.load_pem_x509_certificate(base64.b64decode(ca["data"]))


def test_rotation_end_to_end(eks_client):
    create_cluster(eks_client)
    [outgoing] = cas(eks_client)
    created = eks_client.create_certificate_authority(clusterName="demo")
    successor = created["certificateAuthority"]
    assert successor["createdBy"] == "CUSTOMER"
    assert successor["signingStatus"] == "NOT_USED"
    assert successor["distributionStatus"] == "IN_PROGRESS"
    assert created["update"]["type"] == "CertificateAuthorityUpdate"
    assert {"type": "CertificateAuthorityId", "value": successor["id"]} in created["update"]["params"]
    assert (
        eks_client.describe_update(name="demo", updateId=created["update"]["id"])["update"]["status"]
        == "Successful"
    )
    detail = eks_client.describe_certificate_authority(
        clusterName="demo", certificateAuthorityId=successor["id"]
    )
    detail = detail["certificateAuthority"]
    assert detail["distributionStatus"] == "COMPLETE"
    events = detail["scheduledEvents"]
    assert events["firstAutoActivation"] < events["finalAutoActivation"]
    assert [c["id"] for c in cas(eks_client)] == [outgoing["id"], successor["id"]]

    activated = eks_client.activate_certificate_authority(
        clusterName="demo", certificateAuthorityId=successor["id"]
    )
    assert activated["certificateAuthority"]["signingStatus"] == "ACTIVATING"
    by_id = {c["id"]: c for c in cas(eks_client)}
    assert by_id[successor["id"]]["signingStatus"] == "IN_USE"
    assert by_id[successor["id"]]["activatedBy"] == "CUSTOMER"
    assert "activatedAt" in by_id[successor["id"]]
    assert by_id[outgoing["id"]]["signingStatus"] == "NOT_USED"
    cluster_data = eks_client.describe_cluster(name="demo")["cluster"]["certificateAuthority"]["data"]
    assert cluster_data == detail["data"]
    new_detail = eks_client.describe_certificate_authority(
        clusterName="demo", certificateAuthorityId=successor["id"]
    )
    assert new_detail["certificateAuthority"]["rollbackAvailable"] is True

    deleted = eks_client.delete_certificate_authority(
        clusterName="demo", certificateAuthorityId=outgoing["id"]
    )
    assert deleted["certificateAuthority"]["distributionStatus"] == "DELETING"
    assert deleted["update"]["type"] == "CertificateAuthorityUpdate"
    assert [c["id"] for c in cas(eks_client)] == [successor["id"]]


def test_at_most_two_certificate_authorities(eks_client):
    create_cluster(eks_client)
    eks_client.create_certificate_authority(clusterName="demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_certificate_authority(clusterName="demo")
    assert error_of(excinfo)[:2] == ("ResourceLimitExceededException", 400)


def test_signing_ca_cannot_be_deleted_or_reactivated(eks_client):
    create_cluster(eks_client)
    [signing] = cas(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_certificate_authority(clusterName="demo", certificateAuthorityId=signing["id"])
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    with pytest.raises(ClientError) as excinfo:
        eks_client.activate_certificate_authority(clusterName="demo", certificateAuthorityId=signing["id"])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_successor_can_be_deleted(eks_client):
    create_cluster(eks_client)
    successor = eks_client.create_certificate_authority(clusterName="demo")["certificateAuthority"]
    eks_client.delete_certificate_authority(clusterName="demo", certificateAuthorityId=successor["id"])
    assert len(cas(eks_client)) == 1


def test_activation_needs_complete_distribution():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client)
        clock.tick(601)
        successor = client.create_certificate_authority(clusterName="demo")["certificateAuthority"]
        with pytest.raises(ClientError) as excinfo:
            client.activate_certificate_authority(clusterName="demo", certificateAuthorityId=successor["id"])
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        clock.tick(301)
        activated = client.activate_certificate_authority(
            clusterName="demo", certificateAuthorityId=successor["id"]
        )
        assert activated["update"]["status"] == "InProgress"
        by_id = {c["id"]: c for c in cas(client)}
        assert by_id[successor["id"]]["signingStatus"] == "ACTIVATING"
        with pytest.raises(ClientError) as excinfo:
            client.delete_certificate_authority(clusterName="demo", certificateAuthorityId=successor["id"])
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(301)
        assert {c["id"]: c for c in cas(client)}[successor["id"]]["signingStatus"] == "IN_USE"


def test_create_on_a_creating_cluster_is_in_use():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client)
        assert cas(client) == []
        with pytest.raises(ClientError) as excinfo:
            client.create_certificate_authority(clusterName="demo")
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)


def test_unknown_cluster_and_ca(eks_client):
    create_cluster(eks_client)
    calls = [
        lambda: eks_client.list_certificate_authorities(clusterName="ghost"),
        lambda: eks_client.create_certificate_authority(clusterName="ghost"),
        lambda: eks_client.describe_certificate_authority(clusterName="demo", certificateAuthorityId="nope"),
        lambda: eks_client.activate_certificate_authority(clusterName="demo", certificateAuthorityId="nope"),
        lambda: eks_client.delete_certificate_authority(clusterName="demo", certificateAuthorityId="nope"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_list_paginates(eks_client):
    create_cluster(eks_client)
    eks_client.create_certificate_authority(clusterName="demo")
    first = eks_client.list_certificate_authorities(clusterName="demo", maxResults=1)
    assert len(first["certificateAuthorities"]) == 1
    second = eks_client.list_certificate_authorities(
        clusterName="demo", maxResults=1, nextToken=first["nextToken"]
    )
    assert len(second["certificateAuthorities"]) == 1
    assert "nextToken" not in second
    assert first["certificateAuthorities"][0]["id"] != second["certificateAuthorities"][0]["id"]
