#!/usr/bin/env python3
"""Rebuild mock_eks/data/kube_protobuf.json.gz: the field tables of the Kubernetes protobuf messages kubectl
sends (``application/vnd.kubernetes.protobuf``), read from the published ``generated.proto`` files.

kubectl 1.32+ sends its typed objects (``kubectl create <kind>``, ``kubectl run``, ``auth can-i``'s
SelfSubjectAccessReview) as protobuf. ``mock_eks.kube.protobuf`` decodes them with these tables: for each
message, its fields by number as [json name, type, label]. Only the messages reachable from the kinds of
the API groups below are kept. The Go types beside them (``types.go``) tell which fields JSON flattens
(embedded structs) and which it leaves out when zero (non-pointer ``omitempty`` scalars).

Usage: python scripts/build_kube_protobuf.py /path/to/kubernetes/api /path/to/kubernetes/apimachinery
(git checkouts or bare mirrors; each file is read at HEAD, and the commit is recorded as provenance).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mock_eks" / "data" / "kube_protobuf.json.gz"

# apiVersion's group/version -> the proto file of kubernetes/api that defines its kinds
GROUPS = {
    "v1": "core/v1",
    "apps/v1": "apps/v1",
    "batch/v1": "batch/v1",
    "authorization.k8s.io/v1": "authorization/v1",
    "authentication.k8s.io/v1": "authentication/v1",
    "rbac.authorization.k8s.io/v1": "rbac/v1",
    "networking.k8s.io/v1": "networking/v1",
    "policy/v1": "policy/v1",
    "scheduling.k8s.io/v1": "scheduling/v1",
}
MACHINERY = [
    "pkg/apis/meta/v1",
    "pkg/runtime",
    "pkg/runtime/schema",
    "pkg/util/intstr",
    "pkg/api/resource",
]
_FIELD = re.compile(
    r"^\s*(?:(optional|repeated)\s+([\w.]+)|map<\s*(\w+)\s*,\s*([\w.]+)\s*>)\s+(\w+)\s*=\s*(\d+)\s*;"
)


def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def _parse(text: str) -> tuple[str, dict[str, list[list[object]]]]:
    package = re.search(r"^package\s+([\w.]+);", text, re.M).group(1)  # type: ignore[union-attr]
    messages: dict[str, list[list[object]]] = {}
    current: list[list[object]] | None = None
    for line in text.splitlines():
        line = line.split("//", 1)[0]
        start = re.match(r"^message\s+(\w+)\s*{", line)
        if start:
            current = messages.setdefault(f"{package}.{start.group(1)}", [])
            continue
        if line.startswith("}"):
            current = None
            continue
        field = _FIELD.match(line)
        if field and current is not None:
            label, kind, key, value, name, number = field.groups()
            if key is not None:
                current.append([int(number), name, [key, value], "map"])
            else:
                current.append([int(number), name, kind, "repeated" if label == "repeated" else ""])
    return package, messages


_STRUCT = re.compile(r"^type\s+(\w+)\s+struct\s*{")
_GO_FIELD = re.compile(r"^\s+(?:(\w+)\s+)?(\*?[\w.\[\]*]+)\s+`([^`]*)`")


def _go_flags(repo: str, directory: str, package: str) -> dict[tuple[str, int], str]:
    """(message, field number) -> "inline" for an embedded struct whose fields JSON flattens into its
    parent, "omitzero" for a non-pointer ``omitempty`` scalar (Go's JSON leaves its zero value out)."""
    flags: dict[tuple[str, int], str] = {}
    names = _git(repo, "ls-tree", "--name-only", f"HEAD:{directory}").split()
    for name in names:
        if (
            not name.endswith(".go")
            or name.endswith("_test.go")
            or name.startswith("zz_")
            or "generated" in name
        ):
            continue
        struct = None
        for line in _git(repo, "show", f"HEAD:{directory}/{name}").splitlines():
            start = _STRUCT.match(line)
            if start:
                struct = f"{package}.{start.group(1)}"
                continue
            if line.startswith("}"):
                struct = None
                continue
            field = _GO_FIELD.match(line)
            if struct is None or field is None:
                continue
            field_name, go_type, tag = field.groups()
            number = re.search(r'protobuf:"\w+,(\d+),', tag)
            json_tag = re.search(r'json:"([^"]*)"', tag)
            if number is None or json_tag is None:
                continue
            key = (struct, int(number.group(1)))
            if field_name is None and not json_tag.group(1).split(",")[0]:  # embedded, no JSON name
                flags[key] = "inline"
            elif "omitempty" in json_tag.group(1) and go_type in (
                "string",
                "bool",
                "int32",
                "int64",
                "float64",
            ):
                flags[key] = "omitzero"
    return flags


def _qualify(package: str, kind: str, known: dict[str, object]) -> str:
    if kind.startswith("."):
        return kind[1:]
    local = f"{package}.{kind}"
    return local if local in known else kind


def main(api: str, machinery: str) -> None:
    raw: dict[str, tuple[str, list[list[object]]]] = {}
    flags: dict[tuple[str, int], str] = {}
    sources = []
    for repo, project, paths in (
        (api, "kubernetes/api", list(GROUPS.values())),
        (machinery, "kubernetes/apimachinery", MACHINERY),
    ):
        commit, day = _git(repo, "log", "-1", "--format=%H %cs").split()
        for path in paths:
            package, messages = _parse(_git(repo, "show", f"HEAD:{path}/generated.proto"))
            for name, fields in messages.items():
                raw[name] = (package, fields)
            flags.update(_go_flags(repo, path, package))
        sources.append(
            {
                "project": project,
                "commit": commit,
                "date": day,
                "files": [f"{p}/generated.proto" for p in paths],
            }
        )
    tables: dict[str, dict[str, list[object]]] = {}
    for name, (package, fields) in raw.items():
        table: dict[str, list[object]] = {}
        for number, field_name, kind, label in fields:
            if label == "map":
                key, value = kind  # type: ignore[misc]
                kind = [key, _qualify(package, value, raw)]
            else:
                kind = _qualify(package, kind, raw)  # type: ignore[arg-type]
            flag = flags.get((name, number))  # type: ignore[arg-type]
            table[str(number)] = [field_name, kind, label or flag or ""]
        tables[name] = table
    # keep what the kinds of GROUPS reach, and runtime.Unknown (the envelope)
    packages = {gv: "k8s.io.api." + path.replace("/", ".") for gv, path in GROUPS.items()}
    kept: dict[str, dict[str, list[object]]] = {}
    todo = [n for n in tables if n.rsplit(".", 1)[0] in packages.values()] + [
        "k8s.io.apimachinery.pkg.runtime.Unknown"
    ]
    while todo:
        name = todo.pop()
        if name in kept or name not in tables:
            continue
        kept[name] = tables[name]
        for _, kind, _ in tables[name].values():
            for ref in kind if isinstance(kind, list) else [kind]:
                if isinstance(ref, str) and ref in tables:
                    todo.append(ref)
    document = {
        "_provenance": {
            "sources": sources,
            "extracted": "message field tables (number -> json name, type, label) of generated.proto",
        },
        "packages": packages,
        "messages": dict(sorted(kept.items())),
    }
    text = json.dumps(document, separators=(",", ":")) + "\n"
    OUT.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"{OUT}: {len(kept)} messages, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:3])
