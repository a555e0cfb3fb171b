"""EKS bearer tokens: what ``aws eks get-token`` makes, and the checks aws-iam-authenticator makes on them.

A token is ``k8s-aws-v1.`` + base64url (no padding) of a SigV4-presigned STS ``GetCallerIdentity`` URL
whose signed headers include ``x-k8s-aws-id: <cluster name>``. The checks follow aws-iam-authenticator's
``pkg/token`` ``Verify`` (kubernetes-sigs/aws-iam-authenticator): at most 4 KiB, the prefix, an https URL
on an STS host of the cluster's partition with path ``/``, only the presign query parameters,
``Action=GetCallerIdentity``, ``x-k8s-aws-id`` among the signed headers, ``X-Amz-Expires`` within 0..900
and ``X-Amz-Date`` no more than 15 minutes old on the mock's clock. Where real EKS would then ask STS,
the mock verifies the signature itself when it knows the key's secret (its own fake credentials), with the
cluster's name as ``x-k8s-aws-id``, so a token made for another cluster is refused.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

PREFIX = "k8s-aws-v1."
MAX_TOKEN_BYTES = 4 * 1024
VALIDITY_SECONDS = 15 * 60  # aws-iam-authenticator: presignedURLExpiration
CLUSTER_ID_HEADER = "x-k8s-aws-id"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ALLOWED_PARAMETERS = frozenset(
    {
        "action",
        "version",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-expires",
        "x-amz-security-token",
        "x-amz-signature",
        "x-amz-signedheaders",
    }
)
_STS_HOST = re.compile(
    r"^sts(?:-fips)?(?:\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+))?\.(?P<suffix>amazonaws\.com(?:\.cn)?|[a-z0-9.-]+)$"
)


class TokenRejected(ValueError):
    """A bearer token aws-iam-authenticator would refuse (the reason is in the server's log, not the answer)."""


@dataclass(frozen=True, slots=True)
class Caller:
    access_key: str
    session_token: str | None


def _timestamp(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _epoch(stamp: str) -> float:
    return datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC).timestamp()


def sts_host(region: str, dns_suffix: str) -> str:
    return f"sts.{region}.{dns_suffix}"


def _signature(secret: str, date: str, region: str, string_to_sign: str) -> str:
    key = ("AWS4" + secret).encode()
    for part in (date, region, "sts", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _canonical_query(pairs: list[tuple[str, str]]) -> str:
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def _string_to_sign(host: str, pairs: list[tuple[str, str]], cluster: str, signed: str, payload: str) -> str:
    headers = {"host": host, CLUSTER_ID_HEADER: cluster}
    names = signed.split(";")
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in names)
    request = "\n".join(["GET", "/", _canonical_query(pairs), canonical_headers, signed, payload])
    stamp = dict(pairs)["X-Amz-Date"]
    scope = dict(pairs)["X-Amz-Credential"].split("/", 1)[1]
    return "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(request.encode()).hexdigest()])


def make(
    cluster_name: str,
    region: str,
    dns_suffix: str,
    access_key: str,
    secret_key: str,
    session_token: str | None,
    now: float,
) -> str:
    """A token for ``cluster_name``, presigned at ``now`` (the mock's clock), as ``aws eks get-token``."""
    host = sts_host(region, dns_suffix)
    stamp = _timestamp(now)
    pairs = [
        ("Action", "GetCallerIdentity"),
        ("Version", "2011-06-15"),
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{access_key}/{stamp[:8]}/{region}/sts/aws4_request"),
        ("X-Amz-Date", stamp),
        ("X-Amz-Expires", "60"),
        ("X-Amz-SignedHeaders", f"host;{CLUSTER_ID_HEADER}"),
    ]
    if session_token:
        pairs.append(("X-Amz-Security-Token", session_token))
    to_sign = _string_to_sign(host, pairs, cluster_name, f"host;{CLUSTER_ID_HEADER}", EMPTY_SHA256)
    pairs.append(("X-Amz-Signature", _signature(secret_key, stamp[:8], region, to_sign)))
    url = f"https://{host}/?{_canonical_query(pairs)}"
    return PREFIX + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def check(token: str, cluster_name: str, dns_suffix: str, now: float, secret_for: object) -> Caller:
    """The caller a token stands for, or TokenRejected.

    ``secret_for(access_key)`` gives the secret the mock knows for a key, or None (signature not checked).
    """
    if len(token) > MAX_TOKEN_BYTES:
        raise TokenRejected("token is too large")
    if not token.startswith(PREFIX):
        raise TokenRejected(f'token is missing expected "{PREFIX}" prefix')
    encoded = token[len(PREFIX) :]
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        parts = urlsplit(url)
    except ValueError as error:
        raise TokenRejected(f"could not base64 decode token: {error}") from None
    host = (parts.hostname or "").lower()
    match = _STS_HOST.match(host)
    if parts.scheme.lower() != "https" or match is None or not host.endswith(dns_suffix):
        raise TokenRejected(f"unexpected hostname {host!r} in pre-signed URL")
    if parts.path != "/":
        raise TokenRejected("unexpected path in pre-signed URL")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query: dict[str, str] = {}
    for key, value in pairs:
        if key.lower() not in ALLOWED_PARAMETERS:
            raise TokenRejected(f"non-whitelisted query parameter {key!r}")
        query[key] = value
    if query.get("Action") != "GetCallerIdentity":
        raise TokenRejected("unexpected action parameter in pre-signed URL")
    signed = query.get("X-Amz-SignedHeaders", "")
    if CLUSTER_ID_HEADER not in signed.lower().split(";"):
        raise TokenRejected(f"client did not sign the {CLUSTER_ID_HEADER} header in the pre-signed URL")
    try:
        expires = int(query.get("X-Amz-Expires", ""))
        issued = _epoch(query.get("X-Amz-Date", ""))
        access_key, date, region, service, terminal = query["X-Amz-Credential"].split("/")
    except (KeyError, ValueError):
        raise TokenRejected("malformed X-Amz-Expires, X-Amz-Date or X-Amz-Credential") from None
    if not 0 <= expires <= VALIDITY_SECONDS:
        raise TokenRejected("invalid X-Amz-Expires parameter in pre-signed URL")
    if now > issued + VALIDITY_SECONDS or issued > now + VALIDITY_SECONDS:
        raise TokenRejected(f"X-Amz-Date parameter is expired ({VALIDITY_SECONDS // 60} minute expiration)")
    secret = secret_for(access_key)  # type: ignore[operator]
    if secret is not None:
        signature = query.get("X-Amz-Signature", "")
        unsigned = [(k, v) for k, v in pairs if k != "X-Amz-Signature"]
        for payload in (EMPTY_SHA256, "UNSIGNED-PAYLOAD"):
            to_sign = _string_to_sign(host, unsigned, cluster_name, signed.lower(), payload)
            if hmac.compare_digest(_signature(secret, date, region, to_sign), signature):
                break
        else:
            raise TokenRejected("SignatureDoesNotMatch: the signature (or x-k8s-aws-id) does not match")
    return Caller(access_key, query.get("X-Amz-Security-Token"))
