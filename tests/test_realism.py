"""Responses as real EKS gives them.

Each test names the public recording it follows. "aws-cli examples" are aws/aws-cli
awscli/examples/eks/*.rst (output of real calls), read at commit 07c4fe36 (2026-07-23).
"""

from __future__ import annotations

import boto3
import pytest
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, create_fargate_profile, create_nodegroup, register_cluster


def test_cluster_never_returns_client_request_token(eks_client):
    # none of the aws-cli examples (create-cluster.rst, describe-cluster.rst, delete-cluster.rst,
    # register-cluster.rst, deregister-cluster.rst) carries clientRequestToken
    created = create_cluster(eks_client, "tok", clientRequestToken="my-token")
    assert "clientRequestToken" not in created
    assert "clientRequestToken" not in eks_client.describe_cluster(name="tok")["cluster"]
    assert "clientRequestToken" not in eks_client.delete_cluster(name="tok")["cluster"]
    registered = register_cluster(eks_client, "reg", clientRequestToken="t2")
    assert "clientRequestToken" not in registered
    assert "clientRequestToken" not in eks_client.deregister_cluster(name="reg")["cluster"]


def test_access_config_holds_authentication_mode_only(eks_client):
    # aws-cli examples describe-cluster.rst (2024-03): "accessConfig": {"authenticationMode": ...}
    created = create_cluster(
        eks_client,
        "acc",
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
    )
    assert created["accessConfig"] == {"authenticationMode": "API"}
    assert eks_client.describe_cluster(name="acc")["cluster"]["accessConfig"] == {"authenticationMode": "API"}


def test_control_plane_scaling_tier_defaults_to_standard(eks_client):
    # DescribeCluster shows controlPlaneScalingConfig {"tier": "standard"} where the model has it
    from mock_eks.model.spec import MODELS

    if "controlPlaneScalingConfig" not in MODELS["eks"].shape_for("Cluster").members:
        pytest.skip("this botocore has no controlPlaneScalingConfig")
    create_cluster(eks_client, "tier")
    cluster = eks_client.describe_cluster(name="tier")["cluster"]
    assert cluster["controlPlaneScalingConfig"] == {"tier": "standard"}


def test_private_only_endpoint_has_no_public_access_cidrs(eks_client):
    # with endpointPublicAccess=false, publicAccessCidrs is []
    vpc = {
        "subnetIds": ["subnet-1", "subnet-2"],
        "endpointPublicAccess": False,
        "endpointPrivateAccess": True,
    }
    created = create_cluster(eks_client, "priv", resourcesVpcConfig=vpc)
    assert created["resourcesVpcConfig"]["publicAccessCidrs"] == []
    # a cluster that turns its public endpoint off later keeps its CIDRs: a real DescribeCluster pasted in
    # public upgrade notes (2025-09, platform eks.18) shows endpointPublicAccess false, ["0.0.0.0/0"]
    create_cluster(eks_client, "pub")
    eks_client.update_cluster_config(
        name="pub", resourcesVpcConfig={"endpointPublicAccess": False, "endpointPrivateAccess": True}
    )
    described = eks_client.describe_cluster(name="pub")["cluster"]["resourcesVpcConfig"]
    assert described["publicAccessCidrs"] == ["0.0.0.0/0"]


def test_endpoint_update_lists_only_what_was_asked(eks_client):
    # aws-cli examples update-cluster-config.rst: an EndpointAccessUpdate's params are
    # EndpointPublicAccess and EndpointPrivateAccess, no PublicAccessCidrs nobody asked for
    create_cluster(eks_client, "ep")
    update = eks_client.update_cluster_config(
        name="ep", resourcesVpcConfig={"endpointPublicAccess": False, "endpointPrivateAccess": True}
    )["update"]
    assert update["params"] == [
        {"type": "EndpointPublicAccess", "value": "false"},
        {"type": "EndpointPrivateAccess", "value": "true"},
    ]


def test_healthy_cluster_has_no_health_member(eks_client):
    # health is absent on a healthy cluster (aws-cli examples create-cluster.rst and
    # delete-cluster.rst carry no health member)
    assert "health" not in create_cluster(eks_client, "ok")
    assert "health" not in eks_client.describe_cluster(name="ok")["cluster"]


