"""UpdateClusterConfig and UpdateClusterVersion: changes to a cluster, tracked as Update records."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NoReturn

from mock_eks.catalogue import control_plane, versions
from mock_eks.engine.dispatch import Context, operation
from mock_eks.model import messages
from mock_eks.model.documents import merge_patch
from mock_eks.resources.clusters import (
    check_auto_mode,
    check_public_access_cidrs,
    check_version,
    normalise_logging,
)
from mock_eks.resources.common import find_cluster
from mock_eks.resources.updates import param, start_update
from mock_eks.state import lifecycle

# Checks other families add before a version update: fn(ctx, cluster, target_version) raises to refuse.
# REQUIREMENTS always apply; CHECKS are upgrade-readiness checks that `force=True` overrides.
VERSION_UPDATE_REQUIREMENTS: list[Callable[[Any, Any, str], None]] = []
VERSION_UPDATE_CHECKS: list[Callable[[Any, Any, str], None]] = []

# authenticationMode may only move forward along this order
AUTH_MODE_ORDER = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")


def _require_updatable(ctx: Context, cluster: Any) -> None:
    if cluster.connector_config is not None:
        raise messages.error(
            ctx, "cluster_update.cluster_registered_cluster_cannot", clusterName=cluster.name
        )
    if cluster.status != "ACTIVE":
        if cluster.status == "UPDATING":
            return  # start_update reports the update in progress
        raise messages.error(
            ctx,
            "cluster_update.cluster_status_active_updated",
            clusterName=cluster.name,
            status=cluster.status,
        )


def _vpc_change(ctx: Context, cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    current = cluster.resources_vpc_config
    changes = []
    endpoint_keys = ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs")
    wanted = {k: request[k] for k in endpoint_keys if k in request}
    if wanted:
        check_public_access_cidrs(ctx, wanted.get("publicAccessCidrs"))
        merged = {**{k: current[k] for k in endpoint_keys}, **wanted}
        # turning the public endpoint off keeps the CIDRs it had (a real DescribeCluster of 2025-09 shows
        # endpointPublicAccess false with publicAccessCidrs ["0.0.0.0/0"]); turning it on opens it to everyone
        # unless CIDRs are given
        if merged["endpointPublicAccess"] and not merged["publicAccessCidrs"]:
            merged["publicAccessCidrs"] = ["0.0.0.0/0"]
        if not merged["endpointPublicAccess"] and not merged["endpointPrivateAccess"]:
            raise messages.error(ctx, "cluster.endpoint_access_required")
        if any(merged[k] != current[k] for k in endpoint_keys):
            # the params list what was asked: PublicAccessCidrs only when given (issue 13 item 9;
            # aws/aws-cli awscli/examples/eks/update-cluster-config.rst)
            params = [
                param("EndpointPublicAccess", merged["endpointPublicAccess"]),
                param("EndpointPrivateAccess", merged["endpointPrivateAccess"]),
            ]
            if "publicAccessCidrs" in wanted:
                params.append(param("PublicAccessCidrs", merged["publicAccessCidrs"]))
            changes.append(
                (
                    "EndpointAccessUpdate",
                    params,
                    [(("resources_vpc_config", k), v) for k, v in merged.items()],
                )
            )
    if "controlPlaneEgressMode" in request:
        changes += _egress_change(ctx, cluster, request["controlPlaneEgressMode"])
    network = {k: request[k] for k in ("subnetIds", "securityGroupIds") if k in request}
    if network:
        if "subnetIds" in network and len(set(network["subnetIds"])) < 2:
            raise messages.error(ctx, "cluster.subnets_two_azs")
        if len(network.get("securityGroupIds", ())) > 5:
            raise messages.error(ctx, "cluster_update.too_many_security_groups")
        if any(list(network[k]) != current[k] for k in network):
            params = [
                param("Subnets", network.get("subnetIds", current["subnetIds"])),
                param("SecurityGroups", network.get("securityGroupIds", current["securityGroupIds"])),
            ]
            changes.append(
                ("VpcConfigUpdate", params, [(("resources_vpc_config", k), v) for k, v in network.items()])
            )
    return changes


def _egress_change(ctx: Context, cluster: Any, wanted: str) -> list[tuple[str, list, list]]:
    current = cluster.resources_vpc_config.get("controlPlaneEgressMode")
    if wanted == current:
        return []
    if control_plane.egress_mode_change_refused(current, wanted):
        raise messages.error(ctx, "cluster.egress_mode_one_way", current=current, mode=wanted)
    return [
        (
            "ControlPlaneEgressUpdate",
            [param("ControlPlaneEgressMode", wanted)],
            [(("resources_vpc_config", "controlPlaneEgressMode"), wanted)],
        )
    ]


def _access_change(ctx: Context, cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    if "bootstrapClusterCreatorAdminPermissions" in request:
        raise messages.error(ctx, "cluster_update.bootstrapclustercreatoradminpermissions_only_set_when")
    mode = request.get("authenticationMode")
    current = cluster.access_config["authenticationMode"]
    if mode is None:
        return []
    # one step at a time, CONFIG_MAP -> API_AND_CONFIG_MAP -> API; the same mode again is refused too
    # ("... from API_AND_CONFIG_MAP to API_AND_CONFIG_MAP", sources in data/messages.json)
    if AUTH_MODE_ORDER.index(mode) != AUTH_MODE_ORDER.index(current) + 1:
        raise messages.error(
            ctx, "cluster.unsupported_authentication_mode_update", current=current, mode=mode
        )
    return [
        (
            "AccessConfigUpdate",
            [param("AuthenticationMode", mode)],
            [(("access_config", "authenticationMode"), mode)],
        )
    ]


def _replace(
    cluster: Any, attribute: str | None, member: str, value: Any
) -> list[tuple[tuple[str, ...], Any]]:
    """The change that sets a cluster attribute (or, without one, its ``extra[member]``) to ``value``."""
    return [((attribute,) if attribute is not None else ("extra", member), value)]


def _current(cluster: Any, attribute: str | None, member: str) -> Any:
    return getattr(cluster, attribute) if attribute is not None else cluster.extra.get(member)


def _logging_change(cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    """``logging``: a LoggingUpdate when the log types change."""
    found: list[tuple[str, list, list]] = []
    logging = normalise_logging(request.pop("logging"), cluster.logging)
    if logging != cluster.logging:
        found.append(
            (
                "LoggingUpdate",
                [param("ClusterLogging", {"clusterLogging": logging["clusterLogging"]})],
                _replace(cluster, "logging", "logging", logging),
            )
        )
    return found


def _policy_changes(cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    """``upgradePolicy`` and ``deletionProtection``: an update each when it changes."""
    found: list[tuple[str, list, list]] = []
    if "upgradePolicy" in request:
        policy = {"supportType": request.pop("upgradePolicy").get("supportType", "EXTENDED")}
        if policy != cluster.upgrade_policy:
            found.append(
                (
                    "UpgradePolicyUpdate",
                    [param("UpgradePolicy", policy["supportType"])],
                    _replace(cluster, "upgrade_policy", "upgradePolicy", policy),
                )
            )
    if "deletionProtection" in request:
        wanted = bool(request.pop("deletionProtection"))
        if wanted != bool(cluster.deletion_protection):
            found.append(
                (
                    "DeletionProtectionUpdate",
                    [param("DeletionProtection", wanted)],
                    _replace(cluster, "deletion_protection", "deletionProtection", wanted),
                )
            )
    return found


def _auto_mode_change(ctx: Context, cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    """EKS Auto Mode's ``computeConfig``, ``storageConfig`` and ``kubernetesNetworkConfig``: one AutoModeUpdate."""
    found: list[tuple[str, list, list]] = []
    auto_mode = {
        k: request.pop(k)
        for k in ("computeConfig", "storageConfig", "kubernetesNetworkConfig")
        if k in request
    }
    if auto_mode:
        check_auto_mode(
            ctx,
            auto_mode.get("computeConfig"),
            auto_mode.get("storageConfig"),
            auto_mode.get("kubernetesNetworkConfig"),
        )
        network = auto_mode.get("kubernetesNetworkConfig") or {}
        new_network = {**cluster.kubernetes_network_config, **network}
        if any(k in network for k in ("serviceIpv4Cidr", "ipFamily")) and any(
            network[k] != (cluster.kubernetes_network_config or {}).get(k)
            for k in ("serviceIpv4Cidr", "ipFamily")
            if k in network
        ):
            raise messages.error(ctx, "cluster_update.serviceipv_cidr_ipfamily_only")
        changed = [
            k
            for k in ("computeConfig", "storageConfig")
            if k in auto_mode and auto_mode[k] != cluster.extra.get(k)
        ]
        if changed or new_network != cluster.kubernetes_network_config:
            auto_kinds = {
                "computeConfig": "ComputeConfig",
                "storageConfig": "StorageConfig",
                "kubernetesNetworkConfig": "KubernetesNetworkConfig",
            }
            params = [param(auto_kinds[k], v) for k, v in auto_mode.items()]

            auto_changes: list[tuple[tuple[str, ...], Any]] = [
                (("extra", key), auto_mode[key])
                for key in ("computeConfig", "storageConfig")
                if key in auto_mode
            ]
            auto_changes.append((("kubernetes_network_config",), new_network))
            found.append(("AutoModeUpdate", params, auto_changes))
    return found


