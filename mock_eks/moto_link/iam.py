"""IAM roles EKS is given (cluster, node, pod execution, pod identity, add-on service account roles).

``resources.common.check_role_arn`` calls ``check_role`` for every role member.
In ``"strict"`` a role must exist in moto's IAM, and a role EKS itself assumes must trust the service
principal that assumes it, as EKS checks at create time. ``"link"`` leaves trust policies alone, so
suites that give their roles placeholder trust policies keep working.
"""

from __future__ import annotations

import fnmatch
import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from mock_eks.model import messages
from mock_eks.moto_link import link_for

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

# (operation, member) -> (the service principal that assumes the role, the actions it needs, message key);
# ("*", member) holds for every operation. Roles not listed (add-on IRSA roles, which trust the cluster's
# OIDC provider; cross-account target roles; capability and connector roles) are only checked to exist.
_POD_IDENTITY = (
    "pods.eks.amazonaws.com",
    ("sts:AssumeRole", "sts:TagSession"),
    "link.pod_identity_role_trust",
)
TRUSTED_SERVICES: dict[tuple[str, str], tuple[str, tuple[str, ...], str]] = {
    ("CreateCluster", "roleArn"): ("eks.amazonaws.com", ("sts:AssumeRole",), "link.role_not_found"),
    ("*", "nodeRole"): ("ec2.amazonaws.com", ("sts:AssumeRole",), "link.node_role_trust"),
    ("*", "podExecutionRoleArn"): (
        "eks-fargate-pods.amazonaws.com",
        ("sts:AssumeRole",),
        "link.pod_execution_role_trust",
    ),
    ("CreatePodIdentityAssociation", "roleArn"): _POD_IDENTITY,
    ("UpdatePodIdentityAssociation", "roleArn"): _POD_IDENTITY,
    ("*", "podIdentityAssociations.roleArn"): _POD_IDENTITY,
}


def check_role(ctx: Context, arn: str, member: str) -> None:
    """In ``"strict"``: a role moto's IAM does not have (in the ARN's account) is InvalidParameterException,
    and so is a role whose trust policy does not let the service that assumes it do so."""
    link = link_for(ctx)
    if link is None or not link.strict:
        return
    parts = arn.split(":")
    iam = link.iam(parts[4] if len(parts) > 5 else None)
    roles = getattr(iam, "roles", None) or {}
    role = next((role for role in roles.values() if role.arn == arn), None)
    if role is None:
        raise messages.error(ctx, "link.role_not_found", role=arn)
    wanted = TRUSTED_SERVICES.get((ctx.op.name, member)) or TRUSTED_SERVICES.get(("*", member))
    if wanted is None:
        return
    service, actions, key = wanted
    if not trusts(role.assume_role_policy_document, service, actions):
        raise messages.error(ctx, key, role=arn)


def trusts(document: Any, service: str, actions: tuple[str, ...]) -> bool:
    """Whether a trust policy lets ``service`` (or its China-partition name) take every one of ``actions``.

    An Allow statement counts when its Principal is ``"*"`` or names the service, its Action (or
    NotAction) covers the action (IAM wildcards), and it has no NotPrincipal. Conditions are not
    evaluated (EKS's own request would meet the usual SourceAccount/SourceArn ones).
    """
    statements = _statements(document)
    names = {service, service + ".cn"}
    return all(any(_allows(s, names, action) for s in statements) for action in actions)


def _statements(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
        try:
            document = json.loads(text)
        except ValueError:
            return []
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return [s for s in statements or [] if isinstance(s, dict)]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _allows(statement: dict[str, Any], services: set[str], action: str) -> bool:
    if statement.get("Effect") != "Allow" or "NotPrincipal" in statement:
        return False
    principal = statement.get("Principal")
    if principal != "*":
        if not isinstance(principal, dict):
            return False
        named = {p for p in _listed(principal.get("Service")) if isinstance(p, str)}
        if not named & services and "*" not in _listed(principal.get("AWS")):
            return False
    if "Action" in statement:
        return any(
            isinstance(p, str) and fnmatch.fnmatchcase(action.lower(), p.lower())
            for p in _listed(statement["Action"])
        )
    if "NotAction" in statement:
        return not any(
            isinstance(p, str) and fnmatch.fnmatchcase(action.lower(), p.lower())
            for p in _listed(statement["NotAction"])
        )
    return False


def principal_of_key(access_key: str) -> tuple[str, str] | None:
    """(principal ARN, secret) of an access key moto issued, while moto is active: an IAM user's key, or
    the session key of a role assumed through moto's STS (then the ``assumed-role`` session ARN), as
    moto's own ``GetCallerIdentity`` answers for it. None for any other key."""
    import sys

    from mock_eks.moto_link.link import moto_active

    iam_models = sys.modules.get("moto.iam.models")  # not imported: moto has issued no key
    if iam_models is None or not moto_active():
        return None
    sts_models = sys.modules.get("moto.sts.models")
    for account in list(dict.values(getattr(iam_models, "iam_backends", {}))):
        for iam in list(dict.values(account)):
            key = getattr(iam, "access_keys", {}).get(access_key)
            if key is None:
                continue
            user = iam.get_user_from_access_key_id(access_key)
            if user is not None:
                return user.arn, key.secret_access_key
            for sts_account in list(dict.values(getattr(sts_models, "sts_backends", {}))):
                for sts in list(dict.values(sts_account)):
                    role = sts.get_assumed_role_from_access_key(access_key)
                    if role is not None:
                        return role.arn, key.secret_access_key
    return None
