"""Label selectors and field selectors of list and watch requests (k8s.io/apimachinery ``labels`` and
``fields`` syntax: ``a=b``, ``a==b``, ``a!=b``, ``a in (x,y)``, ``a notin (x)``, ``a``, ``!a``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_SET = re.compile(r"^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$")


def _split(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _requirement(text: str) -> Callable[[dict[str, str]], bool]:
    found = _SET.match(text)
    if found:
        key, operator, values = found.group(1), found.group(2), {v.strip() for v in found.group(3).split(",")}
        if operator == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    if "!=" in text:
        key, value = (p.strip() for p in text.split("!=", 1))
        return lambda labels: labels.get(key) != value
    if "=" in text:
        key, value = (p.strip() for p in text.replace("==", "=").split("=", 1))
        return lambda labels: labels.get(key) == value
    if text.startswith("!"):
        key = text[1:].strip()
        return lambda labels: key not in labels
    key = text.strip()
    return lambda labels: key in labels


def _field(obj: dict[str, Any], path: str) -> str:
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def matcher(
    label_selector: str | None, field_selector: str | None
) -> Callable[[dict[str, Any]], bool] | None:
    """A predicate on objects, or None when nothing is selected on."""
    labels = [_requirement(part) for part in _split(label_selector or "")]
    fields: list[tuple[str, str, bool]] = []
    for part in _split(field_selector or ""):
        negate = "!=" in part
        key, value = part.replace("!=", "=").replace("==", "=").split("=", 1)
        fields.append((key.strip(), value.strip(), negate))
    if not labels and not fields:
        return None

    def keep(obj: dict[str, Any]) -> bool:
        own = obj.get("metadata", {}).get("labels") or {}
        if not all(requirement(own) for requirement in labels):
            return False
        return all((_field(obj, key) == value) != negate for key, value, negate in fields)

    return keep