def test_activation_code_only_in_register_cluster(eks_client):
    # aws-cli examples register-cluster.rst has connectorConfig.activationCode,
    # deregister-cluster.rst does not
    registered = register_cluster(eks_client, "ext")
    assert registered["connectorConfig"]["activationCode"]
    assert "activationCode" not in eks_client.describe_cluster(name="ext")["cluster"]["connectorConfig"]
    gone = eks_client.deregister_cluster(name="ext")["cluster"]
    assert "activationCode" not in gone["connectorConfig"]
    assert gone["connectorConfig"]["activationId"] == registered["connectorConfig"]["activationId"]


def test_timestamps_in_responses_are_whole_milliseconds():
    # aws-cli examples (e.g. create-nodegroup.rst "2024-04-04T13:19:32.260000-04:00")
    with mock_eks(), freeze_time("2024-04-04 17:19:32.260987"):
        client = boto3.client("eks", region_name="us-east-1")
        cluster = create_cluster(client, "ms")
    assert cluster["createdAt"].microsecond % 1000 == 0


def test_cluster_ca_is_rsa_2048_cn_kubernetes_ten_years(eks_client):
    # the certificateAuthority.data of recorded EKS clusters decodes to an RSA-2048 certificate,
    # CN=kubernetes, valid for ten years (what kubeadm-style control planes issue)
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    create_cluster(eks_client, "ca")
    data = eks_client.describe_cluster(name="ca")["cluster"]["certificateAuthority"]["data"]
    certificate = x509.load_pem_x509_certificate(base64.b64decode(data))
    key = certificate.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert certificate.subject.rfc4514_string() == "CN=kubernetes" == certificate.issuer.rfc4514_string()
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime.days == 3650


def test_addon_made_pod_identity_associations_are_listed_and_go_with_the_addon(eks_client):
    # the associations CreateAddon makes are listed by ListPodIdentityAssociations with ownerArn =
    # the add-on's ARN, and are deleted with the add-on unless preserve is set
    role = "arn:aws:iam::123456789012:role/ebs-csi"
    create_cluster(eks_client, "pia")
    addon = eks_client.create_addon(
        clusterName="pia",
        addonName="aws-ebs-csi-driver",
        podIdentityAssociations=[{"serviceAccount": "ebs-csi-controller-sa", "roleArn": role}],
    )["addon"]
    (listed,) = eks_client.list_pod_identity_associations(clusterName="pia")["associations"]
    assert listed["ownerArn"] == addon["addonArn"]
    assert (listed["namespace"], listed["serviceAccount"]) == ("kube-system", "ebs-csi-controller-sa")
    assert addon["podIdentityAssociations"] == [listed["associationArn"]]
    described = eks_client.describe_pod_identity_association(
        clusterName="pia", associationId=listed["associationId"]
    )["association"]
    assert described["roleArn"] == role and described["ownerArn"] == addon["addonArn"]

    eks_client.delete_addon(clusterName="pia", addonName="aws-ebs-csi-driver")
    eks_client.list_addons(clusterName="pia")  # the deletion completes (instant timing)
    assert eks_client.list_pod_identity_associations(clusterName="pia")["associations"] == []

    eks_client.create_addon(
        clusterName="pia",
        addonName="aws-ebs-csi-driver",
        podIdentityAssociations=[{"serviceAccount": "ebs-csi-controller-sa", "roleArn": role}],
    )
    eks_client.delete_addon(clusterName="pia", addonName="aws-ebs-csi-driver", preserve=True)
    eks_client.list_addons(clusterName="pia")
    assert len(eks_client.list_pod_identity_associations(clusterName="pia")["associations"]) == 1


def test_eks_addons_have_no_owner_marketplace_ones_do(eks_client):
    # aws/aws-cli awscli/examples/eks/describe-addon.rst (vpc-cni, 2024-03): no owner, no publisher
    create_cluster(eks_client, "own")
    eks_client.create_addon(clusterName="own", addonName="vpc-cni")
    described = eks_client.describe_addon(clusterName="own", addonName="vpc-cni")["addon"]
    assert "owner" not in described and "publisher" not in described
    assert described["namespaceConfig"] == {"namespace": "kube-system"}


