#!/usr/bin/env python3
"""Rebuild mock_eks/data catalogue files from public release data, so an update is mechanical.

Each sub-command reads one public source (a git checkout or bare mirror of the project named below),
extracts the facts the mock needs and rewrites only its part of the catalogue, recording the source's
project, file, commit and commit date in the file's ``_provenance``. No source text is copied.

  ami-linux   awslabs/amazon-eks-ami: CHANGELOG.md (release notes of every AL2 / AL2023 EKS AMI)
  bottlerocket bottlerocket-os/bottlerocket: release tags and the aws-k8s-* variants in each
  bottlerocket-history  a copy of bottlerocket's history without tags: CHANGELOG.md's releases (version,
              date) and the aws-k8s-* variants when each was written up; a release's commit comes from
              scripts/sources/bottlerocket/commits-in-public-ami-names.json, else it is unknown ("-*")
  ami-windows awsdocs/amazon-eks-user-guide: latest/ug/nodes/eks-ami-versions-windows.adoc
  platforms   awsdocs/amazon-eks-user-guide: latest/ug/clusters/platform-versions.adoc
  addon-recording  a public DescribeAddonVersions recording (aws-cli or eksctl JSON, any encoding) kept
              in a git repository: every revision of the file -> scripts/sources/addons/recording-*.json
  addon-pins  a configuration that pins EKS add-on builds next to its cluster version (Terraform or
              Terragrunt: eks_cluster_version = "1.33", eks_addon_coredns_version_override = "v..."),
              every revision -> scripts/sources/addons/pins-<owner>-<name>.json
  addon-upstream  the upstream project an EKS add-on packages (aws/amazon-vpc-cni-k8s, coredns/coredns,
              kubernetes-sigs/aws-ebs-csi-driver, ...): its release tags vX.Y.Z and their dates, the
              earliest day an EKS build vX.Y.Z-eksbuild.N can have been published
              -> scripts/sources/addons/upstream-releases.json
  addons      scripts/sources/addons/*.json (facts extracted from public DescribeAddonVersions recordings
              and the EKS User Guide's add-on version tables) -> mock_eks/data/addons.json

Usage: python scripts/rebuild_catalogues.py ami-linux /path/to/amazon-eks-ami [...]
See HACKING.md ("Updating the catalogues").
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "mock_eks" / "data"
SOURCES = Path(__file__).resolve().parent / "sources"


# ---- git helpers (a checkout or a bare mirror both work)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def _provenance(repo: Path, project: str, file: str) -> dict[str, str]:
    commit, when = _git(repo, "log", "-1", "--format=%H %cs", "HEAD").split()
    return {
        "project": project,
        "file": file,
        "commit": commit,
        "commitDate": when,
        "extracted": date.today().isoformat(),
    }


def _minor_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


# ---- AL2 / AL2023 from the amazon-eks-ami CHANGELOG

_RELEASE_HEADING = re.compile(r"^#+\s+(\[Recalled\]\s+)?AMI Release (v\d{8})\s*$")
_AMI_NAME = re.compile(r"amazon-eks-[a-z0-9_-]*?node-(?:[a-z0-9_-]+-)?(\d+\.\d+)-v\d{8}")
_RELEASE_VERSION = re.compile(r"\b(\d+\.\d+)\.\d+-\d{8}\b")


def _linux_family(ami_name: str) -> str:
    return "AL2023" if "-al2023-" in ami_name else "AL2"


def parse_eks_ami_changelog(text: str) -> dict[str, dict[str, set[str]]]:
    """{family: {minor: {releaseVersion}}} for every release that was not recalled.

    Old notes list AMI names and release versions separately (all AL2); newer ones pair them in
    HTML tables, where a release version cell spans the rows of the AMI names it belongs to.
    """
    out: dict[str, dict[str, set[str]]] = {"AL2": {}, "AL2023": {}}
    sections: list[tuple[bool, str, list[str]]] = []
    for line in text.splitlines():
        heading = _RELEASE_HEADING.match(line)
        if heading:
            sections.append((bool(heading.group(1)), heading.group(2), []))
        elif sections:
            sections[-1][2].append(line)
    for recalled, stamp, lines in sections:
        if recalled:
            continue
        if any("<td" in line for line in lines):
            pending: list[str] = []
            current: str | None = None
            for line in lines:
                if "<table" in line:
                    current, pending = None, []
                for name in _AMI_NAME.finditer(line):
                    pending.append(name.group(0))
                for release in _RELEASE_VERSION.finditer(line):
                    if "<td" in line:
                        current = release.group(0)
                if "</tr>" in line or "</table>" in line:
                    for name in pending:
                        if (
                            current
                            and _AMI_NAME.match(name).group(1)
                            == current.split(".")[0] + "." + current.split(".")[1]
                        ):
                            out[_linux_family(name)].setdefault(_AMI_NAME.match(name).group(1), set()).add(
                                current
                            )
                    pending = []
        else:  # list format: AMI names, then release versions; pair by Kubernetes minor
            families_by_minor: dict[str, set[str]] = {}
            for line in lines:
                for name in _AMI_NAME.finditer(line):
                    families_by_minor.setdefault(name.group(1), set()).add(_linux_family(name.group(0)))
            found = [
                release
                for line in lines
                if line.lstrip().startswith(("*", "-")) and "`" in line
                for release in _RELEASE_VERSION.finditer(line)
            ]
            releases = [(r.group(1), r.group(0)) for r in found]
            if (
                not releases
            ):  # the oldest notes give no release versions: the binaries' patch + the build date
                releases = [
                    (m.group(1), f"{m.group(1)}.{m.group(2)}-{stamp[1:]}")
                    for line in lines
                    for m in re.finditer(r"s3://amazon-eks/(\d+\.\d+)\.(\d+)/", line)
                ]
            for minor, release in releases:
                for family in families_by_minor.get(minor, {"AL2"}):
                    out[family].setdefault(minor, set()).add(release)
    return out


def _dated_linux(version: str) -> list[str]:
    stamp = version.rsplit("-", 1)[1]
    return [f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:]}", version]


def cmd_ami_linux(repo: Path) -> None:
    text = _git(repo, "show", "HEAD:CHANGELOG.md")
    parsed = parse_eks_ami_changelog(text)
    catalogue = _load("ami_releases.json")
    for family, minors in parsed.items():
        entry = catalogue["families"][family]
        entry["releases"] = {
            minor: sorted((_dated_linux(v) for v in versions), key=lambda dv: (dv[0], _patch_key(dv[1])))
            for minor, versions in sorted(minors.items(), key=lambda kv: _minor_key(kv[0]))
        }
        entry["_provenance"] = _provenance(repo, "awslabs/amazon-eks-ami", "CHANGELOG.md")
    _save("ami_releases.json", catalogue)


def _patch_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


# ---- Bottlerocket from its release tags


def cmd_bottlerocket(repo: Path) -> None:
    refs = _git(
        repo,
        "for-each-ref",
        "--format=%(refname:short) %(*objectname) %(objectname) %(creatordate:short)",
        "refs/tags",
    )
    releases: dict[str, list[list[str]]] = {}
    for line in refs.splitlines():
        parts = line.split()
        if len(parts) == 3:  # a lightweight tag: no peeled object
            tag, commit, when = parts
        else:
            tag, commit, _, when = parts
        match = re.fullmatch(r"v(\d+\.\d+\.\d+)", tag)
        if not match:
            continue
        try:
            variants = _git(repo, "ls-tree", "--name-only", f"{tag}:variants")
        except subprocess.CalledProcessError:
            continue
        for variant in variants.split():
            minor = re.fullmatch(r"aws-k8s-(\d+\.\d+)", variant)
            if minor:
                releases.setdefault(minor.group(1), []).append([when, f"{match.group(1)}-{commit[:8]}"])
    catalogue = _load("ami_releases.json")
    entry = catalogue["families"]["BOTTLEROCKET"]
    entry["releases"] = {
        minor: sorted(items, key=lambda dv: (dv[0], _patch_key(dv[1])))
        for minor, items in sorted(releases.items(), key=lambda kv: _minor_key(kv[0]))
    }
    entry["_provenance"] = _provenance(
        repo, "bottlerocket-os/bottlerocket", "release tags v*, variants/aws-k8s-*"
    )
    _add_bottlerocket_history(entry)
    _save("ami_releases.json", catalogue)


_BOTTLEROCKET_SOURCES = SOURCES / "bottlerocket"
_CHANGELOG_RELEASE = re.compile(r"^# v(\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)", re.MULTILINE)


def parse_bottlerocket_changelog(text: str) -> list[tuple[str, str]]:
    """[(version, release date)] of every release CHANGELOG.md writes up, newest first."""
    return _CHANGELOG_RELEASE.findall(text)


def cmd_bottlerocket_history(repo: Path, project: str) -> None:
    """Releases after the newest tag we have, from a copy of bottlerocket's history that has no tags.

    Each release's Kubernetes minors are the aws-k8s-* variants in the tree of the first commit whose
    CHANGELOG.md starts with that release (the release's write-up), an approximation of its tag's tree.
    """
    written: dict[str, str] = {}  # version -> first commit that writes it up
    for line in _git(repo, "log", "--reverse", "--first-parent", "--format=%H", "--", "CHANGELOG.md").split():
        top = parse_bottlerocket_changelog(_git(repo, "show", f"{line}:CHANGELOG.md"))
        if top:
            written.setdefault(top[0][0], line)
    releases = []
    for version, when in parse_bottlerocket_changelog(_git(repo, "show", "HEAD:CHANGELOG.md")):
        commit = written.get(version)
        if commit is None:
            continue
        try:
            variants = _git(repo, "ls-tree", "--name-only", f"{commit}:variants").split()
        except subprocess.CalledProcessError:
            continue
        minors = sorted(
            {m.group(1) for v in variants if (m := re.fullmatch(r"aws-k8s-(\d+\.\d+)", v))}, key=_minor_key
        )
        releases.append({"version": version, "date": when, "kubernetes": minors})
    facts = {
        "_source": {
            **_provenance(repo, project, "CHANGELOG.md (every first-parent revision), variants/aws-k8s-*"),
            "what": "Bottlerocket releases (version, date) and the aws-k8s variants when each was written up",
        },
        "releases": releases,
    }
    _BOTTLEROCKET_SOURCES.mkdir(exist_ok=True)
    path = _BOTTLEROCKET_SOURCES / "releases-from-changelog.json"
    _write(path, facts)
    catalogue = _load("ami_releases.json")
    _add_bottlerocket_history(catalogue["families"]["BOTTLEROCKET"])
    _save("ami_releases.json", catalogue)


def _add_bottlerocket_history(entry: dict[str, Any]) -> None:
    """Add the releases the tags do not have; a release whose tag commit no public source shows gets
    the suffix "-*" (any commit accepted, never offered as a default)."""
    history = _BOTTLEROCKET_SOURCES / "releases-from-changelog.json"
    if not history.exists():
        return
    facts = json.loads(history.read_text())
    commits = json.loads((_BOTTLEROCKET_SOURCES / "commits-in-public-ami-names.json").read_text())["commits"]
    known = {r.rsplit("-", 1)[0] for items in entry["releases"].values() for _, r in items}
    added: dict[str, list[list[str]]] = {}
    for release in facts["releases"]:
        if release["version"] in known:
            continue
        commit = commits.get(release["version"], {}).get("commit", "*")
        for minor in release["kubernetes"]:
            added.setdefault(minor, []).append([release["date"], f"{release['version']}-{commit}"])
    for minor, items in added.items():
        entry["releases"].setdefault(minor, []).extend(items)
    entry["releases"] = {
        minor: sorted(items, key=lambda dv: (dv[0], _patch_key(dv[1])))
        for minor, items in sorted(entry["releases"].items(), key=lambda kv: _minor_key(kv[0]))
    }
    entry["_provenanceHistory"] = {
        "releases": facts["_source"],
        "commits": "scripts/sources/bottlerocket/commits-in-public-ami-names.json (AMI names quoted in public "
        "configurations); releases ending in -* have no public commit: any 8-hex commit is accepted",
    }


# ---- Windows from the EKS User Guide

_WINDOWS_DOC = "latest/ug/nodes/eks-ami-versions-windows.adoc"


def cmd_ami_windows(repo: Path) -> None:
    text = _git(repo, "show", f"HEAD:{_WINDOWS_DOC}")
    releases: dict[str, set[str]] = {}
    for match in re.finditer(r"\|`(1\.\d+)-(\d{4})\.(\d{2})\.(\d{2})`", text):
        minor = match.group(1)
        releases.setdefault(minor, set()).add(match.group(0)[2:-1])
    catalogue = _load("ami_releases.json")
    entry = catalogue["families"]["WINDOWS"]
    entry["releases"] = {
        minor: sorted([v.split("-", 1)[1].replace(".", "-"), v] for v in versions)
        for minor, versions in sorted(releases.items(), key=lambda kv: _minor_key(kv[0]))
    }
    entry["_provenance"] = _provenance(repo, "awsdocs/amazon-eks-user-guide", _WINDOWS_DOC)
    _add_windows_seen(entry)
    _save("ami_releases.json", catalogue)


def _add_windows_seen(entry: dict[str, Any]) -> None:
    """Add the releases after the guide's snapshot that other public sources show (scripts/sources/windows)."""
    seen = json.loads((SOURCES / "windows" / "releases-seen-in-public-sources.json").read_text())
    for item in seen["releases"]:
        minor, day = item["release"].split("-", 1)
        pair = [day.replace(".", "-"), item["release"]]
        if pair not in entry["releases"].setdefault(minor, []):
            entry["releases"][minor].append(pair)
    entry["releases"] = {
        minor: sorted(items)
        for minor, items in sorted(entry["releases"].items(), key=lambda kv: _minor_key(kv[0]))
    }
    entry["_provenanceSeen"] = "scripts/sources/windows/releases-seen-in-public-sources.json"


# ---- EKS platform versions from the EKS User Guide

_PLATFORM_DOC = "latest/ug/clusters/platform-versions.adoc"
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def cmd_platforms(repo: Path) -> None:
    text = _git(repo, "show", f"HEAD:{_PLATFORM_DOC}")
    rows = re.findall(
        r"\|\s*`(\d+)\.(\d+)\.(\d+)`\s*\n\|\s*`(eks\.\d+)`\s*\n\|[^\n]*\n\|\s*([A-Z][a-z]+) (\d+), (\d{4})",
        text,
    )
    catalogue = _load("kubernetes_versions.json")
    by_version = {e["clusterVersion"]: e for e in catalogue["versions"]}
    for major, minor, _patch, platform, month, day, year in rows:
        entry = by_version.get(f"{major}.{minor}")
        if entry is None:
            continue
        known = entry.setdefault("platformVersions", [])
        if platform not in known:
            known.append(platform)
        known.sort(key=lambda p: int(p.split(".")[1]))
        _ = date(int(year), _MONTHS[month], int(day))  # rows must carry a real date
    catalogue["_provenance"]["platformVersions"] = _provenance(
        repo, "awsdocs/amazon-eks-user-guide", _PLATFORM_DOC
    )
    _save("kubernetes_versions.json", catalogue)


# ---- add-on versions the EKS User Guide lists as latest per Kubernetes version (every revision)

_ADDON_DOC = "latest/ug/networking/eks-networking-add-ons.adoc"
_ADDON_ANCHORS = {
    "vpc-cni-latest-available-version": "vpc-cni",
    "coredns-versions": "coredns",
    "kube-proxy-versions": "kube-proxy",
}


def parse_addon_tables(text: str) -> dict[str, dict[str, str]]:
    """{addon: {kubernetesVersion: addonVersion}} from the guide's "latest version" tables."""
    out: dict[str, dict[str, str]] = {}
    current: str | None = None
    for line in text.splitlines():
        anchor = re.match(r"^\[\[([a-z0-9-]+),", line)
        if anchor:
            current = _ADDON_ANCHORS.get(anchor.group(1))
            continue
        row = re.match(r"^\|\s*(1\.\d+)\s*\|\s*(v[0-9.]+-eksbuild\.\d+)\s*$", line)
        if current and row:
            out.setdefault(current, {})[row.group(1)] = row.group(2)
    return out


def cmd_addon_docs(repo: Path) -> None:
    snapshots = []
    for line in _git(repo, "log", "--format=%H %cs", "--", _ADDON_DOC).splitlines():
        commit, when = line.split()
        tables = parse_addon_tables(_git(repo, "show", f"{commit}:{_ADDON_DOC}"))
        if tables and (not snapshots or snapshots[-1]["addons"] != tables):
            snapshots.append({"commit": commit, "commitDate": when, "addons": tables})
    facts = {
        "_source": {
            **_provenance(repo, "awsdocs/amazon-eks-user-guide", _ADDON_DOC),
            "what": "latest EKS add-on version per Kubernetes version, one entry per revision of the tables",
        },
        "snapshots": snapshots,
    }
    path = SOURCES / "addons" / "user-guide-latest-versions.json"
    path.write_text(json.dumps(facts, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


# ---- add-on facts from a public DescribeAddonVersions recording (every revision of the file)


def _decode(raw: bytes) -> str:
    """Recordings come as UTF-8 or, from PowerShell redirection, UTF-16 with a byte-order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _lower_keys(value: Any) -> Any:
    """eksctl prints the API's members capitalised (AddonVersions); the aws cli prints them as sent."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def parse_addon_recording(text: str) -> dict[str, Any]:
    """Facts of one DescribeAddonVersions answer: per add-on and build, its Kubernetes versions and defaults.

    ``scope`` is every Kubernetes version the answer speaks of. When each build lists one and the same
    version, the call was filtered by --kubernetes-version: builds it leaves out say nothing. Otherwise
    the answer is the whole catalogue of that day, and a build without a version in ``scope`` was not
    compatible with it then (``filtered`` tells the two apart).
    """
    answer = _lower_keys(json.loads(text))
    addons: dict[str, Any] = {}
    seen: set[str] = set()
    for addon in answer.get("addons", []):
        builds = {}
        for info in addon.get("addonVersions", []):
            compat = info.get("compatibilities") or []
            facts: dict[str, Any] = {
                "k": sorted((c["clusterVersion"] for c in compat), key=_minor_key, reverse=True),
                "default": sorted(
                    (c["clusterVersion"] for c in compat if c.get("defaultVersion")),
                    key=_minor_key,
                    reverse=True,
                ),
            }
            platforms = sorted({p for c in compat for p in c.get("platformVersions") or ["*"]})
            if platforms != ["*"]:
                facts["platformVersions"] = platforms
            for field in ("architecture", "computeTypes", "requiresConfiguration", "requiresIamPermissions"):
                if field in info:
                    facts[field] = info[field]
            seen.update(facts["k"])
            builds[info["addonVersion"]] = facts
        entry: dict[str, Any] = {"type": addon.get("type")}
        for field in ("publisher", "owner", "marketplaceInformation"):
            if addon.get(field):
                entry[field] = addon[field]
        entry["builds"] = builds
        addons[addon["addonName"]] = entry
    every = [facts["k"] for entry in addons.values() for facts in entry["builds"].values()]
    filtered = len(seen) == 1 and all(k == sorted(seen) for k in every)
    return {
        "scope": sorted(seen, key=_minor_key),
        "filtered": filtered,
        "addons": dict(sorted(addons.items())),
    }


def cmd_addon_recording(repo: Path, file: str, project: str) -> None:
    written: list[Any] = []
    log = _git(repo, "log", "--reverse", "--format=%H %cs", "--", file).splitlines()
    for line in log:
        commit, when = line.split()
        try:
            raw = subprocess.run(
                ["git", "-C", str(repo), "show", f"{commit}:{file}"], check=True, capture_output=True
            ).stdout
        except subprocess.CalledProcessError:  # the revision deleted the file
            continue
        try:
            facts = parse_addon_recording(_decode(raw))
        except (ValueError, KeyError):
            print(f"skipped {commit}: not a DescribeAddonVersions answer", file=sys.stderr)
            continue
        if not facts["addons"] or any(f["addons"] == facts["addons"] for f in written):
            continue
        written.append(facts)
        scope = f"k8s-{facts['scope'][0]}" if facts["filtered"] else "all"
        record = {
            "_source": {
                "project": project,
                "file": file,
                "commit": commit,
                "commitDate": when,
                "extracted": date.today().isoformat(),
                "what": "DescribeAddonVersions output as recorded in the file at this commit"
                + (
                    " (filtered by --kubernetes-version)"
                    if facts["filtered"]
                    else " (every add-on, no filter)"
                ),
            },
            **facts,
        }
        path = SOURCES / "addons" / f"recording-{when}-{scope}.json"
        _write(path, record)


# ---- add-on builds a configuration pins next to its cluster version (every revision of the file)

# variable-name stems of Terraform/Terragrunt add-on pins -> EKS add-on names
_PIN_NAMES = {
    "vpccni": "vpc-cni",
    "vpc_cni": "vpc-cni",
    "coredns": "coredns",
    "kubeproxy": "kube-proxy",
    "kube_proxy": "kube-proxy",
    "awsebscsidriver": "aws-ebs-csi-driver",
    "ebs_csi_driver": "aws-ebs-csi-driver",
    "awsefscsidriver": "aws-efs-csi-driver",
    "efs_csi_driver": "aws-efs-csi-driver",
    "podidentity": "eks-pod-identity-agent",
    "pod_identity_agent": "eks-pod-identity-agent",
}
_PIN = re.compile(
    r"^\s*\w*?addon_(\w+?)_version(?:_override)?\s*=\s*\"(v\d+\.\d+\.\d+-eksbuild\.\d+)\"", re.M
)
_PIN_CLUSTER = re.compile(r"^\s*\w*cluster_version\s*=\s*\"(1\.\d+)\"", re.M)


def parse_addon_pins(text: str) -> tuple[str | None, dict[str, str]]:
    """(cluster version, {add-on: build}) of one revision of a configuration."""
    cluster = _PIN_CLUSTER.search(text)
    pins = {_PIN_NAMES[m.group(1)]: m.group(2) for m in _PIN.finditer(text) if m.group(1) in _PIN_NAMES}
    return (cluster.group(1) if cluster else None), pins


def cmd_addon_pins(repo: Path, file: str, project: str) -> None:
    seen: dict[tuple[str, str, str], str] = {}  # (add-on, cluster version, build) -> first commit date
    for line in _git(repo, "log", "--all", "--reverse", "--format=%H %cs", "--", file).splitlines():
        commit, when = line.split()
        try:
            text = _git(repo, "show", f"{commit}:{file}")
        except subprocess.CalledProcessError:
            continue
        cluster, pins = parse_addon_pins(text)
        if cluster is None:
            continue
        for name, version in pins.items():
            seen.setdefault((name, cluster, version), when)
    by_cluster: dict[str, dict[str, list[str]]] = {}
    for (name, cluster, version), _when in sorted(seen.items(), key=lambda kv: kv[1]):
        by_cluster.setdefault(cluster, {}).setdefault(name, []).append(version)
    facts = {
        "_source": {
            **_provenance(repo, project, file),
            "what": "add-on builds the configuration pinned next to its cluster version, over every revision "
            f"({min(seen.values(), default='')} to {max(seen.values(), default='')}); each build ran on that version",
        },
        "observations": [
            {"source": f"{project} {file} (cluster version {k})", "clusterVersions": [k], "builds": builds}
            for k, builds in sorted(by_cluster.items(), key=lambda kv: _minor_key(kv[0]))
        ],
    }
    path = SOURCES / "addons" / f"pins-{project.replace('/', '-')}.json"
    _write(path, facts)


# ---- upstream release dates of the software an add-on packages (lower bounds of its builds' dates)

_RELEASE_TAG = re.compile(r"v?(\d+\.\d+\.\d+)")


def parse_release_tags(refs: str) -> dict[str, str]:
    """{X.Y.Z: date} from `git for-each-ref --format='%(refname:short) %(creatordate:short)'` lines:
    release tags only (no pre-releases, no helm-chart-* tags), the earliest date where a version has two."""
    releases: dict[str, str] = {}
    for line in refs.splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        match = _RELEASE_TAG.fullmatch(parts[0])
        if match and (match.group(1) not in releases or parts[1] < releases[match.group(1)]):
            releases[match.group(1)] = parts[1]
    return releases


def cmd_addon_upstream(repo: Path, addon: str, project: str) -> None:
    refs = _git(repo, "for-each-ref", "--format=%(refname:short) %(creatordate:short)", "refs/tags")
    releases = parse_release_tags(refs)
    path = SOURCES / "addons" / "upstream-releases.json"
    facts = json.loads(path.read_text()) if path.exists() else {"_about": _UPSTREAM_ABOUT, "addons": {}}
    facts["addons"][addon] = {
        "_source": {**_provenance(repo, project, "release tags vX.Y.Z"), "what": "tag date of each release"},
        "releases": dict(sorted(releases.items(), key=lambda kv: _patch_key(kv[0]))),
    }
    facts["addons"] = dict(sorted(facts["addons"].items()))
    _write(path, facts)


_UPSTREAM_ABOUT = (
    "release dates of the upstream software EKS add-ons package (the date of each release tag vX.Y.Z); "
    "EKS publishes a build vX.Y.Z-eksbuild.N of an add-on no earlier than that day"
)


# ---- add-ons from our extracted facts


def cmd_addons(_: Path | None = None) -> None:
    from importlib import util

    spec = util.spec_from_file_location("addon_facts", Path(__file__).with_name("addon_facts.py"))
    module = util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    _save(
        "addons.json",
        module.build(SOURCES / "addons", _load("addons.json"), _load("kubernetes_versions.json")),
    )


# ---- files


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def _compact(text: str) -> str:
    """Innermost lists of scalars on one line: the files stay small and diffs stay readable."""
    return re.sub(
        r"\[\s*((?:\"[^\"\n]*\"|true|false|[\d.]+)(?:,\s*(?:\"[^\"\n]*\"|true|false|[\d.]+))*)\s*\]",
        lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]",
        text,
    )


def _write(path: Path, value: Any) -> None:
    path.write_text(_compact(json.dumps(value, indent=1)) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def _save(name: str, value: Any) -> None:
    _write(DATA / name, value)


COMMANDS = {
    "ami-linux": cmd_ami_linux,
    "bottlerocket": cmd_bottlerocket,
    "ami-windows": cmd_ami_windows,
    "platforms": cmd_platforms,
    "addon-docs": cmd_addon_docs,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "command",
        choices=[*COMMANDS, "addons", "addon-recording", "addon-pins", "addon-upstream", "bottlerocket-history"],
    )
    parser.add_argument("source", nargs="?", type=Path, help="git checkout or mirror of the source project")
    parser.add_argument("--file", help="addon-recording: the recording's path inside the repository")
    parser.add_argument(
        "--project",
        help="addon-recording, addon-pins, addon-upstream, bottlerocket-history: the repository's owner/name",
    )
    parser.add_argument("--addon", help="addon-upstream: the EKS add-on the project is packaged as")
    args = parser.parse_args(argv)
    if args.command == "addons":
        cmd_addons()
    elif args.command in ("addon-recording", "addon-pins"):
        if args.source is None or not args.file or not args.project:
            parser.error(f"{args.command} needs the repository path, --file and --project")
        extract = cmd_addon_recording if args.command == "addon-recording" else cmd_addon_pins
        extract(args.source, args.file, args.project)
    elif args.command == "addon-upstream":
        if args.source is None or not args.addon or not args.project:
            parser.error("addon-upstream needs the repository path, --addon and --project")
        cmd_addon_upstream(args.source, args.addon, args.project)
    elif args.command == "bottlerocket-history":
        if args.source is None or not args.project:
            parser.error("bottlerocket-history needs the repository path and --project")
        cmd_bottlerocket_history(args.source, args.project)
    else:
        if args.source is None:
            parser.error(f"{args.command} needs the path of the source repository")
        COMMANDS[args.command](args.source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
