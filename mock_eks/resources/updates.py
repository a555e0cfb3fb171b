"""Update records: DescribeUpdate, ListUpdates, CancelUpdate, and the helper every updating operation uses."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import messages
from mock_eks.model.spec import MODELS
from mock_eks.resources.common import find_cluster
from mock_eks.state import lifecycle
from mock_eks.state.faults import update_failed_status
from mock_eks.state.kinds import record_kind

# Update scopes: the input member that names the resource, and the cluster child family holding it.
SCOPES = {"nodegroupName": "nodegroups", "addonName": "addons", "capabilityName": "capabilities"}


@record_kind("Update", family="updates")
@dataclass(slots=True, eq=False)
class Update:
    id: str
    type: str
    params: list[dict[str, str]]
    created_at: float
    status: str = "InProgress"
    errors: list[dict[str, Any]] = field(default_factory=list)
    # which resource the update belongs to: ("nodegroupName", "ng-1"), or None for the cluster itself
    scope: tuple[str, str] | None = None


def param(kind: str, value: Any) -> dict[str, str]:
    """An UpdateParam; structured values are carried as JSON text, as EKS does."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, separators=(",", ":"))
    else:
        text = str(value)
    return {"type": kind, "value": text}


# Node group and add-on updates have name-based (version 3) UUIDs, cluster updates random (version 4)
# ones: every update id in the aws-cli examples (update-nodegroup-config.rst, update-nodegroup-version.rst,
# update-addon.rst, list-update.rst vs update-cluster-version.rst, update-cluster-config.rst,
# describe-update.rst; 2019-2024) and the Reference's UpdateNodegroupVersion sample (2020).
VERSION_3_SCOPES = {"nodegroupName", "addonName"}


def update_id(scope: tuple[str, str] | None) -> str:
    """A new update id, in the UUID version real EKS uses for updates of this scope."""
    version = 3 if scope is not None and scope[0] in VERSION_3_SCOPES else 4
    return str(uuid.UUID(bytes=uuid.uuid4().bytes, version=version))


@functools.cache  # the installed model does not change: read each enum once, not on every update
def _modelled(shape_name: str) -> frozenset[str]:
    return frozenset(MODELS["eks"].shape_for(shape_name).enum)


