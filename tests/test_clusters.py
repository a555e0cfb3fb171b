"""CreateCluster, DescribeCluster, ListClusters, DeleteCluster against the API Reference."""

from __future__ import annotations

import base64
import re
import time
from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from tests.helpers import ROLE, SUBNETS, create_cluster, error_of, unvalidated_client


def test_create_returns_creating_then_describe_sees_active(eks_client):
    created = create_cluster(eks_client, "alpha")
    assert created["status"] == "CREATING"
    assert created["arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/alpha"
    # the API Reference's CreateCluster sample response: "status": "CREATING", "certificateAuthority": {}
    assert "endpoint" not in created and created["certificateAuthority"] == {}
    described = eks_client.describe_cluster(name="alpha")["cluster"]
    assert described["status"] == "ACTIVE"
    assert re.fullmatch(r"https://[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com", described["endpoint"])
    assert re.fullmatch(
        r"https://oidc\.eks\.us-east-1\.amazonaws\.com/id/[0-9A-F]{32}",
        described["identity"]["oidc"]["issuer"],
    )


def test_certificate_authority_is_a_real_pem_certificate_unique_per_cluster(eks_client):
    create_cluster(eks_client, "one")
    create_cluster(eks_client, "two")
    first = eks_client.describe_cluster(name="one")["cluster"]["certificateAuthority"]["data"]
    second = eks_client.describe_cluster(name="two")["cluster"]["certificateAuthority"]["data"]
    certificate = x509.load_pem_x509_certificate(base64.b64decode(first))
    assert certificate.subject.rfc4514_string() == "CN=kubernetes"
    assert first != second
    # stable across reads
    assert eks_client.describe_cluster(name="one")["cluster"]["certificateAuthority"]["data"] == first


def test_defaults_match_the_reference(eks_client):
    create_cluster(eks_client, "defaults")
    cluster = eks_client.describe_cluster(name="defaults")["cluster"]
    vpc = cluster["resourcesVpcConfig"]
    assert vpc["subnetIds"] == SUBNETS
    assert vpc["endpointPublicAccess"] is True and vpc["endpointPrivateAccess"] is False
    assert vpc["publicAccessCidrs"] == ["0.0.0.0/0"]
    assert vpc["vpcId"].startswith("vpc-") and vpc["clusterSecurityGroupId"].startswith("sg-")
    assert cluster["kubernetesNetworkConfig"] == {"serviceIpv4Cidr": "10.100.0.0/16", "ipFamily": "ipv4"}
    assert cluster["logging"] == {
        "clusterLogging": [
            {"types": ["api", "audit", "authenticator", "controllerManager", "scheduler"], "enabled": False}
        ]
    }
    # accessConfig holds authenticationMode only on read (aws/aws-cli
    # awscli/examples/eks/describe-cluster.rst, 2024: "accessConfig": {"authenticationMode": ...})
    assert cluster["accessConfig"] == {"authenticationMode": "CONFIG_MAP"}
    assert cluster["upgradePolicy"] == {"supportType": "EXTENDED"}
    assert cluster["version"] == versions.default_version(time.time())
    assert cluster["platformVersion"] == versions.get(cluster["version"]).default_platform_version
    assert "health" not in cluster  # absent when healthy: the describe-cluster example has none
    assert cluster["tags"] == {}


def test_every_given_member_is_echoed(eks_client):
    version = versions.available_versions(time.time())[-2]
    create_cluster(
        eks_client,
        "echo",
        version=version,
        kubernetesNetworkConfig={"serviceIpv4Cidr": "172.20.0.0/16"},
        logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
        tags={"team": "platform"},
        encryptionConfig=[
            {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}}
        ],
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        upgradePolicy={"supportType": "STANDARD"},
        zonalShiftConfig={"enabled": True},
        remoteNetworkConfig={"remoteNodeNetworks": [{"cidrs": ["10.200.0.0/16"]}]},
        resourcesVpcConfig={
            "subnetIds": SUBNETS,
            "securityGroupIds": ["sg-1"],
            "endpointPrivateAccess": True,
            "publicAccessCidrs": ["203.0.113.0/24"],
        },
    )
    cluster = eks_client.describe_cluster(name="echo")["cluster"]
    assert cluster["version"] == version
    assert cluster["kubernetesNetworkConfig"]["serviceIpv4Cidr"] == "172.20.0.0/16"
    assert cluster["logging"]["clusterLogging"] == [
        {"types": ["api", "audit"], "enabled": True},
        {"types": ["authenticator", "controllerManager", "scheduler"], "enabled": False},
    ]
    assert cluster["tags"] == {"team": "platform"}
    assert cluster["encryptionConfig"][0]["resources"] == ["secrets"]
    assert cluster["accessConfig"]["authenticationMode"] == "API"
    assert cluster["upgradePolicy"] == {"supportType": "STANDARD"}
    assert cluster["zonalShiftConfig"] == {"enabled": True}
    assert cluster["remoteNetworkConfig"]["remoteNodeNetworks"] == [{"cidrs": ["10.200.0.0/16"]}]
    assert cluster["resourcesVpcConfig"]["securityGroupIds"] == ["sg-1"]
    assert cluster["resourcesVpcConfig"]["publicAccessCidrs"] == ["203.0.113.0/24"]


