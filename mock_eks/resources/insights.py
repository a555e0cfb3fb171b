"""Cluster insights: ListInsights, DescribeInsight, StartInsightsRefresh, DescribeInsightsRefresh.

Insights are not canned: each definition in data/insights.json is a check evaluated against the
cluster's state (its version, health, add-ons and node groups) for an upgrade to the next
Kubernetes minor version, whether EKS offers it yet or not. Names, descriptions, passing reasons,
recommendations and links are real EKS wording where public recordings show them (see the sources in
data/insights.json). As in EKS, the analysis is a snapshot: it is taken when a cluster's
insights are first read while the cluster is ACTIVE, again once the refresh interval (a day) has
passed, and when an on-demand refresh (StartInsightsRefresh) completes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks import addon_catalogue, lifecycle, messages
from mock_eks.dispatch import operation
from mock_eks.pagination import paginate
from mock_eks.resources.common import find_cluster

DATA: dict[str, Any] = json.loads(resources.files("mock_eks.data").joinpath("insights.json").read_text())
REFRESH_INTERVAL = float(DATA["refreshIntervalSeconds"])
MAX_SKEW = int(DATA["kubeletMaxSkew"])
_RANK = {"PASSING": 0, "UNKNOWN": 1, "WARNING": 2, "ERROR": 3}


@dataclass(slots=True, eq=False)
class Insight:
    id: str
    key: str
    name: str
    category: str
    kubernetes_version: str
    description: str
    recommendation: str
    insight_status: dict[str, str]
    last_refresh_time: float
    last_transition_time: float
    resources: list[dict[str, Any]] = field(default_factory=list)
    category_specific_summary: dict[str, Any] = field(default_factory=dict)
    additional_info: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Refresh:
    status: str
    started_at: float
    message: str
    ended_at: float | None = None


def _minor(version: str | None) -> tuple[int, int] | None:
    try:
        major, minor = (version or "").split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return None


def _worst(statuses: list[str]) -> str:
    return max(statuses, key=_RANK.__getitem__) if statuses else "PASSING"


def _check_addon_compatibility(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    resources_, details = [], []
    for addon in cluster.child("addons"):
        name, version = getattr(addon, "addon_name", None), getattr(addon, "addon_version", None)
        if not name or getattr(addon, "status", "") == "DELETING":
            continue
        compatible = addon_catalogue.compatible_versions(name, target)
        info = addon_catalogue.version_info(name, version) if version else None
        if info is None:
            status, reason = "UNKNOWN", f"{name} {version} is not in the add-on catalogue."
        elif addon_catalogue.compatibility(info, target) is not None:
            status, reason = "PASSING", f"{name} {version} is compatible with Kubernetes {target}."
        else:
            status, reason = "ERROR", f"{name} {version} is not compatible with Kubernetes {target}."
        resources_.append(
            {
                "insightStatus": {"status": status, "reason": reason},
                "kubernetesResourceUri": f"/addons/{name}",
                "arn": getattr(addon, "addon_arn", None),
            }
        )
        details.append({"name": name, "compatibleVersions": compatible})
    status = _worst([r["insightStatus"]["status"] for r in resources_])
    failing = [
        r["kubernetesResourceUri"].rsplit("/", 1)[1]
        for r in resources_
        if r["insightStatus"]["status"] == "ERROR"
    ]
    if status == "ERROR":
        reason = f"Add-on versions not compatible with Kubernetes {target}: {', '.join(failing)}."
    elif status == "UNKNOWN":
        reason = "The compatibility of some add-ons could not be determined."
    else:
        reason = _passing("addon_compatibility")
    return status, reason, resources_, {"addonCompatibilityDetails": details}


def _check_kubelet_skew(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    target_minor = _minor(target)
    cluster_minor = _minor(cluster.version)
    resources_ = []
    for nodegroup in cluster.child("nodegroups"):
        version = getattr(nodegroup, "version", None)
        node_minor = _minor(version)
        if node_minor is None or getattr(nodegroup, "status", "") == "DELETING":
            continue
        name = getattr(nodegroup, "nodegroup_name", "?")
        skew = target_minor[1] - node_minor[1] if target_minor and target_minor[0] == node_minor[0] else 0
        if skew > MAX_SKEW:
            status = "ERROR"
            reason = f"Node group {name} runs kubelet {version}: more than {MAX_SKEW} minor versions behind {target}."
        elif cluster_minor is not None and node_minor < cluster_minor:
            status = "WARNING"
            reason = (
                f"Node group {name} runs kubelet {version}, behind the control plane ({cluster.version})."
            )
        else:
            status, reason = "PASSING", f"Node group {name} runs kubelet {version}."
        resources_.append(
            {
                "insightStatus": {"status": status, "reason": reason},
                "kubernetesResourceUri": f"/nodegroups/{name}",
                "arn": getattr(nodegroup, "nodegroup_arn", None),
            }
        )
    status = _worst([r["insightStatus"]["status"] for r in resources_])
    if status == "PASSING":
        reason = _passing("kubelet_skew")
    else:
        reason = f"Kubelet version skew detected for {target}: see resources."
    return status, reason, resources_, {}


def _check_kube_proxy_skew(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    """The kube-proxy add-on against the control plane: behind it is a warning, more than the supported
    skew behind the next version an error."""
    addon = cluster.child("addons").get("kube-proxy")
    version = getattr(addon, "addon_version", None) if addon is not None else None
    proxy_minor = _minor((version or "").lstrip("v"))
    cluster_minor, target_minor = _minor(cluster.version), _minor(target)
    if proxy_minor is None or cluster_minor is None or proxy_minor >= cluster_minor:
        return "PASSING", _passing("kube_proxy_skew"), [], {}
    skew = target_minor[1] - proxy_minor[1] if target_minor and target_minor[0] == proxy_minor[0] else 0
    status = "ERROR" if skew > MAX_SKEW else "WARNING"
    reason = f"kube-proxy {version} is behind the cluster control plane version {cluster.version}."
    resource = {
        "insightStatus": {"status": status, "reason": reason},
        "kubernetesResourceUri": "/addons/kube-proxy",
        "arn": getattr(addon, "addon_arn", None),
    }
    return status, reason, [resource], {}


def _check_cluster_health(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    issues = (cluster.health or {}).get("issues") or []
    if issues:
        codes = ", ".join(sorted({i.get("code", "Other") for i in issues}))
        return "ERROR", f"The cluster has health issues: {codes}.", [], {}
    return "PASSING", _passing("cluster_health"), [], {}


def _check_deprecated_apis(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    details = [dict(entry, clientStats=[]) for entry in DATA["deprecations"].get(target, [])]
    return "PASSING", _passing("deprecated_apis"), [], {"deprecationDetails": details}


def _check_al2(cluster: Any, target: str) -> tuple[str, str, list, dict]:
    """Managed node groups on Amazon Linux 2 AMIs, which EKS does not publish from 1.33 on."""
    from mock_eks.ami_catalogue import family_of

    definition = next(d for d in DATA["definitions"] if d["check"] == "al2_compatibility")
    found = [
        {
            "insightStatus": {"status": "ERROR", "reason": definition["errorReason"]},
            "kubernetesResourceUri": f"/nodegroups/{group.nodegroup_name}",
            "arn": group.nodegroup_arn,
        }
        for group in cluster.child("nodegroups")
        if family_of(group.ami_type) == "AL2" and group.status != "DELETING"
    ]
    if found:
        return "ERROR", definition["errorReason"], found, {}
    return "PASSING", definition["passingReason"], [], {}


CHECKS = {
    "addon_compatibility": _check_addon_compatibility,
    "kubelet_skew": _check_kubelet_skew,
    "cluster_health": _check_cluster_health,
    "deprecated_apis": _check_deprecated_apis,
    "kube_proxy_skew": _check_kube_proxy_skew,
    "al2_compatibility": _check_al2,
}


def _passing(check: str) -> str:
    """The reason a PASSING check gives, as recorded from real EKS (data/insights.json)."""
    return next(d["passingReason"] for d in DATA["definitions"] if d["check"] == check)


def next_version(version: str | None) -> str | None:
    """The Kubernetes minor after ``version``, released on EKS yet or not: insights are about the next
    upgrade (aws/aws-cli awscli/examples/eks/list-insights.rst, 2025-05-24: 1.33 before EKS offered it)."""
    minor = _minor(version)
    return f"{minor[0]}.{minor[1] + 1}" if minor else None


def _state(cluster: Any) -> Any:
    return cluster.child("insights_refresh")


def evaluate(cluster: Any, now: float) -> None:
    """Take a new snapshot of the cluster's insights at ``now`` (transition times move only on change)."""
    # insight times are whole seconds (aws-cli examples list-insights.rst / describe-insight.rst, 2025-05)
    now = float(int(now))
    collection = cluster.child("insights")
    target = next_version(cluster.version)
    live: set[str] = set()
    if target is not None:
        for definition in DATA["definitions"]:
            if definition["check"] == "deprecated_apis" and target not in DATA["deprecations"]:
                continue
            if "fromVersion" in definition and _minor(target) < _minor(definition["fromVersion"]):
                continue
            status, reason, found, summary = CHECKS[definition["check"]](cluster, target)
            key = f"{definition['key']}@{target}"
            live.add(key)
            record = collection.get(key)
            if record is None:
                record = Insight(
                    id=str(uuid.uuid4()),
                    key=key,
                    name=definition["name"].format(version=target),
                    category=definition["category"],
                    kubernetes_version=target,
                    description=definition["description"].format(version=target),
                    recommendation=definition["recommendation"].format(version=target),
                    additional_info=dict(definition.get("additionalInfo") or {}),
                    insight_status={"status": status, "reason": reason},
                    last_refresh_time=now,
                    last_transition_time=now,
                )
                collection.add(key, record)
            elif record.insight_status["status"] != status:
                record.last_transition_time = now
            record.insight_status = {"status": status, "reason": reason}
            record.last_refresh_time = now
            record.resources = found
            # every recorded DescribeInsight has a categorySpecificSummary, deprecationDetails [] at least
            record.category_specific_summary = summary or {"deprecationDetails": []}
    for key in collection.keys():
        if key not in live:
            collection.remove(key)
    state = _state(cluster)
    state.add("analysed", Refresh(status="COMPLETED", started_at=now, ended_at=now, message="analysed"))


