"""The EKS optimized AMI catalogue (data/ami_releases.json): AMI families and their release versions.

Loaded on first use and indexed once: parsing the file costs nothing at import.
A release version is offered from its date on (the request's clock), so a frozen clock sees
the releases that existed then; the newest offered one is the default. A release recorded as
"<version>-*" (a Bottlerocket release whose commit no public source shows) accepts any commit of
the family's shape from its date on, and is never offered as a default. A family's source is a
snapshot (its ``_provenance`` commit date): a well-formed release published after it, by the date in
the release version (Linux, Windows) or, for Bottlerocket, a version newer than every recorded one,
is accepted once the clock has passed that snapshot, as EKS kept releasing after it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mock_eks.catalogue import versions
from mock_eks.catalogue.versions import day_epoch


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    ami_types: tuple[str, ...]
    pattern: str  # a release version's shape, "{minor}" standing for the Kubernetes minor
    first: tuple[int, ...] | None
    last: tuple[int, ...] | None
    releases: dict[str, tuple[tuple[float, str], ...]]  # minor -> (epoch, releaseVersion), oldest first
    unknown_commits: dict[str, tuple[tuple[float, str], ...]]  # minor -> (epoch, "<version>-"): any commit
    covered_until: float | None  # the source snapshot's day: later releases are not known to us
    newest_version: tuple[int, ...]  # for undated release versions (Bottlerocket): the newest recorded


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files("mock_eks.data").joinpath("ami_releases.json").read_text())


@cache
def _families() -> dict[str, Family]:
    out = {}
    for name, entry in _data()["families"].items():
        out[name] = Family(
            name=name,
            ami_types=tuple(entry["amiTypes"]),
            pattern=entry["releasePattern"],
            first=_minor(entry["firstKubernetesVersion"]) if entry.get("firstKubernetesVersion") else None,
            last=_minor(entry["lastKubernetesVersion"]) if entry.get("lastKubernetesVersion") else None,
            # minors the Kubernetes catalogue does not know can never be asked for: not kept in memory
            releases={
                minor: tuple(
                    (day_epoch(day), release) for day, release in items if not release.endswith("-*")
                )
                for minor, items in entry["releases"].items()
                if versions.get(minor) is not None and any(not r.endswith("-*") for _, r in items)
            },
            covered_until=_snapshot_day(entry),
            newest_version=max(
                (_numbers(r.split("-")[0]) for items in entry["releases"].values() for _, r in items),
                default=(),
            ),
            unknown_commits={
                minor: tuple(
                    (day_epoch(day), release[:-1]) for day, release in items if release.endswith("-*")
                )
                for minor, items in entry["releases"].items()
                if versions.get(minor) is not None and any(r.endswith("-*") for _, r in items)
            },
        )
    return out


def _snapshot_day(entry: dict[str, Any]) -> float | None:
    provenance = entry.get("_provenanceHistory", {}).get("releases") or entry.get("_provenance") or {}
    day = provenance.get("commitDate")
    return day_epoch(day) if day else None


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


_RELEASE_DAY = re.compile(r"(\d{4})\.?(\d{2})\.?(\d{2})$")


def _published_after_source(family: Family, release: str, now: float) -> bool:
    """A well-formed release our source snapshot cannot know: published after it, and by ``now``."""
    if family.covered_until is None or now <= family.covered_until:
        return False
    day = _RELEASE_DAY.search(release) if "{minor}" in family.pattern else None
    if day is None:  # no date in the release version: newer than every recorded version
        return _numbers(release.split("-")[0]) > family.newest_version
    try:
        published = day_epoch("-".join(day.groups()))
    except ValueError:
        return False
    return family.covered_until < published <= now


@cache
def _family_of() -> dict[str, Family]:
    return {ami: family for family in _families().values() for ami in family.ami_types}


def family_of(ami_type: str) -> str | None:
    family = _family_of().get(ami_type)
    return family.name if family else None


def is_windows(ami_type: str) -> bool:
    return family_of(ami_type) == "WINDOWS"


def is_arm(ami_type: str) -> bool:
    return ami_type in _arm_types()


@cache
def _arm_types() -> frozenset[str]:
    return frozenset(_data()["armAmiTypes"])


def supports(ami_type: str, version: str) -> bool:
    """Whether EKS publishes AMIs of this type's family for Kubernetes ``version``."""
    family = _family_of().get(ami_type)
    if family is None:
        return False
    minor = _minor(version)
    if family.last and minor > family.last:
        return False
    return not (family.first and minor < family.first)


def _newest(family: Family) -> str:
    """The family's newest recorded release, for a Kubernetes minor its source does not cover yet."""
    newest_minor = max(family.releases, key=_minor)
    return family.releases[newest_minor][-1][1]


def _gap_release(family: Family, version: str) -> str:
    newest = _newest(family)
    if "{minor}" in family.pattern:
        return version + newest[len(max(family.releases, key=_minor)) :]
    return newest


def release_versions(ami_type: str, version: str, now: float) -> list[str]:
    """The release versions of ``ami_type`` for Kubernetes ``version`` published by ``now``, oldest first."""
    family = _family_of().get(ami_type)
    if family is None or versions.get(version) is None or not supports(ami_type, version):
        return []
    recorded = family.releases.get(version)
    if not recorded:
        return [_gap_release(family, version)] if family.releases else []
    out = [release for when, release in recorded if when <= now]
    # a clock before the first release: the oldest one still stands for "a release of this version"
    return out or [recorded[0][1]]


def is_valid_release(ami_type: str, version: str, release: str, now: float) -> bool:
    """Whether ``release`` is an AMI release version of ``ami_type`` for ``version`` at ``now``."""
    family = _family_of().get(ami_type)
    if family is None or not supports(ami_type, version):
        return False
    shaped = re.fullmatch(family.pattern.format(minor=re.escape(version)), release) is not None
    if family.releases.get(version) or family.unknown_commits.get(version):
        if release in release_versions(ami_type, version, now):
            return True
        if not shaped:
            return False
        return _published_after_source(family, release, now) or any(
            when <= now and release.startswith(prefix)
            for when, prefix in family.unknown_commits.get(version, ())
        )
    # a minor the family's source does not cover yet: any release version of the family's shape
    return shaped


def default_ami_type(version: str, instance_types: list[str] | None, arm: bool, gpu: bool) -> str:
    defaults = _data()["defaultAmiTypes"]
    family = "AL2023" if _minor(version) >= _minor(defaults["al2023From"]) else "AL2"
    if arm:
        return defaults[family]["arm64"]
    if gpu:
        return defaults[family]["gpu"]
    return defaults[family]["x86_64"]


def node_defaults() -> dict[str, Any]:
    """Default instance type, disk sizes and scaling config of a managed node group."""
    data = _data()
    return {
        "instanceType": data["defaultInstanceType"],
        "diskSize": data["defaultDiskSize"],
        "scalingConfig": data["defaultScalingConfig"],
    }
