"""Checks and look-ups more than one resource family needs."""

from __future__ import annotations

import secrets
from typing import Any

from mock_eks.engine.dispatch import Context
from mock_eks.model import arns, messages
from mock_eks.moto_link import iam as moto_iam


def find_cluster(ctx: Context, name: str, *, include_registered: bool = True) -> Any:
    """The cluster named ``name`` in the caller's account and region, or ResourceNotFoundException."""
    cluster = ctx.store.clusters.get(name)
    if cluster is None or (not include_registered and cluster.connector_config is not None):
        raise messages.error(ctx, "cluster.not_found", clusterName=name)
    return cluster


def find_child(ctx: Context, cluster: Any, family: str, key: str, message: str, **fields: Any) -> Any:
    """The record ``key`` in ``cluster.child(family)``, or the not-found error ``message`` (a key of
    data/messages.json) filled with ``fields``."""
    record = cluster.child(family).get(key)
    if record is None:
        raise messages.error(ctx, message, clusterName=cluster.name, **fields)
    return record


def require_active(ctx: Context, cluster: Any) -> None:
    """Children can be created only on an ACTIVE cluster (InvalidRequestException otherwise)."""
    if cluster.status != "ACTIVE":
        raise messages.error(ctx, "cluster.not_active", clusterName=cluster.name)


def require_updatable(ctx: Context, cluster: Any) -> None:
    """Changes through an update (identity providers, encryption): not on a registered cluster, and only
    while the cluster is ACTIVE (or UPDATING: ``start_update`` reports the update in progress)."""
    if cluster.connector_config is not None:
        raise messages.error(ctx, "cluster.registered_refused", clusterName=cluster.name)
    if cluster.status not in ("ACTIVE", "UPDATING"):
        raise messages.error(ctx, "cluster.must_be_active", clusterName=cluster.name, status=cluster.status)


def check_tags(
    ctx: Context, tags: dict[str, str] | None, existing: dict[str, str] | None = None
) -> dict[str, str]:
    """Tags after merging into ``existing``: at most 50, and no key in the reserved ``aws:`` prefix."""
    merged = dict(existing or {})
    for key, value in (tags or {}).items():
        if key.lower().startswith("aws:"):
            raise messages.error(ctx, "common.reserved_tag_key", key=key)
        merged[key] = value
    if len(merged) > 50:
        raise messages.error(ctx, "common.too_many_tags", count=len(merged))
    return merged


def check_role_arn(ctx: Context, value: str | None, member: str) -> None:
    if value is None:
        return
    if not arns.IAM_ROLE.match(value):
        raise messages.error(ctx, "common.invalid_role_arn", member=member, value=value)
    moto_iam.check_role(ctx, value, member)  # linked to moto: the role as moto's IAM knows it


def hex_id(length: int = 32, upper: bool = True) -> str:
    text = secrets.token_hex((length + 1) // 2)[:length]
    return text.upper() if upper else text


def aws_id(prefix: str) -> str:
    """An EC2-style id such as vpc-0a1b2c3d4e5f67890."""
    return f"{prefix}-{secrets.token_hex(9)[:17]}"