def test_creating_node_group_shows_given_labels_and_taints_but_no_resources(eks_client):
    # aws/aws-cli awscli/examples/eks/create-nodegroup.rst example 3 (2024-04): labels and taints
    # given at create are in the CREATING answer, resources is not
    create_cluster(eks_client, "ngc")
    group = create_nodegroup(
        eks_client,
        "ng",
        cluster="ngc",
        labels={"tier": "web"},
        taints=[{"key": "dedicated", "value": "web", "effect": "NO_EXECUTE"}],
    )
    assert group["status"] == "CREATING"
    assert group["labels"] == {"tier": "web"}
    assert group["taints"] == [{"key": "dedicated", "value": "web", "effect": "NO_EXECUTE"}]
    assert "resources" not in group


def test_disassociate_identity_provider_config_param_is_empty_list(eks_client):
    # aws/aws-cli awscli/examples/eks/disassociate-identity-provider-config.rst (2024-04):
    # params [{"type": "IdentityProviderConfig", "value": "[]"}]
    create_cluster(eks_client, "idp")
    eks_client.associate_identity_provider_config(
        clusterName="idp",
        oidc={
            "identityProviderConfigName": "corp",
            "issuerUrl": "https://example.com",
            "clientId": "kubernetes",
        },
    )
    eks_client.list_identity_provider_configs(clusterName="idp")
    update = eks_client.disassociate_identity_provider_config(
        clusterName="idp", identityProviderConfig={"type": "oidc", "name": "corp"}
    )["update"]
    assert update["params"] == [{"type": "IdentityProviderConfig", "value": "[]"}]


def test_managed_node_groups_and_fargate_profiles_get_access_entries(eks_client):
    # in API / API_AND_CONFIG_MAP modes EKS makes an EC2_LINUX entry for a node group's role
    # (kubernetesGroups ["system:nodes"], username system:node:{{EC2PrivateDNSName}}) and a FARGATE_LINUX one
    # for a Fargate profile's pod execution role; the entry fields follow aws/aws-cli
    # awscli/examples/eks/create-access-entry.rst example 2 (2025-05)
    node_role = "arn:aws:iam::123456789012:role/node"
    pod_role = "arn:aws:iam::123456789012:role/pod-exec"
    create_cluster(eks_client, "ae", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
    create_nodegroup(eks_client, "ng", cluster="ae", nodeRole=node_role)
    create_fargate_profile(eks_client, "fp", cluster="ae", podExecutionRoleArn=pod_role)
    listed = eks_client.list_access_entries(clusterName="ae")["accessEntries"]
    assert node_role in listed and pod_role in listed
    node = eks_client.describe_access_entry(clusterName="ae", principalArn=node_role)["accessEntry"]
    assert (node["type"], node["kubernetesGroups"]) == ("EC2_LINUX", ["system:nodes"])
    assert node["username"] == "system:node:{{EC2PrivateDNSName}}"
    fargate = eks_client.describe_access_entry(clusterName="ae", principalArn=pod_role)["accessEntry"]
    assert fargate["type"] == "FARGATE_LINUX"


def test_config_map_cluster_gets_node_entries_when_it_moves_to_api(eks_client):
    # no entries under CONFIG_MAP; once access entries are in use the node group's role has one
    node_role = "arn:aws:iam::123456789012:role/node"
    create_cluster(eks_client, "cm")
    create_nodegroup(eks_client, "ng", cluster="cm", nodeRole=node_role)
    eks_client.update_cluster_config(name="cm", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
    eks_client.describe_cluster(name="cm")
    assert node_role in eks_client.list_access_entries(clusterName="cm")["accessEntries"]


def test_user_made_ec2_linux_entry_gets_system_nodes(eks_client):
    # aws/aws-cli awscli/examples/eks/create-access-entry.rst example 2 (2025-05)
    create_cluster(eks_client, "user", accessConfig={"authenticationMode": "API"})
    entry = eks_client.create_access_entry(
        clusterName="user", principalArn="arn:aws:iam::123456789012:role/admin-test-ip", type="EC2_LINUX"
    )["accessEntry"]
    assert entry["kubernetesGroups"] == ["system:nodes"]
    assert entry["username"] == "system:node:{{EC2PrivateDNSName}}"
