"""Kubernetes objects of one cluster: stored in the cluster's record, so snapshots, reset and deletion cover them.

Each cluster holds one ``KubeState`` (its ``children["kube"]["state"]``): objects by resource and key
(``namespace/name``, or ``name`` for cluster-scoped kinds), the cluster's resourceVersion counter, and a
bounded log of changes for watches. Every change takes the next resourceVersion, as etcd's revision does.

A SQLite state keeps each object and each logged change a row of its own (``rows`` of the record kind):
``put`` and ``remove`` name the object and the log entries they change (``REACHED.changed``), so a write
costs the objects it changed, not the cluster's. The log is kept with the objects (not rebuilt from
them) so a watch resumed from a resourceVersion in another process, or after a restart, gets the same
events it would have got here, and one older than the log gets 410 Gone, as from etcd after compaction.
"""

from __future__ import annotations

import copy
import datetime
import json
import threading
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from mock_eks.state.kinds import record_kind
from mock_eks.state.reach import REACHED

# how many changes a watch can resume from; older resourceVersions get 410 Gone, as after etcd compaction
EVENT_LOG = 20_000
CHANGED = threading.Condition()  # notified after every change, for watches waiting in other threads


@record_kind("KubeState", family="kube", rows={"objects": 2, "events": 0})
@dataclass(eq=False)
class KubeState:
    rv: int = 0
    # resource key ("pods", "deployments.apps") -> object key -> object (never changed in place)
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # [resourceVersion, "ADDED" | "MODIFIED" | "DELETED", resource key, object], oldest first
    events: list[list[Any]] = field(default_factory=list)
    # what the controllers last derived from EKS state (node groups, add-ons), to redo only what changed
    synced: dict[str, Any] = field(default_factory=dict)
    # objects the controllers need to look at again (Deployments, ReplicaSets, Pending pods)
    dirty: bool = True

    def __post_init__(self) -> None:
        self.caches()

    def caches(self) -> dict[str, Any]:
        # not fields: snapshots leave them out; sorted keys per resource and encoded objects by rv
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = self.__dict__["_cache"] = {"sorted": {}, "encoded": {}, "blobs": {}}
        return cache


def state_of(cluster: Any) -> KubeState | None:
    return cluster.child("kube").get("state")


