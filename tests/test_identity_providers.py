"""OIDC identity provider configs: associate / describe / list / disassociate, through Update records."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of

OIDC = {
    "identityProviderConfigName": "corp",
    "issuerUrl": "https://id.example.com/realms/corp",
    "clientId": "eks",
}
REF = {"type": "oidc", "name": "corp"}


def test_associate_goes_through_an_update_and_creating_state():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        response = client.associate_identity_provider_config(
            clusterName="c1",
            oidc={
                **OIDC,
                "usernameClaim": "email",
                "groupsClaim": "groups",
                "groupsPrefix": "oidc:",
                "usernamePrefix": "oidc:",
                "requiredClaims": {"hd": "example.com"},
            },
            tags={"team": "idp"},
        )
        update = response["update"]
        assert response["tags"] == {"team": "idp"}
        assert (update["type"], update["status"]) == ("AssociateIdentityProviderConfig", "InProgress")
        assert update["params"] == [
            {"type": "IdentityProviderConfig", "value": '[{"type":"oidc","name":"corp"}]'}
        ]
        config = client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)[
            "identityProviderConfig"
        ]["oidc"]
        assert config["status"] == "CREATING"
        assert client.describe_cluster(name="c1")["cluster"]["status"] == "UPDATING"
        clock.tick(601)
        config = client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)[
            "identityProviderConfig"
        ]["oidc"]
        assert config["status"] == "ACTIVE"
        assert client.describe_update(name="c1", updateId=update["id"])["update"]["status"] == "Successful"
        assert client.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
    assert config["identityProviderConfigArn"].startswith(
        "arn:aws:eks:us-east-1:123456789012:identityproviderconfig/c1/oidc/corp/"
    )
    assert config["clusterName"] == "c1"
    assert (config["issuerUrl"], config["clientId"]) == (OIDC["issuerUrl"], "eks")
    assert (config["usernameClaim"], config["usernamePrefix"]) == ("email", "oidc:")
    assert (config["groupsClaim"], config["groupsPrefix"]) == ("groups", "oidc:")
    assert config["requiredClaims"] == {"hd": "example.com"}
    assert config["tags"] == {"team": "idp"}


def test_disassociate_goes_through_deleting():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
        clock.tick(601)
        update = client.disassociate_identity_provider_config(clusterName="c1", identityProviderConfig=REF)[
            "update"
        ]
        assert update["type"] == "DisassociateIdentityProviderConfig"
        config = client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)
        assert config["identityProviderConfig"]["oidc"]["status"] == "DELETING"
        clock.tick(301)
        assert client.list_identity_provider_configs(clusterName="c1")["identityProviderConfigs"] == []
        assert client.describe_update(name="c1", updateId=update["id"])["update"]["status"] == "Successful"
        with pytest.raises(ClientError) as excinfo:
            client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_second_update_while_associating_is_resource_in_use():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")
        clock.tick(601)
        client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
        with pytest.raises(ClientError) as excinfo:
            client.disassociate_identity_provider_config(clusterName="c1", identityProviderConfig=REF)
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)


def test_list_identity_provider_configs(eks_client):
    create_cluster(eks_client, "c1")
    assert eks_client.list_identity_provider_configs(clusterName="c1")["identityProviderConfigs"] == []
    eks_client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
    assert eks_client.list_identity_provider_configs(clusterName="c1")["identityProviderConfigs"] == [REF]


def test_one_oidc_provider_per_cluster(eks_client):
    create_cluster(eks_client, "c1")
    eks_client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
    eks_client.describe_cluster(name="c1")  # let the association finish
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_identity_provider_config(
            clusterName="c1", oidc={**OIDC, "identityProviderConfigName": "b"}
        )
    assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)


@pytest.mark.parametrize(
    "change",
    [
        {"issuerUrl": "http://id.example.com"},
        {"issuerUrl": "https://id.example.com/?tenant=1"},
        {"issuerUrl": "id.example.com"},
        {"usernamePrefix": "system:"},
        {"groupsPrefix": "system:oidc"},
        {"requiredClaims": {f"c{i}": "v" for i in range(11)}},
    ],
)
def test_associate_validates_oidc(eks_client, change):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_identity_provider_config(clusterName="c1", oidc={**OIDC, **change})
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_unknown_cluster_type_and_name(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_identity_provider_config(clusterName="nope", oidc=OIDC)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.disassociate_identity_provider_config(clusterName="c1", identityProviderConfig=REF)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_identity_provider_config(
            clusterName="c1", identityProviderConfig={"type": "saml", "name": "corp"}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_associate_needs_an_active_cluster():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1")  # CREATING
        with pytest.raises(ClientError) as excinfo:
            client.associate_identity_provider_config(clusterName="c1", oidc=OIDC)
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)


def test_identity_provider_config_arn_is_taggable(eks_client):
    create_cluster(eks_client, "c1")
    eks_client.associate_identity_provider_config(clusterName="c1", oidc=OIDC, tags={"a": "1"})
    arn = eks_client.describe_identity_provider_config(clusterName="c1", identityProviderConfig=REF)[
        "identityProviderConfig"
    ]["oidc"]["identityProviderConfigArn"]
    eks_client.tag_resource(resourceArn=arn, tags={"b": "2"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1", "b": "2"}
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_tags_for_resource(
            resourceArn=arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
        )
    assert error_of(excinfo)[:2] == ("NotFoundException", 404)
