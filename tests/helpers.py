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
