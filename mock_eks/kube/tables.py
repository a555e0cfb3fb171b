"""``Table`` answers (``Accept: application/json;as=Table;v=v1;g=meta.k8s.io``), the columns ``kubectl get``
prints, as kube-apiserver's table convertors define them (k8s.io/kubernetes pkg/printers/internalversion)."""

from __future__ import annotations

import datetime
from typing import Any

from mock_eks.kube import store

_NAME = {
    "name": "Name",
    "type": "string",
    "format": "name",
    "description": "Name must be unique within a namespace.",
    "priority": 0,
}
_AGE = {
    "name": "Age",
    "type": "string",
    "format": "",
    "description": "CreationTimestamp is a timestamp representing the server time when this object was created.",
    "priority": 0,
}


def _column(name: str, kind: str = "string", priority: int = 0) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": "", "description": name, "priority": priority}


def age(timestamp: str | None, now: float) -> str:
    """Kubernetes' short human duration (k8s.io/apimachinery pkg/util/duration ``HumanDuration``)."""
    if not timestamp:
        return "<unknown>"
    then = (
        datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC).timestamp()
    )
    seconds = int(max(0.0, now - then))
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if days < 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    return f"{days // 365}y{days % 365}d" if days < 365 * 8 else f"{days // 365}y"


def _node_row(obj: dict[str, Any]) -> list[Any]:
    conditions = {c["type"]: c["status"] for c in obj.get("status", {}).get("conditions") or []}
    ready = {"True": "Ready", "False": "NotReady"}.get(conditions.get("Ready", ""), "Unknown")
    if obj.get("spec", {}).get("unschedulable"):
        ready += ",SchedulingDisabled"
    roles = sorted(
        k.split("/", 1)[1]
        for k in obj["metadata"].get("labels") or {}
        if k.startswith("node-role.kubernetes.io/")
    )
    return [
        ready,
        ",".join(roles) or "<none>",
        obj.get("status", {}).get("nodeInfo", {}).get("kubeletVersion", ""),
    ]


def _pod_row(obj: dict[str, Any]) -> list[Any]:
    statuses = obj.get("status", {}).get("containerStatuses") or []
    containers = obj.get("spec", {}).get("containers") or []
    ready = sum(1 for s in statuses if s.get("ready"))
    phase = obj.get("status", {}).get("phase", "Pending")
    restarts = sum(s.get("restartCount", 0) for s in statuses)
    return [f"{ready}/{len(containers)}", phase, restarts]


def _deployment_row(obj: dict[str, Any]) -> list[Any]:
    status = obj.get("status") or {}
    return [
        f"{status.get('readyReplicas', 0)}/{obj.get('spec', {}).get('replicas', 0)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
    ]


def _replicaset_row(obj: dict[str, Any]) -> list[Any]:
    status = obj.get("status") or {}
    return [obj.get("spec", {}).get("replicas", 0), status.get("replicas", 0), status.get("readyReplicas", 0)]


def _daemonset_row(obj: dict[str, Any]) -> list[Any]:
    status = obj.get("status") or {}
    selector = obj.get("spec", {}).get("template", {}).get("spec", {}).get("nodeSelector") or {}
    return [
        status.get("desiredNumberScheduled", 0),
        status.get("currentNumberScheduled", 0),
        status.get("numberReady", 0),
        status.get("updatedNumberScheduled", 0),
        status.get("numberAvailable", 0),
        ",".join(f"{k}={v}" for k, v in selector.items()) or "<none>",
    ]


def _service_row(obj: dict[str, Any]) -> list[Any]:
    spec = obj.get("spec") or {}
    ports = (
        ",".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in spec.get("ports") or []) or "<none>"
    )
    return [spec.get("type", "ClusterIP"), spec.get("clusterIP", "<none>"), "<none>", ports]


def _namespace_row(obj: dict[str, Any]) -> list[Any]:
    return [obj.get("status", {}).get("phase", "Active")]


def _configmap_row(obj: dict[str, Any]) -> list[Any]:
    return [len(obj.get("data") or {}) + len(obj.get("binaryData") or {})]


def _secret_row(obj: dict[str, Any]) -> list[Any]:
    return [obj.get("type", "Opaque"), len(obj.get("data") or {})]


def _serviceaccount_row(obj: dict[str, Any]) -> list[Any]:
    return [len(obj.get("secrets") or [])]


# kind -> (columns between Name and Age, row function, columns after Age)
LAYOUTS: dict[str, tuple[list[dict[str, Any]], Any, list[dict[str, Any]]]] = {
    "Node": ([_column("Status"), _column("Roles")], lambda o: _node_row(o)[:2], [_column("Version")]),
    "Pod": ([_column("Ready"), _column("Status"), _column("Restarts", "string")], _pod_row, []),
    "Deployment": (
        [_column("Ready"), _column("Up-to-date", "integer"), _column("Available", "integer")],
        _deployment_row,
        [],
    ),
    "ReplicaSet": (
        [_column("Desired", "integer"), _column("Current", "integer"), _column("Ready", "integer")],
        _replicaset_row,
        [],
    ),
    "DaemonSet": (
        [
            _column("Desired", "integer"),
            _column("Current", "integer"),
            _column("Ready", "integer"),
            _column("Up-to-date", "integer"),
            _column("Available", "integer"),
            _column("Node Selector"),
        ],
        _daemonset_row,
        [],
    ),
    "Service": (
        [_column("Type"), _column("Cluster-IP"), _column("External-IP"), _column("Port(s)")],
        _service_row,
        [],
    ),
    "Namespace": ([_column("Status")], _namespace_row, []),
    "ConfigMap": ([_column("Data", "integer")], _configmap_row, []),
    "Secret": ([_column("Type"), _column("Data", "integer")], _secret_row, []),
    "ServiceAccount": ([_column("Secrets", "integer")], _serviceaccount_row, []),
}


def table(
    resource: Any, objects: list[dict[str, Any]], rv: str, continue_token: str | None
) -> dict[str, Any]:
    import time

    now = time.time()
    before, row, after = LAYOUTS.get(resource.kind, ([], lambda o: [], []))
    columns = [_NAME, *before, _AGE, *after]
    rows = []
    for obj in objects:
        meta = obj["metadata"]
        cells = [meta["name"], *row(obj), age(meta.get("creationTimestamp"), now)]
        if resource.kind == "Node":
            cells += _node_row(obj)[2:]
        rows.append(
            {
                "cells": cells,
                "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta},
            }
        )
    metadata: dict[str, Any] = {"resourceVersion": rv}
    if continue_token:
        metadata["continue"] = continue_token
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": columns,
        "rows": rows,
    }


__all__ = ["age", "store", "table"]