@pytest.mark.parametrize(
    "name",
    ["-starts-with-hyphen", "has space", "dot.ted", "x" * 101, "ünïcode"],
)
def test_invalid_names_are_invalid_parameter(eks_client, name):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, name)
    code, status, _ = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)


def test_name_of_100_characters_is_accepted(eks_client):
    assert create_cluster(eks_client, "a" * 100)["name"] == "a" * 100


def test_duplicate_name_is_resource_in_use(eks_client):
    create_cluster(eks_client, "dup")
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "dup")
    code, status, _ = error_of(excinfo)
    assert (code, status) == ("ResourceInUseException", 409)


@pytest.mark.parametrize(
    "vpc",
    [
        {"subnetIds": ["subnet-1"]},
        {"subnetIds": ["subnet-1", "subnet-1"]},
        {"subnetIds": SUBNETS, "securityGroupIds": [f"sg-{i}" for i in range(6)]},
        {"subnetIds": SUBNETS, "endpointPublicAccess": False, "endpointPrivateAccess": False},
        {"subnetIds": SUBNETS, "publicAccessCidrs": ["not-a-cidr"]},
    ],
)
def test_vpc_rules(eks_client, vpc):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "vpc", resourcesVpcConfig=vpc)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


@pytest.mark.parametrize("cidr", ["8.8.0.0/16", "10.0.0.0/8", "10.0.0.0/25", "10.0.0.1/16"])
def test_service_ipv4_cidr_rules(eks_client, cidr):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "cidr", kubernetesNetworkConfig={"serviceIpv4Cidr": cidr})
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_ipv6_family_gets_a_service_ipv6_cidr(eks_client):
    create_cluster(eks_client, "six", kubernetesNetworkConfig={"ipFamily": "ipv6"})
    network = eks_client.describe_cluster(name="six")["cluster"]["kubernetesNetworkConfig"]
    assert network["ipFamily"] == "ipv6" and network["serviceIpv6Cidr"].endswith("::/108")
    assert "serviceIpv4Cidr" not in network


@pytest.mark.parametrize("version", ["1.0", "9.99", "1.22"])
def test_unknown_or_unsupported_versions_are_rejected(eks_client, version):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "old", version=version)
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_a_version_past_extended_support_is_rejected_but_accepted_while_supported():
    oldest = next(iter(versions.CATALOGUE.values()))
    with mock_eks, freeze_time("2026-11-21"):
        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError):
            create_cluster(client, "retired", version=oldest.version)
    with mock_eks, freeze_time(time.strftime("%Y-%m-%d", time.gmtime(oldest.release + 86400))):
        client = boto3.client("eks", region_name="us-east-1")
        assert create_cluster(client, "current", version=oldest.version)["version"] == oldest.version


def test_role_arn_must_be_an_iam_role(eks_client):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "role", roleArn="arn:aws:iam::123456789012:user/bob")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_tags_limits(eks_client):
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "many", tags={f"k{i}": "v" for i in range(51)})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "reserved", tags={"aws:owner": "x"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "longkey", tags={"k" * 129: "v"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "longvalue", tags={"k": "v" * 257})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert create_cluster(eks_client, "fifty", tags={f"k{i}": "v" for i in range(50)})["tags"]["k49"] == "v"


def test_describe_unknown_cluster_is_resource_not_found(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_cluster(name="ghost")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert "ghost" in message


def test_delete_goes_deleting_then_gone(eks_client):
    create_cluster(eks_client, "doomed")
    eks_client.describe_cluster(name="doomed")
    deleted = eks_client.delete_cluster(name="doomed")["cluster"]
    assert deleted["status"] == "DELETING"
    assert eks_client.list_clusters()["clusters"] == []
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_cluster(name="doomed")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="doomed")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_deletion_protection_refuses_delete_until_disabled(eks_client):
    create_cluster(eks_client, "kept", deletionProtection=True)
    assert eks_client.describe_cluster(name="kept")["cluster"]["deletionProtection"] is True
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="kept")
    assert error_of(excinfo)[0] == "InvalidRequestException"
    eks_client.update_cluster_config(name="kept", deletionProtection=False)
    eks_client.describe_cluster(name="kept")
    assert eks_client.delete_cluster(name="kept")["cluster"]["status"] == "DELETING"


