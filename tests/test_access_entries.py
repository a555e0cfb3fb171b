"""Access entries, access policies, the cluster creator's entry and the authenticationMode rules."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of, grant

ROLE = "arn:aws:iam::123456789012:role/my-role"
USER = "arn:aws:iam::123456789012:user/alice"
ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"


def api_cluster(client, name="c1", mode="API", bootstrap=False):
    return create_cluster(
        client,
        name,
        accessConfig={"authenticationMode": mode, "bootstrapClusterCreatorAdminPermissions": bootstrap},
    )


# -- authentication mode ---------------------------------------------------------------------------


def test_config_map_cluster_refuses_access_entries(eks_client):
    create_cluster(eks_client, "cm")
    assert (
        eks_client.describe_cluster(name="cm")["cluster"]["accessConfig"]["authenticationMode"]
        == "CONFIG_MAP"
    )
    for call in (
        lambda: eks_client.create_access_entry(clusterName="cm", principalArn=ROLE),
        lambda: eks_client.list_access_entries(clusterName="cm"),
        lambda: eks_client.describe_access_entry(clusterName="cm", principalArn=ROLE),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidRequestException", 400)
        assert "authentication mode" in message


def test_creator_gets_cluster_admin_entry_in_api_mode(eks_client):
    api_cluster(eks_client, "boot", bootstrap=True)
    principals = eks_client.list_access_entries(clusterName="boot")["accessEntries"]
    assert len(principals) == 1
    assert principals[0].startswith("arn:aws:iam::123456789012:user/")
    entry = eks_client.describe_access_entry(clusterName="boot", principalArn=principals[0])["accessEntry"]
    assert entry["type"] == "STANDARD"
    policies = eks_client.list_associated_access_policies(clusterName="boot", principalArn=principals[0])
    assert [(p["policyArn"], p["accessScope"]["type"]) for p in policies["associatedAccessPolicies"]] == [
        (ADMIN, "cluster")
    ]
    assert (
        eks_client.list_access_entries(clusterName="boot", associatedPolicyArn=ADMIN)["accessEntries"]
        == principals
    )


def test_bootstrap_false_gives_no_creator_entry(eks_client):
    api_cluster(eks_client, "nob", mode="API_AND_CONFIG_MAP", bootstrap=False)
    assert eks_client.list_access_entries(clusterName="nob")["accessEntries"] == []
    cluster = eks_client.describe_cluster(name="nob")["cluster"]
    # bootstrapClusterCreatorAdminPermissions is input only (aws/aws-cli awscli/examples/eks/describe-cluster.rst shows
    # accessConfig with authenticationMode alone)
    assert cluster["accessConfig"] == {"authenticationMode": "API_AND_CONFIG_MAP"}


def test_auth_mode_moves_forward_and_creator_entry_appears(eks_client):
    create_cluster(eks_client, "mv")  # CONFIG_MAP, bootstrap default true
    update = eks_client.update_cluster_config(
        name="mv", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"}
    )["update"]
    assert update["type"] == "AccessConfigUpdate"
    assert update["params"] == [{"type": "AuthenticationMode", "value": "API_AND_CONFIG_MAP"}]
    described = eks_client.describe_update(name="mv", updateId=update["id"])["update"]
    assert described["status"] == "Successful"
    entries = eks_client.list_access_entries(clusterName="mv")["accessEntries"]
    assert len(entries) == 1
    eks_client.update_cluster_config(name="mv", accessConfig={"authenticationMode": "API"})
    eks_client.describe_cluster(name="mv")
    assert eks_client.describe_cluster(name="mv")["cluster"]["accessConfig"]["authenticationMode"] == "API"
    for back in ("API_AND_CONFIG_MAP", "CONFIG_MAP"):
        with pytest.raises(ClientError) as excinfo:
            eks_client.update_cluster_config(name="mv", accessConfig={"authenticationMode": back})
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_auth_mode_update_takes_time_under_realistic_timing():
    import boto3

    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "rt")
        clock.tick(601)
        client.update_cluster_config(name="rt", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
        with pytest.raises(ClientError) as excinfo:
            client.list_access_entries(clusterName="rt")  # still CONFIG_MAP until the update completes
        assert error_of(excinfo)[0] == "InvalidRequestException"
        clock.tick(901)
        assert len(client.list_access_entries(clusterName="rt")["accessEntries"]) == 1


# -- CreateAccessEntry -----------------------------------------------------------------------------


def test_create_access_entry_standard_role_defaults(eks_client):
    api_cluster(eks_client)
    entry = eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, tags={"team": "a"})[
        "accessEntry"
    ]
    assert entry["clusterName"] == "c1"
    assert entry["principalArn"] == ROLE
    assert entry["type"] == "STANDARD"
    assert entry["kubernetesGroups"] == []
    assert entry["username"] == "arn:aws:sts::123456789012:assumed-role/my-role/{{SessionName}}"
    assert entry["accessEntryArn"].startswith(
        "arn:aws:eks:us-east-1:123456789012:access-entry/c1/role/123456789012/my-role/"
    )
    assert entry["tags"] == {"team": "a"}
    assert entry["createdAt"] == entry["modifiedAt"]


def test_create_access_entry_user_and_role_with_path(eks_client):
    api_cluster(eks_client)
    user = eks_client.create_access_entry(clusterName="c1", principalArn=USER)["accessEntry"]
    assert user["username"] == USER
    path_role = "arn:aws:iam::123456789012:role/teams/dev/builder"
    entry = eks_client.create_access_entry(clusterName="c1", principalArn=path_role)["accessEntry"]
    assert entry["username"] == "arn:aws:sts::123456789012:assumed-role/builder/{{SessionName}}"
    assert entry["principalArn"] == path_role
    assert (
        eks_client.describe_access_entry(clusterName="c1", principalArn=path_role)["accessEntry"]["username"]
        == (entry["username"])
    )


def test_create_access_entry_custom_username_and_groups(eks_client):
    api_cluster(eks_client)
    entry = eks_client.create_access_entry(
        clusterName="c1", principalArn=ROLE, username="deployer", kubernetesGroups=["devs", "ops"]
    )["accessEntry"]
    assert entry["username"] == "deployer"
    assert entry["kubernetesGroups"] == ["devs", "ops"]


@pytest.mark.parametrize(
    "entry_type, username",
    [
        ("EC2_LINUX", "system:node:{{EC2PrivateDNSName}}"),
        ("EC2_WINDOWS", "system:node:{{EC2PrivateDNSName}}"),
        ("EC2", "system:node:{{EC2PrivateDNSName}}"),
        ("FARGATE_LINUX", "system:node:{{SessionName}}"),
        ("HYBRID_LINUX", "system:node:{{SessionName}}"),
    ],
)
def test_node_types_default_username(eks_client, entry_type, username):
    api_cluster(eks_client)
    entry = eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, type=entry_type)[
        "accessEntry"
    ]
    assert entry["type"] == entry_type
    assert entry["username"] == username


@pytest.mark.parametrize("extra", [{"username": "node"}, {"kubernetesGroups": ["g"]}])
def test_node_types_refuse_username_and_groups(eks_client, extra):
    api_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, type="EC2_LINUX", **extra)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_node_types_need_a_role(eks_client):
    api_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="c1", principalArn=USER, type="FARGATE_LINUX")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:sts::123456789012:assumed-role/my-role/session",
        "arn:aws:sts::123456789012:federated-user/bob",
        "arn:aws:iam::123456789012:group/devs",
        "arn:aws:iam::12345:role/short-account",
        "not-an-arn",
    ],
)
def test_invalid_principals_refused(eks_client, principal):
    api_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="c1", principalArn=principal)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_unknown_type_and_reserved_names_refused(eks_client):
    api_cluster(eks_client)
    for params in (
        {"type": "WINDOWS"},
        {"username": "system:admin"},
        {"kubernetesGroups": ["system:masters"]},
        {"tags": {f"k{i}": "v" for i in range(51)}},
    ):
        with pytest.raises(ClientError) as excinfo:
            eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, **params)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400), params


def test_duplicate_principal_is_resource_in_use(eks_client):
    api_cluster(eks_client)
    eks_client.create_access_entry(clusterName="c1", principalArn=ROLE)
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, type="EC2_LINUX")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)


def test_unknown_cluster_and_entry(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="nope", principalArn=ROLE)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    api_cluster(eks_client)
    for call in (
        lambda: eks_client.describe_access_entry(clusterName="c1", principalArn=ROLE),
        lambda: eks_client.update_access_entry(clusterName="c1", principalArn=ROLE, username="x"),
        lambda: eks_client.delete_access_entry(clusterName="c1", principalArn=ROLE),
        lambda: eks_client.list_associated_access_policies(clusterName="c1", principalArn=ROLE),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


# -- Describe / List / Update / Delete -------------------------------------------------------------


def test_list_access_entries_paginates(eks_client):
    api_cluster(eks_client)
    principals = [f"arn:aws:iam::123456789012:role/r{i:02d}" for i in range(7)]
    for principal in principals:
        eks_client.create_access_entry(clusterName="c1", principalArn=principal)
    page = eks_client.list_access_entries(clusterName="c1", maxResults=3)
    assert page["accessEntries"] == principals[:3]
    seen = list(page["accessEntries"])
    while page.get("nextToken"):
        page = eks_client.list_access_entries(clusterName="c1", maxResults=3, nextToken=page["nextToken"])
        seen += page["accessEntries"]
    assert seen == principals
    paginator = eks_client.get_paginator("list_access_entries")
    assert [
        p
        for page in paginator.paginate(clusterName="c1", PaginationConfig={"PageSize": 2})
        for p in page["accessEntries"]
    ] == principals
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_access_entries(clusterName="c1", nextToken="bogus")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_update_access_entry(eks_client):
    with freeze_time("2026-11-21 12:00:00") as clock:
        api_cluster(eks_client)
        created = eks_client.create_access_entry(clusterName="c1", principalArn=ROLE)["accessEntry"]
        clock.tick(60)
        updated = eks_client.update_access_entry(
            clusterName="c1", principalArn=ROLE, kubernetesGroups=["my-kubernetes-group"], username="me"
        )["accessEntry"]
    assert updated["kubernetesGroups"] == ["my-kubernetes-group"]
    assert updated["username"] == "me"
    assert updated["createdAt"] == created["createdAt"]
    assert (updated["modifiedAt"] - created["modifiedAt"]).total_seconds() == 60
    assert updated["accessEntryArn"] == created["accessEntryArn"]


def test_update_node_entry_refuses_groups(eks_client):
    api_cluster(eks_client)
    eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, type="EC2_LINUX")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_access_entry(clusterName="c1", principalArn=ROLE, kubernetesGroups=["x"])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_delete_access_entry_removes_policy_associations(eks_client):
    api_cluster(eks_client)
    grant(eks_client, ROLE, "AmazonEKSViewPolicy", cluster="c1")
    assert eks_client.list_access_entries(clusterName="c1", associatedPolicyArn=VIEW)["accessEntries"] == [
        ROLE
    ]
    eks_client.delete_access_entry(clusterName="c1", principalArn=ROLE)
    assert eks_client.list_access_entries(clusterName="c1")["accessEntries"] == []
    assert eks_client.list_access_entries(clusterName="c1", associatedPolicyArn=VIEW)["accessEntries"] == []
    # a new entry for the same principal starts without policies
    eks_client.create_access_entry(clusterName="c1", principalArn=ROLE)
    assert (
        eks_client.list_associated_access_policies(clusterName="c1", principalArn=ROLE)[
            "associatedAccessPolicies"
        ]
        == []
    )


def test_access_entry_arn_is_taggable(eks_client):
    api_cluster(eks_client)
    arn = eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, tags={"a": "1"})["accessEntry"][
        "accessEntryArn"
    ]
    eks_client.tag_resource(resourceArn=arn, tags={"b": "2"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1", "b": "2"}
    eks_client.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert eks_client.describe_access_entry(clusterName="c1", principalArn=ROLE)["accessEntry"]["tags"] == {
        "b": "2"
    }


# -- access policies -------------------------------------------------------------------------------


def test_list_access_policies(eks_client):
    policies = eks_client.list_access_policies()["accessPolicies"]
    names = [p["name"] for p in policies]
    for name in (
        "AmazonEKSClusterAdminPolicy",
        "AmazonEKSAdminPolicy",
        "AmazonEKSEditPolicy",
        "AmazonEKSViewPolicy",
    ):
        assert name in names
    assert all(p["arn"] == f"arn:aws:eks::aws:cluster-access-policy/{p['name']}" for p in policies)
    page = eks_client.list_access_policies(maxResults=5)
    assert len(page["accessPolicies"]) == 5 and page["nextToken"]
    rest = eks_client.list_access_policies(maxResults=100, nextToken=page["nextToken"])["accessPolicies"]
    assert [p["name"] for p in page["accessPolicies"] + rest] == names


def test_associate_cluster_and_namespace_scopes(eks_client):
    with freeze_time("2026-11-21 12:00:00") as clock:
        api_cluster(eks_client)
        eks_client.create_access_entry(clusterName="c1", principalArn=ROLE)
        first = eks_client.associate_access_policy(
            clusterName="c1", principalArn=ROLE, policyArn=VIEW, accessScope={"type": "cluster"}
        )
        assert first["clusterName"] == "c1" and first["principalArn"] == ROLE
        assert first["associatedAccessPolicy"]["accessScope"] == {"type": "cluster", "namespaces": []}
        eks_client.associate_access_policy(
            clusterName="c1",
            principalArn=ROLE,
            policyArn=EDIT,
            accessScope={"type": "namespace", "namespaces": ["dev", "team-*"]},
        )
        clock.tick(30)
        # associating again changes the scope: associatedAt stays, modifiedAt moves
        again = eks_client.associate_access_policy(
            clusterName="c1",
            principalArn=ROLE,
            policyArn=VIEW,
            accessScope={"type": "namespace", "namespaces": ["qa"]},
        )["associatedAccessPolicy"]
    assert again["associatedAt"] == first["associatedAccessPolicy"]["associatedAt"]
    assert (again["modifiedAt"] - again["associatedAt"]).total_seconds() == 30
    listed = eks_client.list_associated_access_policies(clusterName="c1", principalArn=ROLE)
    assert {p["policyArn"]: p["accessScope"] for p in listed["associatedAccessPolicies"]} == {
        VIEW: {"type": "namespace", "namespaces": ["qa"]},
        EDIT: {"type": "namespace", "namespaces": ["dev", "team-*"]},
    }
    page = eks_client.list_associated_access_policies(clusterName="c1", principalArn=ROLE, maxResults=1)
    assert len(page["associatedAccessPolicies"]) == 1 and page["nextToken"]


@pytest.mark.parametrize(
    "policy, scope",
    [
        ("arn:aws:eks::aws:cluster-access-policy/AmazonEKSMadeUpPolicy", {"type": "cluster"}),
        ("arn:aws:iam::aws:policy/AdministratorAccess", {"type": "cluster"}),
        (VIEW, {"type": "namespace"}),
        (VIEW, {"type": "namespace", "namespaces": []}),
        (VIEW, {"type": "namespace", "namespaces": ["Not_Valid"]}),
        (VIEW, {"type": "cluster", "namespaces": ["dev"]}),
    ],
)
def test_associate_refuses_bad_policy_or_scope(eks_client, policy, scope):
    api_cluster(eks_client)
    eks_client.create_access_entry(clusterName="c1", principalArn=ROLE)
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_access_policy(
            clusterName="c1", principalArn=ROLE, policyArn=policy, accessScope=scope
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_associate_refused_for_ec2_linux_entries(eks_client):
    api_cluster(eks_client)
    eks_client.create_access_entry(clusterName="c1", principalArn=ROLE, type="EC2_LINUX")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_access_policy(
            clusterName="c1", principalArn=ROLE, policyArn=VIEW, accessScope={"type": "cluster"}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_disassociate_access_policy(eks_client):
    api_cluster(eks_client)
    grant(eks_client, ROLE, "AmazonEKSViewPolicy", cluster="c1")
    eks_client.disassociate_access_policy(clusterName="c1", principalArn=ROLE, policyArn=VIEW)
    assert (
        eks_client.list_associated_access_policies(clusterName="c1", principalArn=ROLE)[
            "associatedAccessPolicies"
        ]
        == []
    )
    with pytest.raises(ClientError) as excinfo:
        eks_client.disassociate_access_policy(clusterName="c1", principalArn=ROLE, policyArn=VIEW)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_access_entries_are_per_cluster(eks_client):
    api_cluster(eks_client, "a")
    api_cluster(eks_client, "b")
    eks_client.create_access_entry(clusterName="a", principalArn=ROLE)
    assert eks_client.list_access_entries(clusterName="b")["accessEntries"] == []
    eks_client.create_access_entry(clusterName="b", principalArn=ROLE)  # same principal, other cluster: fine


def test_access_policy_arns_follow_the_partition():
    import boto3

    with mock_eks():
        client = boto3.client("eks", region_name="cn-north-1")
        policies = client.list_access_policies()["accessPolicies"]
        assert policies[0]["arn"].startswith("arn:aws-cn:eks::aws:cluster-access-policy/")
        api_cluster(client, "cn", bootstrap=True)
        creator = client.list_access_entries(clusterName="cn")["accessEntries"][0]
        assert creator.startswith("arn:aws-cn:iam::")
        associated = client.list_associated_access_policies(clusterName="cn", principalArn=creator)
        assert associated["associatedAccessPolicies"][0]["policyArn"] == (
            "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
        )
