"""Connected (registered) clusters: RegisterCluster, DeregisterCluster.

A registered cluster is a clusters.Cluster with ``connector_config`` set. It stays PENDING (no
EKS Connector agent ever applies the manifest in the mock); if the activation expires (three
days after registration) it becomes FAILED and must be deregistered.
"""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.model import messages
from mock_eks.resources.clusters import Cluster
from mock_eks.resources.common import check_role_arn, check_tags
from mock_eks.state import lifecycle

ACTIVATION_SECONDS = 3 * 86400


@operation("RegisterCluster")
def register_cluster(
    ctx: Context,
    *,
    name: str,
    connector_config: dict[str, Any],
    client_request_token: str | None = None,
    tags: dict[str, str] | None = None,
    **others: Any,
) -> dict[str, Any]:
    if name in ctx.store.clusters:
        raise messages.error(ctx, "cluster.exists", clusterName=name)
    role_arn = connector_config["roleArn"]
    check_role_arn(ctx, role_arn, "connectorConfig.roleArn")
    tags = check_tags(ctx, tags)
    expiry = ctx.now + ACTIVATION_SECONDS
    cluster = Cluster(
        name=name,
        arn=ctx.arn(f"cluster/{name}"),
        created_at=ctx.now,
        version=None,
        role_arn=None,
        status="PENDING",
        tags=tags,
        connector_config={
            "activationId": str(uuid.uuid4()),
            "activationExpiry": expiry,
            "provider": connector_config["provider"],
            "roleArn": role_arn,
        },
        extra=ctx.member_names(others),
        endpoint_url=None,
    )
    ctx.store.clusters.add(name, cluster)

    # the activation deadline is a date, not an operation's duration: it does not shrink with instant timing
    ctx.backend.lifecycle.schedule(expiry, lifecycle.assign(cluster, status=("PENDING", "FAILED")))
    # the activation code is in RegisterCluster's answer only, never stored for later reads (issue 13
    # item 12; aws/aws-cli awscli/examples/eks/register-cluster.rst vs deregister-cluster.rst)
    answer = dataclasses.replace(cluster)
    answer.connector_config = {
        **(cluster.connector_config or {}),
        "activationCode": secrets.token_urlsafe(24),
    }
    return {"cluster": answer}


@operation("DeregisterCluster")
def deregister_cluster(ctx: Context, *, name: str) -> dict[str, Any]:
    cluster = ctx.store.clusters.get(name)
    if cluster is None or cluster.connector_config is None:
        raise messages.error(ctx, "registration.no_registered_cluster_found", clusterName=name)
    if cluster.status == "DELETING":
        return {"cluster": cluster}
    cluster.status = "DELETING"

    ctx.remove_later("registration.delete", ctx.store.clusters, name, cluster)
    return {"cluster": cluster}
