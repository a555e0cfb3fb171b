"""Envelope encryption of Kubernetes secrets with a KMS key: the one key resolver, and AssociateEncryptionConfig.

``encryptionConfig`` (on CreateCluster and AssociateEncryptionConfig) names a KMS key by key ARN, alias name
(``alias/eks``) or alias ARN; EKS stores and returns the key ARN the alias points to (issue 13, item 10).
Only a cluster without an encryption config can get one; the AssociateEncryptionConfig update carries it,
and the cluster shows it (``encryptionConfig``) once the update is Successful.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.model import messages
from mock_eks.moto_link import kms as moto_kms
from mock_eks.resources.common import find_cluster, require_updatable
from mock_eks.resources.updates import param, start_update
from mock_eks.state import lifecycle

KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
ALIAS_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<alias>alias/[\w/-]+)$"
)
ALIAS_NAME = re.compile(r"^alias/[\w/-]+$")


def resolve_kms_key(ctx: Context, key_or_alias: str) -> str | None:
    """The key ARN ``key_or_alias`` names, or None when it names no key.

    Linked to moto, moto's KMS answers first (``moto_link.kms.resolve_key``); otherwise the rule is deterministic: a key ARN is itself; an alias
    (``alias/eks`` in the caller's account and Region, or an alias ARN) stands for a stable key ARN derived
    from its partition, Region, account and name, so the same alias always gives the same key. Anything
    else (a bare key id, for one) names no key: real EKS answers "The keyArn for encryptionConfig is
    invalid." to a key id (a Terraform user's `terraform apply` output, see data/messages.json).
    """
    known = moto_kms.resolve_key(ctx, key_or_alias)
    if known is not NotImplemented:
        return known
    if KEY_ARN.match(key_or_alias):
        return key_or_alias
    match = ALIAS_ARN.match(key_or_alias)
    if match:
        partition, region, account, alias = match.group("partition", "region", "account", "alias")
    elif ALIAS_NAME.match(key_or_alias):
        partition, region, account, alias = ctx.partition, ctx.region, ctx.account, key_or_alias
    else:
        return None
    key_id = uuid.uuid5(uuid.NAMESPACE_URL, f"kms:{partition}:{region}:{account}:{alias}")
    return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"


def check_encryption_config(
    ctx: Context, config: list[dict[str, Any]], **fields: Any
) -> list[dict[str, Any]]:
    """``encryptionConfig`` as EKS stores it: one entry for ``secrets``, its key resolved to a key ARN."""
    if len(config) != 1:
        raise messages.error(ctx, "encryption.encryptionconfig_contain_exactly_one", **fields)
    entry = config[0]
    key = (entry.get("provider") or {}).get("keyArn")
    if not key:
        raise messages.error(ctx, "encryption.key_required", **fields)
    key_arn = resolve_kms_key(ctx, key)
    if key_arn is None:
        # a well-formed key ARN that names no key is worded apart from an unknown alias or a bare id
        if KEY_ARN.match(key):
            raise messages.error(ctx, "encryption.key_not_found", keyArn=key, **fields)
        raise messages.error(ctx, "encryption.key_invalid", **fields)
    if list(entry.get("resources") or []) != ["secrets"]:
        raise messages.error(ctx, "encryption.encryptionconfig_resources_secrets_only", **fields)
    return [{"resources": ["secrets"], "provider": {"keyArn": key_arn}}]


@operation("AssociateEncryptionConfig")
def associate_encryption_config(
    ctx: Context,
    *,
    cluster_name: str,
    encryption_config: list[dict[str, Any]],
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    require_updatable(ctx, cluster)
    if cluster.encryption_config:
        raise messages.error(ctx, "encryption.already_enabled", clusterName=cluster_name)
    config = check_encryption_config(ctx, encryption_config, clusterName=cluster_name)

    # one update at a time, and nothing else sets an encryption config: it is still unset when this completes
    apply = lifecycle.assign(
        cluster, [(("encryption_config",), copy.deepcopy(config))], status=("UPDATING", "ACTIVE")
    )
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
