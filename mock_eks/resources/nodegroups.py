"""Managed node groups: Create/Describe/List/DeleteNodegroup, UpdateNodegroupConfig, UpdateNodegroupVersion."""

from __future__ import annotations

import copy
import functools
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_eks import moto_link
from mock_eks.catalogue import amis as ami_catalogue
from mock_eks.catalogue import versions
from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, messages
from mock_eks.model.spec import MODELS
from mock_eks.moto_link import nodegroups as moto_nodegroups
from mock_eks.resources import access, cluster_updates
from mock_eks.resources.common import (
    aws_id,
    check_role_arn,
    check_tags,
    find_child,
    find_cluster,
    require_active,
)
from mock_eks.resources.launch_templates import resolve_launch_template
from mock_eks.resources.updates import param, start_child_update
from mock_eks.state.kinds import record_kind
from mock_eks.state.store import Collection

NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9\-_]{0,99}")
# fixed limits (Amazon EKS User Guide); adjustable quotas such as node groups per cluster are not enforced
MAX_NODES_PER_NODEGROUP = 450
MAX_TAINTS = 50
MAX_INSTANCE_TYPES = 20


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


# Graviton families (m6g, c7gn, t4g, r8gd, a1...): the letter g right after the generation digit
ARM_INSTANCE = re.compile(r"^(a1|[a-z]+\d+g(?!en)[a-z-]*)\.")
GPU_INSTANCE = re.compile(r"^(g\d|p\d)[a-z]*\.")


def default_ami_type(version: str, instance_types: list[str] | None) -> str:
    first = (instance_types or [ami_catalogue.node_defaults()["instanceType"]])[0]
    return ami_catalogue.default_ami_type(
        version, instance_types, arm=bool(ARM_INSTANCE.match(first)), gpu=bool(GPU_INSTANCE.match(first))
    )


@record_kind("Nodegroup", family="nodegroups")
@dataclass(slots=True, eq=False)
class Nodegroup:
    nodegroup_name: str
    nodegroup_arn: str
    cluster_name: str
    version: str
    release_version: str | None
    created_at: float
    modified_at: float
    status: str
    capacity_type: str
    scaling_config: dict[str, int]
    instance_types: list[str] | None
    subnets: list[str]
    remote_access: dict[str, Any] | None
    ami_type: str
    node_role: str
    node_labels: dict[str, str]
    node_taints: list[dict[str, str]]
    group_resources: dict[str, Any] | None
    disk_size: int | None
    health: dict[str, Any]
    update_config: dict[str, Any]
    node_repair_config: dict[str, Any] | None
    launch_template: dict[str, str] | None
    tags: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    # What EKS shows of labels, taints and resources (issue 13 item 3; aws/aws-cli
    # awscli/examples/eks/create-nodegroup.rst and describe-nodegroup.rst, 2024-04): while CREATING there
    # are no resources and no labels unless some were given; once ACTIVE, labels show even when empty;
    # taints are absent when there are none.
    @property
    def labels(self) -> dict[str, str] | None:
        return self.node_labels if self.node_labels or self.status != "CREATING" else None

    @labels.setter
    def labels(self, value: dict[str, str]) -> None:
        self.node_labels = value

    @property
    def taints(self) -> list[dict[str, str]] | None:
        return self.node_taints or None

    @taints.setter
    def taints(self, value: list[dict[str, str]]) -> None:
        self.node_taints = value

    @property
    def resources(self) -> dict[str, Any] | None:
        return None if self.status == "CREATING" else self.group_resources


arns.taggable_cluster_child("nodegroup", "nodegroups", "nodegroup_arn")


def find_nodegroup(ctx: Context, cluster: Any, name: str) -> Nodegroup:
    return find_child(ctx, cluster, "nodegroups", name, "nodegroup.not_found", nodegroupName=name)


# ---- checks shared by create and update


