"""PATCH bodies: JSON patch (RFC 6902) and strategic merge patch for the
built-in kinds (lists merged by their Kubernetes ``patchMergeKey``: containers, env and ports by name or
port, volumes by name, tolerations and taints replaced, as the API types' struct tags define). A JSON merge patch (RFC 7386) is ``model.documents.merge_patch``."""

from __future__ import annotations

import copy
from typing import Any

# list field name -> merge key, from the Kubernetes API types' patchMergeKey tags (k8s.io/api core/v1, apps/v1)
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "conditions": "type",
    "ownerReferences": "uid",
    "hostAliases": "ip",
    "finalizers": None,  # merge (set) without a key: patchStrategy merge on a list of strings
}


class PatchError(ValueError):
    pass


def strategic_merge_patch(target: Any, patch: Any, field: str = "") -> Any:
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
        if patch.get("$patch") == "delete":
            return None
        merged: dict[str, Any] = dict(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if key.startswith("$"):
                continue
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = strategic_merge_patch(merged.get(key), value, key)
        return merged
    if isinstance(patch, list) and field in MERGE_KEYS and isinstance(target, list):
        key = MERGE_KEYS[field]
        if key is None:
            return list(target) + [item for item in patch if item not in target]
        if field == "ports" and patch and isinstance(patch[0], dict) and "containerPort" not in patch[0]:
            key = "port"
        result = [copy.deepcopy(item) for item in target]
        for item in patch:
            if not isinstance(item, dict) or key not in item:
                result.append(copy.deepcopy(item))
                continue
            index = next(
                (i for i, old in enumerate(result) if isinstance(old, dict) and old.get(key) == item[key]),
                None,
            )
            if item.get("$patch") == "delete":
                if index is not None:
                    result.pop(index)
            elif index is None:
                result.append(strategic_merge_patch(None, item))
            else:
                result[index] = strategic_merge_patch(result[index], item)
        return result
    return copy.deepcopy(patch)


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"invalid JSON pointer {path!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _walk(document: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(document, list):
            document = document[int(part)]
        elif isinstance(document, dict):
            document = document[part]
        else:
            raise KeyError(part)
    return document


def json_patch(document: Any, operations: Any) -> Any:
    if not isinstance(operations, list):
        raise PatchError("a JSON patch is a list of operations")
    document = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError("each JSON patch operation is an object")
        op = operation.get("op")
        parts = _pointer(str(operation.get("path", "")))
        try:
            if op == "test":
                if _walk(document, parts) != operation.get("value"):
                    raise PatchError(f"testing value {operation.get('path')} failed")
                continue
            if op in ("move", "copy"):
                source = _pointer(str(operation.get("from", "")))
                value = copy.deepcopy(_walk(document, source))
                if op == "move":
                    document = _apply(document, source, "remove", None)
                document = _apply(document, parts, "add", value)
                continue
            if op not in ("add", "remove", "replace"):
                raise PatchError(f"unknown JSON patch operation {op!r}")
            document = _apply(document, parts, op, copy.deepcopy(operation.get("value")))
        except (KeyError, IndexError, ValueError, TypeError) as problem:
            if isinstance(problem, PatchError):
                raise
            raise PatchError(f"doc is missing path: {operation.get('path')}") from None
    return document


def _apply(document: Any, parts: list[str], op: str, value: Any) -> Any:
    if not parts:
        return value
    parent = _walk(document, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "add":
            parent.insert(index, value)
        elif op == "remove":
            parent.pop(index)
        else:
            parent[index] = value
    elif isinstance(parent, dict):
        if op == "add":
            parent[last] = value
        elif op == "remove":
            del parent[last]
        else:
            if last not in parent:
                raise KeyError(last)
            parent[last] = value
    else:
        raise KeyError(last)
    return document
