"""Build mock_eks/data/addons.json from the add-on facts in scripts/sources/addons/.

Facts, strongest first, decide whether build B of an add-on is compatible with Kubernetes version K:
1. a recording of DescribeAddonVersions lists B as compatible with K (or default for K), or as not
   compatible: an unfiltered recording (recording-*-all.json) that lists B without K, where K is
   among the versions it covers, says B did not run on K that day. A build once recorded as
   compatible with K stays so (EKS later delists old builds; users still pass them);
2. the EKS User Guide lists B as the latest version for K (its git history, or stored copies of its
   pages in user-guide-pages.json), or a public configuration pins B for K;
3. the earlier catalogue lists B as compatible with K;
4. otherwise B's family (same add-on major.minor) decides. For add-ons tied to the Kubernetes minor
   (kube-proxy, coredns) B is compatible with K between the lowest K this family or a newer one is
   known to run on (kube-proxy: its own minor) and the highest K this family is known to run on. For
   the others, whose builds serve every supported Kubernetes version, the window spans what this
   family and the next older family with facts are known to run on. A family with no facts at all
   gets the lowest K of the next newer family.
An add-on's type, publisher, owner and marketplaceInformation are those of the newest recording that
lists it (addon-metadata.json holds the rest: namespace, pod identity service accounts). Marketplace
add-ons a recording lists are in the catalogue with what the recordings show (no default namespace).
A version is the default for K when the newest source that names a default for K names it (a recorded
CreateAddon without a version, in an observation's "defaults", is the newest of all); where no
source names one, the newest build compatible with K is the default (EKS flags exactly one per K).
The rule in 4 is an inference: each build lists the Kubernetes versions it adds in "inferredFor"
(every other version in its "clusterVersions" has a source of rules 1-3).

Dates. A build is offered from its "released" day, the latest of its lower bounds: the upstream release
it packages (upstream-releases.json: build vX.Y.Z-eksbuild.N of an add-on is no older than tag vX.Y.Z of
the software; kube-proxy vX.Y.Z is no older than EKS's release of Kubernetes X.Y), and the day of each
dated recording that shows the add-on without it although the build is newer than every build the
recording lists (of its family, for add-ons tied to the Kubernetes minor) and runs on a version the
recording covers (the recording's commit day: the answer was saved then, so the bound may be late by the
days between recording and commit). A dated source that shows the build earlier wins over
the bounds (it existed then). A build with no bound has no date: it is offered at any clock.
"defaultsOn" lists the dated defaults, [day, {K: build}], oldest first: what a dated recording flags as
default, or what a dated CreateAddon without a version installed. At a clock, the default for K is the
newest of those on or before it, unless the undated default of "defaultFor" is newer (its build's
"released" day is later); with neither, the newest build offered that runs on K.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# add-ons whose builds follow the Kubernetes minor (the User Guide's tables pair them minor by minor)
KUBERNETES_TIED = frozenset({"kube-proxy", "coredns"})

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-(?:minimal-)?eksbuild\.(\w+))?")


def version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version)
    if not match:
        return (0,)
    build = match.group(4) or "0"
    return (*(int(p) for p in match.groups()[:3]), int(build) if build.isdigit() else -1)


def _family(version: str) -> tuple[int, int]:
    key = version_key(version)
    return (key[0], key[1]) if len(key) > 1 else (0, 0)


def _kkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def build(sources: Path, _previous: Any, kubernetes: dict[str, Any]) -> dict[str, Any]:
    k_versions = sorted((e["clusterVersion"] for e in kubernetes["versions"]), key=_kkey)
    metadata = json.loads((sources / "addon-metadata.json").read_text())
    earlier = json.loads((sources / "earlier-catalogue.json").read_text())
    guide = json.loads((sources / "user-guide-latest-versions.json").read_text())
    recordings = [json.loads(p.read_text()) for p in sorted(sources.glob("recorded-*.json"))]
    # raw recordings (scripts/rebuild_catalogues.py addon-recording), oldest first
    raw = sorted(
        (json.loads(p.read_text()) for p in sources.glob("recording-*.json")),
        key=lambda r: r["_source"]["commitDate"],
    )
    observed = json.loads((sources / "observed-in-public-configurations.json").read_text())
    pages = json.loads((sources / "user-guide-pages.json").read_text())
    pinned = [json.loads(p.read_text()) for p in sorted(sources.glob("pins-*.json"))]
    observations = observed["observations"] + pages["observations"]
    observations += [o for pins in pinned for o in pins["observations"]]
    upstream_path = sources / "upstream-releases.json"
    upstream = json.loads(upstream_path.read_text())["addons"] if upstream_path.exists() else {}

    # evidence[name][build][K] = True (compatible) / False (recorded as not compatible)
    evidence: dict[str, dict[str, dict[str, bool]]] = {}
    strong: dict[str, dict[str, set[str]]] = {}  # K values fixed by rules 1-3 (not inferred)
    defaults: dict[str, dict[str, str]] = {}  # name -> K -> default build (later sources override)
    extra: dict[str, dict[str, dict[str, Any]]] = {}  # per-build fields other than compatibility

    def note(name: str, version: str, k: str, ok: bool, *, override: bool) -> None:
        per = evidence.setdefault(name, {}).setdefault(version, {})
        fixed = strong.setdefault(name, {}).setdefault(version, set())
        if k not in fixed or override:
            per[k] = ok
            fixed.add(k)

    for recording in recordings:  # rule 1
        k = recording["clusterVersion"]
        for name, facts in recording["addons"].items():
            for version in facts["compatible"]:
                note(name, version, k, True, override=True)
            for version in facts["incompatible"]:
                note(name, version, k, False, override=True)
            for version in facts.get("amd64Only", ()):
                extra.setdefault(name, {}).setdefault(version, {})["architecture"] = ["amd64"]
            defaults.setdefault(name, {})[k] = facts["default"]
    recorded_ok: dict[str, dict[str, set[str]]] = {}  # name -> build -> K some recording lists
    for recording in recordings:
        for name, facts in recording["addons"].items():
            for version in facts["compatible"]:
                recorded_ok.setdefault(name, {}).setdefault(version, set()).add(recording["clusterVersion"])
    for recording in raw:
        for name, entry in recording["addons"].items():
            for version, facts in entry["builds"].items():
                recorded_ok.setdefault(name, {}).setdefault(version, set()).update(facts["k"])
    for recording in raw:  # rule 1, raw recordings: newer ones name the defaults
        for name, entry in recording["addons"].items():
            for version, facts in entry["builds"].items():
                for k in facts["k"]:
                    note(name, version, k, True, override=True)
                if not recording["filtered"]:
                    for k in set(recording["scope"]) - set(facts["k"]):
                        if k not in recorded_ok[name][version]:
                            note(name, version, k, False, override=True)
                for k in facts["default"]:
                    defaults.setdefault(name, {})[k] = version
                fields = {
                    f: facts[f]
                    for f in (
                        "architecture",
                        "computeTypes",
                        "requiresConfiguration",
                        "requiresIamPermissions",
                    )
                    if f in facts
                }
                extra.setdefault(name, {}).setdefault(version, {}).update(fields)
    for snapshot in sorted(guide["snapshots"], key=lambda s: s["commitDate"]):  # rule 2
        for name, table in snapshot["addons"].items():
            for k, version in table.items():
                if k not in strong.get(name, {}).get(version, set()):
                    note(name, version, k, True, override=False)
    for observation in observations:  # rule 2, second half
        pins: dict[str, dict[str, Any]] = {
            name: dict.fromkeys(observation.get("clusterVersions", ()), version)
            for name, version in observation.get("addons", {}).items()
        }
        for name, versions in observation.get("builds", {}).items():  # several builds per version
            for version in versions:
                for k in observation.get("clusterVersions", ()):
                    if k not in strong.get(name, {}).get(version, set()):
                        note(name, version, k, True, override=False)
        for name, table in observation.get("perVersion", {}).items():
            pins.setdefault(name, {}).update(table)
        for name, table in pins.items():
            for k, version in table.items():
                if k not in strong.get(name, {}).get(version, set()):
                    note(name, version, k, True, override=False)
    for name, builds in earlier["addons"].items():  # rule 3 (newest source: its defaults win)
        for entry in builds:
            version = entry["addonVersion"]
            evidence.setdefault(name, {}).setdefault(version, {})
            for k in entry["compatible"]:
                if k not in strong.get(name, {}).get(version, set()):
                    note(name, version, k, True, override=False)
            for k in entry.get("defaultFor", ()):
                defaults.setdefault(name, {})[k] = version
            fields = {f: entry[f] for f in entry if f not in ("addonVersion", "compatible", "defaultFor")}
            extra.setdefault(name, {}).setdefault(version, {}).update(fields)
    # what CreateAddon without a version installed, recorded after every source above: EKS's default then
    for observation in observations:
        for name, version in observation.get("defaults", {}).items():
            for k in observation.get("clusterVersions", ()):
                defaults.setdefault(name, {})[k] = version

    dated_defaults: dict[str, dict[str, dict[str, str]]] = {}  # name -> day -> K -> build
    first_seen: dict[str, dict[str, str]] = {}  # name -> build -> earliest day a dated source shows it

    def seen(name: str, version: str, day: str) -> None:
        known = first_seen.setdefault(name, {}).get(version)
        if known is None or day < known:
            first_seen[name][version] = day

    for recording in raw:
        day = recording["_source"]["commitDate"]
        for name, entry in recording["addons"].items():
            for version, facts in entry["builds"].items():
                seen(name, version, day)
                for k in facts["default"]:
                    dated_defaults.setdefault(name, {}).setdefault(day, {})[k] = version
    for snapshot in guide["snapshots"]:
        for name, table in snapshot["addons"].items():
            for version in table.values():
                seen(name, version, snapshot["commitDate"])
    for observation in observations:
        day = observation.get("date")
        if day is None:
            continue
        named = [(n, v) for n, v in observation.get("addons", {}).items()]
        named += [(n, v) for n, vs in observation.get("builds", {}).items() for v in vs]
        named += [(n, v) for n, t in observation.get("perVersion", {}).items() for v in t.values()]
        named += list(observation.get("defaults", {}).items())
        for name, version in named:
            seen(name, version, day)
        for name, version in observation.get("defaults", {}).items():
            for k in observation.get("clusterVersions", ()):
                dated_defaults.setdefault(name, {}).setdefault(day, {})[k] = version

    # marketplace add-ons the recordings list: no metadata of ours (no namespace claimed)
    listed = dict(metadata["addons"])
    for recording in raw:
        for name, entry in recording["addons"].items():
            if entry.get("owner") == "aws-marketplace" and name not in listed:
                listed[name] = {"addonName": name, "podIdentityConfiguration": []}
    addons = []
    for name, meta in sorted(listed.items(), key=lambda kv: kv[0] not in metadata["addons"]):
        builds = evidence.get(name, {})
        if not builds:
            continue
        families: dict[tuple[int, int], set[str]] = {}
        for version, per in builds.items():
            families.setdefault(_family(version), set()).update(k for k, ok in per.items() if ok)
        ordered = sorted(families)
        template = {**_template(name, extra, builds), **meta.get("_versionDefaults", {})}
        out_versions = []
        chosen = dict(defaults.get(name, {}))
        for version in sorted(builds, key=version_key, reverse=True):
            per = builds[version]
            family = _family(version)
            known = families[family] | {k for f in ordered if f > family for k in families[f]}
            compatible = {k for k, ok in per.items() if ok}
            own_high = max(families[family], key=_kkey) if families[family] else None
            older = [families[f] for f in ordered if f < family and families[f]]
            if name == "kube-proxy":
                own = f"{family[0]}.{family[1]}"
                low, high = own, max([own, *families[family]], key=_kkey)
            elif own_high is None:  # nothing known of this family: up to where newer families start
                newer = [k for f in ordered if f > family for k in families[f]]
                low = high = min(newer, key=_kkey) if newer else None
            elif name in KUBERNETES_TIED:
                low, high = min(known, key=_kkey), own_high
            else:
                window = families[family] | (older[-1] if older else set())
                low, high = min(window, key=_kkey), max(window, key=_kkey)
            inferred = set()
            if low and high:
                for k in k_versions:
                    if _kkey(low) <= _kkey(k) <= _kkey(high) and k not in per:
                        inferred.add(k)
            compatible |= inferred
            record: dict[str, Any] = {"addonVersion": version}
            record.update(
                {f: v for f, v in extra.get(name, {}).get(version, {}).items() if v != template.get(f)}
            )
            record["clusterVersions"] = sorted(
                (k for k in compatible if k in k_versions), key=_kkey, reverse=True
            )
            if inferred & set(k_versions):  # rule 4 only: no source shows this build on these versions
                record["inferredFor"] = sorted(inferred & set(k_versions), key=_kkey, reverse=True)
            out_versions.append(record)
        _settle_defaults(out_versions, chosen)
        releases = dict(upstream.get(name, {}).get("releases", {}))
        if name == "kube-proxy":
            releases = {f"{k['clusterVersion']}.*": k["releaseDate"] for k in kubernetes["versions"]}
        _date_builds(name, out_versions, raw, releases, first_seen.get(name, {}))
        entry = {k: v for k, v in meta.items() if not k.startswith("_")}
        # type, publisher, owner and marketplace data as the newest recording that lists it shows them
        for recording in raw:
            shown = recording["addons"].get(name)
            for field in ("type", "publisher", "owner", "marketplaceInformation"):
                if shown and shown.get(field):
                    entry[field] = shown[field]
        entry["versionDefaults"] = template
        if name in dated_defaults:
            entry["defaultsOn"] = [
                [day, dict(sorted(ks.items(), key=lambda kv: _kkey(kv[0])))]
                for day, ks in sorted(dated_defaults[name].items())
            ]
        entry["versions"] = out_versions
        addons.append(entry)
    return {
        "_provenance": {
            "built": "scripts/rebuild_catalogues.py addons (scripts/addon_facts.py)",
            "sources": {
                "recordings": [r["_source"] for r in recordings] + [r["_source"] for r in raw],
                "userGuide": guide["_source"],
                "publicConfigurations": [o["source"] for o in observed["observations"]],
                "userGuidePages": [o["source"] for o in pages["observations"]],
                "pinnedInConfigurations": [p["_source"] for p in pinned],
                "upstreamReleases": {n: u["_source"] for n, u in upstream.items()},
                "earlierCatalogue": earlier["_source"],
                "metadata": metadata["_source"],
            },
            "rules": (__doc__ or "").strip(),
        },
        "addons": addons,
    }


def _settle_defaults(records: list[dict[str, Any]], named: dict[str, str]) -> None:
    """One default per Kubernetes version: the named one if it runs there, else the newest that does."""
    by_k: dict[str, str] = {}
    for record in records:  # newest first
        for k in record["clusterVersions"]:
            by_k.setdefault(k, record["addonVersion"])
    for k, version in named.items():
        if any(r["addonVersion"] == version and k in r["clusterVersions"] for r in records):
            by_k[k] = version
    for record in records:
        flagged = sorted((k for k, v in by_k.items() if v == record["addonVersion"]), key=_kkey)
        if flagged:
            record["defaultFor"] = flagged


def _date_builds(
    name: str,
    records: list[dict[str, Any]],
    raw: list[dict[str, Any]],
    upstream: dict[str, str],
    first_seen: dict[str, str],
) -> None:
    """Each build's "released" day (see the module's rules), where a bound is known."""
    tied = name in KUBERNETES_TIED or name == "kube-proxy"
    for record in records:
        version = record["addonVersion"]
        key = version_key(version)
        bounds = []
        released = upstream.get(".".join(str(p) for p in key[:3])) or upstream.get(
            ".".join(str(p) for p in key[:2]) + ".*"
        )
        if released:
            bounds.append(released)
        for recording in raw:
            listed = recording["addons"].get(name, {}).get("builds", {})
            if version in listed or not set(record["clusterVersions"]) & set(recording["scope"]):
                continue
            peers = [v for v in listed if not tied or _family(v) == _family(version)]
            if peers and all(version_key(v) < key for v in peers):
                bounds.append(recording["_source"]["commitDate"])
        if not bounds:
            continue
        day = max(bounds)
        if version in first_seen and first_seen[version] < day:
            day = first_seen[version]
        record["released"] = day


def _template(name: str, extra: dict[str, Any], builds: dict[str, Any]) -> dict[str, Any]:
    """Fields most builds of an add-on share (taken from its newest described build)."""
    described = [v for v in sorted(builds, key=version_key, reverse=True) if extra.get(name, {}).get(v)]
    base = {
        "architecture": ["amd64", "arm64"],
        "computeTypes": ["ec2"],
        "requiresConfiguration": False,
        "requiresIamPermissions": False,
    }
    if described:
        newest = extra[name][described[0]]
        base.update(
            {
                f: newest[f]
                for f in ("architecture", "computeTypes", "requiresConfiguration", "requiresIamPermissions")
                if f in newest
            }
        )
    return base