def key_of(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def timestamp(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def get(state: KubeState, resource: str, namespace: str | None, name: str) -> dict[str, Any] | None:
    return state.objects.get(resource, {}).get(key_of(namespace, name))


def sorted_keys(state: KubeState, resource: str) -> list[str]:
    cache = state.caches()["sorted"]
    keys = cache.get(resource)
    if keys is None:
        keys = cache[resource] = sorted(state.objects.get(resource, {}))
    return keys


def page(
    state: KubeState, resource: str, namespace: str | None, after: str | None, limit: int | None, keep: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """Objects in key order (one namespace, or all), after key ``after``; the last key when more remain."""
    keys = sorted_keys(state, resource)
    items = state.objects.get(resource, {})
    start = 0
    prefix = f"{namespace}/" if namespace else ""
    if after is not None:
        start = bisect_right(keys, after)
    elif prefix:
        start = bisect_right(keys, prefix)
    out: list[dict[str, Any]] = []
    for index in range(start, len(keys)):
        key = keys[index]
        if prefix and not key.startswith(prefix):
            break
        obj = items[key]
        if keep is not None and not keep(obj):
            continue
        if limit and len(out) == limit:
            return out, _last_key(out)
        out.append(obj)
    return out, None


def _last_key(out: list[dict[str, Any]]) -> str:
    meta = out[-1]["metadata"]
    return key_of(meta.get("namespace"), meta["name"])


def encoded_page(
    state: KubeState, resource: str, namespace: str | None, after: str | None, limit: int | None
) -> tuple[list[bytes], str | None]:
    """The JSON of a page of objects with no selector, in key order, and the last key when more remain.

    The encoded objects of a resource are kept in key order until it changes, so a page is a slice: its
    cost hardly grows with its size (listing 5,000 nodes by 500 or by 10).
    """
    cache = state.caches()["blobs"]
    found = cache.get(resource)
    if found is None:
        keys = sorted_keys(state, resource)
        items = state.objects.get(resource, {})
        found = cache[resource] = (keys, [encoded(state, items[key]) for key in keys])
    keys, blobs = found
    start = bisect_right(keys, after) if after is not None else 0
    end = len(keys)
    if namespace:
        start = max(start, bisect_left(keys, f"{namespace}/"))
        end = bisect_left(keys, f"{namespace}0")  # "0" follows "/": past the namespace's keys
    stop = end if not limit else min(end, start + limit)
    return blobs[start:stop], (keys[stop - 1] if stop < end and stop > start else None)


def encoded(state: KubeState, obj: dict[str, Any]) -> bytes:
    """The object's JSON, made once per version of it."""
    cache = state.caches()["encoded"]
    rv = obj["metadata"].get("resourceVersion")
    identity = (obj["metadata"].get("uid"), rv)
    data = cache.get(identity)
    if data is None:
        if len(cache) > 50_000:
            cache.clear()
        data = cache[identity] = json.dumps(obj, separators=(",", ":")).encode()
    return data


def _record(state: KubeState, kind: str, resource: str, key: str, obj: dict[str, Any]) -> None:
    # the parts changed (a controller's change during a read is written too)
    REACHED.changed(state, ("objects", resource, key))
    REACHED.changed(state, ("events", state.rv))
    events = state.events
    events.append([state.rv, kind, resource, obj])
    if len(events) > EVENT_LOG:
        for dropped in events[: len(events) - EVENT_LOG]:
            REACHED.changed(state, ("events", dropped[0]))
        del events[: len(events) - EVENT_LOG]
    with CHANGED:
        CHANGED.notify_all()


def put(state: KubeState, resource: str, obj: dict[str, Any], now: float) -> dict[str, Any]:
    """Store ``obj`` (a new dict; stamped with uid, creationTimestamp and the next resourceVersion)."""
    # a copy: a changed object made from a stored one may share its metadata, which the log still shows
    meta = obj["metadata"] = dict(obj.get("metadata") or {})
    key = key_of(meta.get("namespace"), meta["name"])
    items = state.objects.setdefault(resource, {})
    existing = items.get(key)
    state.rv += 1
    meta["resourceVersion"] = str(state.rv)
    if existing is None:
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", timestamp(now))
        state.caches()["sorted"].pop(resource, None)
    else:  # an update keeps what the object was given when it was made
        for kept in ("uid", "creationTimestamp"):
            if kept in existing["metadata"]:
                meta[kept] = existing["metadata"][kept]
    items[key] = obj
    state.caches()["blobs"].pop(resource, None)
    state.dirty = True
    _record(state, "ADDED" if existing is None else "MODIFIED", resource, key, obj)
    return obj


def remove(state: KubeState, resource: str, namespace: str | None, name: str) -> dict[str, Any] | None:
    items = state.objects.get(resource, {})
    key = key_of(namespace, name)
    obj = items.pop(key, None)
    if obj is None:
        return None
    if not items:  # as a state read back from rows holds it: a resource with no objects is not there
        del state.objects[resource]
    state.caches()["sorted"].pop(resource, None)
    state.caches()["blobs"].pop(resource, None)
    state.rv += 1
    gone = copy.copy(obj)
    gone["metadata"] = {**obj["metadata"], "resourceVersion": str(state.rv)}
    state.dirty = True
    _record(state, "DELETED", resource, key, gone)
    return gone


def events_after(state: KubeState, rv: int) -> list[list[Any]] | None:
    """The changes after resourceVersion ``rv``, or None if the log no longer reaches back that far."""
    events = state.events
    if events and rv < events[0][0] - 1 and rv < state.rv:
        return None
    low, high = 0, len(events)
    while low < high:
        middle = (low + high) // 2
        if events[middle][0] <= rv:
            low = middle + 1
        else:
            high = middle
    return events[low:]