def _stored_changes(cluster: Any, request: dict[str, Any]) -> list[tuple[str, list, list]]:
    """The remaining members, stored as given, each with its own update type in the model."""
    found: list[tuple[str, list, list]] = []
    simple = {
        "zonalShiftConfig": ("ZonalShiftConfigUpdate", "ZonalShiftConfig"),
        "remoteNetworkConfig": ("RemoteNetworkConfigUpdate", "RemoteNetworkConfig"),
        "kubeApiServerConfig": ("ControlPlaneComponentConfigUpdate", "KubeApiServerConfig"),
        "kubeSchedulerConfig": ("ControlPlaneComponentConfigUpdate", "KubeSchedulerConfig"),
        "kubeControllerManagerConfig": ("ControlPlaneComponentConfigUpdate", "KubeControllerManagerConfig"),
    }
    if "controlPlaneScalingConfig" in request:
        wanted = request.pop("controlPlaneScalingConfig")
        previous = (cluster.extra.get("controlPlaneScalingConfig") or {}).get("tier")
        if wanted != cluster.extra.get("controlPlaneScalingConfig"):
            found.append(
                (
                    "ControlPlaneScalingConfigUpdate",
                    [param("UpdatedTier", wanted.get("tier")), param("PreviousTier", previous)],
                    _replace(cluster, None, "controlPlaneScalingConfig", wanted),
                )
            )
    for member, value in list(request.items()):
        if member not in simple:
            continue
        current = cluster.extra.get(member)
        # a component config changes the members it names and keeps the others, as CreateCluster
        # fills what it leaves out
        wanted = merge_patch(current, value) if member in _COMPONENT_CONFIGS else copy.deepcopy(value)
        if wanted != current:
            update_type, param_type = simple[member]
            found.append((update_type, [param(param_type, value)], _replace(cluster, None, member, wanted)))
    return found


