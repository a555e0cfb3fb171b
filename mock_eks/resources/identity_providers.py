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

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, messages
from mock_eks.resources.common import check_tags, find_cluster, require_updatable
from mock_eks.resources.updates import param, start_update
from mock_eks.state import lifecycle
from mock_eks.state.kinds import record_kind

MAX_REQUIRED_CLAIMS = 10


@record_kind("OidcConfig", family="identity_provider_configs")
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


def _check_oidc(ctx: Context, oidc: dict[str, Any], cluster_name: str) -> None:
    url = oidc["issuerUrl"]
    try:
        parts = urlsplit(url)
        port = parts.port  # reading it checks the port and an IPv6 literal such as https://[abc
    except ValueError:
        raise messages.error(
            ctx, "identity_provider.issuerurl_valid_url", clusterName=cluster_name, url=url
        ) from None
    if parts.scheme != "https" or not parts.hostname or port == 0:
        raise messages.error(ctx, "identity_provider.issuerurl_https_url", clusterName=cluster_name, url=url)
    if parts.query or parts.fragment:
        raise messages.error(
            ctx, "identity_provider.issuerurl_have_query_parameters", clusterName=cluster_name, url=url
        )
    if not oidc["clientId"].strip():
        raise messages.error(ctx, "identity_provider.clientid_empty", clusterName=cluster_name)
    if not oidc["identityProviderConfigName"].strip():
        raise messages.error(
            ctx, "identity_provider.identityproviderconfigname_empty", clusterName=cluster_name
        )
    for member in ("usernamePrefix", "groupsPrefix"):
        value = oidc.get(member)
        if value is not None and "system:" in value:
            raise messages.error(
                ctx, "identity_provider.contain_system", clusterName=cluster_name, member=member
            )
    claims = oidc.get("requiredClaims") or {}
    if len(claims) > MAX_REQUIRED_CLAIMS:
        raise messages.error(
            ctx,
            "identity_provider.requiredclaims_have_at_most",
            clusterName=cluster_name,
            MAX_REQUIRED_CLAIMS=MAX_REQUIRED_CLAIMS,
            count=len(claims),
        )


def _reference(ctx: Context, identity_provider_config: dict[str, str], cluster: Any) -> OidcConfig:
    if identity_provider_config["type"] != "oidc":
        raise messages.error(
            ctx,
            "identity_provider.identity_provider_config_type",
            clusterName=cluster.name,
            config_type=identity_provider_config["type"],
        )
    name = identity_provider_config["name"]
    config = cluster.child("identity_provider_configs").get(name)
    if config is None:
        raise messages.error(
            ctx, "identity_provider.no_identity_provider_config", clusterName=cluster.name, name=name
        )
    return config


def _set_updating(cluster: Any) -> None:
    if cluster.status == "ACTIVE":
        cluster.status = "UPDATING"


@operation("AssociateIdentityProviderConfig")
def associate_identity_provider_config(
    ctx: Context,
    *,
    cluster_name: str,
    oidc: dict[str, Any],
    tags: dict[str, str] | None = None,
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    require_updatable(ctx, cluster)
    _check_oidc(ctx, oidc, cluster_name)
    tags = check_tags(ctx, tags)
    name = oidc["identityProviderConfigName"]
    configs = cluster.child("identity_provider_configs")
    if name in configs:
        raise messages.error(
            ctx, "identity_provider.identity_provider_config_already", clusterName=cluster_name, name=name
        )
    if len(configs):
        raise messages.error(
            ctx,
            "identity_provider.cluster_already_has_oidc",
            clusterName=cluster_name,
            existing=configs.keys()[0],
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
    ctx: Context, *, cluster_name: str, identity_provider_config: dict[str, str]
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    return {"identityProviderConfig": {"oidc": _reference(ctx, identity_provider_config, cluster)}}


@operation("ListIdentityProviderConfigs")
def list_identity_provider_configs(
    ctx: Context, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
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
    ctx: Context,
    *,
    cluster_name: str,
    identity_provider_config: dict[str, str],
    client_request_token: str | None = None,
) -> dict[str, Any]:
    cluster = find_cluster(ctx, cluster_name)
    config = _reference(ctx, identity_provider_config, cluster)
    require_updatable(ctx, cluster)
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