def _ensure(cluster: Any, now: float) -> None:
    """The scheduled analysis: the first read of an ACTIVE cluster, then once per refresh interval."""
    analysed = _state(cluster).get("analysed")
    if cluster.status not in ("ACTIVE", "UPDATING"):
        return
    if analysed is None or now - analysed.ended_at >= REFRESH_INTERVAL:
        evaluate(cluster, now)


def _cluster(ctx: Any, name: str) -> Any:
    cluster = find_cluster(ctx, name, include_registered=False)
    _ensure(cluster, ctx.now)
    return cluster


def _summary_matches(record: Insight, categories: set, versions_: set, statuses: set) -> bool:
    return (
        (not categories or record.category in categories)
        and (not versions_ or record.kubernetes_version in versions_)
        and (not statuses or record.insight_status["status"] in statuses)
    )


@operation("ListInsights")
def list_insights(
    ctx: Any,
    *,
    cluster_name: str,
    filter: dict[str, Any] | None = None,  # noqa: A002 - the model's member name
    max_results: int | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    wanted = filter or {}
    categories = set(wanted.get("categories") or ())
    versions_ = set(wanted.get("kubernetesVersions") or ())
    statuses = set(wanted.get("statuses") or ())
    scope = json.dumps([cluster_name, sorted(categories), sorted(versions_), sorted(statuses)])
    page, token = paginate(
        ctx,
        cluster.child("insights"),
        max_results,
        next_token,
        scope=scope,
        predicate=lambda r: _summary_matches(r, categories, versions_, statuses),
    )
    return {"insights": page, "nextToken": token}


@operation("DescribeInsight")
def describe_insight(ctx: Any, *, cluster_name: str, id: str) -> dict[str, Any]:  # noqa: A002
    cluster = _cluster(ctx, cluster_name)
    for record in cluster.child("insights"):
        if record.id == id:
            return {"insight": record}
    raise messages.error(ctx, "insight.no_insight_found_id", clusterName=cluster_name, id=id)


@operation("StartInsightsRefresh")
def start_insights_refresh(ctx: Any, *, cluster_name: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    if cluster.status != "ACTIVE":
        raise messages.error(
            ctx, "insight.cluster_insights_refreshed_only", clusterName=cluster_name, status=cluster.status
        )
    state = _state(cluster)
    current = state.get("latest")
    if current is not None and current.status == "IN_PROGRESS":
        return {
            "message": "An insights refresh is already in progress for this cluster.",
            "status": "IN_PROGRESS",
        }
    # whole seconds, as the Reference's DescribeInsightsRefresh samples (2025-08) show
    refresh = Refresh(
        status="IN_PROGRESS", started_at=float(int(ctx.now)), message=DATA["refreshMessages"]["inProgress"]
    )
    state.add("latest", refresh)

    ctx.schedule(
        "insights.refresh",
        lifecycle.step("insights.refresh", clusters=ctx.store.clusters, cluster=cluster, refresh=refresh),
    )
    # StartInsightsRefresh's own answer (the Reference's sample response, 2025-08)
    return {
        "message": DATA["refreshMessages"].get("initiated", "Initiated cluster insights refresh."),
        "status": "IN_PROGRESS",
    }


@lifecycle.action("insights.refresh")
def _refreshed(backend: Any, due: float, *, clusters: Any, cluster: Any, refresh: Refresh) -> None:
    if clusters.get(cluster.name) is not cluster or refresh.status != "IN_PROGRESS":
        return
    evaluate(cluster, due)
    refresh.status = "COMPLETED"
    refresh.ended_at = float(int(due))
    refresh.message = DATA["refreshMessages"]["completed"]


@operation("DescribeInsightsRefresh")
def describe_insights_refresh(ctx: Any, *, cluster_name: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    refresh = _state(cluster).get("latest")
    if refresh is None:
        raise messages.error(ctx, "insight.no_insights_refresh_has", clusterName=cluster_name)
    return {
        "message": refresh.message,
        "status": refresh.status,
        "startedAt": refresh.started_at,
        "endedAt": refresh.ended_at,
    }
