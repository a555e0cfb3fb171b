"""Small builders the tests share (not fixtures: plain functions, so each test says what it makes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node-role"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


def create_cluster(client: Any, name: str = "demo", **overrides: Any) -> dict[str, Any]:
    """CreateCluster with the minimum valid input; the next call sees it ACTIVE under instant timing."""
    params: dict[str, Any] = {
        "name": name,
        "roleArn": ROLE,
        "resourcesVpcConfig": {"subnetIds": list(SUBNETS)},
    }
    params.update(overrides)
    return client.create_cluster(**params)["cluster"]


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
