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

from mock_eks.catalogue import addons as addon_catalogue
from mock_eks.catalogue.amis import family_of
from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import messages
from mock_eks.resources.common import find_cluster
from mock_eks.state import lifecycle
from mock_eks.state.kinds import record_kind

DATA: dict[str, Any] = json.loads(resources.files("mock_eks.data").joinpath("insights.json").read_text())
REFRESH_INTERVAL = float(DATA["refreshIntervalSeconds"])
ROLLBACK_WINDOW = float(DATA["rollbackWindowSeconds"])
MAX_SKEW = int(DATA["kubeletMaxSkew"])
_RANK = {"PASSING": 0, "UNKNOWN": 1, "WARNING": 2, "ERROR": 3}


@record_kind("Insight", family="insights")
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


@record_kind("InsightsRefresh", family="insights_refresh")
@dataclass(slots=True, eq=False)
class Refresh:
    status: str
    started_at: float
    message: str
    ended_at: float | None = None


def _minor(version: str | None) -> tuple[int, int] | None:
    try:
        major, minor = (version or "").lstrip("v").split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return None


def _shift(version: str | None, by: int) -> str | None:
    minor = _minor(version)
    return f"{minor[0]}.{minor[1] + by}" if minor else None


def _worst(statuses: list[str]) -> str:
    return max(statuses, key=_RANK.__getitem__) if statuses else "PASSING"


@record_kind("InsightFinding")
@dataclass(slots=True)
class Found:
    """One affected resource: its status, its Kubernetes URI and ARN, the values its reason is worded with."""

    status: str
    uri: str
    arn: str | None
    values: dict[str, Any] = field(default_factory=dict)


@record_kind("InsightOutcome")
@dataclass(slots=True)
class Outcome:
    """A check's result; the reasons are worded from data/insights.json with ``values``."""

    status: str
    found: list[Found] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def _of(found: list[Found], **values: Any) -> Outcome:
    return Outcome(_worst([f.status for f in found]), found, values)


def _live(records: Any) -> list[Any]:
    return [r for r in records if getattr(r, "status", "") != "DELETING"]


def _check_addons(cluster: Any, version: str) -> Outcome:
    """Installed add-on versions against the add-on catalogue's compatibilities for ``version`` (the next
    version for upgrade readiness, the previous one for rollback readiness)."""
    found, details = [], []
    for addon in _live(cluster.child("addons")):
        name, installed = getattr(addon, "addon_name", None), getattr(addon, "addon_version", None)
        if not name:
            continue
        info = addon_catalogue.version_info(name, installed) if installed else None
        if info is None:
            status = "UNKNOWN"
        else:
            status = "PASSING" if addon_catalogue.compatibility(info, version) is not None else "ERROR"
        values = {"addon": name, "addonVersion": installed}
        found.append(Found(status, f"/addons/{name}", getattr(addon, "addon_arn", None), values))
        details.append(
            {"name": name, "compatibleVersions": addon_catalogue.compatible_versions(name, version, None)}
        )
    outcome = _of(found, names=", ".join(f.values["addon"] for f in found if f.status == "ERROR"))
    outcome.summary = {"addonCompatibilityDetails": details}
    return outcome


def _kubelet(group: Any, status: str) -> Found:
    """A managed node group as the kubelet checks report it (its name and kubelet version word the reason)."""
    values = {"name": group.nodegroup_name, "kubelet": group.version}
    return Found(status, f"/nodegroups/{group.nodegroup_name}", group.nodegroup_arn, values)


def _check_kubelet_skew(cluster: Any, version: str) -> Outcome:
    """Managed node groups behind the control plane (WARNING), or so far behind that the upgrade to
    ``version`` would break the kubelet skew policy (ERROR)."""
    target, current = _minor(version), _minor(cluster.version)
    found = []
    for group in _live(cluster.child("nodegroups")):
        node = _minor(getattr(group, "version", None))
        if node is None:
            continue
        skew = target[1] - node[1] if target and target[0] == node[0] else 0
        if skew > MAX_SKEW:
            status = "ERROR"
        elif current is not None and node < current:
            status = "WARNING"
        else:
            status = "PASSING"
        found.append(_kubelet(group, status))
    return _of(found)


