"""Error messages as real EKS words them: data/messages.json, read on first use.

Each entry names its error code and the public source quoting the real response, so a handler says
``raise messages.error(ctx, "cluster.not_found", clusterName=name)`` and the wording lives in one table.
The keyword arguments fill the placeholders and become the error body's fields (those its shape has).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def table() -> dict[str, dict[str, str]]:
    """Every message by key: ``{"code", "text", "source"}``."""
    data = json.loads(resources.files("mock_eks.data").joinpath("messages.json").read_text())
    return data["messages"]


@functools.cache
def recorded_codes(operation: str) -> frozenset[str]:
    """Codes real EKS is recorded answering from ``operation`` although its model omits them."""
    return frozenset(
        entry["code"] for entry in table().values() if operation in entry.get("recorded_for", ())
    )


def text(key: str, **values: Any) -> str:
    """The message ``key`` with its placeholders filled."""
    return table()[key]["text"].format(**values)


def error(ctx: Any, key: str, **fields: Any) -> Exception:
    """The error ``key`` names (its code, its worded message), carrying ``fields`` in its body."""
    entry = table()[key]
    return ctx.error(entry["code"], entry["text"].format(**fields), **fields)