def _check_scaling(ctx: Context, config: dict[str, int], name: str) -> None:
    # CreateNodegroup and UpdateNodegroupConfig word these differently (sources in data/messages.json)
    low, high, desired = config["minSize"], config["maxSize"], config["desiredSize"]
    update = ctx.op.name == "UpdateNodegroupConfig"
    fields = {"nodegroupName": name, "low": low, "high": high, "desired": desired}
    if low > high:
        raise messages.error(
            ctx, "nodegroup.update_min_above_max" if update else "nodegroup.min_above_max", **fields
        )
    if desired < low:
        raise messages.error(
            ctx, "nodegroup.update_min_above_desired" if update else "nodegroup.min_above_desired", **fields
        )
    if desired > high:
        raise messages.error(
            ctx, "nodegroup.update_desired_above_max" if update else "nodegroup.desired_above_max", **fields
        )
    if high > MAX_NODES_PER_NODEGROUP:
        # ResourceLimitExceededException where the operation models it, else its invalid-parameter error
        raise messages.error(
            ctx, "nodegroup.max_nodes", nodegroupName=name, high=high, limit=MAX_NODES_PER_NODEGROUP
        )


def _check_update_config(ctx: Context, config: dict[str, Any] | None, name: str) -> None:
    if config is None:
        return
    count, percentage = config.get("maxUnavailable"), config.get("maxUnavailablePercentage")
    if count is not None and percentage is not None:
        raise messages.error(ctx, "nodegroup.you_specify_either_maxunavailable", nodegroupName=name)
    if count is not None and count > 100:
        raise messages.error(ctx, "nodegroup.maxunavailable_greater_than", nodegroupName=name)


def _java_map_order(mapping: dict[str, str]) -> dict[str, str]:
    """``mapping`` in the order a java.util.HashMap iterates it, as EKS writes LabelsToAdd.

    Source: aws-cli examples update-nodegroup-config.rst (2024-04): labels sent as label-1, label-2 come
    back as {"...label-2":..., "...label-1":...}, new-label-1, new-label-2 in that order; both are the
    HashMap's bucket order (String.hashCode, spread h ^ h>>>16, table of 16 doubling past 3/4 full).
    """

    def bucket(key: str, size: int) -> int:
        h = 0
        units = key.encode("utf-16-le")
        for i in range(0, len(units), 2):
            h = (31 * h + int.from_bytes(units[i : i + 2], "little")) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (size - 1)

    size = 16
    while len(mapping) > size * 3 // 4:
        size *= 2
    ordered = sorted(enumerate(mapping), key=lambda pair: (bucket(pair[1], size), pair[0]))
    return {key: mapping[key] for _, key in ordered}


