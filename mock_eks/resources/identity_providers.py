"""OIDC identity provider configs: Associate/Describe/List/DisassociateIdentityProviderConfig.

Associating and disassociating are cluster updates (AssociateIdentityProviderConfig,
DisassociateIdentityProviderConfig): the config is CREATING, then ACTIVE; DELETING, then gone; the
cluster is UPDATING meanwhile. A cluster has at most one OIDC identity provider config (EKS's quota).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mock_eks import arns, lifecycle
from mock_eks.dispatch import operation
from mock_eks.pagination import paginate
from mock_eks.resources.common import check_tags, find_cluster
from mock_eks.resources.updates import param, start_update

MAX_REQUIRED_CLAIMS = 10


@dataclass(slots=True, eq=False)
class OidcConfig:
    identity_provider_config_name: str
    identity_provider_config_arn: str
    cluster_name: str
    issuer_url: str
    client_id: str
    status: str
    username_claim: str | None = None
    username_prefix: str | None = None
    groups_claim: str | None = None
    groups_prefix: str | None = None
    required_claims: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@arns.taggable("identityproviderconfig")
def _tagged_config(store: Any, parts: list[str]) -> OidcConfig | None:
    # identityproviderconfig/<cluster>/oidc/<name>/<uuid>
    cluster = store.clusters.get(parts[1]) if len(parts) == 5 and parts[2] == "oidc" else None
    config = cluster.child("identity_provider_configs").get(parts[3]) if cluster is not None else None
    return (
        config
        if config is not None and config.identity_provider_config_arn.endswith("/" + parts[4])
        else None
    )


def _require_updatable(ctx: Any, cluster: Any) -> None:
    if cluster.connector_config is not None:
        raise ctx.invalid_request(
            f"Cluster {cluster.name} is a registered cluster.", clusterName=cluster.name
        )
    if cluster.status not in ("ACTIVE", "UPDATING"):  # UPDATING: start_update reports the update in progress
        raise ctx.invalid_request(
            f"Cluster {cluster.name} is in {cluster.status} status; it must be ACTIVE.",
            clusterName=cluster.name,
        )


def _check_oidc(ctx: Any, oidc: dict[str, Any], cluster_name: str) -> None:
    url = oidc["issuerUrl"]
    try:
        parts = urlsplit(url)
        port = parts.port  # reading it checks the port and an IPv6 literal such as https://[abc
    except ValueError:
        raise ctx.invalid_parameter(
            f"issuerUrl '{url}' is not a valid URL.", clusterName=cluster_name
        ) from None
    if parts.scheme != "https" or not parts.hostname or port == 0:
        raise ctx.invalid_parameter(f"issuerUrl '{url}' must be an https:// URL.", clusterName=cluster_name)
    if parts.query or parts.fragment:
        raise ctx.invalid_parameter(
            f"issuerUrl '{url}' can't have query parameters or a fragment.", clusterName=cluster_name
        )
    if not oidc["clientId"].strip():
        raise ctx.invalid_parameter("clientId must not be empty.", clusterName=cluster_name)
    if not oidc["identityProviderConfigName"].strip():
        raise ctx.invalid_parameter("identityProviderConfigName must not be empty.", clusterName=cluster_name)
    for member in ("usernamePrefix", "groupsPrefix"):
        value = oidc.get(member)
        if value is not None and "system:" in value:
            raise ctx.invalid_parameter(f"{member} can't contain system:", clusterName=cluster_name)
    claims = oidc.get("requiredClaims") or {}
    if len(claims) > MAX_REQUIRED_CLAIMS:
        raise ctx.invalid_parameter(
            f"requiredClaims can have at most {MAX_REQUIRED_CLAIMS} claims; found {len(claims)}.",
            clusterName=cluster_name,
        )


def _reference(ctx: Any, identity_provider_config: dict[str, str], cluster: Any) -> OidcConfig:
    if identity_provider_config["type"] != "oidc":
        raise ctx.invalid_parameter(
            f"Identity provider config type '{identity_provider_config['type']}' is not valid; the only type "
            "is oidc.",
            clusterName=cluster.name,
        )
    name = identity_provider_config["name"]
    config = cluster.child("identity_provider_configs").get(name)
    if config is None:
        raise ctx.error(
            "ResourceNotFoundException",
            f"No identity provider config found for name: {name}.",
            clusterName=cluster.name,
        )
    return config


def _set_updating(cluster: Any) -> None:
    if cluster.status == "ACTIVE":
        cluster.status = "UPDATING"


@operation("AssociateIdentityProviderConfig")
def associate_identity_provider_config(
    ctx: Any,
    *,
    cluster_name: str,
    oidc: dict[str, Any],
    tags: dict[str, str] | None = None,
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    _require_updatable(ctx, cluster)
    _check_oidc(ctx, oidc, cluster_name)
    tags = check_tags(ctx, tags)
    name = oidc["identityProviderConfigName"]
    configs = cluster.child("identity_provider_configs")
    if name in configs:
        raise ctx.error(
            "ResourceInUseException",
            f"Identity provider config {name} is already associated with cluster {cluster_name}.",
            clusterName=cluster_name,
        )
    if len(configs):
        raise ctx.invalid_request(
            f"Cluster {cluster_name} already has an OIDC identity provider config ({configs.keys()[0]}); a "
            "cluster can have only one.",
            clusterName=cluster_name,
        )
    config = OidcConfig(
        identity_provider_config_name=name,
        identity_provider_config_arn=ctx.arn(
            f"identityproviderconfig/{cluster_name}/oidc/{name}/{uuid.uuid4()}"
        ),
        cluster_name=cluster_name,
        issuer_url=oidc["issuerUrl"],
        client_id=oidc["clientId"],
        status="CREATING",
        username_claim=oidc.get("usernameClaim"),
        username_prefix=oidc.get("usernamePrefix"),
        groups_claim=oidc.get("groupsClaim"),
        groups_prefix=oidc.get("groupsPrefix"),
        required_claims=dict(oidc.get("requiredClaims") or {}),
        tags=tags,
    )

    activate = lifecycle.sequence(
        lifecycle.assign(config, status=("CREATING", "ACTIVE")),
        lifecycle.assign(cluster, status=("UPDATING", "ACTIVE")),
    )
    update = start_update(
        ctx,
        cluster,
        update_type="AssociateIdentityProviderConfig",
        params=[param("IdentityProviderConfig", [{"type": "oidc", "name": name}])],
        kind="identity_provider.associate",
        apply=activate,
        revert=_forget(configs, config, cluster),
    )
    configs.add(name, config)
    _set_updating(cluster)
    return {"update": update, "tags": tags or None}


def _forget(configs: Any, config: Any, cluster: Any) -> lifecycle.Step:
    """The config is gone (disassociated, or its association failed); the cluster is ACTIVE again."""
    return lifecycle.sequence(
        lifecycle.step("remove", collection=configs, key=config.identity_provider_config_name, record=config),
        lifecycle.assign(cluster, status=("UPDATING", "ACTIVE")),
    )


@operation("DescribeIdentityProviderConfig")
def describe_identity_provider_config(
    ctx: Any, *, cluster_name: str, identity_provider_config: dict[str, str]
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"identityProviderConfig": {"oidc": _reference(ctx, identity_provider_config, cluster)}}


@operation("ListIdentityProviderConfigs")
def list_identity_provider_configs(
    ctx: Any, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    page, token = paginate(
        ctx, cluster.child("identity_provider_configs"), max_results, next_token, scope=cluster_name
    )
    return {
        "identityProviderConfigs": [{"type": "oidc", "name": c.identity_provider_config_name} for c in page],
        "nextToken": token,
    }


@operation("DisassociateIdentityProviderConfig")
def disassociate_identity_provider_config(
    ctx: Any,
    *,
    cluster_name: str,
    identity_provider_config: dict[str, str],
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    config = _reference(ctx, identity_provider_config, cluster)
    _require_updatable(ctx, cluster)
    # a config still CREATING or already DELETING has its update in progress: start_update refuses
    configs = cluster.child("identity_provider_configs")

    remove = _forget(configs, config, cluster)
    # a failed disassociation leaves the config associated
    keep = lifecycle.sequence(
        lifecycle.assign(config, status=("DELETING", "ACTIVE")),
        lifecycle.assign(cluster, status=("UPDATING", "ACTIVE")),
    )

    update = start_update(
        ctx,
        cluster,
        update_type="DisassociateIdentityProviderConfig",
        # the param is the cluster's identity provider configs after the change: "[]" (aws/aws-cli
        # awscli/examples/eks/disassociate-identity-provider-config.rst)
        params=[param("IdentityProviderConfig", [])],
        kind="identity_provider.disassociate",
        apply=remove,
        revert=keep,
    )
    config.status = "DELETING"
    _set_updating(cluster)
    return {"update": update}
