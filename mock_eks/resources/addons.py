"""Add-ons: CreateAddon, DescribeAddon, ListAddons, UpdateAddon, DeleteAddon,
DescribeAddonVersions and DescribeAddonConfiguration."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_eks.catalogue import addons as addon_catalogue
from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, documents, messages
from mock_eks.resources import pod_identity
from mock_eks.resources.common import check_role_arn, check_tags, find_cluster, require_active
from mock_eks.resources.updates import param, start_child_update
from mock_eks.state import lifecycle
from mock_eks.state.kinds import record_kind

# AddonInfo members DescribeAddonVersions returns (the catalogue holds more)
ADDON_INFO_MEMBERS = (
    "addonName",
    "type",
    "addonVersions",
    "publisher",
    "owner",
    "marketplaceInformation",
    "defaultNamespace",
)


@record_kind("Addon", family="addons")
@dataclass(slots=True, eq=False)
class Addon:
    addon_name: str
    cluster_name: str
    addon_arn: str
    addon_version: str
    status: str
    created_at: float
    modified_at: float
    publisher: str | None = None
    owner: str | None = None
    service_account_role_arn: str | None = None
    configuration_values: str | None = None
    marketplace_information: dict[str, Any] | None = None
    namespace_config: dict[str, Any] | None = None
    # ARNs of the EKS Pod Identity associations made for the add-on (the output form; absent when there
    # are none, as in every recorded DescribeAddon: aws/aws-cli awscli/examples/eks/describe-addon.rst) ...
    pod_identity_associations: list[str] | None = None
    # ... and what was asked for: [{"serviceAccount", "roleArn", "associationArn"}]
    pod_identity_specs: list[dict[str, str]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    health: dict[str, Any] = field(default_factory=lambda: {"issues": []})
    resolve_conflicts: str | None = None  # input only: kept for the record, not in the output shape
    extra: dict[str, Any] = field(default_factory=dict)


arns.taggable_cluster_child("addon", "addons", "addon_arn")


def _not_found(ctx: Context, cluster_name: str, addon_name: str) -> Exception:
    return messages.error(ctx, "addon.not_found", clusterName=cluster_name, addonName=addon_name)


def find_addon(ctx: Context, cluster: Any, addon_name: str) -> Addon:
    addon = cluster.child("addons").get(addon_name)
    if addon is None:
        raise _not_found(ctx, cluster.name, addon_name)
    return addon


def _check_version(ctx: Context, cluster: Any, addon_name: str, version: str | None) -> str:
    """The add-on version to install: the one asked for if it exists and suits the cluster, else the default."""
    kubernetes = cluster.version
    if version is None:
        version = addon_catalogue.default_version(addon_name, kubernetes, ctx.now)
        if version is None:
            raise messages.error(
                ctx,
                "addon.not_supported",
                clusterName=cluster.name,
                addonName=addon_name,
                kubernetes=kubernetes,
            )
        return version
    info = addon_catalogue.version_info(addon_name, version, ctx.now)  # None before its release day
    if info is None:
        raise messages.error(
            ctx,
            "addon.version_not_supported",
            clusterName=cluster.name,
            addonName=addon_name,
            version=version,
        )
    if addon_catalogue.compatibility(info, kubernetes) is None:
        supported = ", ".join(addon_catalogue.compatible_versions(addon_name, kubernetes, ctx.now)) or "none"
        raise messages.error(
            ctx,
            "addon.version_not_supported",
            clusterName=cluster.name,
            addonName=addon_name,
            version=version,
            kubernetes=kubernetes,
            supported=supported,
        )
    return version


def parse_configuration(ctx: Context, addon_name: str, version: str, text: str, **fields: Any) -> Any:
    """configurationValues (JSON or YAML text) checked against the build's JSON Schema."""
    # imported on first use: jsonschema costs more to import than the rest of mock_eks
    import jsonschema

    if not text.strip():
        return {}
    try:
        values = documents.load(text, yaml_allowed=True)
    except documents.DocumentError as problem:
        raise messages.error(
            ctx,
            "addon.configuration_unreadable",
            addonName=addon_name,
            **fields,
            problem=problem,
        ) from None
    if values is None:
        values = {}
    schema = addon_catalogue.schema(addon_name, version)
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = sorted(validator.iter_errors(values), key=lambda e: list(e.absolute_path))
    if problems:
        # each message cut short: jsonschema repeats the offending value, which the caller controls
        described = "; ".join(f"{e.json_path[:200]}: {e.message[:200]}" for e in problems[:5])
        raise messages.error(
            ctx,
            "addon.configuration_schema_error",
            addonName=addon_name,
            **fields,
            described=described,
        )
    return values


