"""EKS Pod Identity: the association operations (EKS) and AssumeRoleForPodIdentity (EKS Auth).

CreatePodIdentityAssociation, DescribePodIdentityAssociation, ListPodIdentityAssociations,
UpdatePodIdentityAssociation, DeletePodIdentityAssociation; EKS Auth's AssumeRoleForPodIdentity takes a
service account token (see ``mock_eks.tokens``) and returns temporary credentials for the role of the
association of the token's namespace and service account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.identity import tokens
from mock_eks.model import arns, documents, messages
from mock_eks.resources.common import check_role_arn, check_tags, find_child, find_cluster
from mock_eks.state.kinds import record_kind

# Kubernetes names: a namespace is a DNS-1123 label, a service account a DNS-1123 subdomain
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SUBJECT = re.compile(r"^system:serviceaccount:([^:]+):([^:]+)$")
CREDENTIAL_SECONDS = 6 * 3600  # EKS Pod Identity credentials last six hours
CLOCK_SKEW = 60
_ALNUM = string.ascii_lowercase + string.digits


@record_kind("PodIdentityAssociation", family="pod_identity_associations")
@dataclass(slots=True, eq=False)
class PodIdentityAssociation:
    cluster_name: str
    namespace: str
    service_account: str
    role_arn: str
    association_arn: str
    association_id: str
    created_at: float
    modified_at: float
    tags: dict[str, str] = field(default_factory=dict)
    owner_arn: str | None = None
    disable_session_tags: bool = False
    target_role_arn: str | None = None
    external_id: str | None = None
    policy: str | None = None
    # WorkloadIdentityConfigResponse: enabled, templateArn, providerArn (botocore 1.44.18 and later)
    workload_identity_config: dict[str, Any] | None = None


@arns.taggable("podidentityassociation")
def _tagged_association(store: Any, parts: list[str]) -> PodIdentityAssociation | None:
    cluster = store.clusters.get(parts[1]) if len(parts) == 3 else None
    return cluster.child("pod_identity_associations").get(parts[2]) if cluster is not None else None


def _association_id() -> str:
    return "a-" + "".join(secrets.choice(_ALNUM) for _ in range(17))


def _check_policy(ctx: Context, policy: str | None) -> None:
    if policy is None or policy == "":
        return
    try:
        document = documents.load(policy)
    except documents.DocumentError as problem:
        raise messages.error(ctx, "pod_identity.policy_json_iam_session", problem=problem) from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise messages.error(ctx, "pod_identity.policy_iam_policy_document")


# An ARN of any service and partition; the workload identity template and provider are IAM resources
_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$")


def _workload_identity(
    ctx: Context,
    current: dict[str, Any] | None,
    requested: dict[str, Any] | None,
    target_role_arn: str | None,
    *,
    creating: bool,
) -> dict[str, Any] | None:
    """The association's workload identity configuration after a create or update request.

    The rules are the model's documentation of WorkloadIdentityConfigRequest (botocore's eks model,
    1.44.18): ``enabled`` is required on create; ``templateArn`` and ``providerArn`` come together;
    enabling needs both unless the association already has them; an update keeps what it omits;
    clearing the ARNs (empty strings) only while disabled or in the request that disables; no
    ``targetRoleArn`` while enabled. ``target_role_arn`` is the association's value after the request.
    """
    if requested is None:
        config = current
    else:
        enabled = requested.get("enabled")
        if creating and enabled is None:
            raise messages.error(ctx, "pod_identity.workload_identity_enabled_required")
        template, provider = requested.get("templateArn"), requested.get("providerArn")
        if (template is None) != (provider is None) or (template == "") != (provider == ""):
            raise messages.error(ctx, "pod_identity.workload_identity_arns_together")
        config = dict(current or {"enabled": False})
        if enabled is not None:
            config["enabled"] = enabled
        if template == "":
            if config["enabled"]:
                raise messages.error(ctx, "pod_identity.workload_identity_clear_while_enabled")
            config.pop("templateArn", None)
            config.pop("providerArn", None)
        elif template is not None:
            for member, value in (("templateArn", template), ("providerArn", provider)):
                match = _ARN.match(value or "")
                if match is None:
                    raise messages.error(
                        ctx, "pod_identity.workload_identity_bad_arn", member=member, value=value
                    )
            template_account = _ARN.match(template).group(1)  # type: ignore[union-attr]
            if template_account not in (None, ctx.account):
                raise messages.error(
                    ctx,
                    "pod_identity.workload_identity_template_account",
                    value=template,
                    account=ctx.account,
                )
            config["templateArn"], config["providerArn"] = template, provider
        if config["enabled"] and not (config.get("templateArn") and config.get("providerArn")):
            raise messages.error(ctx, "pod_identity.workload_identity_arns_required")
    if config is not None and config.get("enabled") and target_role_arn:
        raise messages.error(ctx, "pod_identity.workload_identity_target_role")
    return config


def _find(ctx: Context, cluster: Any, association_id: str) -> PodIdentityAssociation:
    return find_child(
        ctx, cluster, "pod_identity_associations", association_id, "pod_identity.not_found", id=association_id
    )


def create_association(
    ctx: Context,
    cluster: Any,
    *,
    namespace: str,
    service_account: str,
    role_arn: str,
    tags: dict[str, str] | None = None,
    disable_session_tags: bool | None = None,
    target_role_arn: str | None = None,
    policy: str | None = None,
    owner_arn: str | None = None,
    workload_identity_config: dict[str, Any] | None = None,
) -> PodIdentityAssociation:
    """Validate and store an association (also for add-ons that own theirs: pass ``owner_arn``)."""
    if len(namespace) > 63 or not DNS_LABEL.match(namespace):
        raise messages.error(
            ctx,
            "pod_identity.namespace_valid_kubernetes_namespace",
            clusterName=cluster.name,
            namespace=namespace,
        )
    if len(service_account) > 253 or not DNS_SUBDOMAIN.match(service_account):
        raise messages.error(
            ctx,
            "pod_identity.serviceaccount_valid_kubernetes_service",
            clusterName=cluster.name,
            service_account=service_account,
        )
    check_role_arn(ctx, role_arn, "roleArn")
    check_role_arn(ctx, target_role_arn or None, "targetRoleArn")
    _check_policy(ctx, policy)
    workload_identity = _workload_identity(
        ctx, None, workload_identity_config, target_role_arn or None, creating=True
    )
    tags = check_tags(ctx, tags)
    children = cluster.child("pod_identity_associations")
    for other in children:
        if other.namespace == namespace and other.service_account == service_account:
            raise messages.error(
                ctx,
                "pod_identity.exists",
                clusterName=cluster.name,
                association_id=other.association_id,
                namespace=namespace,
                service_account=service_account,
            )
    association_id = _association_id()
    association = PodIdentityAssociation(
        cluster_name=cluster.name,
        namespace=namespace,
        service_account=service_account,
        role_arn=role_arn,
        association_arn=ctx.arn(f"podidentityassociation/{cluster.name}/{association_id}"),
        association_id=association_id,
        created_at=ctx.now,
        modified_at=ctx.now,
        tags=tags,
        owner_arn=owner_arn,
        disable_session_tags=bool(disable_session_tags),
        target_role_arn=target_role_arn or None,
        external_id=str(uuid.uuid4()) if target_role_arn else None,
        policy=policy or None,
        workload_identity_config=workload_identity,
    )
    children.add(association_id, association)
    return association


@operation("CreatePodIdentityAssociation")
def create_pod_identity_association(
    ctx: Context,
    *,
    cluster_name: str,
    namespace: str,
    service_account: str,
    role_arn: str,
    client_request_token: str | None = None,
    tags: dict[str, str] | None = None,
    disable_session_tags: bool | None = None,
    target_role_arn: str | None = None,
    policy: str | None = None,
    workload_identity_config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    if cluster.status not in ("ACTIVE", "UPDATING"):
        raise messages.error(
            ctx, "pod_identity.cluster_active_status_current", clusterName=cluster_name, status=cluster.status
        )
    association = create_association(
        ctx,
        cluster,
        namespace=namespace,
        service_account=service_account,
        role_arn=role_arn,
        tags=tags,
        disable_session_tags=disable_session_tags,
        target_role_arn=target_role_arn,
        policy=policy,
        workload_identity_config=workload_identity_config,
    )
    return {"association": association}


@operation("DescribePodIdentityAssociation")
def describe_pod_identity_association(
    ctx: Context, *, cluster_name: str, association_id: str
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"association": _find(ctx, cluster, association_id)}


@operation("ListPodIdentityAssociations")
def list_pod_identity_associations(
    ctx: Context,
    *,
    cluster_name: str,
    namespace: str | None = None,
    service_account: str | None = None,
    max_results: int | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)

    def wanted(association: PodIdentityAssociation) -> bool:
        return (namespace is None or association.namespace == namespace) and (
            service_account is None or association.service_account == service_account
        )

    page, token = paginate(
        ctx,
        cluster.child("pod_identity_associations"),
        max_results,
        next_token,
        scope=f"{cluster_name}:{namespace}:{service_account}",
        predicate=wanted if namespace is not None or service_account is not None else None,
    )
    return {"associations": page, "nextToken": token}


@operation("UpdatePodIdentityAssociation")
def update_pod_identity_association(
    ctx: Context,
    *,
    cluster_name: str,
    association_id: str,
    role_arn: str | None = None,
    client_request_token: str | None = None,
    disable_session_tags: bool | None = None,
    target_role_arn: str | None = None,
    policy: str | None = None,
    workload_identity_config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    association = _find(ctx, cluster, association_id)
    changes = (role_arn, disable_session_tags, target_role_arn, policy, workload_identity_config)
    if all(change is None for change in changes):
        # the Reference: "You must change at least one of these in an update"
        raise messages.error(ctx, "pod_identity.you_change_at_least", clusterName=cluster_name)
    check_role_arn(ctx, role_arn, "roleArn")
    check_role_arn(ctx, target_role_arn or None, "targetRoleArn")
    _check_policy(ctx, policy)
    target_after = association.target_role_arn if target_role_arn is None else (target_role_arn or None)
    association.workload_identity_config = _workload_identity(
        ctx, association.workload_identity_config, workload_identity_config, target_after, creating=False
    )
    if role_arn is not None:
        association.role_arn = role_arn
    if disable_session_tags is not None:
        association.disable_session_tags = disable_session_tags
    if target_role_arn is not None:
        # an empty string removes the target role (and with it the external id)
        if not target_role_arn:
            association.target_role_arn = association.external_id = None
        else:
            if association.target_role_arn is None:
                association.external_id = str(uuid.uuid4())
            association.target_role_arn = target_role_arn
    if policy is not None:
        association.policy = policy or None
    association.modified_at = ctx.now
    return {"association": association}


@operation("DeletePodIdentityAssociation")
def delete_pod_identity_association(
    ctx: Context, *, cluster_name: str, association_id: str
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    association = _find(ctx, cluster, association_id)
    cluster.child("pod_identity_associations").remove(association_id)
    return {"association": association}


# -- EKS Auth ------------------------------------------------------------------------------------------


def _role_id(role_arn: str) -> str:
    """A stable IAM role id (AROA + 17 characters) for a role ARN."""
    digest = hashlib.sha256(role_arn.encode()).hexdigest().upper()
    return "AROA" + "".join(c if c.isalpha() else "ABCDEFGHIJ"[int(c)] for c in digest)[:17]


def _session_name(cluster_name: str, pod_name: str) -> str:
    """eks-<cluster>-<pod>-<uuid>, cut to STS's 64 characters by shortening the cluster and pod names."""
    suffix = str(uuid.uuid4())
    room = 64 - len("eks---") - len(suffix)
    cluster_part = cluster_name[: max(room // 2, room - len(pod_name))]
    pod_part = pod_name[: room - len(cluster_part)]
    return f"eks-{cluster_part}-{pod_part}-{suffix}"


def _invalid(ctx: Context, reason: str) -> Exception:
    return messages.error(
        ctx, "pod_identity.service_account_token_invalid", reason=reason, HOW_TO_MINT=tokens.HOW_TO_MINT
    )


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _claims(ctx: Context, cluster: Any, token: str) -> tuple[dict[str, Any], str, str]:
    """The verified claims of a service account token for ``cluster``, with its namespace and account.

    Every claim is type-checked before use: a token with claims of the wrong type is an invalid token,
    never a server error.
    """
    try:
        claims = tokens.verify(token, cluster.signing_key)
    except tokens.TokenError as problem:
        raise _invalid(ctx, str(problem)) from None
    if claims.get("iss") != cluster.oidc_issuer:
        raise _invalid(ctx, f"it was not issued by cluster {cluster.name} (issuer {claims.get('iss')!r})")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if tokens.AUDIENCE not in audiences:
        raise _invalid(ctx, f"its audience (aud) must include {tokens.AUDIENCE}")
    exp: Any = claims.get("exp")  # a number once checked below
    nbf = claims.get("nbf", claims.get("iat"))
    if not _number(exp):
        raise _invalid(ctx, "its exp claim must be a number of seconds since the epoch")
    if nbf is not None and not _number(nbf):
        raise _invalid(ctx, "its nbf and iat claims must be numbers of seconds since the epoch")
    if exp <= ctx.now:
        raise messages.error(ctx, "pod_identity.service_account_token_has")
    if nbf is not None and nbf > ctx.now + CLOCK_SKEW:
        raise _invalid(ctx, "it is not valid yet (nbf)")
    subject = claims.get("sub")
    match = SUBJECT.match(subject) if isinstance(subject, str) else None
    kube = claims.get("kubernetes.io")
    if match is None or not isinstance(kube, dict):
        raise _invalid(ctx, "it is not a Kubernetes service account token (sub, kubernetes.io)")
    namespace, service_account = match.groups()
    account_claim = kube.get("serviceaccount")
    if kube.get("namespace") != namespace or not (
        isinstance(account_claim, dict) and account_claim.get("name") == service_account
    ):
        raise _invalid(ctx, "its kubernetes.io claims do not match its subject")
    return claims, namespace, service_account


@operation("AssumeRoleForPodIdentity", service="eks-auth")
def assume_role_for_pod_identity(
    ctx: Context,
    *,
    cluster_name: str,
    token: str,
    eks_node_name: str | None = None,
    instance_id: str | None = None,
    zone: str | None = None,
) -> dict[str, Any]:
    cluster = ctx.store.clusters.get(cluster_name)
    if cluster is None or cluster.connector_config is not None:
        raise messages.error(ctx, "pod_identity.auth_cluster_not_found", cluster_name=cluster_name)
    if not cluster.provisioned or cluster.status in ("DELETING", "FAILED"):
        raise messages.error(
            ctx, "pod_identity.cluster_cannot_serve_pod", cluster_name=cluster_name, status=cluster.status
        )
    claims, namespace, service_account = _claims(ctx, cluster, token)
    association = next(
        (
            a
            for a in cluster.child("pod_identity_associations")
            if a.namespace == namespace and a.service_account == service_account
        ),
        None,
    )
    if association is None:
        raise messages.error(
            ctx,
            "pod_identity.no_pod_identity_association",
            namespace=namespace,
            service_account=service_account,
            cluster_name=cluster_name,
        )
    role_arn = association.target_role_arn or association.role_arn
    role_partition, role_account = role_arn.split(":")[1], role_arn.split(":")[4]
    role_name = role_arn.rsplit("/", 1)[-1]
    pod = claims["kubernetes.io"].get("pod")
    pod_name = pod.get("name") if isinstance(pod, dict) else None
    pod_name = pod_name if isinstance(pod_name, str) and pod_name else "pod"
    session = _session_name(cluster_name, pod_name)
    workload_identity = association.workload_identity_config or {}
    return {
        # botocore 1.44.18: "Returned only for associations with workload identity enabled"
        "workloadIdentityProviderArn": workload_identity.get("providerArn")
        if workload_identity.get("enabled")
        else None,
        "subject": {"namespace": namespace, "serviceAccount": service_account},
        "audience": tokens.AUDIENCE,
        "podIdentityAssociation": {
            "associationArn": association.association_arn,
            "associationId": association.association_id,
        },
        "assumedRoleUser": {
            "arn": f"arn:{role_partition}:sts::{role_account}:assumed-role/{role_name}/{session}",
            "assumeRoleId": f"{_role_id(role_arn)}:{session}",
        },
        "credentials": {
            "accessKeyId": "ASIA"
            + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
            "secretAccessKey": secrets.token_urlsafe(30)[:40],
            "sessionToken": "IQoJb3JpZ2luX2VjE" + secrets.token_urlsafe(180),
            "expiration": ctx.now + CREDENTIAL_SECONDS,
        },
    }