_COMPONENT_CONFIGS = frozenset({"kubeApiServerConfig", "kubeSchedulerConfig", "kubeControllerManagerConfig"})


def _refuse_unchanged(
    ctx: Context, cluster: Any, name: str, endpoint_asked: bool, logging_asked: bool
) -> NoReturn:
    """The error for a request that changes nothing, worded for what it asked."""
    vpc = cluster.resources_vpc_config or {}
    if endpoint_asked:
        raise messages.error(
            ctx,
            "cluster.endpoint_unchanged",
            clusterName=name,
            private=str(bool(vpc.get("endpointPrivateAccess"))).lower(),
            public=str(bool(vpc.get("endpointPublicAccess"))).lower(),
            cidrs=", ".join(vpc.get("publicAccessCidrs") or []),
        )
    if logging_asked:
        raise messages.error(ctx, "cluster.logging_unchanged", clusterName=name)
    raise messages.error(ctx, "cluster_update.unchanged", clusterName=name)


@operation(
    "UpdateClusterConfig",
    passthrough=(
        "resourcesVpcConfig",
        "logging",
        "accessConfig",
        "upgradePolicy",
        "deletionProtection",
        "computeConfig",
        "storageConfig",
        "kubernetesNetworkConfig",
        "zonalShiftConfig",
        "remoteNetworkConfig",
        "controlPlaneScalingConfig",
        "kubeApiServerConfig",
        "kubeSchedulerConfig",
        "kubeControllerManagerConfig",
    ),
)
def update_cluster_config(
    ctx: Context, *, name: str, client_request_token: str | None = None, **changes: Any
) -> dict:
    cluster = find_cluster(ctx, name)
    _require_updatable(ctx, cluster)
    request = ctx.member_names(changes)
    if not request:
        raise messages.error(ctx, "cluster_update.no_changes_were_specified", clusterName=name)
    found: list[tuple[str, list, list]] = []  # (update type, params, changes)
    endpoint_asked = any(
        key in (request.get("resourcesVpcConfig") or {})
        for key in ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs")
    )
    if "resourcesVpcConfig" in request:
        found += _vpc_change(ctx, cluster, request.pop("resourcesVpcConfig"))
    logging_asked = "logging" in request
    if logging_asked:
        found += _logging_change(cluster, request)
    if "accessConfig" in request:
        found += _access_change(ctx, cluster, request.pop("accessConfig"))
    found += _policy_changes(cluster, request)
    found += _auto_mode_change(ctx, cluster, request)
    found += _stored_changes(cluster, request)
    kinds = {update_type for update_type, _, _ in found}
    if not found:
        _refuse_unchanged(ctx, cluster, name, endpoint_asked, logging_asked)
    if len(kinds) > 1:
        raise messages.error(ctx, "cluster.one_update_type", clusterName=name)
    update_type = found[0][0]
    params = [p for _, change_params, _ in found for p in change_params]
    all_changes = [change for _, _, found_changes in found for change in found_changes]
    previous_status = cluster.status
    finish = lifecycle.assign(cluster, all_changes, status=("UPDATING", "ACTIVE"))
    update = start_update(
        ctx, cluster, update_type=update_type, params=params, kind="cluster.update", apply=finish
    )
    if previous_status == "ACTIVE":
        cluster.status = "UPDATING"
    return {"update": update}


