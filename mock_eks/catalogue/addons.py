"""The EKS add-on catalogue (data/addons.json) and configuration schemas (data/addon_schemas.json).

The file stores each build compactly (its Kubernetes versions and the ones it is the default for);
on first use it is expanded once into AddonInfo structures as DescribeAddonVersions returns them,
plus ``podIdentityConfiguration`` (what DescribeAddonConfiguration returns for it). Nothing is read
at import. Compatibility entries are shared between builds: treat them as read-only.

The catalogue follows the clock as the AMI catalogue does: a build is offered from its ``released`` day
(builds without one at any clock), and the default for a Kubernetes version is the one EKS gave on that
day (``defaultsOn``; scripts/addon_facts.py states how both are derived from dated public sources).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from mock_eks.catalogue.versions import day_epoch

# for an add-on the schema file does not describe: any object of settings
OPEN_SCHEMA: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?")


def _read(name: str) -> Any:
    return json.loads(resources.files("mock_eks.data").joinpath(name).read_text())


@cache
def entries() -> dict[str, dict[str, Any]]:
    """Every add-on by name, as an AddonInfo (newest build first) plus podIdentityConfiguration."""
    shared: dict[tuple[str, bool], dict[str, Any]] = {}

    def compatibility(k: str, default: bool) -> dict[str, Any]:
        key = (k, default)
        if key not in shared:
            shared[key] = {"clusterVersion": k, "platformVersions": ["*"], "defaultVersion": default}
        return shared[key]

    out = {}
    for addon in _read("addons.json")["addons"]:
        template = addon["versionDefaults"]
        versions = []
        released = _released().setdefault(addon["addonName"], {})
        for build in addon["versions"]:
            if "released" in build:
                released[build["addonVersion"]] = day_epoch(build["released"])
            defaults = set(build.get("defaultFor", ()))
            info = {"addonVersion": build["addonVersion"]}
            for field in ("architecture", "computeTypes"):
                info[field] = build.get(field, template.get(field))
            info["compatibilities"] = [compatibility(k, k in defaults) for k in build["clusterVersions"]]
            for field in ("requiresConfiguration", "requiresIamPermissions"):
                if field in build or field in template:
                    info[field] = build.get(field, template.get(field))
            versions.append(info)
        entry = {k: v for k, v in addon.items() if k not in ("versions", "versionDefaults", "defaultsOn")}
        entry["addonVersions"] = versions
        _dated_defaults()[addon["addonName"]] = [
            (day_epoch(day), table) for day, table in addon.get("defaultsOn", ())
        ]
        out[addon["addonName"]] = entry
    return out


@cache
def _released() -> dict[str, dict[str, float]]:
    """add-on -> build -> the epoch second it is offered from (filled by entries())."""
    return {}


@cache
def _dated_defaults() -> dict[str, list[tuple[float, dict[str, str]]]]:
    """add-on -> [(epoch second, {Kubernetes version: default build})], oldest first (filled by entries())."""
    return {}


@cache
def _by_version() -> dict[str, dict[str, dict[str, Any]]]:
    return {name: {v["addonVersion"]: v for v in e["addonVersions"]} for name, e in entries().items()}


@cache
def schemas() -> dict[str, dict[str, Any]]:
    return _read("addon_schemas.json")


def __getattr__(name: str) -> Any:
    # ADDONS and SCHEMAS stay importable names, built on first access
    if name == "ADDONS":
        return entries()
    if name == "SCHEMAS":
        return schemas()
    raise AttributeError(name)


def get(name: str) -> dict[str, Any] | None:
    return entries().get(name)


def version_info(name: str, version: str, now: float | None = None) -> dict[str, Any] | None:
    """The build's AddonVersionInfo; None for an unknown build or, with ``now``, one not yet offered."""
    info = _by_version().get(name, {}).get(version)
    if info is None or (now is not None and _released().get(name, {}).get(version, 0.0) > now):
        return None
    return info


def compatibility(info: dict[str, Any], kubernetes_version: str) -> dict[str, Any] | None:
    for entry in info["compatibilities"]:
        if entry["clusterVersion"] == kubernetes_version:
            return entry
    return None


def offered_versions(name: str, now: float | None) -> list[dict[str, Any]]:
    """The add-on's builds EKS offers at ``now`` (every build for None), newest first."""
    builds = (entries().get(name) or {}).get("addonVersions", ())  # entries() fills _released()
    released = _released().get(name, {})
    return [info for info in builds if now is None or released.get(info["addonVersion"], 0.0) <= now]


def compatible_versions(name: str, kubernetes_version: str, now: float | None) -> list[str]:
    return [
        info["addonVersion"]
        for info in offered_versions(name, now)
        if compatibility(info, kubernetes_version) is not None
    ]


def default_version(name: str, kubernetes_version: str, now: float) -> str | None:
    """The build EKS installs for this Kubernetes version at ``now`` when none is asked for.

    The newest dated default on or before ``now`` (a recorded answer of that day), unless the catalogue's
    undated default is offered and newer (its release day is later); with neither, the newest build offered
    that runs on this version.
    """
    compatible = compatible_versions(name, kubernetes_version, now)
    if not compatible:
        return None
    released = _released().get(name, {})
    best: tuple[float, str] | None = None
    for day, table in _dated_defaults().get(name, ()):
        if day <= now and table.get(kubernetes_version) in compatible:
            best = (day, table[kubernetes_version])
    for version in compatible:
        entry = compatibility(_by_version()[name][version], kubernetes_version)
        if entry is not None and entry.get("defaultVersion"):
            if best is None or released.get(version, 0.0) > best[0]:
                best = (released.get(version, 0.0), version)
            break
    return best[1] if best else max(compatible, key=version_key)


def version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version)
    if not match:
        return (0,)
    return tuple(int(part or 0) for part in match.groups())


def schema(name: str, version: str) -> dict[str, Any]:
    """The configuration schema of build ``version``: its recorded one, else the nearest recorded build's
    (the newest not newer, else the oldest), else for builds newer than every recording the mock's own."""
    recorded = schemas()["recorded"].get(name, {})
    if version in recorded:
        return recorded[version]["schema"]
    key = version_key(version)
    ordered = sorted(recorded, key=version_key)
    if ordered and key <= version_key(ordered[-1]):
        older = [v for v in ordered if version_key(v) <= key]
        return recorded[older[-1] if older else ordered[0]]["schema"]
    return schemas()["current"].get(name, OPEN_SCHEMA)


def pod_identity_configuration(name: str) -> list[dict[str, Any]]:
    return list((entries().get(name) or {}).get("podIdentityConfiguration") or [])