def _pod_identity(
    ctx: Context, cluster: Any, addon_name: str, requested: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Validated pod identity associations for an add-on, each given an association ARN."""
    allowed = [c["serviceAccount"] for c in addon_catalogue.pod_identity_configuration(addon_name)]
    fields = {"clusterName": cluster.name, "addonName": addon_name}
    if requested and not allowed:
        raise messages.error(ctx, "addon.no_pod_identity", **fields, addon_name=addon_name)
    seen: set[str] = set()
    specs = []
    for entry in requested:
        account = entry["serviceAccount"]
        if account not in allowed:
            raise messages.error(
                ctx,
                "addon.service_account_used_by",
                **fields,
                account=account,
                addon_name=addon_name,
                allowed=", ".join(allowed),
            )
        if account in seen:
            raise messages.error(ctx, "addon.service_account_appears_more", **fields, account=account)
        seen.add(account)
        check_role_arn(ctx, entry["roleArn"], "podIdentityAssociations.roleArn")
        specs.append({"serviceAccount": account, "roleArn": entry["roleArn"]})
    return specs


def _addon_namespace(addon_name: str, namespace_config: dict[str, Any] | None) -> str:
    entry = addon_catalogue.get(addon_name) or {}
    return (namespace_config or {}).get("namespace") or entry.get("defaultNamespace") or "kube-system"


def _owned(cluster: Any, addon: Addon) -> dict[str, Any]:
    """The pod identity associations this add-on owns, by service account."""
    return {
        a.service_account: a
        for a in cluster.child("pod_identity_associations")
        if getattr(a, "owner_arn", None) == addon.addon_arn
    }


def _check_free(
    ctx: Context, cluster: Any, namespace: str, specs: list[dict[str, str]], owner: str | None
) -> None:
    """No association of another owner may hold an add-on's namespace and service account."""
    for other in cluster.child("pod_identity_associations"):
        if other.owner_arn == owner and owner is not None:
            continue
        for spec in specs:
            if other.namespace == namespace and other.service_account == spec["serviceAccount"]:
                raise messages.error(
                    ctx,
                    "pod_identity.exists",
                    clusterName=cluster.name,
                    association_id=other.association_id,
                    namespace=namespace,
                    service_account=spec["serviceAccount"],
                )


def _sync_associations(ctx: Context, cluster: Any, addon: Addon, specs: list[dict[str, str]]) -> None:
    """Make the add-on's own associations (ownerArn = the add-on) match ``specs``.

    issue 13 item 15: associations CreateAddon/UpdateAddon make are real associations, listed by
    ListPodIdentityAssociations with ``ownerArn`` the add-on's ARN.
    """
    owned = _owned(cluster, addon)
    children = cluster.child("pod_identity_associations")
    wanted = {spec["serviceAccount"] for spec in specs}
    for account, association in owned.items():
        if account not in wanted:
            children.remove(association.association_id)
    for spec in specs:
        association = owned.get(spec["serviceAccount"])
        if association is None:
            association = pod_identity.create_association(
                ctx,
                cluster,
                namespace=_addon_namespace(addon.addon_name, addon.namespace_config),
                service_account=spec["serviceAccount"],
                role_arn=spec["roleArn"],
                owner_arn=addon.addon_arn,
            )
        elif association.role_arn != spec["roleArn"]:
            association.role_arn = spec["roleArn"]
            association.modified_at = ctx.now
        spec["associationArn"] = association.association_arn
    addon.pod_identity_specs = specs
    addon.pod_identity_associations = [spec["associationArn"] for spec in specs] or None


@operation("CreateAddon")
def create_addon(
    ctx: Context,
    *,
    cluster_name: str,
    addon_name: str,
    addon_version: str | None = None,
    service_account_role_arn: str | None = None,
    resolve_conflicts: str | None = None,
    client_request_token: str | None = None,
    tags: dict[str, str] | None = None,
    configuration_values: str | None = None,
    pod_identity_associations: list[dict[str, str]] | None = None,
    namespace_config: dict[str, Any] | None = None,
    **others: Any,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    if cluster.connector_config is not None:
        raise messages.error(ctx, "addon.registered_cluster", clusterName=cluster_name)
    require_active(ctx, cluster)
    if addon_name in cluster.child("addons"):
        raise messages.error(ctx, "addon.exists", clusterName=cluster_name, addonName=addon_name)
    entry = addon_catalogue.get(addon_name)
    if entry is None:
        raise messages.error(
            ctx,
            "addon.not_supported",
            clusterName=cluster_name,
            addonName=addon_name,
            kubernetes=cluster.version,
        )
    version = _check_version(ctx, cluster, addon_name, addon_version)
    check_role_arn(ctx, service_account_role_arn, "serviceAccountRoleArn")
    if configuration_values is not None:
        parse_configuration(ctx, addon_name, version, configuration_values, clusterName=cluster_name)
    specs = _pod_identity(ctx, cluster, addon_name, pod_identity_associations or [])
    _check_free(ctx, cluster, _addon_namespace(addon_name, namespace_config), specs, None)
    tags = check_tags(ctx, tags)
    # EKS-published add-ons carry no owner/publisher; marketplace and community ones do (issue 13 item 5;
    # aws/aws-cli awscli/examples/eks/describe-addon.rst and create-addon.rst show neither for vpc-cni)
    # community add-ons (owner "community") show neither either: a real DescribeAddon of metrics-server
    # (cloud-custodian tests/data/placebo/test_eks_addon_health/eks.DescribeAddon_2.json, 2026-03)
    published_by_eks = entry.get("owner") in ("aws", "community")
    addon = Addon(
        addon_name=addon_name,
        cluster_name=cluster_name,
        addon_arn=ctx.arn(f"addon/{cluster_name}/{addon_name}/{uuid.uuid4()}"),
        addon_version=version,
        status="CREATING",
        created_at=ctx.now,
        modified_at=ctx.now,
        publisher=None if published_by_eks else entry.get("publisher"),
        owner=None if published_by_eks else entry.get("owner"),
        service_account_role_arn=service_account_role_arn,
        configuration_values=configuration_values,
        marketplace_information=copy.deepcopy(entry.get("marketplaceInformation")),
        # DescribeAddon shows the namespace the add-on runs in, its default one unless another was asked for
        namespace_config={"namespace": _addon_namespace(addon_name, namespace_config)},
        tags=tags,
        resolve_conflicts=resolve_conflicts,
        extra=ctx.member_names(others),
    )
    _sync_associations(ctx, cluster, addon, specs)
    cluster.child("addons").add(addon_name, addon)

    ctx.settle_later("addon.create", addon, stamp="modified_at")
    return {"addon": addon}


@operation("DescribeAddon")
def describe_addon(ctx: Context, *, cluster_name: str, addon_name: str) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"addon": find_addon(ctx, cluster, addon_name)}


@operation("ListAddons")
def list_addons(
    ctx: Context, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    page, token = paginate(
        ctx, cluster.child("addons"), max_results, next_token, scope=cluster_name, by_key=True
    )
    return {"addons": [a.addon_name for a in page], "nextToken": token}


@operation("UpdateAddon")
def update_addon(
    ctx: Context,
    *,
    cluster_name: str,
    addon_name: str,
    addon_version: str | None = None,
    service_account_role_arn: str | None = None,
    resolve_conflicts: str | None = None,
    client_request_token: str | None = None,
    configuration_values: str | None = None,
    pod_identity_associations: list[dict[str, str]] | None = None,
    **others: Any,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    addon = find_addon(ctx, cluster, addon_name)
    fields = {"clusterName": cluster_name, "addonName": addon_name}
    if addon.status in ("CREATING", "DELETING"):
        raise messages.error(ctx, "addon.not_updatable", **fields, addon_name=addon_name, status=addon.status)
    params = []
    target = addon.addon_version
    if addon_version is not None:
        target = _check_version(ctx, cluster, addon_name, addon_version)
        current, wanted = (addon_catalogue.version_key(v) for v in (addon.addon_version, target))
        if addon_name == "vpc-cni":
            # up or down, one minor at a time (messages.json addon.vpc_cni_one_minor: its sources)
            if current[0] != wanted[0] or abs(current[1] - wanted[1]) > 1:
                raise messages.error(ctx, "addon.vpc_cni_one_minor", **fields)
        elif wanted < current:
            raise messages.error(
                ctx,
                "addon.downgrade",
                **fields,
                addon_name=addon_name,
                addon_version=addon.addon_version,
                target=target,
            )
        params.append(param("AddonVersion", target))
    check_role_arn(ctx, service_account_role_arn, "serviceAccountRoleArn")
    if service_account_role_arn is not None:
        params.append(param("ServiceAccountRoleArn", service_account_role_arn))
    if resolve_conflicts is not None:
        params.append(param("ResolveConflicts", resolve_conflicts))
    if configuration_values is not None:
        parse_configuration(ctx, addon_name, target, configuration_values, clusterName=cluster_name)
        params.append(param("ConfigurationValues", configuration_values))
    specs = None
    if pod_identity_associations is not None:
        specs = _pod_identity(ctx, cluster, addon_name, pod_identity_associations)
        _check_free(
            ctx, cluster, _addon_namespace(addon_name, addon.namespace_config), specs, addon.addon_arn
        )

    changes: list[tuple[tuple[str, ...], Any]] = [(("addon_version",), target)]
    if service_account_role_arn is not None:
        changes.append((("service_account_role_arn",), service_account_role_arn))
    if configuration_values is not None:
        changes.append((("configuration_values",), configuration_values))
    if resolve_conflicts is not None:
        changes.append((("resolve_conflicts",), resolve_conflicts))

    update = start_child_update(
        ctx,
        cluster,
        addon,
        update_type="AddonUpdate",
        params=params,
        kind="addon.update",
        changes=changes,
        scope=("addonName", addon_name),
    )
    if specs is not None:
        # the add-on's own associations follow the request as soon as the update is accepted
        _sync_associations(ctx, cluster, addon, specs)
        update.params.append(param("PodIdentityAssociations", list(addon.pod_identity_associations or [])))
    return {"update": update}


@operation("DeleteAddon")
def delete_addon(
    ctx: Context, *, cluster_name: str, addon_name: str, preserve: bool | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    addon = find_addon(ctx, cluster, addon_name)
    if addon.status == "DELETING":
        return {"addon": addon}
    addon.status = "DELETING"
    addon.modified_at = ctx.now
    # preserve=True keeps the add-on's Kubernetes resources on the cluster; EKS stops managing them
    addon.extra["preserve"] = bool(preserve)
    addons = cluster.child("addons")

    removal = lifecycle.step("remove", collection=addons, key=addon_name, record=addon, kind="addon.delete")
    if not preserve:
        # the add-on's pod identity associations go with it, unless preserve keeps what it installed
        release = lifecycle.step("addon.release_associations", cluster=cluster, addon=addon)
        removal = lifecycle.sequence(removal, release)
    ctx.schedule("addon.delete", removal)
    return {"addon": addon}


@lifecycle.action("addon.release_associations")
def _release_associations(backend: Any, due: float, *, cluster: Any, addon: Addon) -> None:
    if cluster.child("addons").get(addon.addon_name) is addon:
        return  # the deletion failed (a fault): the add-on and its associations stay
    for association in _owned(cluster, addon).values():
        cluster.child("pod_identity_associations").remove(association.association_id)


def _matches(entry: dict[str, Any], name: str | None, types: Any, publishers: Any, owners: Any) -> bool:
    return (
        (name is None or entry["addonName"] == name)
        and (not types or entry.get("type") in types)
        and (not publishers or entry.get("publisher") in publishers)
        and (not owners or entry.get("owner") in owners)
    )


def _addon_info(entry: dict[str, Any], kubernetes_version: str | None, now: float) -> dict[str, Any] | None:
    """The AddonInfo as EKS answers it at ``now``: the builds offered then, each default flag as of then."""
    name = entry["addonName"]
    info = {k: copy.deepcopy(entry[k]) for k in ADDON_INFO_MEMBERS if k in entry and k != "addonVersions"}
    offered = addon_catalogue.offered_versions(name, now)
    wanted = [kubernetes_version] if kubernetes_version is not None else None
    if wanted is None:
        wanted = sorted({c["clusterVersion"] for v in offered for c in v["compatibilities"]})
    defaults = {k: addon_catalogue.default_version(name, k, now) for k in wanted}
    versions = []
    for version in offered:
        compatibilities = [
            {**c, "defaultVersion": defaults.get(c["clusterVersion"]) == version["addonVersion"]}
            for c in version["compatibilities"]
            if kubernetes_version is None or c["clusterVersion"] == kubernetes_version
        ]
        if compatibilities or kubernetes_version is None:
            versions.append({**copy.deepcopy(version), "compatibilities": compatibilities})
    if not versions:
        return None
    info["addonVersions"] = versions
    return info


@operation("DescribeAddonVersions")
def describe_addon_versions(
    ctx: Context,
    *,
    kubernetes_version: str | None = None,
    max_results: int | None = None,
    next_token: str | None = None,
    addon_name: str | None = None,
    types: list[str] | None = None,
    publishers: list[str] | None = None,
    owners: list[str] | None = None,
) -> dict[str, Any]:
    selected = []
    for entry in addon_catalogue.entries().values():
        if _matches(entry, addon_name, types, publishers, owners):
            info = _addon_info(entry, kubernetes_version, ctx.now)
            if info is not None:
                selected.append(info)
    # by name, descending: both add-on tables in aws-cli examples describe-addon-versions.rst (2024) are
    # `sort_by(addons, &owner)`, a stable sort, and within each owner they run vpc-cni ... adot and
    # upwind-security_... accuknox_..., so that is the order EKS returned them in
    selected.sort(key=lambda info: info["addonName"], reverse=True)
    scope = json.dumps(
        [kubernetes_version, addon_name, sorted(types or []), sorted(publishers or []), sorted(owners or [])]
    )
    page, token = paginate(ctx, selected, max_results, next_token, scope=scope)
    return {"addons": page, "nextToken": token}


@operation("DescribeAddonConfiguration")
def describe_addon_configuration(ctx: Context, *, addon_name: str, addon_version: str) -> dict[str, Any]:
    if addon_catalogue.get(addon_name) is None:
        raise messages.error(ctx, "addon.not_found_by_name", addonName=addon_name)
    if addon_catalogue.version_info(addon_name, addon_version, ctx.now) is None:
        raise messages.error(
            ctx,
            "addon.version_not_supported",
            addonName=addon_name,
            version=addon_version,
        )
    return {
        "addonName": addon_name,
        "addonVersion": addon_version,
        # compact, as EKS sends it (every recorded answer: no whitespace between tokens)
        "configurationSchema": json.dumps(
            addon_catalogue.schema(addon_name, addon_version), separators=(",", ":")
        ),
        # omitted when the add-on has none, as for coredns in aws-cli examples
        # describe-addon-configuration.rst (2024, after Pod Identity's launch)
        "podIdentityConfiguration": addon_catalogue.pod_identity_configuration(addon_name) or None,
    }
