"""Add-ons: CreateAddon, DescribeAddon, ListAddons, UpdateAddon, DeleteAddon, DescribeAddonVersions,
DescribeAddonConfiguration, add-on updates, tagging and waiters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of

RECORDINGS = Path(__file__).parent / "recordings"

NOW = "2026-11-21 12:00:00"
ROLE = "arn:aws:iam::123456789012:role/addon-role"
CORE = (
    "vpc-cni",
    "coredns",
    "kube-proxy",
    "aws-ebs-csi-driver",
    "aws-efs-csi-driver",
    "eks-pod-identity-agent",
    "snapshot-controller",
    "amazon-cloudwatch-observability",
    "adot",
    "aws-guardduty-agent",
    "metrics-server",
)


@pytest.fixture
def frozen():
    """A client at a fixed date with an ACTIVE 1.32 cluster named 'c1' (instant timing)."""
    with mock_eks(), freeze_time(NOW) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.32")
        yield client, clock


@pytest.fixture
def realistic():
    with mock_eks(timing="realistic"), freeze_time(NOW) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.32")
        clock.tick(601)
        assert client.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
        yield client, clock


def _versions(client, name, kubernetes):
    """(versions compatible with ``kubernetes``, the default one) per DescribeAddonVersions."""
    info = client.describe_addon_versions(addonName=name, kubernetesVersion=kubernetes)["addons"][0]
    names = [v["addonVersion"] for v in info["addonVersions"]]
    default = [v["addonVersion"] for v in info["addonVersions"] if v["compatibilities"][0]["defaultVersion"]]
    return names, default[0]


def _code(excinfo):
    return error_of(excinfo)[:2]


# -- DescribeAddonVersions -----------------------------------------------------------------------


def test_catalogue_has_the_core_addons_with_their_metadata(eks_client):
    addons = {a["addonName"]: a for a in eks_client.describe_addon_versions(maxResults=100)["addons"]}
    assert set(CORE) <= set(addons)
    vpc = addons["vpc-cni"]
    assert (vpc["type"], vpc["publisher"], vpc["owner"]) == ("networking", "eks", "aws")
    assert vpc["defaultNamespace"] == "kube-system"
    assert "podIdentityConfiguration" not in vpc
    for info in addons.values():
        for version in info["addonVersions"]:
            assert {
                "addonVersion",
                "architecture",
                "compatibilities",
                "requiresConfiguration",
                "requiresIamPermissions",
            } <= set(version)
            for compatibility in version["compatibilities"]:
                assert {"clusterVersion", "platformVersions", "defaultVersion"} <= set(compatibility)
    assert vpc["addonVersions"][0]["requiresIamPermissions"] is True
    assert addons["coredns"]["addonVersions"][0]["requiresIamPermissions"] is False


def test_kubernetes_version_filter_keeps_compatible_versions_and_one_default(frozen):
    client, _ = frozen
    addons = client.describe_addon_versions(kubernetesVersion="1.32")["addons"]
    assert {"vpc-cni", "coredns", "kube-proxy"} <= {a["addonName"] for a in addons}
    for info in addons:
        assert info["addonVersions"]
        defaults = 0
        for version in info["addonVersions"]:
            assert [c["clusterVersion"] for c in version["compatibilities"]] == ["1.32"]
            defaults += version["compatibilities"][0]["defaultVersion"]
        assert defaults == 1, info["addonName"]
    proxy = next(a for a in addons if a["addonName"] == "kube-proxy")
    assert all(v["addonVersion"].startswith("v1.32.") for v in proxy["addonVersions"])
    assert client.describe_addon_versions(kubernetesVersion="0.1")["addons"] == []


def test_name_type_publisher_owner_filters(eks_client):
    only = eks_client.describe_addon_versions(addonName="coredns")["addons"]
    assert [a["addonName"] for a in only] == ["coredns"]
    storage = eks_client.describe_addon_versions(types=["storage"])["addons"]
    assert storage and {a["type"] for a in storage} == {"storage"}
    assert "aws-ebs-csi-driver" in {a["addonName"] for a in storage}
    community = eks_client.describe_addon_versions(owners=["community"])["addons"]
    assert "metrics-server" in {a["addonName"] for a in community} and {a["owner"] for a in community} == {
        "community"
    }
    marketplace = eks_client.describe_addon_versions(owners=["aws-marketplace"])["addons"]
    assert marketplace and all(a["marketplaceInformation"]["productId"] for a in marketplace)
    by_publisher = eks_client.describe_addon_versions(publishers=["eks"], types=["networking"])["addons"]
    assert {a["addonName"] for a in by_publisher} >= {"vpc-cni", "coredns", "kube-proxy"}
    assert all(a["publisher"] == "eks" and a["type"] == "networking" for a in by_publisher)
    assert eks_client.describe_addon_versions(addonName="no-such-addon")["addons"] == []


def test_describe_addon_versions_pagination(eks_client):
    everything = eks_client.describe_addon_versions()["addons"]
    names, token = [], None
    while True:
        page = eks_client.describe_addon_versions(maxResults=4, **({"nextToken": token} if token else {}))
        assert len(page["addons"]) <= 4
        names += [a["addonName"] for a in page["addons"]]
        token = page.get("nextToken")
        if not token:
            break
    assert names == [a["addonName"] for a in everything] and len(names) > 4
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_addon_versions(nextToken="not-a-token")
    assert _code(excinfo) == ("InvalidParameterException", 400)


# -- DescribeAddonConfiguration ------------------------------------------------------------------


def test_configuration_schema_is_a_json_schema_for_each_core_addon(eks_client):
    for name in CORE:
        version = eks_client.describe_addon_versions(addonName=name)["addons"][0]["addonVersions"][0][
            "addonVersion"
        ]
        result = eks_client.describe_addon_configuration(addonName=name, addonVersion=version)
        assert (result["addonName"], result["addonVersion"]) == (name, version)
        schema = json.loads(result["configurationSchema"])
        jsonschema.validators.validator_for(schema).check_schema(schema)
        assert schema["type"] == "object"


def _schema(client, name, version):
    return json.loads(
        client.describe_addon_configuration(addonName=name, addonVersion=version)["configurationSchema"]
    )


def test_configuration_schema_is_the_builds_recorded_one():
    """Real EKS answers each build's own draft-06 schema ($ref + definitions): vpc-cni v1.15.1-eksbuild.1 and
    coredns v1.8.7-eksbuild.4 in aws/aws-cli awscli/examples/eks/describe-addon-configuration.rst (2024),
    coredns v1.10.1-eksbuild.11 and kube-proxy v1.28.8-eksbuild.5 in cloudbees/terraform-aws-cloudbees-ci-eks-addon
    blueprints/03-windows-builds/README.md (recorded 2024-06-10)."""
    recording = json.loads((RECORDINGS / "cli-describe-addon-configuration-vpc-cni.json").read_text())[
        "response"
    ]["configurationSchema"]
    with mock_eks(), freeze_time("2024-06-10"):
        client = boto3.client("eks", region_name="us-east-1")
        answer = client.describe_addon_configuration(addonName="vpc-cni", addonVersion="v1.15.1-eksbuild.1")
        assert json.loads(answer["configurationSchema"]) == json.loads(recording)
        assert " " not in answer["configurationSchema"].split('"description"')[0]  # compact, as EKS sends it
        newer = _schema(client, "coredns", "v1.10.1-eksbuild.11")
        assert newer["$ref"] == "#/definitions/Coredns"
        assert newer["$schema"] == "http://json-schema.org/draft-06/schema#"
        assert "autoScaling" in newer["definitions"]["Coredns"]["properties"]
        # a build with no recording of its own: the nearest recorded build's (the newest not newer)
        older = _schema(client, "coredns", "v1.9.3-eksbuild.7")
        assert older == _schema(client, "coredns", "v1.8.7-eksbuild.4")
        assert "autoScaling" not in older["definitions"]["Coredns"]["properties"]
        create_cluster(client, "c1", version="1.28")
        values = '{"mode": "nftables"}'  # v1.28.8-eksbuild.5's schema: mode is iptables or ipvs
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(
                clusterName="c1",
                addonName="kube-proxy",
                addonVersion="v1.28.8-eksbuild.5",
                configurationValues=values,
            )
        assert _code(excinfo) == ("InvalidParameterException", 400)
        created = client.create_addon(
            clusterName="c1",
            addonName="kube-proxy",
            addonVersion="v1.28.8-eksbuild.5",
            configurationValues='{"mode": "ipvs", "ipvs": {"scheduler": "rr"}}',
        )
        assert created["addon"]["status"] == "CREATING"


def test_configuration_pod_identity(eks_client):
    version = eks_client.describe_addon_versions(addonName="vpc-cni")["addons"][0]["addonVersions"][0][
        "addonVersion"
    ]
    result = eks_client.describe_addon_configuration(addonName="vpc-cni", addonVersion=version)
    assert result["podIdentityConfiguration"] == [
        {
            "serviceAccount": "aws-node",
            "recommendedManagedPolicies": ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
        }
    ]
    version = eks_client.describe_addon_versions(addonName="coredns")["addons"][0]["addonVersions"][0][
        "addonVersion"
    ]
    assert (
        eks_client.describe_addon_configuration(addonName="coredns", addonVersion=version).get(
            "podIdentityConfiguration", []
        )
        == []
    )


def test_configuration_errors(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_addon_configuration(addonName="vpc-cni", addonVersion="v0.0.1-eksbuild.1")
    assert _code(excinfo) == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_addon_configuration(addonName="no-such-addon", addonVersion="v1.0.0")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)


# -- CreateAddon / DescribeAddon -----------------------------------------------------------------


def test_create_addon_defaults_to_the_catalogue_default(eks_client):
    cluster = create_cluster(eks_client, "c1")
    _, default = _versions(eks_client, "coredns", cluster["version"])
    addon = eks_client.create_addon(clusterName="c1", addonName="coredns", tags={"team": "a"})["addon"]
    assert addon["addonVersion"] == default
    assert addon["status"] == "CREATING"
    assert addon["clusterName"] == "c1" and addon["addonName"] == "coredns"
    assert re.fullmatch(
        r"arn:aws:eks:us-east-1:123456789012:addon/c1/coredns/[0-9a-f-]{36}", addon["addonArn"]
    )
    # EKS-published add-ons carry no owner/publisher (aws/aws-cli
    # awscli/examples/eks/create-addon.rst), and no podIdentityAssociations when there are none (same example)
    assert "publisher" not in addon and "owner" not in addon and "podIdentityAssociations" not in addon
    assert addon["namespaceConfig"] == {"namespace": "kube-system"}
    assert addon["health"] == {"issues": []}
    assert addon["tags"] == {"team": "a"}
    described = eks_client.describe_addon(clusterName="c1", addonName="coredns")["addon"]
    assert described["status"] == "ACTIVE"
    assert described["addonArn"] == addon["addonArn"]


def test_create_addon_with_version_role_and_conflicts(frozen):
    client, _ = frozen
    names, default = _versions(client, "vpc-cni", "1.32")
    older = [n for n in names if n != default][0]
    addon = client.create_addon(
        clusterName="c1",
        addonName="vpc-cni",
        addonVersion=older,
        serviceAccountRoleArn=ROLE,
        resolveConflicts="OVERWRITE",
        namespaceConfig={"namespace": "kube-system"},
    )["addon"]
    assert addon["addonVersion"] == older
    assert addon["serviceAccountRoleArn"] == ROLE
    assert addon["namespaceConfig"] == {"namespace": "kube-system"}


def test_create_addon_unknown_addon_or_version(frozen):
    client, _ = frozen
    for params in (
        {"addonName": "no-such-addon"},
        {"addonName": "vpc-cni", "addonVersion": "v9.9.9-eksbuild.1"},
    ):
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", **params)
        assert _code(excinfo) == ("InvalidParameterException", 400)
    assert client.list_addons(clusterName="c1")["addons"] == []


def test_create_addon_incompatible_with_cluster_version(frozen):
    client, _ = frozen
    every = client.describe_addon_versions(addonName="kube-proxy")["addons"][0]["addonVersions"]
    other = next(
        v["addonVersion"] for v in every if "1.32" not in {c["clusterVersion"] for c in v["compatibilities"]}
    )
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="c1", addonName="kube-proxy", addonVersion=other)
    # real EKS does not say why: hashicorp/terraform-provider-aws #20559 (2021-08-13), aws-samples/eks-workshop-v2
    # #964 (2024-06-07, a version not built for the cluster's Kubernetes version)
    assert error_of(excinfo) == ("InvalidParameterException", 400, "Addon version specified is not supported")


def test_create_addon_cluster_must_exist_and_be_active(realistic):
    client, _ = realistic
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="nope", addonName="coredns")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)
    create_cluster(client, "young", version="1.32")
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="young", addonName="coredns")
    assert _code(excinfo) == ("InvalidRequestException", 400)


def test_duplicate_addon_is_resource_in_use(frozen):
    client, _ = frozen
    client.create_addon(clusterName="c1", addonName="coredns")
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="c1", addonName="coredns")
    assert _code(excinfo) == ("ResourceInUseException", 409)


def test_too_many_tags(frozen):
    client, _ = frozen
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="c1", addonName="coredns", tags={f"k{i}": "v" for i in range(51)})
    assert _code(excinfo) == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        client.create_addon(clusterName="c1", addonName="coredns", tags={"aws:reserved": "v"})
    assert _code(excinfo) == ("InvalidParameterException", 400)


def test_configuration_values_json_and_yaml_are_validated(frozen):
    client, _ = frozen
    for bad in (
        '{"replicaCount": "three"}',
        '{"noSuchSetting": true}',
        "replicaCount: -1",
        "{not: [valid",
        "- a list",
    ):
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="coredns", configurationValues=bad)
        code, http, message = error_of(excinfo)
        assert (code, http) == ("InvalidParameterException", 400), bad
        assert "ConfigurationValue" in message
    assert client.list_addons(clusterName="c1")["addons"] == []
    as_json = json.dumps({"replicaCount": 3, "nodeSelector": {"role": "system"}})
    addon = client.create_addon(clusterName="c1", addonName="coredns", configurationValues=as_json)["addon"]
    assert addon["configurationValues"] == as_json
    as_yaml = "replicas: 2\ntolerations:\n  - key: dedicated\n    operator: Exists\n"
    client.create_addon(clusterName="c1", addonName="metrics-server", configurationValues=as_yaml)
    assert (
        client.describe_addon(clusterName="c1", addonName="metrics-server")["addon"]["configurationValues"]
        == as_yaml
    )


def test_pod_identity_associations_are_echoed_as_arns(frozen):
    client, _ = frozen
    addon = client.create_addon(
        clusterName="c1",
        addonName="aws-ebs-csi-driver",
        podIdentityAssociations=[{"serviceAccount": "ebs-csi-controller-sa", "roleArn": ROLE}],
    )["addon"]
    (arn,) = addon["podIdentityAssociations"]
    assert re.fullmatch(r"arn:aws:eks:us-east-1:123456789012:podidentityassociation/c1/a-[0-9a-z]{17}", arn)
    described = client.describe_addon(clusterName="c1", addonName="aws-ebs-csi-driver")["addon"]
    assert described["podIdentityAssociations"] == [arn]
    for bad in (
        {"serviceAccount": "someone-else", "roleArn": ROLE},
        {"serviceAccount": "aws-node", "roleArn": "not-an-arn"},
    ):
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="vpc-cni", podIdentityAssociations=[bad])
        assert _code(excinfo) == ("InvalidParameterException", 400)


def test_describe_addon_not_found(frozen):
    client, _ = frozen
    with pytest.raises(ClientError) as excinfo:
        client.describe_addon(clusterName="c1", addonName="coredns")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        client.describe_addon(clusterName="nope", addonName="coredns")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)


# -- ListAddons ------------------------------------------------------------------------------


def test_list_addons_paginates(frozen):
    client, _ = frozen
    names = ["vpc-cni", "coredns", "kube-proxy", "metrics-server", "eks-pod-identity-agent"]
    for name in names:
        client.create_addon(clusterName="c1", addonName=name)
    # listed by name, not creation order (tests/recordings/custodian-list-addons-order.json, 2026-03)
    first = client.list_addons(clusterName="c1", maxResults=2)
    assert first["addons"] == sorted(names)[:2] and first["nextToken"]
    pages = list(
        client.get_paginator("list_addons").paginate(clusterName="c1", PaginationConfig={"PageSize": 2})
    )
    assert [n for p in pages for n in p["addons"]] == sorted(names) and len(pages) == 3
    with pytest.raises(ClientError) as excinfo:
        client.list_addons(clusterName="nope")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)


# -- UpdateAddon -----------------------------------------------------------------------------


def test_update_addon_version_is_an_addon_update(frozen):
    client, _ = frozen
    names, default = _versions(client, "vpc-cni", "1.32")
    # the oldest build at most one minor below the default (vpc-cni moves one minor at a time)
    older = [n for n in names if n != default and _minor(default) - _minor(n) <= 1][-1]
    client.create_addon(clusterName="c1", addonName="vpc-cni", addonVersion=older)
    update = client.update_addon(
        clusterName="c1", addonName="vpc-cni", addonVersion=default, resolveConflicts="PRESERVE"
    )["update"]
    assert update["type"] == "AddonUpdate" and update["status"] == "InProgress"
    assert {"type": "AddonVersion", "value": default} in update["params"]
    assert {"type": "ResolveConflicts", "value": "PRESERVE"} in update["params"]
    assert client.list_updates(name="c1", addonName="vpc-cni")["updateIds"] == [update["id"]]
    assert client.list_updates(name="c1")["updateIds"] == []
    described = client.describe_update(name="c1", updateId=update["id"], addonName="vpc-cni")["update"]
    assert described["status"] == "Successful"
    addon = client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]
    assert addon["addonVersion"] == default and addon["status"] == "ACTIVE"


def test_update_addon_rejects_bad_versions_and_configuration(frozen):
    client, _ = frozen
    names, default = _versions(client, "coredns", "1.32")
    client.create_addon(clusterName="c1", addonName="coredns", addonVersion=default)
    older = names[names.index(default) + 1]  # newest first: the next one is older than the default
    every = client.describe_addon_versions(addonName="coredns")["addons"][0]["addonVersions"]
    incompatible = next(
        v["addonVersion"] for v in every if "1.32" not in {c["clusterVersion"] for c in v["compatibilities"]}
    )
    for params in (
        {"addonVersion": older},
        {"addonVersion": incompatible},
        {"addonVersion": "v0.0.0"},
        {"configurationValues": '{"unknownKey": 1}'},
    ):
        with pytest.raises(ClientError) as excinfo:
            client.update_addon(clusterName="c1", addonName="coredns", **params)
        assert _code(excinfo) == ("InvalidParameterException", 400), params
    assert client.list_updates(name="c1", addonName="coredns")["updateIds"] == []
    with pytest.raises(ClientError) as excinfo:
        client.update_addon(clusterName="c1", addonName="vpc-cni")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)


def _minor(version: str) -> int:
    return int(version.lstrip("v").split(".")[1])


def test_vpc_cni_moves_one_minor_version_at_a_time_up_or_down():
    """Real EKS: 400 "Updating VPC-CNI can only go up or down 1 minor version at a time" for v1.13.4 ->
    v1.15.0 on 1.27 (terraform-aws-modules/terraform-aws-eks #2749, 2023-09); v1.10 -> v1.12 refused while
    v1.10 -> v1.11 -> v1.12 worked (awsdocs/amazon-eks-user-guide pull request #672, 2023-01)."""
    with mock_eks(), freeze_time("2024-03-20"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.27")
        client.create_addon(clusterName="c1", addonName="vpc-cni", addonVersion="v1.13.4-eksbuild.1")

        def update(version):
            client.update_addon(clusterName="c1", addonName="vpc-cni", addonVersion=version)
            return client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]["addonVersion"]

        def refused(version):
            with pytest.raises(ClientError) as excinfo:
                update(version)
            return error_of(excinfo)

        message = "Updating VPC-CNI can only go up or down 1 minor version at a time"
        assert refused("v1.15.0-eksbuild.2") == ("InvalidParameterException", 400, message)
        assert update("v1.14.1-eksbuild.1") == "v1.14.1-eksbuild.1"
        assert refused("v1.12.6-eksbuild.2") == ("InvalidParameterException", 400, message)
        assert update("v1.15.0-eksbuild.2") == "v1.15.0-eksbuild.2"
        assert update("v1.14.1-eksbuild.1") == "v1.14.1-eksbuild.1"  # one minor down is allowed too


def test_update_addon_configuration_and_pod_identity(frozen):
    client, _ = frozen
    client.create_addon(clusterName="c1", addonName="aws-ebs-csi-driver")
    association = [{"serviceAccount": "ebs-csi-controller-sa", "roleArn": ROLE}]
    update = client.update_addon(
        clusterName="c1",
        addonName="aws-ebs-csi-driver",
        podIdentityAssociations=association,
        configurationValues="{}",
        serviceAccountRoleArn=ROLE,
    )["update"]
    kinds = {p["type"] for p in update["params"]}
    assert {"PodIdentityAssociations", "ConfigurationValues", "ServiceAccountRoleArn"} <= kinds
    addon = client.describe_addon(clusterName="c1", addonName="aws-ebs-csi-driver")["addon"]
    assert len(addon["podIdentityAssociations"]) == 1
    assert addon["configurationValues"] == "{}" and addon["serviceAccountRoleArn"] == ROLE


def test_one_update_at_a_time(realistic):
    client, clock = realistic
    client.create_addon(clusterName="c1", addonName="coredns")
    with pytest.raises(ClientError) as excinfo:
        client.update_addon(clusterName="c1", addonName="coredns", resolveConflicts="NONE")
    assert _code(excinfo) == ("InvalidRequestException", 400)  # still CREATING
    clock.tick(61)
    update = client.update_addon(
        clusterName="c1", addonName="coredns", configurationValues='{"replicaCount": 3}'
    )
    assert client.describe_addon(clusterName="c1", addonName="coredns")["addon"]["status"] == "UPDATING"
    with pytest.raises(ClientError) as excinfo:
        client.update_addon(clusterName="c1", addonName="coredns", resolveConflicts="NONE")
    assert _code(excinfo) == ("ResourceInUseException", 409)
    clock.tick(61)
    addon = client.describe_addon(clusterName="c1", addonName="coredns")["addon"]
    assert addon["status"] == "ACTIVE" and addon["configurationValues"] == '{"replicaCount": 3}'
    assert addon["modifiedAt"] > addon["createdAt"]
    done = client.describe_update(name="c1", updateId=update["update"]["id"], addonName="coredns")["update"]
    assert done["status"] == "Successful"


def test_addons_keep_their_versions_across_a_cluster_upgrade(frozen):
    client, _ = frozen
    before = client.create_addon(clusterName="c1", addonName="kube-proxy")["addon"]["addonVersion"]
    client.update_cluster_version(name="c1", version="1.33")
    assert client.describe_cluster(name="c1")["cluster"]["version"] == "1.33"
    after = client.describe_addon(clusterName="c1", addonName="kube-proxy")["addon"]
    assert after["addonVersion"] == before and after["health"] == {"issues": []}
    _, newer = _versions(client, "kube-proxy", "1.33")
    update = client.update_addon(clusterName="c1", addonName="kube-proxy", addonVersion=newer)["update"]
    assert {"type": "AddonVersion", "value": newer} in update["params"]


# -- DeleteAddon -----------------------------------------------------------------------------


def test_delete_addon(frozen):
    client, _ = frozen
    client.create_addon(clusterName="c1", addonName="coredns")
    deleted = client.delete_addon(clusterName="c1", addonName="coredns", preserve=True)["addon"]
    assert deleted["status"] == "DELETING" and deleted["addonName"] == "coredns"
    assert client.list_addons(clusterName="c1")["addons"] == []
    with pytest.raises(ClientError) as excinfo:
        client.delete_addon(clusterName="c1", addonName="coredns")
    assert _code(excinfo) == ("ResourceNotFoundException", 404)


def test_delete_under_realistic_timing(realistic):
    client, clock = realistic
    client.create_addon(clusterName="c1", addonName="coredns")
    clock.tick(61)
    assert client.delete_addon(clusterName="c1", addonName="coredns")["addon"]["status"] == "DELETING"
    assert client.describe_addon(clusterName="c1", addonName="coredns")["addon"]["status"] == "DELETING"
    with pytest.raises(ClientError) as excinfo:
        client.update_addon(clusterName="c1", addonName="coredns", resolveConflicts="NONE")
    assert _code(excinfo) == ("InvalidRequestException", 400)
    clock.tick(46)
    assert client.list_addons(clusterName="c1")["addons"] == []


# -- tagging and waiters -------------------------------------------------------------------


def test_addon_arn_is_taggable(frozen):
    client, _ = frozen
    arn = client.create_addon(clusterName="c1", addonName="coredns", tags={"a": "1"})["addon"]["addonArn"]
    client.tag_resource(resourceArn=arn, tags={"b": "2"})
    client.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert client.describe_addon(clusterName="c1", addonName="coredns")["addon"]["tags"] == {"b": "2"}
    client.delete_addon(clusterName="c1", addonName="coredns")
    with pytest.raises(ClientError) as excinfo:
        client.list_tags_for_resource(resourceArn=arn)
    assert _code(excinfo)[1] == 404


def test_waiters_instant(frozen):
    client, _ = frozen
    client.create_addon(clusterName="c1", addonName="coredns")
    client.get_waiter("addon_active").wait(clusterName="c1", addonName="coredns", WaiterConfig={"Delay": 0})
    client.delete_addon(clusterName="c1", addonName="coredns")
    client.get_waiter("addon_deleted").wait(clusterName="c1", addonName="coredns", WaiterConfig={"Delay": 0})


def test_waiters_realistic(realistic, monkeypatch):
    client, clock = realistic
    # the waiter's sleep moves the frozen clock instead of waiting
    monkeypatch.setattr("botocore.waiter.time.sleep", clock.tick)
    client.create_addon(clusterName="c1", addonName="coredns")
    assert client.describe_addon(clusterName="c1", addonName="coredns")["addon"]["status"] == "CREATING"
    client.get_waiter("addon_active").wait(clusterName="c1", addonName="coredns")
    assert client.describe_addon(clusterName="c1", addonName="coredns")["addon"]["status"] == "ACTIVE"
    client.delete_addon(clusterName="c1", addonName="coredns")
    client.get_waiter("addon_deleted").wait(clusterName="c1", addonName="coredns")
    assert client.list_addons(clusterName="c1")["addons"] == []


def test_marketplace_addon_carries_its_marketplace_information(frozen):
    client, _ = frozen
    info = client.describe_addon_versions(owners=["aws-marketplace"], kubernetesVersion="1.32")["addons"][0]
    addon = client.create_addon(clusterName="c1", addonName=info["addonName"])["addon"]
    assert addon["owner"] == "aws-marketplace" and addon["publisher"] == info["publisher"]
    assert addon["marketplaceInformation"] == info["marketplaceInformation"]
    core = client.create_addon(clusterName="c1", addonName="coredns")["addon"]
    assert "marketplaceInformation" not in core
