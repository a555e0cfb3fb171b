"""Who may call a mocked cluster's Kubernetes API: EKS authentication and authorization.

Sources: tokens as aws-iam-authenticator verifies them (kubernetes-sigs/aws-iam-authenticator pkg/token:
15-minute validity, x-k8s-aws-id signed); access entries and access policies (Amazon EKS User Guide,
"Grant IAM users access to Kubernetes with EKS access entries", "Review access policy permissions"); the
aws-auth ConfigMap ("Grant IAM users access to Kubernetes with a ConfigMap"); kube-apiserver's 401/403
``Status`` bodies and forbidden wording (k8s.io/apiserver responsewriters ``forbiddenMessage``).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import requests

from mock_eks import mock_eks
from tests.helpers import NODE_ROLE, aws_cli_token, create_cluster, create_nodegroup, grant, kube_client

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client  # noqa: E402
from kubernetes.client.exceptions import ApiException  # noqa: E402

DEV = "AKIADEVELOPER0000001"  # another caller: the mock's principal arn:aws:iam::123456789012:user/<key>
DEV_ARN = f"arn:aws:iam::123456789012:user/{DEV}"


def status_of(error: ApiException) -> dict[str, Any]:
    return json.loads(error.body)


def can_i(api: Any, verb: str, resource: str, namespace: str = "", group: str = "") -> bool:
    review = client.AuthorizationV1Api(api).create_self_subject_access_review(
        {
            "spec": {
                "resourceAttributes": {
                    "verb": verb,
                    "resource": resource,
                    "namespace": namespace,
                    "group": group,
                }
            }
        }
    )
    return review.status.allowed


def test_the_cluster_creator_is_cluster_admin(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client, accessConfig={"authenticationMode": "API"})
    api = kube_client(eks_mock)
    assert can_i(api, "delete", "nodes") and can_i(api, "create", "deployments", "default", "apps")
    who = client.AuthenticationV1Api(api).create_self_subject_review(
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    )
    assert who.status.user_info.username.startswith("arn:aws:iam::123456789012:user/")


def test_an_aws_cli_token_for_another_cluster_or_expired_is_unauthorized(
    eks_mock: Any, eks_client: Any
) -> None:
    from freezegun import freeze_time

    create_cluster(eks_client)
    wrong = aws_cli_token("other-cluster", "AKIAMOCKEKSTESTING00", "mock-eks-secret")
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(kube_client(eks_mock, token=wrong)).list_namespace()
    assert caught.value.status == 401
    assert status_of(caught.value) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Unauthorized",
        "reason": "Unauthorized",
        "code": 401,
    }
    right = aws_cli_token("demo", "AKIAMOCKEKSTESTING00", "mock-eks-secret")
    assert client.CoreV1Api(kube_client(eks_mock, token=right)).list_namespace().items
    eks_mock.advance(16 * 60)  # the mock's clock: aws-iam-authenticator accepts a token for 15 minutes
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(kube_client(eks_mock, token=right)).list_namespace()
    assert caught.value.status == 401
    with freeze_time("2020-01-01"), pytest.raises(ApiException) as caught:  # dated in the future: refused
        client.CoreV1Api(kube_client(eks_mock, token=right)).list_namespace()
    assert caught.value.status == 401


def test_a_malformed_token_is_unauthorized_and_no_token_is_anonymous(eks_mock: Any, eks_client: Any) -> None:
    endpoint = create_cluster(eks_client) and eks_client.describe_cluster(name="demo")["cluster"]["endpoint"]
    answer = requests.get(
        f"{endpoint}/api/v1/nodes", headers={"Authorization": "Bearer k8s-aws-v1.bm90LWEtdXJs"}, timeout=5
    )
    assert answer.status_code == 401 and answer.json()["reason"] == "Unauthorized"
    assert requests.get(f"{endpoint}/version", timeout=5).status_code == 200
    assert requests.get(f"{endpoint}/readyz", timeout=5).text == "ok"
    anonymous = requests.get(f"{endpoint}/api/v1/namespaces/default/pods", timeout=5)
    assert anonymous.status_code == 403
    assert anonymous.json()["message"] == (
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"'
    )
    assert (
        requests.get(f"{endpoint}/api", timeout=5).json()["message"]
        == 'forbidden: User "system:anonymous" cannot get path "/api"'
    )


def test_an_unmapped_principal_is_unauthorized(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client, accessConfig={"authenticationMode": "API"})
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(kube_client(eks_mock, token=aws_cli_token("demo", DEV))).list_node()
    assert caught.value.status == 401


def test_view_policy_allows_reading_and_the_403_names_the_principal(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client, accessConfig={"authenticationMode": "API"})
    grant(eks_client, DEV_ARN, "AmazonEKSViewPolicy", {"type": "namespace", "namespaces": ["team-*"]})
    admin = kube_client(eks_mock)
    client.CoreV1Api(admin).create_namespace({"metadata": {"name": "team-a"}})
    dev = kube_client(eks_mock, token=aws_cli_token("demo", DEV))
    assert can_i(dev, "list", "pods", "team-a") and not can_i(dev, "create", "pods", "team-a")
    assert not can_i(dev, "list", "pods", "default") and not can_i(dev, "get", "secrets", "team-a")
    assert client.CoreV1Api(dev).list_namespaced_pod("team-a").items == []
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(dev).list_node()
    assert caught.value.status == 403
    body = status_of(caught.value)
    assert body["reason"] == "Forbidden" and body["message"] == (
        f'nodes is forbidden: User "{DEV_ARN}" cannot list resource "nodes" in API group "" at the cluster scope'
    )


def test_kubernetes_groups_get_what_rbac_bindings_grant(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client, accessConfig={"authenticationMode": "API"})
    eks_client.create_access_entry(clusterName="demo", principalArn=DEV_ARN, kubernetesGroups=["readers"])
    rbac = client.RbacAuthorizationV1Api(kube_client(eks_mock))
    rbac.create_cluster_role_binding(
        {
            "metadata": {"name": "readers-view"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "readers"}],
        }
    )
    dev = kube_client(eks_mock, token=aws_cli_token("demo", DEV))
    assert can_i(dev, "list", "deployments", "kube-system", "apps")
    assert not can_i(dev, "delete", "deployments", "kube-system", "apps")


def test_config_map_mode_reads_aws_auth_which_eks_writes_with_node_roles(
    eks_mock: Any, eks_client: Any
) -> None:
    create_cluster(eks_client)  # authenticationMode CONFIG_MAP by default
    create_nodegroup(eks_client, "ng", subnets=["subnet-1"])
    admin = client.CoreV1Api(kube_client(eks_mock))
    aws_auth = admin.read_namespaced_config_map("aws-auth", "kube-system")
    assert NODE_ROLE in aws_auth.data["mapRoles"] and "system:nodes" in aws_auth.data["mapRoles"]
    dev = kube_client(eks_mock, token=aws_cli_token("demo", DEV))
    with pytest.raises(ApiException) as caught:
        client.CoreV1Api(dev).list_node()
    assert caught.value.status == 401
    aws_auth.data["mapUsers"] = f"- userarn: {DEV_ARN}\n  username: dev\n  groups:\n  - system:masters\n"
    admin.replace_namespaced_config_map("aws-auth", "kube-system", aws_auth)
    assert len(client.CoreV1Api(dev).list_node().items) == 2


def test_service_account_tokens_of_the_clusters_issuer(eks_mock: Any, eks_client: Any) -> None:
    from mock_eks.tokens import make_service_account_token

    create_cluster(eks_client)
    endpoint = eks_client.describe_cluster(name="demo")["cluster"]["endpoint"]
    token = make_service_account_token("demo", "default", "builder")
    headers = {"Authorization": f"Bearer {token}"}
    answer = requests.get(f"{endpoint}/api/v1/namespaces/default/pods", headers=headers, timeout=5)
    assert answer.status_code == 403
    assert 'User "system:serviceaccount:default:builder" cannot list' in answer.json()["message"]


def test_a_cluster_that_is_not_active_refuses_connections() -> None:
    with mock_eks() as m:
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks)
        api = kube_client(m)
        eks.delete_cluster(name="demo")
        with pytest.raises(Exception) as caught:
            client.CoreV1Api(api).list_namespace(_request_timeout=1)
        assert "refused" in str(caught.value).lower()


def test_moto_users_and_assumed_roles_are_their_own_principals() -> None:
    """With moto's IAM and STS, a token signed with a key moto issued is checked with moto's secret, and
    the caller is the IAM user or the assumed role moto records for that key (the moto link)."""
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_eks() as m:
        iam = boto3.client("iam", region_name="us-east-1")
        user = iam.create_user(UserName="dev")["User"]
        key = iam.create_access_key(UserName="dev")["AccessKey"]
        role = iam.create_role(RoleName="ops", AssumeRolePolicyDocument="{}")["Role"]
        session = boto3.client("sts", region_name="us-east-1").assume_role(
            RoleArn=role["Arn"], RoleSessionName="alice"
        )["Credentials"]
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks, accessConfig={"authenticationMode": "API"})
        for principal in (user["Arn"], role["Arn"]):
            grant(eks, principal, "AmazonEKSViewPolicy")
        dev = kube_client(m, token=aws_cli_token("demo", key["AccessKeyId"], key["SecretAccessKey"]))
        who = client.AuthenticationV1Api(dev).create_self_subject_review({"kind": "SelfSubjectReview"})
        assert who.status.user_info.username == user["Arn"]
        assert can_i(dev, "list", "pods", "default") and not can_i(dev, "delete", "pods", "default")
        ops = kube_client(m, token=aws_cli_token("demo", session["AccessKeyId"], session["SecretAccessKey"]))
        who = client.AuthenticationV1Api(ops).create_self_subject_review({"kind": "SelfSubjectReview"})
        assert who.status.user_info.username == "arn:aws:sts::123456789012:assumed-role/ops/alice"
        forged = kube_client(m, token=aws_cli_token("demo", key["AccessKeyId"], "not-the-secret"))
        with pytest.raises(ApiException) as caught:
            client.CoreV1Api(forged).list_namespace()
        assert caught.value.status == 401


def test_self_subject_rules_review_lists_what_a_viewer_may_do(eks_mock: Any, eks_client: Any) -> None:
    """``kubectl auth can-i --list`` sends a SelfSubjectRulesReview for a namespace."""
    create_cluster(eks_client, accessConfig={"authenticationMode": "API"})
    grant(eks_client, DEV_ARN, "AmazonEKSViewPolicy", {"type": "namespace", "namespaces": ["default"]})
    dev = client.AuthorizationV1Api(kube_client(eks_mock, token=aws_cli_token("demo", DEV)))
    review = dev.create_self_subject_rules_review({"spec": {"namespace": "default"}})
    verbs = {
        verb
        for rule in review.status.resource_rules
        if "pods" in (rule.resources or [])
        for verb in rule.verbs
    }
    assert verbs == {"get", "list", "watch"} and review.status.incomplete is False
    elsewhere = dev.create_self_subject_rules_review({"spec": {"namespace": "kube-system"}})
    assert not any("pods" in (rule.resources or []) for rule in elsewhere.status.resource_rules)
