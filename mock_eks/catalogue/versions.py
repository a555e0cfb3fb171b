"""The Kubernetes version catalogue (data/kubernetes_versions.json) and what follows from it.

Support status is not stored: it follows from the catalogue's dates and the
request's clock, so freezegun can put a test in any support window.

The clock rule, so that any clock (tests freeze time anywhere from 1970 to 2100) has versions to offer:
the clock is read through ``catalogue_time``, which holds it inside the catalogue's span. Before the
earliest release date, the catalogue's earliest version(s) count as released and in standard support;
after the newest version's end of extended support, the newest version stays available in extended
support (older ones are unsupported). Inside the span, status follows the clock and the dates exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources


@dataclass(frozen=True, slots=True)
class KubernetesVersion:
    version: str
    patch: str
    release: float
    end_of_standard: float
    end_of_extended: float
    default_platform_version: str
    platform_versions: tuple[str, ...]

    def status(self, now: float) -> str:
        """STANDARD_SUPPORT, EXTENDED_SUPPORT or UNSUPPORTED at ``now`` (epoch seconds, see the clock rule)."""
        now = catalogue_time(now)
        if now < self.end_of_standard:
            return "STANDARD_SUPPORT"
        if now < self.end_of_extended:
            return "EXTENDED_SUPPORT"
        return "UNSUPPORTED"

    def released(self, now: float) -> bool:
        return catalogue_time(now) >= self.release

    @property
    def minor(self) -> tuple[int, int]:
        major, minor = self.version.split(".")
        return int(major), int(minor)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_epoch(day: str) -> float:
    """Midnight UTC of an ISO day, in epoch seconds (plain arithmetic: thousands of these load at once)."""
    return float((date.fromisoformat(day).toordinal() - _EPOCH_ORDINAL) * 86400)


_DATA = json.loads(resources.files("mock_eks.data").joinpath("kubernetes_versions.json").read_text())
DEFAULT_VERSION: str = _DATA["defaultVersion"]
CATALOGUE: dict[str, KubernetesVersion] = {
    entry["clusterVersion"]: KubernetesVersion(
        version=entry["clusterVersion"],
        patch=entry["kubernetesPatchVersion"],
        release=day_epoch(entry["releaseDate"]),
        end_of_standard=day_epoch(entry["endOfStandardSupportDate"]),
        end_of_extended=day_epoch(entry["endOfExtendedSupportDate"]),
        default_platform_version=entry["defaultPlatformVersion"],
        platform_versions=tuple(entry["platformVersions"]),
    )
    for entry in sorted(
        _DATA["versions"], key=lambda e: tuple(int(p) for p in e["clusterVersion"].split("."))
    )
}


_NEWEST = next(reversed(CATALOGUE.values()))
_EARLIEST_RELEASE = min(entry.release for entry in CATALOGUE.values())
_LAST_SUPPORTED = _NEWEST.end_of_extended - 1.0


def catalogue_time(now: float) -> float:
    """``now`` held inside the catalogue's span: [earliest release, newest end of extended support)."""
    return min(max(now, _EARLIEST_RELEASE), _LAST_SUPPORTED)


def get(version: str) -> KubernetesVersion | None:
    return CATALOGUE.get(version)


def available(version: str, now: float) -> bool:
    """Released and not past the end of extended support at ``now``."""
    entry = CATALOGUE.get(version)
    return entry is not None and entry.released(now) and entry.status(now) != "UNSUPPORTED"


def available_versions(now: float) -> list[str]:
    return [v for v in CATALOGUE if available(v, now)]


def default_version(now: float) -> str:
    """The catalogue's default; if the clock puts it outside support, the newest available version."""
    if available(DEFAULT_VERSION, now):
        return DEFAULT_VERSION
    choices = available_versions(now)
    return choices[-1] if choices else DEFAULT_VERSION


def next_minor(version: str) -> str | None:
    entry = CATALOGUE.get(version)
    if entry is None:
        return None
    major, minor = entry.minor
    following = f"{major}.{minor + 1}"
    return following if following in CATALOGUE else None
