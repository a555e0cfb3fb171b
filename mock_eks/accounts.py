"""Who is calling and where: account id, region and partition of a request.

The account rule, the same in-process and in server mode: a 12-digit access key id is the account (so
one process can act as several accounts), else ``MOCK_EKS_ACCOUNT_ID``, else ``123456789012``.
``MOCK_EKS_ACCOUNT_ID`` must be 12 digits: activating the mock or starting the server with another value
raises ``AccountError`` (a ValueError); if it is changed to a bad value while active, each request gets
the common ``UnrecognizedClientException`` (403) naming the variable.
"""

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


class AccountError(ValueError):
    """MOCK_EKS_ACCOUNT_ID is set to something that is not a 12-digit account id."""


def _is_account(text: str) -> bool:
    return len(text) == 12 and text.isascii() and text.isdigit()


def configured_account() -> str:
    """MOCK_EKS_ACCOUNT_ID if set (validated), else the default account."""
    configured = os.environ.get(ACCOUNT_ENV)
    if not configured:
        return DEFAULT_ACCOUNT
    if not _is_account(configured):
        raise AccountError(
            f"{ACCOUNT_ENV}={configured!r} is not an AWS account id (12 digits, such as 123456789012)"
        )
    return configured


def account_for(access_key: str | None) -> str:
    """A 12-digit access key id, else MOCK_EKS_ACCOUNT_ID, else the default account (AccountError if bad)."""
    if access_key and _is_account(access_key):
        return access_key
    return configured_account()
