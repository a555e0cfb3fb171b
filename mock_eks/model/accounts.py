"""Who is calling and where: account id, region and partition of a request.

The account rule, the same in-process and in server mode: a 12-digit access key id is the account (so
one process can act as several accounts), else ``MOCK_EKS_ACCOUNT_ID``, else ``123456789012``.
``MOCK_EKS_ACCOUNT_ID`` must be 12 digits: activating the mock or starting the server with another value
raises ``AccountError`` (a ValueError); if it is changed to a bad value while active, each request gets
the common ``UnrecognizedClientException`` (403) naming the variable.

Which hosts are EKS and EKS Auth endpoints, and which partition a region
belongs to, come from botocore's own endpoint data (``partitions.json`` for
each partition's region pattern and DNS suffixes, ``endpoints.json`` for any
further suffix a variant uses), so a botocore that learns a partition teaches
the mock too. The data is read on first use, never at import.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
ACCOUNT_ENV = "MOCK_EKS_ACCOUNT_ID"
# the credentials the mock puts in the environment while active, and signs its own requests with
FAKE_ACCESS_KEY_ID = "AKIAMOCKEKSTESTING00"
FAKE_SECRET_ACCESS_KEY = "mock-eks-secret"


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    region_regex: re.Pattern[str]
    regions: frozenset[str]
    dns_suffix: str
    dual_stack_dns_suffix: str


@dataclass(frozen=True, slots=True)
class Host:
    """An EKS or EKS Auth endpoint host; ``partition`` is None when the region belongs to none."""

    service: str
    region: str
    partition: str | None


@functools.cache
def partitions() -> tuple[Partition, ...]:
    """Every partition botocore knows, in botocore's order."""
    from botocore.loaders import create_loader

    found = []
    for entry in create_loader().load_data("partitions")["partitions"]:
        outputs = entry["outputs"]
        found.append(
            Partition(
                name=entry["id"],
                region_regex=re.compile(entry["regionRegex"]),
                regions=frozenset(entry.get("regions", {})),
                dns_suffix=outputs["dnsSuffix"],
                dual_stack_dns_suffix=outputs.get("dualStackDnsSuffix", outputs["dnsSuffix"]),
            )
        )
    return tuple(found)


@functools.cache
def dns_suffixes() -> tuple[str, ...]:
    """Every DNS suffix an EKS or EKS Auth endpoint can end in, longest first."""
    from botocore.loaders import create_loader

    suffixes = {s for p in partitions() for s in (p.dns_suffix, p.dual_stack_dns_suffix)}
    for entry in create_loader().load_data("endpoints")["partitions"]:
        suffixes.add(entry["dnsSuffix"])
        suffixes.update(
            v["dnsSuffix"] for v in entry.get("defaults", {}).get("variants", []) if "dnsSuffix" in v
        )
        for service in ("eks", "eks-auth"):
            defaults = entry.get("services", {}).get(service, {}).get("defaults", {})
            suffixes.update(
                v["dnsSuffix"] for v in [defaults, *defaults.get("variants", [])] if "dnsSuffix" in v
            )
    return tuple(sorted(suffixes, key=lambda s: (-len(s), s)))


@functools.cache
def host_pattern(service: str | None = None) -> str:
    """The regular expression (no anchors) of an EKS or EKS Auth host (or only ``service``'s).

    Any partition, FIPS and dual-stack forms, optional port. The region part is deliberately loose
    (anything without a dot) so that a malformed or unknown region is still caught, and answered
    with an error, rather than sent to the network.

    An interface VPC endpoint's own names (AWS PrivateLink) are EKS hosts too, with the region taken
    from the name: ``vpce-<id>.<service>.<region>.vpce.<suffix>`` and its zonal form
    ``vpce-<id>-<zone>.<service>...`` (PrivateLink's DNS name formats, AWS PrivateLink and EKS User
    Guides, 2025).
    """
    suffixes = "|".join(re.escape(s) for s in dns_suffixes())
    services = re.escape(service) if service else "eks-auth|eks"
    return (
        rf"(?:fips\.|vpce-[a-z0-9-]+\.)?(?P<service>{services})(?:-fips)?\.(?P<region>[^./:?#@]*)"
        rf"\.(?:vpce\.)?(?:{suffixes})\.?(?::\d+)?"
    )


@functools.cache
def _host_regex() -> re.Pattern[str]:
    return re.compile(host_pattern(), re.IGNORECASE)


_HOSTS: dict[str, Host | None] = {}
_CACHE_LIMIT = 4096


def parse_host(host: str) -> Host | None:
    """The EKS or EKS Auth endpoint ``host`` (``name[:port]``) names, or None for any other host."""
    try:
        return _HOSTS[host]
    except KeyError:
        pass
    match = _host_regex().fullmatch(host)
    found = None
    if match is not None:
        region = match.group("region").lower()
        found = Host(match.group("service").lower(), region, partition_for(region))
    if len(_HOSTS) >= _CACHE_LIMIT:
        _HOSTS.clear()
    _HOSTS[host] = found
    return found


def host_of(url: str) -> str:
    """The ``name[:port]`` part of an absolute URL (without user info)."""
    start = url.find("://")
    rest = url[start + 3 :] if start >= 0 else url
    end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if 0 <= index < end:
            end = index
    return rest[:end].rpartition("@")[2]


@functools.lru_cache(maxsize=1024)  # regions come from any host a test sends to: bounded
def partition_for(region: str) -> str | None:
    """The partition ``region`` belongs to (listed, else matching its pattern), or None."""
    for partition in partitions():
        if region in partition.regions:
            return partition.name
    for partition in partitions():
        if partition.region_regex.match(region):
            return partition.name
    return None


def dns_suffix(partition: str) -> str:
    """The DNS suffix of ``partition`` (amazonaws.com, amazonaws.com.cn, c2s.ic.gov, ...)."""
    for entry in partitions():
        if entry.name == partition:
            return entry.dns_suffix
    return "amazonaws.com"


def credential_scope(authorization: str | bytes | None) -> tuple[str | None, str | None, str | None]:
    """(access key id, region, service) from a SigV4 Authorization header, where present."""
    if not authorization:
        return None, None, None
    if isinstance(authorization, bytes):  # botocore keeps signed headers as bytes
        authorization = authorization.decode("latin-1")
    start = authorization.find("Credential=")
    if start < 0:
        return None, None, None
    scope = authorization[start + 11 :].split(",", 1)[0].strip().split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        return None, None, None
    return scope[0], scope[2], scope[3]


class AccountError(ValueError):
    """MOCK_EKS_ACCOUNT_ID is set to something that is not a 12-digit account id."""


def is_account(text: str) -> bool:
    """True for a 12-digit AWS account id (the account rule's test of an access key id too)."""
    return len(text) == 12 and text.isascii() and text.isdigit()


def configured_account() -> str:
    """MOCK_EKS_ACCOUNT_ID if set (validated), else the default account."""
    configured = os.environ.get(ACCOUNT_ENV)
    if not configured:
        return DEFAULT_ACCOUNT
    if not is_account(configured):
        raise AccountError(
            f"{ACCOUNT_ENV}={configured!r} is not an AWS account id (12 digits, such as 123456789012)"
        )
    return configured


def account_for(access_key: str | None) -> str:
    """A 12-digit access key id, else MOCK_EKS_ACCOUNT_ID, else the default account (AccountError if bad)."""
    if access_key and is_account(access_key):
        return access_key
    return configured_account()