def _check_kubelet_rollback(cluster: Any, version: str) -> Outcome:
    """Node groups already at the control plane's version would be newer than it after a rollback."""
    found = [
        _kubelet(group, "ERROR")
        for group in _live(cluster.child("nodegroups"))
        if _minor(getattr(group, "version", None)) == _minor(cluster.version)
    ]
    return _of(found)


def _check_kube_proxy_skew(cluster: Any, version: str) -> Outcome:
    """The kube-proxy add-on behind the control plane is a warning; beyond the supported skew from the
    next version an error."""
    addon = cluster.child("addons").get("kube-proxy")
    installed = getattr(addon, "addon_version", None) if addon is not None else None
    proxy, current, target = _minor(installed), _minor(cluster.version), _minor(version)
    if proxy is None or current is None or proxy >= current:
        return Outcome("PASSING")
    skew = target[1] - proxy[1] if target and target[0] == proxy[0] else 0
    status = "ERROR" if skew > MAX_SKEW else "WARNING"
    values = {"addonVersion": installed}
    return Outcome(status, [Found(status, "/addons/kube-proxy", addon.addon_arn, values)], values)


def _check_cluster_health(cluster: Any, version: str) -> Outcome:
    issues = (cluster.health or {}).get("issues") or []
    if issues:
        return Outcome("ERROR", values={"codes": ", ".join(sorted({i.get("code", "Other") for i in issues}))})
    return Outcome("PASSING")


def _check_deprecated_apis(cluster: Any, version: str) -> Outcome:
    """The APIs ``version`` removes, with no recorded usage: the mock sees no API traffic."""
    details = [
        {
            "usage": usage,
            "replacedWith": replaced,
            "stopServingVersion": version,
            "startServingReplacementVersion": since,
            "clientStats": [],
        }
        for usage, replaced, since in DATA["deprecations"].get(version, [])
    ]
    return Outcome("PASSING", summary={"deprecationDetails": details})


def _check_incompatible_apis(cluster: Any, version: str) -> Outcome:
    return Outcome("PASSING")


def _check_al2(cluster: Any, version: str) -> Outcome:
    """Managed node groups on Amazon Linux 2 AMIs, which EKS does not publish from 1.33 on."""
    return _of(
        [
            Found("ERROR", f"/nodegroups/{group.nodegroup_name}", group.nodegroup_arn)
            for group in _live(cluster.child("nodegroups"))
            if family_of(group.ami_type) == "AL2"
        ]
    )


CHECKS = {
    "addon_compatibility": _check_addons,
    "kubelet_skew": _check_kubelet_skew,
    "cluster_health": _check_cluster_health,
    "deprecated_apis": _check_deprecated_apis,
    "kube_proxy_skew": _check_kube_proxy_skew,
    "al2_compatibility": _check_al2,
    "incompatible_apis": _check_incompatible_apis,
    "kubelet_rollback": _check_kubelet_rollback,
    "addon_rollback": _check_addons,
}


def next_version(version: str | None) -> str | None:
    """The Kubernetes minor after ``version``, released on EKS yet or not: insights are about the next
    upgrade (aws/aws-cli awscli/examples/eks/list-insights.rst, 2025-05-24: 1.33 before EKS offered it)."""
    return _shift(version, 1)


def _rolled_from(cluster: Any, now: float) -> str | None:
    """The version the cluster left in a version update that completed within the rollback window: rollback
    readiness insights are shown for seven days after an upgrade (EKS User Guide, view-cluster-insights)."""
    for update in reversed(list(cluster.child("updates"))):
        if getattr(update, "scope", None) is not None or update.type != "VersionUpdate":
            continue
        if update.status != "Successful" or now - update.created_at >= ROLLBACK_WINDOW:
            return None
        target = next((p["value"] for p in update.params if p["type"] == "Version"), None)
        return _shift(target, -1) if target == cluster.version else None
    return None