def test_list_clusters_paginates(eks_client):
    names = [f"c{i:02d}" for i in range(25)]
    for name in names:
        create_cluster(eks_client, name)
    first = eks_client.list_clusters(maxResults=10)
    assert first["clusters"] == names[:10] and first["nextToken"]
    second = eks_client.list_clusters(maxResults=10, nextToken=first["nextToken"])
    assert second["clusters"] == names[10:20]
    paginated = [
        n
        for page in eks_client.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 7})
        for n in page["clusters"]
    ]
    assert paginated == names


def test_list_clusters_max_results_bounds_come_from_the_model(eks_client):
    client = unvalidated_client()
    for bad in (0, 101):
        with pytest.raises(ClientError) as excinfo:
            client.list_clusters(maxResults=bad)
        assert error_of(excinfo)[0] == "InvalidParameterException"


def test_tampered_next_token_is_invalid_parameter(eks_client):
    for i in range(3):
        create_cluster(eks_client, f"t{i}")
    token = eks_client.list_clusters(maxResults=1)["nextToken"]
    for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), "garbage", token + "x"):
        with pytest.raises(ClientError) as excinfo:
            eks_client.list_clusters(maxResults=1, nextToken=bad)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_deleting_between_pages_neither_skips_nor_repeats(eks_client):
    for i in range(6):
        create_cluster(eks_client, f"p{i}")
    first = eks_client.list_clusters(maxResults=3)
    eks_client.delete_cluster(name="p1")
    rest = eks_client.list_clusters(maxResults=3, nextToken=first["nextToken"])
    assert first["clusters"] == ["p0", "p1", "p2"] and rest["clusters"] == ["p3", "p4", "p5"]


def test_client_request_token_makes_create_idempotent(eks_client):
    first = create_cluster(eks_client, "idem", clientRequestToken="token-1")
    again = create_cluster(eks_client, "idem", clientRequestToken="token-1")
    assert again["arn"] == first["arn"] and again["createdAt"] == first["createdAt"]
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "idem", clientRequestToken="token-1", tags={"changed": "yes"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "idem", clientRequestToken="token-2")
    assert error_of(excinfo)[0] == "ResourceInUseException"


def test_realistic_timing_is_driven_by_the_clock():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "slow")
        clock.tick(60)
        cluster = client.describe_cluster(name="slow")["cluster"]
        assert cluster["status"] == "CREATING" and "endpoint" not in cluster
        # empty until the CA exists, as CreateCluster's sample response in the API Reference shows it,
        # so cluster["certificateAuthority"].get("data") works while CREATING as on real EKS
        assert cluster["certificateAuthority"] == {}
        clock.tick(600)
        assert client.describe_cluster(name="slow")["cluster"]["status"] == "ACTIVE"
        client.delete_cluster(name="slow")
        clock.tick(10)
        assert client.describe_cluster(name="slow")["cluster"]["status"] == "DELETING"
        clock.move_to("2026-11-21 13:00:00")
        assert client.list_clusters()["clusters"] == []


def test_duration_overrides_per_kind():
    with mock_eks(timing="realistic", durations={"cluster.create": 5}), freeze_time("2026-11-21") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "quick")
        clock.tick(4)
        assert client.describe_cluster(name="quick")["cluster"]["status"] == "CREATING"
        clock.tick(1)
        assert client.describe_cluster(name="quick")["cluster"]["status"] == "ACTIVE"


def test_unknown_duration_kind_is_refused():
    with pytest.raises(ValueError):
        mock_eks(timing="realistic", durations={"cluster.creat": 5})
    with pytest.raises(ValueError):
        mock_eks(timing="slow")


@pytest.mark.parametrize("timing", ["instant", "realistic"])
def test_waiters_cluster_active_and_deleted(timing):
    with mock_eks(timing=timing), freeze_time("2026-11-21") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "waited")
        if timing == "realistic":
            clock.tick(600)
        client.get_waiter("cluster_active").wait(name="waited", WaiterConfig={"Delay": 0, "MaxAttempts": 3})
        client.delete_cluster(name="waited")
        if timing == "realistic":
            clock.tick(300)
        client.get_waiter("cluster_deleted").wait(name="waited", WaiterConfig={"Delay": 0, "MaxAttempts": 3})


def test_cluster_role_arn_and_created_at_are_echoed(eks_client):
    with freeze_time("2026-11-21 10:00:00"):
        created = create_cluster(eks_client, "when")
    assert created["roleArn"] == ROLE
    assert created["createdAt"] == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
