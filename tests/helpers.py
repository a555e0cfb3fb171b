"""Small builders the tests share (not fixtures: plain functions, so each test says what it makes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node-role"
POD_EXECUTION_ROLE = "arn:aws:iam::123456789012:role/AmazonEKSPodExecutionRole"
POD_IDENTITY_ROLE = "arn:aws:iam::123456789012:role/pod-role"
CAPABILITY_ROLE = "arn:aws:iam::123456789012:role/eks-capability-role"
CONNECTOR_ROLE = "arn:aws:iam::123456789012:role/eks-connector-role"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
TERM_12 = {"duration": 12, "unit": "MONTHS"}
IDC_INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
ARGO_CD = {"argoCd": {"awsIdc": {"idcInstanceArn": IDC_INSTANCE}, "namespace": "argocd"}}

# Each builder below sends the minimum valid input (names first, the cluster a keyword defaulting to
# create_cluster's "demo"); a keyword override replaces one member of the request as given.


def cluster_params(name: str = "demo", **overrides: Any) -> dict[str, Any]:
    """CreateCluster's minimum valid input, for a client the builders cannot call (an async one)."""
    return {"name": name, "roleArn": ROLE, "resourcesVpcConfig": {"subnetIds": list(SUBNETS)}, **overrides}


def create_cluster(client: Any, name: str = "demo", **overrides: Any) -> dict[str, Any]:
    """CreateCluster with the minimum valid input; the next call sees it ACTIVE under instant timing."""
    return client.create_cluster(**cluster_params(name, **overrides))["cluster"]


def register_cluster(
    client: Any, name: str = "onprem", provider: str = "OTHER", **overrides: Any
) -> dict[str, Any]:
    """RegisterCluster of a cluster outside AWS run by ``provider``, with the EKS Connector's role."""
    params = {"name": name, "connectorConfig": {"roleArn": CONNECTOR_ROLE, "provider": provider}}
    return client.register_cluster(**{**params, **overrides})["cluster"]


def create_subscription(client: Any, name: str = "sub", **overrides: Any) -> dict[str, Any]:
    """CreateEksAnywhereSubscription for a 12-month term."""
    return client.create_eks_anywhere_subscription(**{"name": name, "term": TERM_12, **overrides})[
        "subscription"
    ]


def create_nodegroup(
    client: Any, name: str = "ng1", *, cluster: str = "demo", **overrides: Any
) -> dict[str, Any]:
    """CreateNodegroup in ``cluster`` with the node role and the two subnets."""
    params = {"clusterName": cluster, "nodegroupName": name, "subnets": list(SUBNETS), "nodeRole": NODE_ROLE}
    return client.create_nodegroup(**{**params, **overrides})["nodegroup"]


def create_fargate_profile(
    client: Any, name: str = "fp1", *, cluster: str = "demo", **overrides: Any
) -> dict[str, Any]:
    """CreateFargateProfile in ``cluster`` selecting the default namespace, on the cluster's own subnets."""
    params = {
        "clusterName": cluster,
        "fargateProfileName": name,
        "podExecutionRoleArn": POD_EXECUTION_ROLE,
        "selectors": [{"namespace": "default"}],
    }
    return client.create_fargate_profile(**{**params, **overrides})["fargateProfile"]


def associate_pod_identity(
    client: Any,
    namespace: str = "default",
    service_account: str = "app",
    *,
    cluster: str = "demo",
    **overrides: Any,
) -> dict[str, Any]:
    """CreatePodIdentityAssociation of ``namespace``/``service_account`` in ``cluster`` with a role."""
    params = {
        "clusterName": cluster,
        "namespace": namespace,
        "serviceAccount": service_account,
        "roleArn": POD_IDENTITY_ROLE,
    }
    return client.create_pod_identity_association(**{**params, **overrides})["association"]


def create_capability(
    client: Any, name: str = "argo", kind: str = "ARGOCD", *, cluster: str = "demo", **overrides: Any
) -> dict[str, Any]:
    """CreateCapability of type ``kind`` in ``cluster`` (an Argo CD one carries its IAM Identity Center)."""
    params: dict[str, Any] = {
        "clusterName": cluster,
        "capabilityName": name,
        "type": kind,
        "roleArn": CAPABILITY_ROLE,
        "deletePropagationPolicy": "RETAIN",
    }
    if kind == "ARGOCD":
        params["configuration"] = ARGO_CD
    return client.create_capability(**{**params, **overrides})["capability"]


def unvalidated_client(service: str = "eks", region: str = "us-east-1") -> Any:
    """A client that skips botocore's own checks, so input reaches the mock as other SDKs would send it."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, region_name=region, config=Config(parameter_validation=False))


def error_of(excinfo: Any) -> tuple[str, int, str]:
    """(code, HTTP status, message) of a botocore ClientError caught by pytest.raises."""
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


@contextmanager
def realistic(when: str) -> Iterator[tuple[Any, Any]]:
    """``mock_eks(timing="realistic")`` under a clock frozen at ``when``: (an EKS client, the clock)."""
    import boto3
    from freezegun import freeze_time

    from mock_eks import mock_eks

    with mock_eks(timing="realistic"), freeze_time(when) as clock:
        yield boto3.client("eks", region_name="us-east-1"), clock


def kube_client(mock: Any, cluster: str = "demo", region: str | None = None, token: str | None = None) -> Any:
    """A ``kubernetes`` ApiClient for the mocked cluster, from ``mock.kubeconfig`` (its token, or ``token``)."""
    from kubernetes import client, config

    document = mock.kubeconfig(cluster, region)
    if token is not None:
        document["users"][0]["user"]["token"] = token
    configuration = client.Configuration()
    config.load_kube_config_from_dict(document, client_configuration=configuration)
    return client.ApiClient(configuration)


def aws_cli_token(
    cluster: str, access_key: str, secret_key: str = "secret", region: str = "us-east-1"
) -> str:
    """A bearer token made by the AWS CLI's own ``aws eks get-token`` code for these credentials.

    Skips the test where awscli is not installed (CI's oldest-botocore run has no awscli release that
    pairs with it)."""
    import botocore.session
    import pytest

    get_token = pytest.importorskip("awscli.customizations.eks.get_token")
    STSClientFactory, TokenGenerator = get_token.STSClientFactory, get_token.TokenGenerator

    session = botocore.session.get_session()
    session.set_credentials(access_key, secret_key)
    return TokenGenerator(STSClientFactory(session).get_sts_client(region_name=region)).get_token(cluster)


def grant(
    client: Any, principal: str, policy: str, scope: dict[str, Any] | None = None, cluster: str = "demo"
) -> None:
    """An access entry for ``principal`` with the EKS access policy ``policy`` (cluster-wide by default)."""
    client.create_access_entry(clusterName=cluster, principalArn=principal)
    client.associate_access_policy(
        clusterName=cluster,
        principalArn=principal,
        policyArn=f"arn:aws:eks::aws:cluster-access-policy/{policy}",
        accessScope=scope or {"type": "cluster"},
    )
