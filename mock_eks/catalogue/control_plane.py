"""What DescribeCluster shows of control plane settings a create did not give (data/control_plane.json).

Loaded on first use. A default is shown from the day EKS began to show it (the mock's clock), and only
where the installed botocore model has the member, so an answer validates against every model and a
frozen clock before that day sees what a real answer recorded then shows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from functools import cache
from importlib import resources
from typing import Any

from mock_eks.catalogue.amis import day_epoch


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
def _shown_text(group: str, names: tuple[str, ...]) -> str:
    """The defaults of ``names`` as JSON text: loading it is the cheapest fresh copy (every create makes one)."""
    values = {name: value for name, value, _ in _defaults(group)}
    return json.dumps({name: values[name] for name in names})


def shown(group: str, now: float, members: Collection[str]) -> dict[str, Any]:
    """Fresh copies of ``group``'s defaults ("vpcConfig", "cluster" or "certificateAuthority") that EKS
    shows at ``now``, for the members in ``members`` (the installed model's output shape)."""
    names = tuple(name for name, _, since in _defaults(group) if now >= since and name in members)
    return json.loads(_shown_text(group, names)) if names else {}


def egress_mode_change_refused(current: str | None, wanted: str) -> bool:
    """Whether EKS refuses to move a cluster's control plane egress from ``current`` to ``wanted``."""
    rule = _data()["egressModeOneWay"]
    return current in rule["from"] and wanted == rule["to"]
