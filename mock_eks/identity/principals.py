"""Which IAM principal the mock takes a caller to be, from the access key of its credentials.

The mock has no IAM of its own: the access key is the one stable thing a caller's credentials give it. The
caller of CreateCluster (the creator's access entry) and the caller behind a cluster's bearer token
(``mock_eks.kube``) are the same principal by the same rule: ``arn:<partition>:iam::<account>:user/<access
key id>`` (``mock-eks-caller`` without a usable key). With the moto link, a key moto issued is its IAM
user's or assumed role's (``moto_link.iam.principal_of_key``).
"""

from __future__ import annotations

import re


def principal_for_key(partition: str, account: str, access_key: str | None) -> str:
    """The IAM principal the mock takes the holder of ``access_key`` to be."""
    name = access_key if access_key and re.fullmatch(r"[\w+=,.@-]{1,64}", access_key) else "mock-eks-caller"
    return f"arn:{partition}:iam::{account}:user/{name}"
