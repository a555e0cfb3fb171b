#!/usr/bin/env python3
"""Rebuild mock_eks/data/kube_openapi.json.gz: the Kubernetes OpenAPI (v2) document, cut to the API groups
the mock serves, from which ``mock_eks.kube.openapi`` answers ``/openapi/v2`` and ``/openapi/v3``.

The source is the published ``api/openapi-spec/swagger.json`` of a Kubernetes release, as the official
Python client keeps it (kubernetes-client/python ``kubernetes/swagger.json.unprocessed``, the document of
the branch named in its ``scripts/constants.py``). Kept: every path of the group/versions below, the
``parameters`` they refer to, and the definitions those reach. Nothing else is changed.

Usage: python scripts/build_kube_openapi.py /path/to/kubernetes-client/python
(a git checkout or bare mirror; read at HEAD, the commit is recorded as provenance).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from mock_eks.kube.openapi import references

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mock_eks" / "data" / "kube_openapi.json.gz"
SOURCE = "kubernetes/swagger.json.unprocessed"
# the group/versions the mock's Kubernetes API serves (mock_eks/data/kube_resources.json)
GROUP_VERSIONS = (
    "api/v1",
    "apis/apps/v1",
    "apis/authentication.k8s.io/v1",
    "apis/authorization.k8s.io/v1",
    "apis/rbac.authorization.k8s.io/v1",
)


def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def main(client: str) -> None:
    commit, day = _git(client, "log", "-1", "--format=%H %cs").split()
    branch = re.search(
        r'KUBERNETES_BRANCH\s*=\s*"([^"]+)"', _git(client, "show", "HEAD:scripts/constants.py")
    )
    document = json.loads(_git(client, "show", f"HEAD:{SOURCE}"))
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
    cut = {
        "_provenance": {
            "project": "kubernetes-client/python",
            "file": SOURCE,
            "commit": commit,
            "date": day,
            "kubernetes": branch.group(1) if branch else "unknown",
            "what": "Kubernetes api/openapi-spec/swagger.json, cut to the group/versions "
            + ", ".join(GROUP_VERSIONS),
        },
        "swagger": document["swagger"],
        "info": document["info"],
        "paths": paths,
        "parameters": parameters,
        "definitions": dict(sorted(definitions.items())),
        "securityDefinitions": document.get("securityDefinitions", {}),
        "security": document.get("security", []),
    }
    text = json.dumps(cut, separators=(",", ":")) + "\n"
    OUT.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"{OUT}: {len(paths)} paths, {len(definitions)} definitions, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
