"""Capabilities: CreateCapability, DescribeCapability, ListCapabilities, UpdateCapability, DeleteCapability."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import ARGO_CD, CAPABILITY_ROLE, IDC_INSTANCE, create_capability, create_cluster, error_of


def test_create_argocd_capability_becomes_active(eks_client):
    create_cluster(eks_client)
    cap = create_capability(eks_client, tags={"team": "gitops"})
    assert cap["status"] == "CREATING"
    assert cap["type"] == "ARGOCD"
    assert cap["clusterName"] == "demo"
    assert cap["roleArn"] == CAPABILITY_ROLE
    assert cap["deletePropagationPolicy"] == "RETAIN"
    assert cap["arn"].startswith("arn:aws:eks:us-east-1:123456789012:capability/demo/argo/")
    argo = cap["configuration"]["argoCd"]
    assert argo["awsIdc"]["idcInstanceArn"] == IDC_INSTANCE
    assert argo["awsIdc"]["idcRegion"] == "us-east-1"
    assert argo["awsIdc"]["idcManagedApplicationArn"].startswith("arn:aws:sso::123456789012:application/")
    assert argo["serverUrl"].startswith("https://")
    described = eks_client.describe_capability(clusterName="demo", capabilityName="argo")["capability"]
    assert described["status"] == "ACTIVE"
    assert described["tags"] == {"team": "gitops"}
    assert described["version"]


def test_ack_and_kro_capabilities_and_ack_defaults(eks_client):
    create_cluster(eks_client)
    ack = create_capability(eks_client, "ack", "ACK")
    assert ack["configuration"]["ack"] == {"enableCrossNamespace": False, "disabledServices": []}
    kro = create_capability(eks_client, "kro", "KRO")
    assert "configuration" not in kro or not kro["configuration"]


def test_capability_lifecycle_realistic():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        import boto3

        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client)
        clock.tick(601)
        create_capability(client)
        assert (
            client.describe_capability(clusterName="demo", capabilityName="argo")["capability"]["status"]
            == "CREATING"
        )
        with pytest.raises(ClientError) as excinfo:
            client.delete_capability(clusterName="demo", capabilityName="argo")
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(301)
        assert (
            client.describe_capability(clusterName="demo", capabilityName="argo")["capability"]["status"]
            == "ACTIVE"
        )
        assert (
            client.delete_capability(clusterName="demo", capabilityName="argo")["capability"]["status"]
            == "DELETING"
        )
        clock.tick(181)
        assert client.list_capabilities(clusterName="demo")["capabilities"] == []


def test_one_capability_per_type_and_unique_names(eks_client):
    create_cluster(eks_client)
    create_capability(eks_client)
    with pytest.raises(ClientError) as excinfo:
        create_capability(eks_client, "argo")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    with pytest.raises(ClientError) as excinfo:
        create_capability(eks_client, "argo-2")
    assert error_of(excinfo)[:2] == ("ResourceLimitExceededException", 400)


@pytest.mark.parametrize(
    "overrides",
    [
        {"roleArn": "not-a-role"},
        {"type": "ACK", "configuration": ARGO_CD},  # argoCd configuration on an ACK capability
        {"configuration": {"ack": {"enableCrossNamespace": True}}},  # ARGOCD without argoCd
        {"configuration": {"argoCd": {"awsIdc": {"idcInstanceArn": "arn:aws:iam::123456789012:role/x"}}}},
        {"capabilityName": "bad name"},
    ],
)
def test_create_rejects_invalid_input(eks_client, overrides):
    create_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        create_capability(eks_client, **overrides)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_create_on_missing_or_creating_cluster():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00"):
        import boto3

        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError) as excinfo:
            create_capability(client, cluster="nope")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        create_cluster(client)
        with pytest.raises(ClientError) as excinfo:
            create_capability(client)
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)


def test_describe_update_delete_missing_capability(eks_client):
    create_cluster(eks_client)
    for call in (
        lambda: eks_client.describe_capability(clusterName="demo", capabilityName="nope"),
        lambda: eks_client.update_capability(
            clusterName="demo", capabilityName="nope", roleArn=CAPABILITY_ROLE
        ),
        lambda: eks_client.delete_capability(clusterName="demo", capabilityName="nope"),
        lambda: eks_client.describe_capability(clusterName="ghost", capabilityName="nope"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_capabilities(clusterName="ghost")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_update_role_and_role_mappings_records_update(eks_client):
    create_cluster(eks_client)
    create_capability(
        eks_client,
        configuration={
            "argoCd": {
                "awsIdc": {"idcInstanceArn": IDC_INSTANCE},
                "rbacRoleMappings": [{"role": "ADMIN", "identities": [{"id": "u-1", "type": "SSO_USER"}]}],
            }
        },
    )
    new_role = "arn:aws:iam::123456789012:role/other"
    update = eks_client.update_capability(
        clusterName="demo",
        capabilityName="argo",
        roleArn=new_role,
        configuration={
            "argoCd": {
                "rbacRoleMappings": {
                    "addOrUpdateRoleMappings": [
                        {"role": "VIEWER", "identities": [{"id": "g-1", "type": "SSO_GROUP"}]}
                    ],
                    "removeRoleMappings": [
                        {"role": "ADMIN", "identities": [{"id": "u-1", "type": "SSO_USER"}]}
                    ],
                },
                "networkAccess": {"vpceIds": ["vpce-0123456789abcdef0"]},
            }
        },
    )["update"]
    assert update["type"] == "CapabilityUpdate"
    assert update["status"] == "InProgress"
    assert {p["type"] for p in update["params"]} == {
        "RoleArn",
        "RoleMappingsToAddOrUpdate",
        "RoleMappingsToRemove",
        "NetworkAccess",
    }
    described = eks_client.describe_update(name="demo", updateId=update["id"], capabilityName="argo")[
        "update"
    ]
    assert described["status"] == "Successful"
    assert update["id"] in eks_client.list_updates(name="demo", capabilityName="argo")["updateIds"]
    cap = eks_client.describe_capability(clusterName="demo", capabilityName="argo")["capability"]
    assert cap["roleArn"] == new_role
    assert cap["status"] == "ACTIVE"
    assert cap["configuration"]["argoCd"]["rbacRoleMappings"] == [
        {"role": "VIEWER", "identities": [{"id": "g-1", "type": "SSO_GROUP"}]}
    ]
    assert cap["configuration"]["argoCd"]["networkAccess"] == {"vpceIds": ["vpce-0123456789abcdef0"]}


def test_update_ack_configuration_and_rules(eks_client):
    create_cluster(eks_client)
    create_capability(eks_client, "ack", "ACK")
    eks_client.update_capability(
        clusterName="demo", capabilityName="ack", configuration={"ack": {"disabledServices": ["s3"]}}
    )
    cap = eks_client.describe_capability(clusterName="demo", capabilityName="ack")["capability"]
    assert cap["configuration"]["ack"]["disabledServices"] == ["s3"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_capability(clusterName="demo", capabilityName="ack")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_capability(
            clusterName="demo",
            capabilityName="ack",
            configuration={"argoCd": {"networkAccess": {"vpceIds": []}}},
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_update_while_updating_is_in_use():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        import boto3

        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client)
        clock.tick(601)
        create_capability(client, "ack", "ACK")
        clock.tick(301)
        client.update_capability(clusterName="demo", capabilityName="ack", roleArn=CAPABILITY_ROLE)
        cap = client.describe_capability(clusterName="demo", capabilityName="ack")["capability"]
        assert cap["status"] == "UPDATING"
        with pytest.raises(ClientError) as excinfo:
            client.update_capability(clusterName="demo", capabilityName="ack", roleArn=CAPABILITY_ROLE)
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(121)
        assert (
            client.describe_capability(clusterName="demo", capabilityName="ack")["capability"]["status"]
            == "ACTIVE"
        )


def test_list_capabilities_paginates(eks_client):
    create_cluster(eks_client)
    create_capability(eks_client, "a", "ACK")
    create_capability(eks_client, "k", "KRO")
    create_capability(eks_client, "g", "ARGOCD")
    first = eks_client.list_capabilities(clusterName="demo", maxResults=2)
    assert [c["capabilityName"] for c in first["capabilities"]] == ["a", "k"]
    assert {"capabilityName", "arn", "type", "status", "version", "createdAt"} <= set(
        first["capabilities"][0]
    )
    second = eks_client.list_capabilities(clusterName="demo", maxResults=2, nextToken=first["nextToken"])
    assert [c["capabilityName"] for c in second["capabilities"]] == ["g"]
    assert "nextToken" not in second


def test_capability_tags(eks_client):
    create_cluster(eks_client)
    arn = create_capability(eks_client, "ack", "ACK")["arn"]
    eks_client.tag_resource(resourceArn=arn, tags={"env": "dev"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "dev"}
    eks_client.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {}
