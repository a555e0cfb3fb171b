"""Who is calling and where: account id, region and partition of a request."""

from __future__ import annotations

import os
import re

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
ACCOUNT_ENV = "MOCK_EKS_ACCOUNT_ID"

# eks.<region>.amazonaws.com, eks-fips..., eks.<region>.api.aws (dual stack), eks-auth.<region>.api.aws,
# and the China partition's amazonaws.com.cn / amazonwebservices.com.cn hosts.
HOST = re.compile(
    r"^(?P<service>eks-auth|eks)(?:-fips)?\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\."
    r"(?:amazonaws\.com(?:\.cn)?|api\.aws|api\.amazonwebservices\.com\.cn)(?::\d+)?$"
)


def partition_for(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def credential_scope(authorization: str | bytes | None) -> tuple[str | None, str | None, str | None]:
    """(access key id, region, service) from a SigV4 Authorization header, where present."""
    if not authorization:
        return None, None, None
    if isinstance(authorization, bytes):  # botocore keeps signed headers as bytes
        authorization = authorization.decode("latin-1")
    start = authorization.find("Credential=")
    if start < 0:
        return None, None, None
    scope = authorization[start + 11 :].split(",", 1)[0].strip().split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        return None, None, None
    return scope[0], scope[2], scope[3]


def account_for(access_key: str | None) -> str:
    """MOCK_EKS_ACCOUNT_ID, else a 12-digit access key id, else the default account."""
    configured = os.environ.get(ACCOUNT_ENV)
    if configured:
        return configured
    if access_key and len(access_key) == 12 and access_key.isdigit():
        return access_key
    return DEFAULT_ACCOUNT
