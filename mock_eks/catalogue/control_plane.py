"""What DescribeCluster shows of control plane settings a create did not give (data/control_plane.json).

Loaded on first use. A default is shown from the day EKS began to show it (the mock's clock), and only
where the installed botocore model has the member, so an answer validates against every model and a
frozen clock before that day sees what a real answer recorded then shows.
"""

from __future__ import annotations

import bisect
import json
import math
from functools import cache
from importlib import resources
from typing import Any

from mock_eks.catalogue.versions import day_epoch


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files("mock_eks.data").joinpath("control_plane.json").read_text())


@cache
def _defaults(group: str) -> tuple[tuple[str, Any, float], ...]:
    entries = _data()[group]
    return tuple(
        (name, entry["value"], day_epoch(entry["since"]) if "since" in entry else -math.inf)
        for name, entry in entries.items()
    )


@cache
def _shown_for(group: str, members: frozenset[str], passed: int) -> tuple[str, dict[str, Any], bool]:
    """The defaults of ``group`` shown once ``passed`` of its distinct 'since' days have come, for
    ``members``: as JSON text, as a template, and whether the template's values are all scalars."""
    days = _days(group)
    shown = {
        name: value
        for name, value, since in _defaults(group)
        if name in members and days.index(since) < passed
    }
    flat = not any(isinstance(value, (dict, list)) for value in shown.values())
    return json.dumps(shown), shown, flat


@cache
def _days(group: str) -> tuple[float, ...]:
    return tuple(sorted({since for _, _, since in _defaults(group)}))


def shown(group: str, now: float, members: frozenset[str]) -> dict[str, Any]:
    """Fresh copies of ``group``'s defaults ("vpcConfig", "cluster" or "certificateAuthority") that EKS
    shows at ``now``, for the members in ``members`` (the installed model's output shape)."""
    text, template, flat = _shown_for(group, members, bisect.bisect_right(_days(group), now))
    # every create takes a copy: of scalars a shallow one, else a JSON load (cheaper than a deep copy)
    return dict(template) if flat else json.loads(text)


def egress_mode_change_refused(current: str | None, wanted: str) -> bool:
    """Whether EKS refuses to move a cluster's control plane egress from ``current`` to ``wanted``."""
    rule = _data()["egressModeOneWay"]
    return current in rule["from"] and wanted == rule["to"]
