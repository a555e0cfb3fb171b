"""DescribeClusterVersions: the Kubernetes version catalogue (mock_eks.versions) as of the request's clock."""

from __future__ import annotations

from typing import Any

from mock_eks.catalogue import versions
from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import messages

CLUSTER_TYPE = "eks"
# versionStatus -> the deprecated `status` filter's spelling of the same state (the model's
# ClusterVersionStatus enum). On output real EKS fills `status` with versionStatus's spelling
# (cloud-custodian tests/data/placebo/test_eks_upgrade_available/eks.DescribeClusterVersions_1.json,
# 2026-01; aws-cli describe-cluster-versions transcripts): real EKS wins over the model's enum list.
LEGACY_STATUS = {
    "STANDARD_SUPPORT": "standard-support",
    "EXTENDED_SUPPORT": "extended-support",
    "UNSUPPORTED": "unsupported",
}


def _information(entry: versions.KubernetesVersion, now: float, default: str) -> dict[str, Any]:
    state = entry.status(now)
    return {
        "clusterVersion": entry.version,
        "clusterType": CLUSTER_TYPE,
        "defaultPlatformVersion": entry.default_platform_version,
        "defaultVersion": entry.version == default,
        "releaseDate": entry.release,
        "endOfStandardSupportDate": entry.end_of_standard,
        "endOfExtendedSupportDate": entry.end_of_extended,
        "status": state,
        "versionStatus": state,
        "kubernetesPatchVersion": entry.patch,
    }


@operation("DescribeClusterVersions")
def describe_cluster_versions(
    ctx: Context,
    *,
    cluster_type: str | None = None,
    max_results: int | None = None,
    next_token: str | None = None,
    default_only: bool | None = None,
    include_all: bool | None = None,
    cluster_versions: list[str] | None = None,
    status: str | None = None,
    version_status: str | None = None,
) -> dict[str, Any]:
    wanted_state = version_status
    if status is not None:
        legacy_state = {v: k for k, v in LEGACY_STATUS.items()}[status]
        if wanted_state is not None and wanted_state != legacy_state:
            raise messages.error(
                ctx,
                "cluster_version.status_versionstatus_ask_different",
                status=status,
                version_status=version_status,
            )
        wanted_state = legacy_state
    now = ctx.now
    default = versions.default_version(now)
    named = set(cluster_versions or ())
    # unsupported versions are listed only when asked for: includeAll, by status, or by name
    show_unsupported = bool(include_all) or wanted_state == "UNSUPPORTED" or bool(named)

    def selected(entry: versions.KubernetesVersion) -> bool:
        if not entry.released(now):
            return False
        state = entry.status(now)
        if state == "UNSUPPORTED" and not show_unsupported:
            return False
        if wanted_state is not None and state != wanted_state:
            return False
        if named and entry.version not in named:
            return False
        if cluster_type is not None and cluster_type != CLUSTER_TYPE:
            return False
        return not default_only or entry.version == default

    # newest first, as EKS lists them
    entries = [e for e in reversed(versions.CATALOGUE.values()) if selected(e)]
    scope = "|".join(
        str(x) for x in (cluster_type, bool(default_only), bool(include_all), sorted(named), wanted_state)
    )
    page, token = paginate(ctx, entries, max_results, next_token, scope=scope)
    return {"clusterVersions": [_information(e, now, default) for e in page], "nextToken": token}
