"""EKS Capabilities (Argo CD, ACK, KRO): Create/Describe/List/Update/DeleteCapability."""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, messages
from mock_eks.resources.common import (
    check_role_arn,
    check_tags,
    find_child,
    find_cluster,
    hex_id,
    require_active,
)
from mock_eks.resources.updates import param, start_child_update
from mock_eks.state.kinds import record_kind

# per type: the capability version EKS runs, and which configuration member belongs to it
CATALOGUE: dict[str, dict[str, Any]] = json.loads(
    resources.files("mock_eks.data").joinpath("capabilities.json").read_text()
)
CONFIG_MEMBERS = {"argoCd": "ARGOCD", "ack": "ACK"}
IDC_INSTANCE = re.compile(r"^arn:aws[a-z-]*:sso:::instance/(?:sso)?ins-[a-zA-Z0-9-.]{16}$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@record_kind("Capability", family="capabilities")
@dataclass(slots=True, eq=False)
class Capability:
    capability_name: str
    arn: str
    cluster_name: str
    type: str
    role_arn: str
    status: str
    version: str
    created_at: float
    modified_at: float
    delete_propagation_policy: str
    configuration: dict[str, Any] | None = None
    tags: dict[str, str] = field(default_factory=dict)
    health: dict[str, Any] = field(default_factory=lambda: {"issues": []})
    extra: dict[str, Any] = field(default_factory=dict)


arns.taggable_cluster_child("capability", "capabilities", "arn")


def _cluster(ctx: Context, name: str) -> Any:
    """The EKS cluster ``name``; a missing one is the operation's not-found error (or invalid parameter)."""
    if "ResourceNotFoundException" in ctx.op.error_codes:
        return find_cluster(ctx, name, include_registered=False)
    cluster = ctx.store.clusters.get(name)
    if cluster is None or cluster.connector_config is not None:
        raise messages.error(ctx, "capability.cluster_not_found", clusterName=name)
    return cluster


def _find(ctx: Context, cluster: Any, name: str) -> Capability:
    return find_child(ctx, cluster, "capabilities", name, "capability.not_found", name=name)


def _argocd_config(ctx: Context, request: dict[str, Any], cluster: Any) -> dict[str, Any]:
    idc = request["awsIdc"]
    instance = idc["idcInstanceArn"]
    if not IDC_INSTANCE.match(instance):
        raise messages.error(
            ctx,
            "capability.configuration_argocd_awsidc_idcinstancearn",
            clusterName=cluster.name,
            instance=instance,
        )
    instance_id = instance.rsplit("/", 1)[1]
    _check_role_mappings(ctx, request.get("rbacRoleMappings") or [], cluster)
    prefix = request.get("endpointPrefix") or hex_id(12, upper=False)
    config: dict[str, Any] = {
        "namespace": request.get("namespace") or CATALOGUE["ARGOCD"]["defaultNamespace"],
        "awsIdc": {
            "idcInstanceArn": instance,
            "idcRegion": idc.get("idcRegion") or ctx.region,
            "idcManagedApplicationArn": f"arn:{ctx.partition}:sso::{ctx.account}:application/{instance_id}/"
            f"apl-{hex_id(16, upper=False)}",
        },
        "rbacRoleMappings": copy.deepcopy(request.get("rbacRoleMappings") or []),
        "serverUrl": f"https://{prefix}.eks-capabilities.{ctx.region}.amazonaws.com",
        "endpointPrefix": prefix,
    }
    if request.get("networkAccess") is not None:
        config["networkAccess"] = {"vpceIds": list(request["networkAccess"].get("vpceIds") or [])}
    return config


def _check_role_mappings(ctx: Context, mappings: list[dict[str, Any]], cluster: Any) -> None:
    for mapping in mappings:
        if not mapping.get("identities"):
            raise messages.error(
                ctx,
                "capability.rbacrolemappings_entry_role_name",
                clusterName=cluster.name,
                role=mapping.get("role"),
            )


def _configuration(
    ctx: Context, kind: str, request: dict[str, Any] | None, cluster: Any
) -> dict[str, Any] | None:
    """The stored (response-form) configuration; each type accepts only its own member."""
    request = request or {}
    for member, owner in CONFIG_MEMBERS.items():
        if request.get(member) is not None and owner != kind:
            raise messages.error(
                ctx,
                "capability.configuration_wrong_type",
                clusterName=cluster.name,
                member=member,
                owner=owner,
                kind=kind,
            )
    if kind == "ARGOCD":
        if request.get("argoCd") is None:
            raise messages.error(
                ctx, "capability.argocd_capabilities_require_configuration", clusterName=cluster.name
            )
        return {"argoCd": _argocd_config(ctx, request["argoCd"], cluster)}
    if kind == "ACK":
        ack = request.get("ack") or {}
        return {
            "ack": {
                "enableCrossNamespace": bool(ack.get("enableCrossNamespace", False)),
                "disabledServices": list(ack.get("disabledServices") or []),
            }
        }
    return None


@operation("CreateCapability")
def create_capability(
    ctx: Context,
    *,
    capability_name: str,
    cluster_name: str,
    type: str,  # noqa: A002 - the model's member name
    role_arn: str,
    delete_propagation_policy: str,
    client_request_token: str | None = None,
    configuration: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
    **others: Any,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    if not NAME.match(capability_name) or len(capability_name) > 100:
        raise messages.error(
            ctx,
            "capability.capabilityname_may_contain_only",
            clusterName=cluster_name,
            capability_name=capability_name,
        )
    capabilities = cluster.child("capabilities")
    if capability_name in capabilities:
        raise messages.error(
            ctx,
            "capability.capability_already_exists_cluster",
            clusterName=cluster_name,
            capability_name=capability_name,
        )
    same_type = next((c for c in capabilities if c.type == type), None)
    if same_type is not None:
        raise messages.error(
            ctx,
            "capability.cluster_already_has_capability",
            clusterName=cluster_name,
            type=type,
            capability_name=same_type.capability_name,
        )
    require_active(ctx, cluster)
    check_role_arn(ctx, role_arn, "roleArn")
    stored = _configuration(ctx, type, configuration, cluster)
    record = Capability(
        capability_name=capability_name,
        arn=ctx.arn(f"capability/{cluster_name}/{capability_name}/{uuid.uuid4()}"),
        cluster_name=cluster_name,
        type=type,
        role_arn=role_arn,
        status="CREATING",
        version=CATALOGUE[type]["version"] if type in CATALOGUE else "v1.0.0-eks-1",
        created_at=ctx.now,
        modified_at=ctx.now,
        delete_propagation_policy=delete_propagation_policy,
        configuration=stored,
        tags=check_tags(ctx, tags),
        extra=ctx.member_names(others),
    )
    capabilities.add(capability_name, record)

    ctx.settle_later("capability.create", record, stamp="modified_at")
    return {"capability": record}


@operation("DescribeCapability")
def describe_capability(ctx: Context, *, cluster_name: str, capability_name: str) -> dict[str, Any]:
    return {"capability": _find(ctx, _cluster(ctx, cluster_name), capability_name)}


@operation("ListCapabilities")
def list_capabilities(
    ctx: Context, *, cluster_name: str, next_token: str | None = None, max_results: int | None = None
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    page, token = paginate(ctx, cluster.child("capabilities"), max_results, next_token, scope=cluster_name)
    summaries = [
        {
            "capabilityName": c.capability_name,
            "arn": c.arn,
            "type": c.type,
            "status": c.status,
            "version": c.version,
            "createdAt": c.created_at,
            "modifiedAt": c.modified_at,
        }
        for c in page
    ]
    return {"capabilities": summaries, "nextToken": token}


def _merge_mappings(
    current: list[dict[str, Any]], add: list[dict[str, Any]], remove: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Role mappings after adding identities to roles and removing identities from roles."""
    by_role: dict[str, list[dict[str, str]]] = {}
    for mapping in current:
        by_role.setdefault(mapping["role"], []).extend(mapping["identities"])
    for mapping in add:
        identities = by_role.setdefault(mapping["role"], [])
        for identity in mapping["identities"]:
            if identity not in identities:
                identities.append(dict(identity))
    for mapping in remove:
        gone = [dict(i) for i in mapping["identities"]]
        if mapping["role"] in by_role:
            by_role[mapping["role"]] = [i for i in by_role[mapping["role"]] if i not in gone]
    return [{"role": role, "identities": ids} for role, ids in by_role.items() if ids]


@operation("UpdateCapability")
def update_capability(
    ctx: Context,
    *,
    cluster_name: str,
    capability_name: str,
    role_arn: str | None = None,
    configuration: dict[str, Any] | None = None,
    client_request_token: str | None = None,
    delete_propagation_policy: str | None = None,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    record = _find(ctx, cluster, capability_name)
    configuration = {k: v for k, v in (configuration or {}).items() if v}
    if role_arn is None and not configuration and delete_propagation_policy is None:
        raise messages.error(ctx, "capability.specify_at_least_one", clusterName=cluster_name)
    for member, owner in CONFIG_MEMBERS.items():
        if member in configuration and owner != record.type:
            raise messages.error(
                ctx,
                "capability.configuration_wrong_type_update",
                clusterName=cluster_name,
                member=member,
                owner=owner,
                capability_name=capability_name,
                type=record.type,
            )
    if record.status != "ACTIVE":
        raise messages.error(
            ctx,
            "capability.capability_updated_only_when",
            clusterName=cluster_name,
            capability_name=capability_name,
            status=record.status,
        )
    check_role_arn(ctx, role_arn, "roleArn")
    params = []
    changes: list[tuple[tuple[str, ...], Any]] = []
    if role_arn is not None:
        params.append(param("RoleArn", role_arn))
        changes.append((("role_arn",), role_arn))
    argo = configuration.get("argoCd") or {}
    mappings = argo.get("rbacRoleMappings") or {}
    add, remove = mappings.get("addOrUpdateRoleMappings") or [], mappings.get("removeRoleMappings") or []
    _check_role_mappings(ctx, add, cluster)
    if add:
        params.append(param("RoleMappingsToAddOrUpdate", add))
    if remove:
        params.append(param("RoleMappingsToRemove", remove))
    if add or remove:
        # one update at a time per capability: the mappings it starts from are the ones it will change
        current = (record.configuration or {})["argoCd"].get("rbacRoleMappings") or []
        changes.append(
            (("configuration", "argoCd", "rbacRoleMappings"), _merge_mappings(current, add, remove))
        )
    if argo.get("networkAccess") is not None:
        vpce = list(argo["networkAccess"].get("vpceIds") or [])
        params.append(param("NetworkAccess", {"vpceIds": vpce}))
        changes.append((("configuration", "argoCd", "networkAccess"), {"vpceIds": vpce}))
    ack = configuration.get("ack") or {}
    if ack.get("enableCrossNamespace") is not None:
        flag = bool(ack["enableCrossNamespace"])
        params.append(param("EnableCrossNamespace", flag))
        changes.append((("configuration", "ack", "enableCrossNamespace"), flag))
    if ack.get("disabledServices") is not None:
        services = list(ack["disabledServices"])
        params.append(param("DisabledServices", services))
        changes.append((("configuration", "ack", "disabledServices"), services))
    if delete_propagation_policy is not None:
        changes.append((("delete_propagation_policy",), delete_propagation_policy))

    update = start_child_update(
        ctx,
        cluster,
        record,
        update_type="CapabilityUpdate",
        params=params,
        kind="capability.update",
        changes=changes,
        scope=("capabilityName", capability_name),
    )
    return {"update": update}


@operation("DeleteCapability")
def delete_capability(ctx: Context, *, cluster_name: str, capability_name: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    record = _find(ctx, cluster, capability_name)
    if record.status == "DELETING":
        return {"capability": record}
    if record.status in ("CREATING", "UPDATING"):
        raise messages.error(
            ctx,
            "capability.capability_wait_until_active",
            clusterName=cluster_name,
            capability_name=capability_name,
            status=record.status,
        )
    record.status = "DELETING"
    record.modified_at = ctx.now
    capabilities = cluster.child("capabilities")

    ctx.remove_later("capability.delete", capabilities, capability_name, record)
    return {"capability": record}
