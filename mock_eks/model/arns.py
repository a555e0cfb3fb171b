"""ARN formats, and which ARN kinds are taggable (each family registers its own)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):eks:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<resource>.+)$"
)

# resource type (first path element of the ARN's resource) -> finder(store, path parts) -> record or None
Finder = Callable[[Any, list[str]], Any]
TAGGABLE: dict[str, Finder] = {}


def taggable(resource_type: str) -> Callable[[Finder], Finder]:
    """Register how to find the record behind ``arn:...:eks:...:<resource_type>/...``."""

    def register(finder: Finder) -> Finder:
        TAGGABLE[resource_type] = finder
        return finder

    return register


def taggable_cluster_child(resource_type: str, family: str, arn_attribute: str) -> None:
    """Register ``<resource_type>/<cluster>/<name>/<uuid>`` ARNs of records in ``cluster.child(family)``."""

    def find(store: Any, parts: list[str]) -> Any:
        if len(parts) != 4:
            return None
        cluster = store.clusters.get(parts[1])
        record = cluster.child(family).get(parts[2]) if cluster is not None else None
        return (
            record if record is not None and getattr(record, arn_attribute).endswith("/" + parts[3]) else None
        )

    TAGGABLE[resource_type] = find


def build(partition: str, region: str, account: str, resource: str) -> str:
    return f"arn:{partition}:eks:{region}:{account}:{resource}"


def parse(arn: str) -> dict[str, str] | None:
    match = ARN.match(arn)
    return match.groupdict() if match else None


IAM_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]{1,512}$")


def own_arn(record: Any) -> str | None:
    """A record's own EKS ARN (``arn`` or ``<family>_arn``; role and principal ARNs are IAM's, and may
    name another account), if it has one."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return None
    names = ("arn", *(f.name for f in dataclasses.fields(record) if f.name.endswith("_arn")))
    for name in names:
        value = getattr(record, name, None)
        parts = value.split(":", 5) if isinstance(value, str) else []
        if len(parts) == 6 and parts[0] == "arn" and parts[2] == "eks":
            return str(value)
    return None


def account_of(record: Any) -> str | None:
    """The account a record belongs to, read from its own EKS ARN."""
    arn = own_arn(record)
    return None if arn is None else arn.split(":", 5)[4]
