"""AWS Fargate profiles: CreateFargateProfile, DescribeFargateProfile, ListFargateProfiles, DeleteFargateProfile."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, messages
from mock_eks.moto_link import fargate as moto_fargate
from mock_eks.resources import access
from mock_eks.resources.common import check_role_arn, check_tags, find_child, find_cluster, require_active
from mock_eks.state.kinds import record_kind

NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9\-_]{0,99}")
SUBNET = re.compile(r"subnet-[0-9a-f]{8,17}")
MAX_SELECTORS = 5
MAX_LABELS_PER_SELECTOR = 5


@record_kind("FargateProfile", family="fargate_profiles")
@dataclass(slots=True, eq=False)
class FargateProfile:
    fargate_profile_name: str
    fargate_profile_arn: str
    cluster_name: str
    created_at: float
    pod_execution_role_arn: str
    subnets: list[str]
    selectors: list[dict[str, Any]]
    status: str
    tags: dict[str, str] = field(default_factory=dict)
    # absent while healthy: no recorded Create/Describe/DeleteFargateProfile carries it
    # (aws-cli examples *-fargate-profile.rst, 2024-03/04); {"issues": [...]} once something is wrong
    health: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


arns.taggable_cluster_child("fargateprofile", "fargate_profiles", "fargate_profile_arn")


def _find(ctx: Context, cluster: Any, name: str) -> FargateProfile:
    return find_child(ctx, cluster, "fargate_profiles", name, "fargate.not_found", fargateProfileName=name)


def _deleting(cluster: Any) -> FargateProfile | None:
    for profile in cluster.child("fargate_profiles"):
        if profile.status == "DELETING":
            return profile
    return None


def _check_selectors(ctx: Context, selectors: list[dict[str, Any]] | None, name: str) -> list[dict[str, Any]]:
    selectors = list(selectors or [])
    if not selectors:
        raise messages.error(ctx, "fargate.needs_selector", fargateProfileName=name)
    if len(selectors) > MAX_SELECTORS:
        raise messages.error(
            ctx,
            "fargate.fargate_profile_have_at",
            fargateProfileName=name,
            MAX_SELECTORS=MAX_SELECTORS,
            count=len(selectors),
        )
    out = []
    for selector in selectors:
        if not selector.get("namespace"):
            raise messages.error(ctx, "fargate.selector_needs_namespace", fargateProfileName=name)
        labels = selector.get("labels") or {}
        if len(labels) > MAX_LABELS_PER_SELECTOR:
            raise messages.error(ctx, "fargate.too_many_labels", fargateProfileName=name)
        entry: dict[str, Any] = {"namespace": selector["namespace"]}
        if "labels" in selector:
            entry["labels"] = dict(labels)
        out.append(entry)
    return out


@operation("CreateFargateProfile")
def create_fargate_profile(
    ctx: Context,
    *,
    fargate_profile_name: str,
    cluster_name: str,
    pod_execution_role_arn: str,
    subnets: list[str] | None = None,
    selectors: list[dict[str, Any]] | None = None,
    client_request_token: str | None = None,
    tags: dict[str, str] | None = None,
    **others: Any,
) -> dict[str, Any]:
    name = fargate_profile_name
    cluster = find_cluster(ctx, cluster_name, include_registered=False)
    if not NAME.fullmatch(name):
        raise messages.error(
            ctx, "fargate.fargate_profile_name_characters", clusterName=cluster_name, fargateProfileName=name
        )
    require_active(ctx, cluster)
    profiles = cluster.child("fargate_profiles")
    if name in profiles:
        raise messages.error(ctx, "fargate.exists", clusterName=cluster_name, fargateProfileName=name)
    deleting = _deleting(cluster)
    if deleting is not None:
        raise messages.error(
            ctx,
            "fargate.create_while_deleting",
            clusterName=cluster_name,
            fargate_profile_name=deleting.fargate_profile_name,
        )
    check_role_arn(ctx, pod_execution_role_arn, "podExecutionRoleArn")
    clean = _check_selectors(ctx, selectors, name)
    for subnet in subnets or ():
        if not SUBNET.fullmatch(subnet):
            raise messages.error(
                ctx, "fargate.subnet_valid_subnet_id", fargateProfileName=name, subnet=subnet
            )
    if subnets:
        moto_fargate.check_subnets(ctx, list(subnets), name)
        chosen = list(subnets)
    else:  # EKS uses the cluster's (private) subnets when none are given
        inherited = list((cluster.resources_vpc_config or {}).get("subnetIds") or [])
        chosen = moto_fargate.inherited_subnets(ctx, inherited, name)
    record = FargateProfile(
        fargate_profile_name=name,
        fargate_profile_arn=ctx.arn(f"fargateprofile/{cluster_name}/{name}/{uuid.uuid4()}"),
        cluster_name=cluster_name,
        created_at=ctx.now,
        pod_execution_role_arn=pod_execution_role_arn,
        subnets=chosen,
        selectors=clean,
        status="CREATING",
        tags=check_tags(ctx, tags),
        extra=ctx.member_names(others),
    )
    profiles.add(name, record)
    access.ensure_node_entries(ctx, cluster)

    ctx.settle_later("fargate.create", record)
    return {"fargateProfile": record}


@operation("DescribeFargateProfile")
def describe_fargate_profile(ctx: Context, *, cluster_name: str, fargate_profile_name: str) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"fargateProfile": _find(ctx, cluster, fargate_profile_name)}


@operation("ListFargateProfiles")
def list_fargate_profiles(
    ctx: Context, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    page, token = paginate(
        ctx, cluster.child("fargate_profiles"), max_results, next_token, scope=cluster_name, by_key=True
    )
    return {"fargateProfileNames": [p.fargate_profile_name for p in page], "nextToken": token}


@operation("DeleteFargateProfile")
def delete_fargate_profile(ctx: Context, *, cluster_name: str, fargate_profile_name: str) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    profiles = cluster.child("fargate_profiles")
    record = _find(ctx, cluster, fargate_profile_name)
    if record.status == "DELETING":
        return {"fargateProfile": record}
    deleting = _deleting(cluster)
    if deleting is not None:
        # "Only one Fargate profile in a cluster can be in the DELETING status at a time."
        raise messages.error(
            ctx,
            "fargate.another_deleting",
            clusterName=cluster_name,
            fargateProfileName=fargate_profile_name,
            deleting=deleting.fargate_profile_name,
        )
    record.status = "DELETING"

    ctx.remove_later("fargate.delete", profiles, fargate_profile_name, record)
    return {"fargateProfile": record}