def _versions_for(definition: dict[str, Any], cluster: Any, now: float) -> list[str]:
    """The Kubernetes versions ``definition`` yields an insight for (see ``target`` in data/insights.json)."""
    target = definition["target"]
    if target == "next":
        found = [next_version(cluster.version)]
    elif target == "previous":
        found = [_rolled_from(cluster, now)]
    else:  # one insight per version within the horizon that removes APIs
        horizon = int(DATA["deprecationHorizon"])
        found = [_shift(cluster.version, step) for step in range(1, horizon + 1)]
        found = [v for v in found if v in DATA["deprecations"]]
    floor = _minor(definition.get("fromVersion"))
    return [v for v in found if v is not None and (floor is None or (_minor(v) or (0, 0)) >= floor)]


def _word(template: str, values: dict[str, Any]) -> str:
    return template.format(**values)


def _state(cluster: Any) -> Any:
    return cluster.child("insights_refresh")


def evaluate(cluster: Any, now: float) -> None:
    """Take a new snapshot of the cluster's insights at ``now`` (transition times move only on change)."""
    # insight times are whole seconds (aws-cli examples list-insights.rst / describe-insight.rst, 2025-05)
    now = float(int(now))
    collection = cluster.child("insights")
    live: set[str] = set()
    for definition in DATA["definitions"]:
        for version in _versions_for(definition, cluster, now):
            outcome = CHECKS[definition["check"]](cluster, version)
            base = {
                "version": version,
                "minor": (_minor(version) or (0, 0))[1],
                "current": cluster.version,
                "max": MAX_SKEW,
            }
            reason = _word(definition["reasons"][outcome.status], {**base, **outcome.values})
            found = [
                {
                    "insightStatus": {
                        "status": item.status,
                        "reason": _word(definition["resourceReasons"][item.status], {**base, **item.values}),
                    },
                    "kubernetesResourceUri": item.uri,
                    "arn": item.arn,
                }
                for item in outcome.found
            ]
            key = f"{definition['key']}@{version}"
            live.add(key)
            record = collection.get(key)
            if record is None:
                record = Insight(
                    id=str(uuid.uuid4()),
                    key=key,
                    name=_word(definition["name"], base),
                    category=definition["category"],
                    kubernetes_version=version,
                    description=_word(definition["description"], base),
                    recommendation=_word(definition["recommendation"], base),
                    additional_info={
                        _word(k, base): _word(v, base) for k, v in definition["additionalInfo"].items()
                    },
                    insight_status={"status": outcome.status, "reason": reason},
                    last_refresh_time=now,
                    last_transition_time=now,
                )
                collection.add(key, record)
            elif record.insight_status["status"] != outcome.status:
                record.last_transition_time = now
            record.insight_status = {"status": outcome.status, "reason": reason}
            record.last_refresh_time = now
            record.resources = found
            # every recorded DescribeInsight has deprecationDetails, [] where it does not apply (aws/aws-cli
            # describe-insight.rst, 2025-05; the User Guide's example also shows addonCompatibilityDetails [],
            # which the recorded output does not)
            record.category_specific_summary = {"deprecationDetails": [], **outcome.summary}
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


def _cluster(ctx: Context, name: str) -> Any:
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
    ctx: Context,
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
def describe_insight(ctx: Context, *, cluster_name: str, id: str) -> dict[str, Any]:  # noqa: A002
    cluster = _cluster(ctx, cluster_name)
    for record in cluster.child("insights"):
        if record.id == id:
            return {"insight": record}
    raise messages.error(ctx, "insight.not_found", clusterName=cluster_name, id=id)


@operation("StartInsightsRefresh")
def start_insights_refresh(ctx: Context, *, cluster_name: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    if cluster.status != "ACTIVE":
        raise messages.error(
            ctx, "insight.refresh_needs_active", clusterName=cluster_name, status=cluster.status
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
        "message": DATA["refreshMessages"]["initiated"],
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
def describe_insights_refresh(ctx: Context, *, cluster_name: str) -> dict[str, Any]:
    cluster = _cluster(ctx, cluster_name)
    refresh = _state(cluster).get("latest")
    if refresh is None:
        raise messages.error(ctx, "insight.no_refresh", clusterName=cluster_name)
    return {
        "message": refresh.message,
        "status": refresh.status,
        "startedAt": refresh.started_at,
        "endedAt": refresh.ended_at,
    }
