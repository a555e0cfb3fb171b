"""The EKS add-on catalogue (data/addons.json) and configuration schemas (data/addon_schemas.json).

Each catalogue entry is an AddonInfo structure as DescribeAddonVersions returns it, plus
``podIdentityConfiguration`` (what DescribeAddonConfiguration returns for it).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

_FILES = resources.files("mock_eks.data")
ADDONS: dict[str, dict[str, Any]] = {
    entry["addonName"]: entry for entry in json.loads(_FILES.joinpath("addons.json").read_text())
}
SCHEMAS: dict[str, dict[str, Any]] = json.loads(_FILES.joinpath("addon_schemas.json").read_text())
# for an add-on the schema file does not describe: any object of settings
OPEN_SCHEMA: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?")


def get(name: str) -> dict[str, Any] | None:
    return ADDONS.get(name)


def version_info(name: str, version: str) -> dict[str, Any] | None:
    for info in (ADDONS.get(name) or {}).get("addonVersions", ()):
        if info["addonVersion"] == version:
            return info
    return None


def compatibility(info: dict[str, Any], kubernetes_version: str) -> dict[str, Any] | None:
    for entry in info["compatibilities"]:
        if entry["clusterVersion"] == kubernetes_version:
            return entry
    return None


def compatible_versions(name: str, kubernetes_version: str) -> list[str]:
    return [
        info["addonVersion"]
        for info in (ADDONS.get(name) or {}).get("addonVersions", ())
        if compatibility(info, kubernetes_version) is not None
    ]


def default_version(name: str, kubernetes_version: str) -> str | None:
    """The version flagged default for this Kubernetes version, else the newest compatible one."""
    candidates = []
    for info in (ADDONS.get(name) or {}).get("addonVersions", ()):
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
    return SCHEMAS.get(name, OPEN_SCHEMA)


def pod_identity_configuration(name: str) -> list[dict[str, Any]]:
    return list((ADDONS.get(name) or {}).get("podIdentityConfiguration") or [])