def _taint_texts(taints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Taints as EKS writes them in update params: effect, value, key (update-nodegroup-config.rst)."""
    return [{member: t[member] for member in ("effect", "value", "key") if member in t} for t in taints]


@functools.cache  # the installed model does not change: look once, not on every CreateNodegroup
def _models_update_strategy() -> bool:
    return "updateStrategy" in MODELS["eks"].shape_for("NodegroupUpdateConfig").members


def _with_default_strategy(config: dict[str, Any]) -> dict[str, Any]:
    """updateConfig as DescribeNodegroup shows it: updateStrategy DEFAULT unless asked otherwise.

    Source: a real DescribeNodegroup of 2026-04 shows {"maxUnavailable": 1, "updateStrategy": "DEFAULT"}
    (tests/recordings/public-describe-nodegroup-create-failed-2026.json); only where the model has it.
    """
    if _models_update_strategy() and "updateStrategy" not in config:
        return {**config, "updateStrategy": "DEFAULT"}
    return dict(config)


def _check_repair_config(ctx: Context, config: dict[str, Any] | None, name: str) -> None:
    if config is None:
        return
    for count, percentage in (
        ("maxParallelNodesRepairedCount", "maxParallelNodesRepairedPercentage"),
        ("maxUnhealthyNodeThresholdCount", "maxUnhealthyNodeThresholdPercentage"),
    ):
        if config.get(count) is not None and config.get(percentage) is not None:
            raise messages.error(
                ctx, "nodegroup.repair_both_forms", nodegroupName=name, count=count, percentage=percentage
            )
    for override in config.get("nodeRepairConfigOverrides") or []:
        missing = [
            k
            for k in (
                "minRepairWaitTimeMins",
                "nodeMonitoringCondition",
                "nodeUnhealthyReason",
                "repairAction",
            )
            if override.get(k) is None
        ]
        if missing:
            raise messages.error(
                ctx,
                "nodegroup.each_noderepairconfigoverrides_entry_specify",
                nodegroupName=name,
                missing=", ".join(missing),
            )


def _check_taints(ctx: Context, taints: list[dict[str, str]], name: str, *, need_effect: bool = True) -> None:
    for taint in taints:
        if not taint.get("key"):
            raise messages.error(ctx, "nodegroup.each_taint_have_key", nodegroupName=name)
        if need_effect and not taint.get("effect"):
            raise messages.error(ctx, "nodegroup.taint_have_effect", nodegroupName=name, key=taint["key"])
    if len(taints) > MAX_TAINTS:
        raise messages.error(
            ctx, "nodegroup.too_many_taints", nodegroupName=name, MAX_TAINTS=MAX_TAINTS, count=len(taints)
        )


def _check_launch_template(ctx: Context, template: dict[str, str], name: str) -> None:
    if bool(template.get("id")) == bool(template.get("name")):
        raise messages.error(ctx, "nodegroup.you_specify_either_launch", nodegroupName=name)


def _resolved_template(ctx: Context, template: dict[str, str], **fields: Any) -> dict[str, str]:
    resolved = resolve_launch_template(ctx, template)
    if resolved is None:
        raise messages.error(
            ctx, "launch_template.not_found", template=template.get("id") or template.get("name"), **fields
        )
    return resolved


def _taint_key(taint: dict[str, str]) -> tuple[str, str | None]:
    return taint["key"], taint.get("effect")


# ---- operations


def _placement(
    ctx: Context, cluster_name: str, name: str, node_role: str, version: str | None
) -> tuple[Any, Collection[Nodegroup]]:
    """The ACTIVE cluster a new node group goes in, and its node groups; the name, role and version checked."""
    cluster = find_cluster(ctx, cluster_name, include_registered=False)
    if not NAME.fullmatch(name):
        raise messages.error(
            ctx, "nodegroup.nodegroup_name_characters_letters", clusterName=cluster_name, nodegroupName=name
        )
    require_active(ctx, cluster)
    groups = cluster.child("nodegroups")
    if name in groups:
        raise messages.error(ctx, "nodegroup.exists", clusterName=cluster_name, nodegroupName=name)
    check_role_arn(ctx, node_role, "nodeRole")
    if version is not None and version != cluster.version:
        raise messages.error(
            ctx,
            "nodegroup.create_version_not_cluster",
            clusterName=cluster_name,
            nodegroupName=name,
            version=version,
            version2=cluster.version,
        )
    return cluster, groups


def _initial_scaling(
    ctx: Context, name: str, subnets: list[str], scaling_config: dict[str, int] | None
) -> dict[str, int]:
    """The scaling configuration a new node group starts with (given whole, or the defaults)."""
    if not subnets:
        raise messages.error(ctx, "nodegroup.subnets_specified_node_group", nodegroupName=name)
    if scaling_config is not None:
        if len(scaling_config) != 3:
            raise messages.error(ctx, "nodegroup.when_creating_node_group", nodegroupName=name)
        scaling = dict(scaling_config)
    else:
        scaling = dict(ami_catalogue.node_defaults()["scalingConfig"])
    _check_scaling(ctx, scaling, name)
    return scaling


def _check_template_conflicts(
    ctx: Context,
    cluster_name: str,
    name: str,
    launch_template: dict[str, str] | None,
    disk_size: int | None,
    remote_access: dict[str, Any] | None,
) -> None:
    """A launch template excludes the members it sets itself."""
    if launch_template is None:
        return
    _check_launch_template(ctx, launch_template, name)
    # the order EKS checks them in (moto/eks/models.py validate_launch_template_combination)
    if disk_size is not None:
        raise messages.error(ctx, "launch_template.disk_size", clusterName=cluster_name, nodegroupName=name)
    if remote_access is not None:
        raise messages.error(
            ctx, "launch_template.remote_access", clusterName=cluster_name, nodegroupName=name
        )


def _ami(
    ctx: Context,
    name: str,
    version: str,
    ami_type: str | None,
    instance_types: list[str] | None,
    launch_template: dict[str, str] | None,
) -> str:
    """The AMI type of a new node group (given or the default), checked against its instance types."""
    if instance_types is not None and len(instance_types) > MAX_INSTANCE_TYPES:
        raise messages.error(
            ctx, "nodegroup.you_specify_at_most", nodegroupName=name, MAX_INSTANCE_TYPES=MAX_INSTANCE_TYPES
        )
    if ami_type == "CUSTOM" and launch_template is None:
        raise messages.error(ctx, "nodegroup.custom_ami_type_only", nodegroupName=name)
    ami = ami_type or default_ami_type(version, instance_types)
    if ami_catalogue.is_windows(ami) and ctx.partition != "aws":
        raise messages.error(
            ctx, "nodegroup.windows_ami_types_are", nodegroupName=name, ami=ami, region=ctx.region
        )
    if ami != "CUSTOM":
        if not ami_catalogue.supports(ami, version):
            raise messages.error(
                ctx, "nodegroup.ami_type_supported_kubernetes", nodegroupName=name, ami=ami, version=version
            )
        arm = ami_catalogue.is_arm(ami)
        for instance_type in instance_types or ():
            if bool(ARM_INSTANCE.match(instance_type)) != arm:
                raise messages.error(
                    ctx,
                    "nodegroup.instance_type_not_valid_for_ami",
                    nodegroupName=name,
                    instance_type=instance_type,
                    ami=ami,
                )
    return ami


def _initial_release(
    ctx: Context, name: str, ami: str, version: str, release_version: str | None
) -> str | None:
    """The AMI release a new node group runs: the one given (checked) or the newest for ``version``."""
    releases = ami_catalogue.release_versions(ami, version, ctx.now) if ami != "CUSTOM" else []
    if release_version is not None:
        if ami != "CUSTOM" and not ami_catalogue.is_valid_release(ami, version, release_version, ctx.now):
            raise messages.error(
                ctx,
                "nodegroup.release_version_not_valid",
                nodegroupName=name,
                release_version=release_version,
                version=version,
            )
    elif releases:
        release_version = releases[-1]
    return release_version


@operation("CreateNodegroup", passthrough=("warmPoolConfig",))
def create_nodegroup(
    ctx: Context,
    *,
    cluster_name: str,
    nodegroup_name: str,
    subnets: list[str],
    node_role: str,
    scaling_config: dict[str, int] | None = None,
    disk_size: int | None = None,
    instance_types: list[str] | None = None,
    ami_type: str | None = None,
    remote_access: dict[str, Any] | None = None,
    labels: dict[str, str] | None = None,
    taints: list[dict[str, str]] | None = None,
    tags: dict[str, str] | None = None,
    client_request_token: str | None = None,
    launch_template: dict[str, str] | None = None,
    update_config: dict[str, Any] | None = None,
    node_repair_config: dict[str, Any] | None = None,
    capacity_type: str | None = None,
    version: str | None = None,
    release_version: str | None = None,
    **others: Any,
) -> dict[str, Any]:
    name = nodegroup_name
    cluster, groups = _placement(ctx, cluster_name, name, node_role, version)
    version = cluster.version
    scaling = _initial_scaling(ctx, name, subnets, scaling_config)
    _check_template_conflicts(ctx, cluster_name, name, launch_template, disk_size, remote_access)
    ami = _ami(ctx, name, version, ami_type, instance_types, launch_template)
    release_version = _initial_release(ctx, name, ami, version, release_version)
    _check_taints(ctx, taints or [], name)
    _check_update_config(ctx, update_config, name)
    _check_repair_config(ctx, node_repair_config, name)
    tags = check_tags(ctx, tags)
    if launch_template is None and not instance_types:
        instance_types = [ami_catalogue.node_defaults()["instanceType"]]
    if launch_template is None and disk_size is None:
        disk_size = ami_catalogue.node_defaults()["diskSize"][
            "windows" if ami_catalogue.is_windows(ami) else "linux"
        ]
    resource_id = str(uuid.uuid4())
    group_resources: dict[str, Any] = {"autoScalingGroups": [{"name": f"eks-{name}-{resource_id}"}]}
    if remote_access is not None:
        group_resources["remoteAccessSecurityGroup"] = aws_id("sg")
    record = Nodegroup(
        nodegroup_name=name,
        nodegroup_arn=ctx.arn(f"nodegroup/{cluster_name}/{name}/{resource_id}"),
        cluster_name=cluster_name,
        version=version,
        release_version=release_version,
        created_at=ctx.now,
        modified_at=ctx.now,
        status="CREATING",
        capacity_type=capacity_type or "ON_DEMAND",
        scaling_config=scaling,
        instance_types=list(instance_types) if instance_types else None,
        subnets=list(subnets),
        remote_access=remote_access,
        ami_type=ami,
        node_role=node_role,
        node_labels=dict(labels or {}),
        node_taints=list(taints or []),
        group_resources=group_resources,
        disk_size=disk_size,
        health={"issues": []},
        update_config=_with_default_strategy(update_config or {"maxUnavailable": 1}),
        node_repair_config=node_repair_config if node_repair_config is not None else {"enabled": False},
        launch_template=(
            _resolved_template(ctx, launch_template, clusterName=cluster_name, nodegroupName=name)
            if launch_template is not None
            else None
        ),
        tags=tags,
        extra=ctx.member_names(others),
    )
    moto_nodegroups.create(ctx, cluster, record)  # last check: it may make the group's resources in moto
    groups.add(name, record)
    access.ensure_node_entries(ctx, cluster)

    ctx.settle_later("nodegroup.create", record, stamp="modified_at")
    return {"nodegroup": record}


@operation("DescribeNodegroup")
def describe_nodegroup(ctx: Context, *, cluster_name: str, nodegroup_name: str) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"nodegroup": find_nodegroup(ctx, cluster, nodegroup_name)}


@operation("ListNodegroups")
def list_nodegroups(
    ctx: Context, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    page, token = paginate(
        ctx, cluster.child("nodegroups"), max_results, next_token, scope=cluster_name, by_key=True
    )
    return {"nodegroups": [g.nodegroup_name for g in page], "nextToken": token}


@operation("DeleteNodegroup")
def delete_nodegroup(ctx: Context, *, cluster_name: str, nodegroup_name: str) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    groups = cluster.child("nodegroups")
    record = find_nodegroup(ctx, cluster, nodegroup_name)
    if record.status == "DELETING":
        return {"nodegroup": record}
    # a CREATING node group can be deleted: aws-cli examples delete-nodegroup.rst (2024-04) deletes one
    # 16 s after creating it (modifiedAt - createdAt), before it had resources
    if record.status == "UPDATING":
        raise messages.error(
            ctx,
            "nodegroup.delete_in_transition",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
            status=record.status,
        )
    if record.status == "CREATING":
        record.group_resources = None  # never provisioned: DELETING shows no resources (delete-nodegroup.rst)
    record.status = "DELETING"
    record.modified_at = ctx.now

    ctx.remove_later("nodegroup.delete", groups, nodegroup_name, record)
    moto_link.when_gone(ctx, "nodegroup.delete", groups, nodegroup_name, record, record.nodegroup_arn)
    return {"nodegroup": record}


def _updatable(ctx: Context, cluster_name: str, nodegroup_name: str) -> tuple[Any, Nodegroup]:
    cluster = find_cluster(ctx, cluster_name)
    record = find_nodegroup(ctx, cluster, nodegroup_name)
    if record.status not in ("ACTIVE", "UPDATING", "DEGRADED"):
        raise messages.error(
            ctx,
            "nodegroup.not_updatable",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
            status=record.status,
        )
    return cluster, record


def _start(
    ctx: Context,
    cluster: Any,
    record: Nodegroup,
    update_type: str,
    params: list,
    changes: list,
    also: Any = None,
) -> Any:
    return start_child_update(
        ctx,
        cluster,
        record,
        update_type=update_type,
        params=params,
        kind="nodegroup.update",
        changes=changes,
        scope=("nodegroupName", record.nodegroup_name),
        also=also,
    )


def _new_labels(
    ctx: Context, record: Nodegroup, name: str, labels: dict[str, Any], params: list[dict[str, Any]]
) -> dict[str, str]:
    """The labels after ``labels``' additions and removals; their update parameters go in ``params``."""
    add = dict(labels.get("addOrUpdateLabels") or {})
    remove = list(labels.get("removeLabels") or [])
    both = sorted(set(add) & set(remove))
    if both:
        raise messages.error(ctx, "nodegroup.label_keys_both_added", nodegroupName=name, both=both)
    merged = {k: v for k, v in record.node_labels.items() if k not in remove}
    merged.update(add)
    if add:
        params.append(param("LabelsToAdd", _java_map_order(add)))
    if remove:
        params.append(param("LabelsToRemove", remove))
    return merged


def _new_taints(
    ctx: Context, record: Nodegroup, name: str, taints: dict[str, Any], params: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The taints after ``taints``' additions and removals; their update parameters go in ``params``."""
    add_taints = list(taints.get("addOrUpdateTaints") or [])
    remove_taints = list(taints.get("removeTaints") or [])
    _check_taints(ctx, add_taints, name)
    _check_taints(ctx, remove_taints, name, need_effect=False)
    both = sorted({t["key"] for t in add_taints} & {t["key"] for t in remove_taints})
    if both:
        raise messages.error(ctx, "nodegroup.taint_keys_both_added", nodegroupName=name, both=both)
    removed = {t["key"] for t in remove_taints}
    adding = {_taint_key(t): t for t in add_taints}
    merged_taints = [
        t for t in record.node_taints if t["key"] not in removed and _taint_key(t) not in adding
    ] + list(adding.values())
    _check_taints(ctx, merged_taints, name)
    if add_taints:
        params.append(param("TaintsToAdd", _taint_texts(add_taints)))
    if remove_taints:
        params.append(param("TaintsToRemove", _taint_texts(remove_taints)))
    return merged_taints


def _new_scaling(
    ctx: Context, record: Nodegroup, name: str, scaling_config: dict[str, int], params: list[dict[str, Any]]
) -> dict[str, int]:
    """The scaling configuration with ``scaling_config`` applied; its update parameters go in ``params``."""
    scaling = {**record.scaling_config, **scaling_config}
    _check_scaling(ctx, scaling, name)
    for member, kind in (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredSize")):
        if member in scaling_config:
            params.append(param(kind, scaling_config[member]))
    return scaling


def _new_update_config(
    ctx: Context, record: Nodegroup, name: str, update_config: dict[str, Any], params: list[dict[str, Any]]
) -> dict[str, Any]:
    """The update configuration with ``update_config`` applied (one of the two maxUnavailable forms)."""
    _check_update_config(ctx, update_config, name)
    merged_update = dict(record.update_config)
    if "maxUnavailable" in update_config or "maxUnavailablePercentage" in update_config:
        merged_update.pop("maxUnavailable", None)
        merged_update.pop("maxUnavailablePercentage", None)
    merged_update.update(update_config)
    for member, kind in (
        ("maxUnavailable", "MaxUnavailable"),
        ("maxUnavailablePercentage", "MaxUnavailablePercentage"),
        ("updateStrategy", "UpdateStrategy"),
    ):
        if member in update_config:
            params.append(param(kind, update_config[member]))
    return merged_update


def _new_repair_config(
    ctx: Context,
    record: Nodegroup,
    name: str,
    node_repair_config: dict[str, Any],
    params: list[dict[str, Any]],
) -> dict[str, Any]:
    """The node repair configuration ``node_repair_config`` (checked); its update parameters go in ``params``."""
    _check_repair_config(ctx, node_repair_config, name)
    if "enabled" in node_repair_config:
        params.append(param("NodeRepairEnabled", node_repair_config["enabled"]))
    params.append(param("NodeRepairConfig", node_repair_config))
    return dict(node_repair_config)


def _new_warm_pool(
    ctx: Context, record: Nodegroup, name: str, warm_pool: dict[str, Any], params: list[dict[str, Any]]
) -> dict[str, Any]:
    """The warm pool configuration with ``warm_pool`` applied; its update parameters go in ``params``."""
    kinds = {
        "enabled": "WarmPoolEnabled",
        "maxGroupPreparedCapacity": "WarmPoolMaxGroupPreparedCapacity",
        "minSize": "WarmPoolMinSize",
        "poolState": "WarmPoolState",
        "reuseOnScaleIn": "WarmPoolReuseOnScaleIn",
    }
    params += [param(kinds[k], v) for k, v in warm_pool.items() if k in kinds]
    return {**(record.extra.get("warmPoolConfig") or {}), **warm_pool}


@operation("UpdateNodegroupConfig", passthrough=("warmPoolConfig",))
def update_nodegroup_config(
    ctx: Context,
    *,
    cluster_name: str,
    nodegroup_name: str,
    labels: dict[str, Any] | None = None,
    taints: dict[str, Any] | None = None,
    scaling_config: dict[str, int] | None = None,
    update_config: dict[str, Any] | None = None,
    node_repair_config: dict[str, Any] | None = None,
    client_request_token: str | None = None,
    **others: Any,
) -> dict[str, Any]:
    cluster, record = _updatable(ctx, cluster_name, nodegroup_name)
    name = nodegroup_name
    params: list[dict[str, str]] = []
    new: dict[str, Any] = {}
    if labels:
        new["labels"] = _new_labels(ctx, record, name, labels, params)
    if taints:
        new["taints"] = _new_taints(ctx, record, name, taints, params)
    if scaling_config:
        new["scaling_config"] = _new_scaling(ctx, record, name, scaling_config, params)
    if update_config:
        new["update_config"] = _new_update_config(ctx, record, name, update_config, params)
    if node_repair_config:
        new["node_repair_config"] = _new_repair_config(ctx, record, name, node_repair_config, params)
    extra = ctx.member_names(others)
    warm_pool = extra.get("warmPoolConfig")
    if warm_pool:
        new["warmPoolConfig"] = _new_warm_pool(ctx, record, name, warm_pool, params)
    if not params:
        raise messages.error(
            ctx, "nodegroup.no_changes_were_specified", clusterName=cluster_name, nodegroupName=name
        )
    new = copy.deepcopy(new)

    changes = [(("extra", key) if key == "warmPoolConfig" else (key,), value) for key, value in new.items()]
    # the node group's Auto Scaling group in moto takes new scaling when the update completes
    also = moto_nodegroups.scaled_step(ctx, record) if "scaling_config" in new else None
    return {"update": _start(ctx, cluster, record, "ConfigUpdate", params, changes, also)}


def _target_version(
    ctx: Context,
    cluster: Any,
    record: Nodegroup,
    fields: dict[str, str],
    version: str | None,
    release_version: str | None,
) -> str:
    """The Kubernetes version a node group is updated to: ``version`` or the cluster's, never above the
    cluster's nor below the node group's (a custom AMI takes neither version field)."""
    if record.ami_type == "CUSTOM":  # the AMI is the launch template's: EKS takes neither version field
        if version is not None:
            raise messages.error(ctx, "nodegroup.custom_ami_version", **fields)
        if release_version is not None:
            raise messages.error(ctx, "nodegroup.custom_ami_release_version", **fields)
    target = version or cluster.version
    if versions.get(target) is None or _minor(target) > _minor(cluster.version):
        raise messages.error(
            ctx,
            "nodegroup.version_above_cluster",
            **fields,
            target=target,
            version=cluster.version,
        )
    if _minor(target) < _minor(record.version):
        raise messages.error(
            ctx,
            "nodegroup.version_downgrade",
            **fields,
            target=target,
            version=record.version,
        )
    return target


def _template_change(
    ctx: Context,
    record: Nodegroup,
    name: str,
    fields: dict[str, str],
    launch_template: dict[str, str] | None,
    params: list[dict[str, Any]],
) -> dict[str, str] | None:
    """The node group's launch template after the update (None: not given); its parameters go in ``params``."""
    if launch_template is None:
        return None
    if record.launch_template is None:
        raise messages.error(ctx, "nodegroup.nodegroup_was_created_launch", **fields, name=name)
    _check_launch_template(ctx, launch_template, name)
    requested = _resolved_template(ctx, launch_template, **fields)
    if requested["id"] != record.launch_template.get("id"):
        key = "id" if launch_template.get("id") else "name"
        raise messages.error(
            ctx,
            "nodegroup.launch_template_match_one",
            **fields,
            key=key,
            name=name,
            current=record.launch_template.get(key),
        )
    template = {**record.launch_template, **requested}
    params.append(param("LaunchTemplateName", template["name"]))
    if launch_template.get("version"):
        params.append(param("LaunchTemplateVersion", launch_template["version"]))
    return template


def _release_change(
    ctx: Context, record: Nodegroup, fields: dict[str, str], target: str, release_version: str | None
) -> str | None:
    """The AMI release after the update: ``release_version`` (checked, never older at the same version)
    or the newest for ``target``."""
    custom = record.ami_type == "CUSTOM"
    releases = [] if custom else ami_catalogue.release_versions(record.ami_type, target, ctx.now)
    if release_version is not None:
        if not custom and not ami_catalogue.is_valid_release(
            record.ami_type, target, release_version, ctx.now
        ):
            raise messages.error(
                ctx,
                "nodegroup.release_version_not_valid",
                **fields,
                release_version=release_version,
                version=target,
            )
        if (
            target == record.version
            and record.release_version in releases
            and release_version in releases
            and releases.index(release_version) < releases.index(record.release_version)
        ):
            raise messages.error(
                ctx,
                "nodegroup.release_downgrade",
                **fields,
                release_version=release_version,
                release_version2=record.release_version,
            )
        new_release: str | None = release_version
    else:
        new_release = releases[-1] if releases else record.release_version
    return new_release


@operation("UpdateNodegroupVersion")
def update_nodegroup_version(
    ctx: Context,
    *,
    cluster_name: str,
    nodegroup_name: str,
    version: str | None = None,
    release_version: str | None = None,
    launch_template: dict[str, str] | None = None,
    force: bool | None = None,
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster, record = _updatable(ctx, cluster_name, nodegroup_name)
    name = nodegroup_name
    fields = {"clusterName": cluster_name, "nodegroupName": name}
    target = _target_version(ctx, cluster, record, fields, version, release_version)
    # with a launch template the update lists the template's name and version instead of Version
    # (aws/aws-cli awscli/examples/eks/update-nodegroup-version.rst shows Version without one)
    params = [] if launch_template is not None else [param("Version", target)]
    template = _template_change(ctx, record, name, fields, launch_template, params)
    new_release = _release_change(ctx, record, fields, target, release_version)
    if new_release != record.release_version:
        params.append(param("ReleaseVersion", new_release))
    if (
        target == record.version
        and new_release == record.release_version
        and (template is None or template == record.launch_template)
    ):
        raise messages.error(
            ctx,
            "nodegroup.nodegroup_already_at_version",
            **fields,
            name=name,
            target=target,
            release_version=record.release_version,
        )

    changes: list[tuple[tuple[str, ...], Any]] = [(("version",), target), (("release_version",), new_release)]
    if template is not None:
        changes.append((("launch_template",), template))
    # the node group's Auto Scaling group in moto rolls to the new template version when the update completes
    also = moto_nodegroups.rolled_step(ctx, record, template)
    return {"update": _start(ctx, cluster, record, "VersionUpdate", params, changes, also)}


def _nodegroups_match_cluster(ctx: Context, cluster: Any, target_version: str) -> None:
    """UpdateClusterVersion: every managed node group must be at the cluster's current version first."""
    behind = [g.nodegroup_name for g in cluster.child("nodegroups") if g.version != cluster.version]
    if behind:
        raise messages.error(
            ctx,
            "cluster.nodegroups_behind",
            clusterName=cluster.name,
            behind=", ".join(behind),
            version=cluster.version,
            target_version=target_version,
        )


cluster_updates.VERSION_UPDATE_REQUIREMENTS.append(_nodegroups_match_cluster)
