"""AssociateEncryptionConfig: envelope encryption of Kubernetes secrets with a KMS key, added to a cluster.

Only a cluster without an encryption config can get one; the AssociateEncryptionConfig update carries it,
and the cluster shows it (``encryptionConfig``) once the update is Successful.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from mock_eks.dispatch import operation
from mock_eks.resources.common import find_cluster
from mock_eks.resources.updates import param, start_update

KMS_KEY = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[\w/-]+)$")


@operation("AssociateEncryptionConfig")
def associate_encryption_config(
    ctx: Any,
    *,
    cluster_name: str,
    encryption_config: list[dict[str, Any]],
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    if cluster.connector_config is not None:
        raise ctx.invalid_request(
            f"Cluster {cluster_name} is a registered cluster.", clusterName=cluster_name
        )
    if cluster.status not in ("ACTIVE", "UPDATING"):  # UPDATING: start_update reports the update in progress
        raise ctx.invalid_request(
            f"Cluster {cluster_name} is in {cluster.status} status; it must be ACTIVE.",
            clusterName=cluster_name,
        )
    if cluster.encryption_config:
        raise ctx.invalid_request(
            f"Cluster {cluster_name} already has an encryption config; it can't be changed or replaced.",
            clusterName=cluster_name,
        )
    if len(encryption_config) != 1:
        raise ctx.invalid_parameter(
            "encryptionConfig must contain exactly one configuration.", clusterName=cluster_name
        )
    entry = encryption_config[0]
    key_arn = (entry.get("provider") or {}).get("keyArn")
    if not key_arn:
        raise ctx.invalid_parameter("encryptionConfig.provider.keyArn is required.", clusterName=cluster_name)
    if not KMS_KEY.match(key_arn):
        raise ctx.invalid_parameter(
            f"encryptionConfig.provider.keyArn '{key_arn}' is not the ARN of a KMS key or alias.",
            clusterName=cluster_name,
        )
    if list(entry.get("resources") or []) != ["secrets"]:
        raise ctx.invalid_parameter(
            "encryptionConfig.resources must be ['secrets']: only Kubernetes secrets can be encrypted.",
            clusterName=cluster_name,
        )
    config = [{"resources": ["secrets"], "provider": {"keyArn": key_arn}}]

    def apply(_: float) -> None:
        if not cluster.encryption_config:
            cluster.encryption_config = copy.deepcopy(config)
        if cluster.status == "UPDATING":
            cluster.status = "ACTIVE"

    update = start_update(
        ctx,
        cluster,
        update_type="AssociateEncryptionConfig",
        params=[param("EncryptionConfig", config)],
        kind="encryption.associate",
        apply=apply,
    )
    if cluster.status == "ACTIVE":
        cluster.status = "UPDATING"
    return {"update": update}
