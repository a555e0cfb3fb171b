"""IAM roles EKS is given (cluster, node, pod execution, pod identity, add-on service account roles).

Registered in ``resources.common.ROLE_CHECKS``, which ``check_role_arn`` runs for every role member.
"""

from __future__ import annotations

from typing import Any

from mock_eks.moto_link import link_for, refuse


def check_role(ctx: Any, arn: str, member: str) -> None:
    """In ``"strict"``, a role moto's IAM does not have (in the ARN's account) is InvalidParameterException."""
    link = link_for(ctx)
    if link is None or not link.strict:
        return
    parts = arn.split(":")
    iam = link.iam(parts[4] if len(parts) > 5 else None)
    roles = getattr(iam, "roles", None) or {}
    if not any(role.arn == arn for role in roles.values()):
        raise refuse(ctx, "link.role_not_found", role=arn)