def _installed(update_type: str, params: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """The update type and params as the installed model can say them (every answer validates).

    An older botocore may lack a newer type or param type (CapabilityUpdate, RoleArn): such params are
    left out and such a type is reported as the generic ConfigUpdate.
    """
    types, param_types = _modelled("UpdateType"), _modelled("UpdateParamType")
    if update_type not in types:
        update_type = "ConfigUpdate"
    return update_type, [p for p in params if p["type"] in param_types]


def in_progress(cluster: Any, scope: tuple[str, str] | None) -> Update | None:
    """The update in progress for this resource, if any."""
    for update in cluster.child("updates"):
        if update.status == "InProgress" and update.scope == scope:
            return update
    return None


def start_update(
    ctx: Context,
    cluster: Any,
    *,
    update_type: str,
    params: list[dict[str, str]],
    kind: str,
    apply: lifecycle.Step,
    scope: tuple[str, str] | None = None,
    revert: lifecycle.Step | None = None,
) -> Update:
    """Record an InProgress update and schedule ``apply`` (a ``lifecycle.Step``) for its completion,
    after which it is Successful.

    One update runs at a time per resource: a second is ResourceInUseException.
    A pending lifecycle fault of ``kind`` (``m.faults.fail_next``) makes the update Failed with
    ``errors`` instead: ``apply`` does not run, ``revert`` does (by default an UPDATING cluster,
    for a cluster-level update, is ACTIVE again).
    """
    running = in_progress(cluster, scope)
    if running is not None:
        what = f"{scope[0][:-4]} {scope[1]}" if scope else f"cluster {cluster.name}"
        fields = {"clusterName": cluster.name}
        if scope:
            fields[scope[0]] = scope[1]
        if scope is None:
            # "Cannot EndpointAccessUpdate because cluster ... currently has update ... in progress" from
            # UpdateClusterConfig (the new update's type), "Cannot AssociateIdentityProviderConfig ..." from
            # other operations (their name): sources in data/messages.json
            action = (
                update_type if ctx.op.name in ("UpdateClusterConfig", "UpdateClusterVersion") else ctx.op.name
            )
            raise messages.error(ctx, "update.cluster_busy", **fields, action=action, id=running.id)
        raise messages.error(
            ctx, "update.update_type_already_progress", **fields, id=running.id, type=running.type, what=what
        )
    update_type, params = _installed(update_type, params)
    update = Update(id=update_id(scope), type=update_type, params=params, created_at=ctx.now, scope=scope)
    cluster.child("updates").add(update.id, update)
    if revert is None and scope is None:
        revert = lifecycle.assign(cluster, status=("UPDATING", "ACTIVE"))
    ctx.schedule(
        kind,
        lifecycle.step(
            "update.complete",
            update=update,
            kind=kind,
            apply=apply,
            revert=revert,
            resource=scope[1] if scope else cluster.name,
            account=ctx.account,
        ),
    )
    return update


@lifecycle.action("update.complete")
def _complete(
    backend: Any,
    due: float,
    *,
    update: Update,
    kind: str,
    apply: lifecycle.Step,
    revert: lifecycle.Step | None,
    resource: str,
    account: str | None = None,  # None in snapshots written before faults could name an account
) -> None:
    if update.status != "InProgress":
        return
    fault = backend.faults.take(kind, account)
    if fault is not None:
        update.status = "Failed"
        update.errors = fault.update_errors([resource])
        if revert is not None:
            lifecycle.run(backend, revert, due)
        return
    lifecycle.run(backend, apply, due)
    update.status = "Successful"


def start_child_update(
    ctx: Context,
    cluster: Any,
    record: Any,
    *,
    update_type: str,
    params: list[dict[str, str]],
    kind: str,
    changes: Sequence[tuple[lifecycle.Path, Any]],
    scope: tuple[str, str],
    also: lifecycle.Step | None = None,
) -> Update:
    """``start_update`` for a cluster's child (node group, add-on, capability): the child is UPDATING
    (``modified_at`` now) until the update completes, then ``changes`` (attribute paths and their new
    values) are made and it is ACTIVE again. A failed update leaves the child unchanged, in its model's
    UPDATE_FAILED status if it has one (add-ons), else ACTIVE. ``also`` (a step) runs after the changes,
    for what follows from them elsewhere (a node group's Auto Scaling group in moto)."""
    apply = lifecycle.assign(record, changes, stamp="modified_at", status=("UPDATING", "ACTIVE"))
    update = start_update(
        ctx,
        cluster,
        update_type=update_type,
        params=params,
        kind=kind,
        apply=apply if also is None else lifecycle.sequence(apply, also),
        scope=scope,
        revert=lifecycle.step("update.child_failed", record=record),
    )
    record.status = "UPDATING"
    record.modified_at = ctx.now
    return update


@lifecycle.action("update.child_failed")
def _child_failed(backend: Any, due: float, *, record: Any) -> None:
    record.modified_at = due
    if record.status == "UPDATING":
        record.status = update_failed_status(record)


def _scope(
    ctx: Context,
    cluster: Any,
    nodegroup_name: str | None,
    addon_name: str | None,
    capability_name: str | None,
) -> tuple[str, str] | None:
    given = [
        (m, v)
        for m, v in (
            ("nodegroupName", nodegroup_name),
            ("addonName", addon_name),
            ("capabilityName", capability_name),
        )
        if v is not None
    ]
    if len(given) > 1:
        raise messages.error(ctx, "update.specify_at_most_one")
    if not given:
        return None
    member, value = given[0]
    if value not in cluster.child(SCOPES[member]):
        noun = {"nodegroupName": "nodegroup", "addonName": "addon", "capabilityName": "capability"}[member]
        raise messages.error(
            ctx, "update.no_found_name", clusterName=cluster.name, **{member: value}, noun=noun, value=value
        )
    return given[0]


@operation("DescribeUpdate")
def describe_update(
    ctx: Context,
    *,
    name: str,
    update_id: str,
    nodegroup_name: str | None = None,
    addon_name: str | None = None,
    capability_name: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, name)
    scope = _scope(ctx, cluster, nodegroup_name, addon_name, capability_name)
    update = cluster.child("updates").get(update_id)
    if update is None or update.scope != scope:
        raise messages.error(ctx, "update.not_found", updateId=update_id, clusterName=name)
    return {"update": update}


@operation("ListUpdates")
def list_updates(
    ctx: Context,
    *,
    name: str,
    nodegroup_name: str | None = None,
    addon_name: str | None = None,
    capability_name: str | None = None,
    next_token: str | None = None,
    max_results: int | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, name)
    scope = _scope(ctx, cluster, nodegroup_name, addon_name, capability_name)
    page, token = paginate(
        ctx,
        cluster.child("updates"),
        max_results,
        next_token,
        scope=f"{name}:{scope}",
        predicate=lambda update: update.scope == scope,
    )
    return {"updateIds": [u.id for u in page], "nextToken": token}


# Update types CancelUpdate can stop, per the model's documentation of CancelUpdate.
CANCELLABLE = frozenset({"VersionRollback"})


@operation("CancelUpdate")
def cancel_update(
    ctx: Context, *, name: str, update_id: str, client_request_token: str | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, name)
    update = cluster.child("updates").get(update_id)
    if update is None:
        raise messages.error(ctx, "update.not_found", updateId=update_id, clusterName=name)
    if update.status != "InProgress":
        raise messages.error(
            ctx,
            "update.update_no_longer_cancelled",
            clusterName=name,
            update_id=update_id,
            status=update.status,
        )
    if update.type not in CANCELLABLE:
        raise messages.error(
            ctx,
            "update.updates_type_cannot_cancelled",
            clusterName=name,
            type=update.type,
            cancellable=", ".join(sorted(CANCELLABLE)),
        )
    update.status = "Cancelled"
    return {"update": update}
