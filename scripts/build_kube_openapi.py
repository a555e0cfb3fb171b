#!/usr/bin/env python3
"""Rebuild mock_eks/data/kube_openapi.json.xz: the Kubernetes OpenAPI (v2) documents, one per Kubernetes minor
the version catalogue serves, cut to the API groups the mock serves, from which ``mock_eks.kube.openapi``
answers ``/openapi/v2`` and ``/openapi/v3`` for a cluster of that minor.

The source is the published ``api/openapi-spec/swagger.json`` of each Kubernetes release, as the official
Python client keeps it (kubernetes-client/python ``kubernetes/swagger.json.unprocessed``): client branch
``release-N.0`` is generated from Kubernetes ``release-1.N`` (its ``scripts/constants.py`` says which; the
script checks). Kept: every path of the group/versions below, the ``parameters`` they refer to, and the
definitions those reach. Nothing else is changed. A value identical between minors is stored once
(``shared``, by content hash). A minor whose document the checkout does not hold falls back to the nearest
minor that has one, and its provenance says so.

Usage: python scripts/build_kube_openapi.py /path/to/kubernetes-client/python
(a git checkout or bare mirror with the ``release-N.0`` branches; each branch tip's commit is recorded).
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from mock_eks.kube.openapi import references

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mock_eks" / "data" / "kube_openapi.json.xz"
CATALOGUE = ROOT / "mock_eks" / "data" / "kubernetes_versions.json"
SOURCE = "kubernetes/swagger.json.unprocessed"
# the group/versions the mock's Kubernetes API serves (mock_eks/data/kube_resources.json)
GROUP_VERSIONS = (
    "api/v1",
    "apis/apps/v1",
    "apis/authentication.k8s.io/v1",
    "apis/authorization.k8s.io/v1",
    "apis/rbac.authorization.k8s.io/v1",
)


def _git(repo: str, *args: str) -> str | None:
    done = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def _cut(document: dict[str, Any]) -> dict[str, Any]:
    paths = {
        path: item
        for path, item in document["paths"].items()
        if any(path.rstrip("/") == "/" + gv or path.startswith("/" + gv + "/") for gv in GROUP_VERSIONS)
    }
    parameters = {name: document["parameters"][name] for name in sorted(references(paths, "#/parameters/"))}
    # a shared body parameter names its schema too (meta.v1.Patch, DeleteOptions)
    todo = list(references([paths, parameters], "#/definitions/"))
    definitions: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        if name in definitions:
            continue
        definitions[name] = document["definitions"][name]
        todo.extend(references(definitions[name], "#/definitions/"))
    return {
        "swagger": document["swagger"],
        "info": document["info"],
        "paths": paths,
        "parameters": parameters,
        "definitions": dict(sorted(definitions.items())),
        "securityDefinitions": document.get("securityDefinitions", {}),
        "security": document.get("security", []),
    }


def _published(client: str, minor: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(document, provenance) of Kubernetes ``minor`` from client branch release-N.0, or None."""
    branch = f"release-{minor.split('.')[1]}.0"
    line = _git(client, "log", "-1", "--format=%H %cs", branch)
    if not line:
        return None
    commit, day = line.split()
    constants = _git(client, "show", f"{commit}:scripts/constants.py") or ""
    named = re.search(r'KUBERNETES_BRANCH\s*=\s*"([^"]+)"', constants)
    if not named or named.group(1) != f"release-{minor}":
        return None
    text = _git(client, "show", f"{commit}:{SOURCE}")
    if not text:  # the blob is not in this checkout (a partial mirror)
        return None
    provenance = {"branch": branch, "commit": commit, "date": day, "kubernetes": named.group(1)}
    return _cut(json.loads(text)), provenance


def _key(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main(client: str) -> None:
    minors = [entry["clusterVersion"] for entry in json.loads(CATALOGUE.read_text())["versions"]]
    found = {minor: got for minor in minors if (got := _published(client, minor)) is not None}
    if not found:
        raise SystemExit(f"no release-N.0 branch of {client} holds {SOURCE}")
    shared: dict[str, Any] = {}
    documents: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for minor, (document, source) in found.items():
        stored: dict[str, Any] = {}
        for section, value in document.items():
            if section in ("paths", "parameters", "definitions"):
                refs = {}
                for name, item in value.items():
                    refs[name] = key = _key(item)
                    shared.setdefault(key, item)
                stored[section] = refs
            else:
                stored[section] = value
        documents[minor] = stored
        provenance[minor] = source

    def number(minor: str) -> int:
        return int(minor.split(".")[1])

    fallbacks = {}
    for minor in minors:
        if minor not in found:
            # nearest by minor number; between two as near, the newer
            nearest = min(found, key=lambda m: (abs(number(m) - number(minor)), -number(m)))
            fallbacks[minor] = nearest
            provenance[minor] = {
                "fallback": nearest,
                "note": f"Kubernetes {minor}'s document (branch release-{number(minor)}.0, {SOURCE}) "
                f"is not in the copy of kubernetes-client/python read: the nearest minor's, "
                f"Kubernetes {nearest}'s, is served",
            }
    package = {
        "_provenance": {
            "project": "kubernetes-client/python",
            "file": SOURCE,
            "what": "Kubernetes api/openapi-spec/swagger.json of each minor, cut to the group/versions "
            + ", ".join(GROUP_VERSIONS)
            + "; paths, parameters and definitions stored once in shared, by content hash",
            "minors": dict(sorted(provenance.items(), key=lambda item: number(item[0]))),
        },
        "shared": shared,
        "documents": documents,
        "fallbacks": fallbacks,
    }
    text = json.dumps(package, separators=(",", ":")) + "\n"
    # xz, not gzip: gzip's 32 KiB window cannot see what one minor's document repeats of another's
    OUT.write_bytes(lzma.compress(text.encode(), preset=9 | lzma.PRESET_EXTREME))
    print(f"{OUT}: {len(documents)} documents, {len(fallbacks)} fallbacks, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