@operation("UpdateClusterVersion", passthrough=("rollbackConfig",))
def update_cluster_version(
    ctx: Context,
    *,
    name: str,
    version: str,
    client_request_token: str | None = None,
    force: bool | None = None,
    **others: Any,  # rollbackConfig (newer models): accepted; the mock's updates do not fail, so never roll back
) -> dict:
    cluster = find_cluster(ctx, name)
    _require_updatable(ctx, cluster)
    current = versions.get(cluster.version)
    target = check_version(ctx, version)
    if current is None or versions.next_minor(cluster.version) != version:
        raise messages.error(
            ctx,
            "cluster.unsupported_version_update",
            clusterName=name,
            current=cluster.version,
            target=version,
        )
    if not force:
        for check in VERSION_UPDATE_CHECKS:
            check(ctx, cluster, version)
    for check in VERSION_UPDATE_REQUIREMENTS:
        check(ctx, cluster, version)
    platform = target.default_platform_version

    finish = lifecycle.assign(
        cluster, [(("version",), version), (("platform_version",), platform)], status=("UPDATING", "ACTIVE")
    )
    update = start_update(
        ctx,
        cluster,
        update_type="VersionUpdate",
        params=[param("Version", version), param("PlatformVersion", platform)],
        kind="cluster.version",
        apply=finish,
    )
    cluster.status = "UPDATING"
    return {"update": update}
