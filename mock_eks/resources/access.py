"""Access entries and access policies.

CreateAccessEntry, DescribeAccessEntry, ListAccessEntries, UpdateAccessEntry, DeleteAccessEntry,
ListAccessPolicies, AssociateAccessPolicy, DisassociateAccessPolicy, ListAssociatedAccessPolicies.

Access entries exist only while the cluster's authenticationMode is API or API_AND_CONFIG_MAP; under
CONFIG_MAP every access entry operation is an InvalidRequestException.

The cluster creator's entry (``bootstrapClusterCreatorAdminPermissions``, default true): EKS makes it
when the cluster is created with access entries in use. The mock records the creator at CreateCluster
and materialises the entry (STANDARD, AmazonEKSClusterAdminPolicy at cluster scope) as soon as the
cluster's authenticationMode allows access entries: at create time for API / API_AND_CONFIG_MAP, or on
the first access entry call after the cluster moved away from CONFIG_MAP. The creator's principal is
``arn:<partition>:iam::<account>:user/<access key id>`` (the SigV4 access key id of the CreateCluster
request; ``mock-eks-caller`` when there is none): the mock has no IAM, and the access key is the one
stable thing a caller's credentials give it. See ``creator_principal_arn``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks.catalogue.amis import is_windows
from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.identity.principals import principal_for_key
from mock_eks.model import arns, messages
from mock_eks.resources import clusters
from mock_eks.resources.common import check_tags, find_cluster
from mock_eks.state.kinds import family as child_family
from mock_eks.state.kinds import record_kind
from mock_eks.state.store import Collection

ACCESS_POLICIES: list[dict[str, str]] = json.loads(
    resources.files("mock_eks.data").joinpath("access_policies.json").read_text()
)
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"

ENTRY_MODES = ("API", "API_AND_CONFIG_MAP")
TYPES = ("STANDARD", "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX")
# username EKS sets when none is given, for the node types (STANDARD depends on the principal)
NODE_USERNAMES = {
    "EC2_LINUX": "system:node:{{EC2PrivateDNSName}}",
    "EC2_WINDOWS": "system:node:{{EC2PrivateDNSName}}",
    "EC2": "system:node:{{EC2PrivateDNSName}}",
    "FARGATE_LINUX": "system:node:{{SessionName}}",
    "HYBRID_LINUX": "system:node:{{SessionName}}",
    "HYPERPOD_LINUX": "system:node:hyperpod-{{SessionName}}",
}
# Kubernetes groups EKS gives node entries (aws/aws-cli awscli/examples/eks/create-access-entry.rst,
# 2025-05: --type EC2_LINUX answers kubernetesGroups ["system:nodes"]; issue 13 item 1 for EC2_WINDOWS)
NODE_GROUPS = {"EC2_LINUX": ["system:nodes"], "EC2_WINDOWS": ["system:nodes"]}
# access policies an entry of a non-STANDARD type may carry (EC2 entries of EKS Auto Mode nodes)
POLICIES_BY_TYPE = {"EC2": ("AmazonEKSAutoNodePolicy",)}
RESERVED_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")
STS_SESSION = re.compile(r"^arn:aws[a-z-]*:sts::\d{12}:")
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^[a-z0-9][-a-z0-9]*\*$")  # "team-*" wildcards too


@record_kind("AccessEntry", family="access_entries")
@dataclass(slots=True, eq=False)
class AccessEntry:
    cluster_name: str
    principal_arn: str
    access_entry_arn: str
    created_at: float
    modified_at: float
    type: str
    username: str
    kubernetes_groups: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    # policyArn -> AssociatedAccessPolicy (member names); a Collection so pages are stable under deletes
    policies: Collection[dict[str, Any]] = field(default_factory=Collection)


@arns.taggable("access-entry")
def _tagged_entry(store: Any, parts: list[str]) -> AccessEntry | None:
    cluster = store.clusters.get(parts[1]) if len(parts) >= 6 else None
    if cluster is None:
        return None
    suffix = "/".join(parts)
    for entry in cluster.child("access_entries"):
        if entry.access_entry_arn.endswith(":" + suffix):
            return entry
    return None


def policy_arn(partition: str, name: str) -> str:
    return f"arn:{partition}:eks::aws:cluster-access-policy/{name}"


def creator_principal_arn(partition: str, account: str, access_key: str | None) -> str:
    """The IAM principal the mock takes the caller of CreateCluster to be (the identity layer's rule)."""
    return principal_for_key(partition, account, access_key)


def _principal_parts(principal_arn: str) -> tuple[str, str, str, str]:
    """(partition, account, 'role' | 'user', name without path) of an IAM principal ARN."""
    head, _, resource = principal_arn.partition(":iam::")
    account, _, path = resource.partition(":")
    kind, _, rest = path.partition("/")
    return head.split(":")[1], account, kind, rest.rsplit("/", 1)[-1]


def _default_username(entry_type: str, principal_arn: str) -> str:
    if entry_type in NODE_USERNAMES:
        return NODE_USERNAMES[entry_type]
    partition, account, kind, name = _principal_parts(principal_arn)
    if kind == "role":
        return f"arn:{partition}:sts::{account}:assumed-role/{name}/{{{{SessionName}}}}"
    return principal_arn


def _new_entry(
    ctx: Context,
    cluster: Any,
    principal_arn: str,
    entry_type: str,
    username: str | None,
    groups: list[str] | None,
    tags: dict[str, str],
) -> AccessEntry:
    _, account, kind, name = _principal_parts(principal_arn)
    entry = AccessEntry(
        cluster_name=cluster.name,
        principal_arn=principal_arn,
        access_entry_arn=ctx.arn(f"access-entry/{cluster.name}/{kind}/{account}/{name}/{uuid.uuid4()}"),
        created_at=ctx.now,
        modified_at=ctx.now,
        type=entry_type,
        username=username or _default_username(entry_type, principal_arn),
        kubernetes_groups=list(groups or NODE_GROUPS.get(entry_type, [])),
        tags=tags,
    )
    cluster.child("access_entries").add(principal_arn, entry)
    return entry


def _node_principals(cluster: Any) -> list[tuple[str, str]]:
    """(role ARN, entry type) of the managed node groups' and Fargate profiles' roles."""
    found = [
        (group.node_role, "EC2_WINDOWS" if is_windows(group.ami_type) else "EC2_LINUX")
        for group in cluster.child("nodegroups")
    ]
    found += [
        (profile.pod_execution_role_arn, "FARGATE_LINUX") for profile in cluster.child("fargate_profiles")
    ]
    return found


def ensure_node_entries(ctx: Context, cluster: Any) -> None:
    """EKS's own access entries for the roles of managed node groups and Fargate profiles.

    issue 13 item 1: in API / API_AND_CONFIG_MAP modes EKS creates an entry for a managed node group's
    node role (EC2_LINUX, or EC2_WINDOWS for Windows AMIs; kubernetesGroups ["system:nodes"]; username
    system:node:{{EC2PrivateDNSName}}) and one of type FARGATE_LINUX for a Fargate profile's pod execution
    role. Node groups and Fargate profiles call this when created; access entry calls call it too, so a
    cluster that leaves CONFIG_MAP later gets the entries of what it already has. Deleting the node
    group leaves its entry (terraform-aws-modules/terraform-aws-eks issue #3329, 2025-03-21).
    """
    if (cluster.access_config or {}).get("authenticationMode") not in ENTRY_MODES:
        return
    entries = cluster.child("access_entries")
    for role_arn, entry_type in _node_principals(cluster):
        if role_arn not in entries:
            _new_entry(ctx, cluster, role_arn, entry_type, None, None, {})


def _materialise_creator(ctx: Context, cluster: Any) -> None:
    pending = cluster.children.get("access_bootstrap")
    if not pending or (cluster.access_config or {}).get("authenticationMode") not in ENTRY_MODES:
        return
    principal = pending.get("creator")
    pending.remove("creator")
    entries = cluster.child("access_entries")
    if principal is None or principal in entries:
        return
    entry = _new_entry(ctx, cluster, principal, "STANDARD", None, None, {})
    admin = policy_arn(ctx.partition, CLUSTER_ADMIN_POLICY)
    entry.policies.add(
        admin,
        {
            "policyArn": admin,
            "accessScope": {"type": "cluster", "namespaces": []},
            "associatedAt": ctx.now,
            "modifiedAt": ctx.now,
        },
    )


def _on_cluster_created(ctx: Context, cluster: Any, request: dict[str, Any]) -> None:
    if not request.get("bootstrap_cluster_creator_admin_permissions", True):
        return
    cluster.child("access_bootstrap").add(
        "creator", creator_principal_arn(ctx.partition, ctx.account, ctx.access_key)
    )
    _materialise_creator(ctx, cluster)


child_family("access_bootstrap", str)  # the creator principal to give admin access, by "creator"
clusters.ON_CLUSTER_CREATED.append(_on_cluster_created)


def _cluster(ctx: Context, name: str) -> Any:
    """The cluster, if its authentication mode allows access entries (InvalidRequestException otherwise)."""
    cluster = find_cluster(ctx, name)
    mode = (cluster.access_config or {}).get("authenticationMode", "CONFIG_MAP")
    if mode not in ENTRY_MODES:
        raise messages.error(
            ctx,
            "access_entry.wrong_authentication_mode",
            clusterName=name,
            modes=", ".join(ENTRY_MODES),
            mode=mode,
        )
    _materialise_creator(ctx, cluster)
    ensure_node_entries(ctx, cluster)
    return cluster


def _entry(ctx: Context, cluster: Any, principal_arn: str) -> AccessEntry:
    entry = cluster.child("access_entries").get(principal_arn)
    if entry is None:
        raise messages.error(ctx, "access_entry.not_found", clusterName=cluster.name)
    return entry


def _check_names(ctx: Context, username: str | None, groups: list[str] | None) -> None:
    if username is not None:
        if not username.strip():
            raise messages.error(ctx, "access.username_empty")
        if username.lower().startswith(RESERVED_PREFIXES):
            raise messages.error(
                ctx, "access.username_start_any", username=username, prefixes=", ".join(RESERVED_PREFIXES)
            )
    for group in groups or []:
        if not group.strip():
            raise messages.error(ctx, "access.kubernetesgroups_contain_empty_group")
        if group.lower().startswith(RESERVED_PREFIXES):
            raise messages.error(
                ctx, "access.kubernetes_group_start_any", group=group, prefixes=", ".join(RESERVED_PREFIXES)
            )


@operation("CreateAccessEntry")
def create_access_entry(
    ctx: Context,
    *,
    cluster_name: str,
    principal_arn: str,
    kubernetes_groups: list[str] | None = None,
    tags: dict[str, str] | None = None,
    client_request_token: str | None = None,
    username: str | None = None,
    type: str | None = None,  # noqa: A002 - the model's member name
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    if cluster.status in ("DELETING", "FAILED"):
        raise messages.error(
            ctx, "access_entry.cluster_not_ready", clusterName=cluster_name, status=cluster.status
        )
    entry_type = type or "STANDARD"
    if entry_type not in TYPES:
        raise messages.error(
            ctx,
            "access.type_valid_valid_types",
            clusterName=cluster_name,
            entry_type=entry_type,
            types=", ".join(TYPES),
        )
    if STS_SESSION.match(principal_arn):
        raise messages.error(ctx, "access_entry.session_principal", clusterName=cluster_name)
    if not arns.IAM_PRINCIPAL.match(principal_arn):
        raise messages.error(
            ctx, "access_entry.invalid_principal", clusterName=cluster_name, principal_arn=principal_arn
        )
    if entry_type != "STANDARD":
        if ":role/" not in principal_arn:
            raise messages.error(
                ctx, "access.access_entries_type_have", clusterName=cluster_name, entry_type=entry_type
            )
        if username is not None or kubernetes_groups:
            raise messages.error(
                ctx,
                "access.username_kubernetesgroups_specified_access",
                clusterName=cluster_name,
                entry_type=entry_type,
            )
    _check_names(ctx, username, kubernetes_groups)
    tags = check_tags(ctx, tags)
    if principal_arn in cluster.child("access_entries"):
        raise messages.error(ctx, "access_entry.exists", clusterName=cluster_name)
    entry = _new_entry(ctx, cluster, principal_arn, entry_type, username, kubernetes_groups, tags)
    return {"accessEntry": entry}


@operation("DescribeAccessEntry")
def describe_access_entry(ctx: Context, *, cluster_name: str, principal_arn: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    return {"accessEntry": _entry(ctx, cluster, principal_arn)}


@operation("ListAccessEntries")
def list_access_entries(
    ctx: Context,
    *,
    cluster_name: str,
    associated_policy_arn: str | None = None,
    max_results: int | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    predicate = None
    if associated_policy_arn is not None:
        _known_policy(ctx, associated_policy_arn)
        predicate = lambda entry: associated_policy_arn in entry.policies  # noqa: E731
    page, token = paginate(
        ctx,
        cluster.child("access_entries"),
        max_results,
        next_token,
        scope=f"{cluster_name}:{associated_policy_arn or ''}",
        predicate=predicate,
        by_key=True,
    )
    return {"accessEntries": [entry.principal_arn for entry in page], "nextToken": token}


@operation("UpdateAccessEntry")
def update_access_entry(
    ctx: Context,
    *,
    cluster_name: str,
    principal_arn: str,
    kubernetes_groups: list[str] | None = None,
    client_request_token: str | None = None,
    username: str | None = None,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    entry = _entry(ctx, cluster, principal_arn)
    if entry.type != "STANDARD" and (username is not None or kubernetes_groups is not None):
        raise messages.error(
            ctx, "access.username_kubernetesgroups_updated_access", clusterName=cluster_name, type=entry.type
        )
    _check_names(ctx, username, kubernetes_groups)
    if kubernetes_groups is not None:
        entry.kubernetes_groups = list(kubernetes_groups)
    if username is not None:
        entry.username = username
    entry.modified_at = ctx.now
    return {"accessEntry": entry}


@operation("DeleteAccessEntry")
def delete_access_entry(ctx: Context, *, cluster_name: str, principal_arn: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    entry = _entry(ctx, cluster, principal_arn)
    entry.policies = Collection()  # its policy associations go with it
    cluster.child("access_entries").remove(principal_arn)
    return {}


def _policies(partition: str) -> list[dict[str, str]]:
    # by name, as real ListAccessPolicies answers (aws-cli examples list-access-policies.rst, 2025)
    names = sorted(p["name"] for p in ACCESS_POLICIES)
    return [{"name": name, "arn": policy_arn(partition, name)} for name in names]


def _known_policy(ctx: Context, arn: str) -> str:
    """The name of the access policy ``arn``, or InvalidParameterException."""
    for policy in ACCESS_POLICIES:
        if policy_arn(ctx.partition, policy["name"]) == arn:
            return policy["name"]
    raise messages.error(ctx, "access.policyarn_valid_access_policy", arn=arn)


@operation("ListAccessPolicies")
def list_access_policies(
    ctx: Context, *, max_results: int | None = None, next_token: str | None = None
) -> dict:
    page, token = paginate(ctx, _policies(ctx.partition), max_results, next_token)
    return {"accessPolicies": page, "nextToken": token}


@operation("AssociateAccessPolicy")
def associate_access_policy(
    ctx: Context, *, cluster_name: str, principal_arn: str, policy_arn: str, access_scope: dict[str, Any]
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    entry = _entry(ctx, cluster, principal_arn)
    name = _known_policy(ctx, policy_arn)
    if entry.type != "STANDARD" and name not in POLICIES_BY_TYPE.get(entry.type, ()):
        raise messages.error(
            ctx,
            "access_entry.policy_not_for_type",
            clusterName=cluster_name,
            name=name,
            type=entry.type,
        )
    scope_type = access_scope.get("type")
    namespaces = list(access_scope.get("namespaces") or [])
    if scope_type is None:
        raise messages.error(ctx, "access.accessscope_type_required_cluster", clusterName=cluster_name)
    if scope_type == "namespace":
        if not namespaces:
            raise messages.error(ctx, "access.accessscope_namespaces_name_at", clusterName=cluster_name)
        for namespace in namespaces:
            if len(namespace) > 63 or not NAMESPACE.match(namespace):
                raise messages.error(
                    ctx,
                    "access.valid_kubernetes_namespace_name",
                    clusterName=cluster_name,
                    namespace=namespace,
                )
        namespaces = list(dict.fromkeys(namespaces))
    elif namespaces:
        raise messages.error(ctx, "access.accessscope_namespaces_only_specified", clusterName=cluster_name)
    existing = entry.policies.get(policy_arn)
    associated = {
        "policyArn": policy_arn,
        "accessScope": {"type": scope_type, "namespaces": namespaces},
        "associatedAt": existing["associatedAt"] if existing else ctx.now,
        "modifiedAt": ctx.now,
    }
    if existing is not None:  # updated in place: it keeps its position in ListAssociatedAccessPolicies
        existing.update(associated)
    else:
        entry.policies.add(policy_arn, associated)
    entry.modified_at = ctx.now
    return {"clusterName": cluster_name, "principalArn": principal_arn, "associatedAccessPolicy": associated}


@operation("DisassociateAccessPolicy")
def disassociate_access_policy(
    ctx: Context, *, cluster_name: str, principal_arn: str, policy_arn: str
) -> dict:
    cluster = _cluster(ctx, cluster_name)
    entry = _entry(ctx, cluster, principal_arn)
    if policy_arn not in entry.policies:
        raise messages.error(
            ctx,
            "access_entry.policy_not_associated",
            clusterName=cluster_name,
            policy_arn=policy_arn,
            principal_arn=principal_arn,
        )
    entry.policies.remove(policy_arn)
    entry.modified_at = ctx.now
    return {}


@operation("ListAssociatedAccessPolicies")
def list_associated_access_policies(
    ctx: Context,
    *,
    cluster_name: str,
    principal_arn: str,
    max_results: int | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    entry = _entry(ctx, cluster, principal_arn)
    page, token = paginate(
        ctx, entry.policies, max_results, next_token, scope=f"{cluster_name}:{principal_arn}"
    )
    return {
        "clusterName": cluster_name,
        "principalArn": principal_arn,
        "associatedAccessPolicies": page,
        "nextToken": token,
    }
