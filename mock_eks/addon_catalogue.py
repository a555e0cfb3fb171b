"""The EKS add-on catalogue (data/addons.json) and configuration schemas (data/addon_schemas.json).

The file stores each build compactly (its Kubernetes versions and the ones it is the default for);
on first use it is expanded once into AddonInfo structures as DescribeAddonVersions returns them,
plus ``podIdentityConfiguration`` (what DescribeAddonConfiguration returns for it). Nothing is read
at import. Compatibility entries are shared between builds: treat them as read-only.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

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
        for build in addon["versions"]:
            defaults = set(build.get("defaultFor", ()))
            info = {"addonVersion": build["addonVersion"]}
            for field in ("architecture", "computeTypes"):
                info[field] = build.get(field, template.get(field))
            info["compatibilities"] = [compatibility(k, k in defaults) for k in build["clusterVersions"]]
            for field in ("requiresConfiguration", "requiresIamPermissions"):
                if field in build or field in template:
                    info[field] = build.get(field, template.get(field))
            versions.append(info)
        entry = {k: v for k, v in addon.items() if k not in ("versions", "versionDefaults")}
        entry["addonVersions"] = versions
        out[addon["addonName"]] = entry
    return out


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


def version_info(name: str, version: str) -> dict[str, Any] | None:
    return _by_version().get(name, {}).get(version)


def compatibility(info: dict[str, Any], kubernetes_version: str) -> dict[str, Any] | None:
    for entry in info["compatibilities"]:
        if entry["clusterVersion"] == kubernetes_version:
            return entry
    return None


def compatible_versions(name: str, kubernetes_version: str) -> list[str]:
    return [
        info["addonVersion"]
        for info in (entries().get(name) or {}).get("addonVersions", ())
        if compatibility(info, kubernetes_version) is not None
    ]


def default_version(name: str, kubernetes_version: str) -> str | None:
    """The version flagged default for this Kubernetes version, else the newest compatible one."""
    candidates = []
    for info in (entries().get(name) or {}).get("addonVersions", ()):
        entry = compatibility(info, kubernetes_version)
        if entry is not None:
            if entry.get("defaultVersion"):
                return info["addonVersion"]
            candidates.append(info["addonVersion"])
    return max(candidates, key=version_key) if candidates else None


def version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version)
    if not match:
        return (0,)
    return tuple(int(part or 0) for part in match.groups())


def schema(name: str) -> dict[str, Any]:
    return schemas().get(name, OPEN_SCHEMA)


def pod_identity_configuration(name: str) -> list[dict[str, Any]]:
    return list((entries().get(name) or {}).get("podIdentityConfiguration") or [])
