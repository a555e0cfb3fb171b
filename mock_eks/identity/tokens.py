"""Kubernetes service account tokens for EKS Pod Identity, as the mock mints and checks them.

As on EKS, each cluster's service account issuer has its own RSA key and signs RS256 JWTs whose header
names the key (``kid``); the issuer publishes the public key as a JWKS (see ``mock_eks.issuer``). The
key is made the first time a cluster mints a token or serves its key set (generating one costs tens of
milliseconds, and most clusters never need one), and it is kept on the cluster, so snapshots carry it.

JWT encoding, signing and signature checks are PyJWT's; this module only decides which key and which
claims. In tests::

    token = make_service_account_token("my-cluster", "default", "my-sa", pod_name="web-0")
    eks_auth_client.assume_role_for_pod_identity(clusterName="my-cluster", token=token)

Server mode: ``POST /_mock_eks/service-account-token`` or ``mock-eks token`` (see the README).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from mock_eks.model import accounts
from mock_eks.state.active import ACTIVE
from mock_eks.state.reach import REACHED

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

# PyJWT and cryptography are imported where used: `import mock_eks` stays cheap (see test_lazy_loading)

AUDIENCE = "pods.eks.amazonaws.com"
ALGORITHM = "RS256"
HOW_TO_MINT = (
    "Mint one with mock_eks.tokens.make_service_account_token(cluster_name, namespace, service_account), "
    "POST /_mock_eks/service-account-token, or `mock-eks token`"
)


class TokenError(ValueError):
    """A token that is not a well-formed JWT signed by the cluster's issuer key."""


# -- keys -------------------------------------------------------------------------------------------------


def _new_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@functools.lru_cache(maxsize=256)
def _private_key(pem: str) -> RSAPrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):  # pragma: no cover - only this module writes the PEM
        raise TokenError("the issuer key is not an RSA key")
    return key


@functools.lru_cache(maxsize=256)
def key_id(pem: str) -> str:
    """The ``kid`` of a key: the SHA-1 of its DER public key, as 40 hex digits (the form EKS key ids take)."""
    from cryptography.hazmat.primitives import serialization

    public = _private_key(pem).public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha1(der, usedforsecurity=False).hexdigest()


def cluster_key(cluster: Any) -> str:
    """The PEM of ``cluster``'s issuer key, made on first use (call under the backend lock)."""
    if cluster.signing_key is None:
        cluster.signing_key = _new_key_pem()
        REACHED.changed(cluster)  # one key for every process serving a SQLite state
    return cluster.signing_key


_FOREIGN: list[str] = []
_FOREIGN_LOCK = threading.Lock()


def _foreign_key() -> str:
    """A key no cluster has: tokens for an issuer the mock does not host are signed with it."""
    with _FOREIGN_LOCK:
        if not _FOREIGN:
            _FOREIGN.append(_new_key_pem())
        return _FOREIGN[0]


def public_jwk(pem: str) -> dict[str, Any]:
    """The public half of an issuer key as a JWK, with the members EKS publishes."""
    from jwt.algorithms import RSAAlgorithm

    jwk = RSAAlgorithm.to_jwk(_private_key(pem).public_key(), as_dict=True)
    return {"kty": "RSA", "kid": key_id(pem), "use": "sig", "alg": ALGORITHM, "n": jwk["n"], "e": jwk["e"]}


# -- encoding and verification ------------------------------------------------------------------------------


def encode(claims: dict[str, Any], pem: str) -> str:
    """``claims`` as an RS256 JWT signed with the key ``pem``, its ``kid`` in the header."""
    import jwt

    return jwt.encode(claims, _private_key(pem), algorithm=ALGORITHM, headers={"kid": key_id(pem)})


def verify(token: str, pem: str | None) -> dict[str, Any]:
    """The claims of ``token`` if the key ``pem`` signed it (TokenError otherwise).

    Only the signature and the JWT's form are checked here; the caller checks the claims against the
    mock's clock, which PyJWT does not know.
    """
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenError(
            "it is not a JWT (three base64url-encoded parts: header, payload, signature)"
        ) from None
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        raise TokenError(f"it is signed with {algorithm!r}, not {ALGORITHM} by the cluster's issuer")
    if pem is None:
        raise TokenError("it was not signed by the cluster's service account issuer")
    try:
        claims = jwt.decode(
            token,
            _private_key(pem).public_key(),
            algorithms=[ALGORITHM],
            options={
                "verify_signature": True,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise TokenError("its signature does not match the cluster's service account issuer key") from None
    except jwt.PyJWTError as error:
        raise TokenError(f"it cannot be decoded ({error})") from None
    if not isinstance(claims, dict):  # pragma: no cover - PyJWT rejects non-object payloads
        raise TokenError("its payload is not a JSON object")
    return claims


# -- minting ------------------------------------------------------------------------------------------------


def find_cluster(backend: Any, cluster_name: str, region: str, account: str) -> Any:
    """The cluster ``cluster_name`` of ``account`` in ``region`` (LookupError if there is none)."""
    store = backend.regions.get((account, region))
    cluster = store.clusters.get(cluster_name) if store is not None else None
    if cluster is None or cluster.oidc_issuer is None:
        raise LookupError(
            f"no cluster {cluster_name!r} with an OIDC issuer in account {account}, region {region}"
        )
    return cluster


def cluster_of_issuer(backend: Any, issuer: str) -> Any:
    """The cluster whose OIDC issuer is ``issuer``, or None."""
    for store in list(backend.regions.values()):
        for cluster in store.clusters:
            if cluster.oidc_issuer == issuer:
                return cluster
    return None


def claims_for(
    issuer: str,
    namespace: str,
    service_account: str,
    *,
    now: float,
    expires_in: float,
    pod_name: str | None = None,
    node_name: str | None = None,
    audience: str | list[str] = AUDIENCE,
) -> dict[str, Any]:
    """The claims of a projected service account token, as the kubelet requests them for EKS Pod Identity."""
    issued = int(now)
    return {
        "aud": [audience] if isinstance(audience, str) else list(audience),
        "exp": issued + int(expires_in),
        "iat": issued,
        "nbf": issued,
        "iss": issuer,
        "jti": str(uuid.uuid4()),
        "kubernetes.io": {
            "namespace": namespace,
            "node": {"name": node_name or "ip-192-168-1-1.ec2.internal", "uid": str(uuid.uuid4())},
            "pod": {
                "name": pod_name or f"{service_account}-{uuid.uuid4().hex[:10]}",
                "uid": str(uuid.uuid4()),
            },
            "serviceaccount": {"name": service_account, "uid": str(uuid.uuid4())},
        },
        "sub": f"system:serviceaccount:{namespace}:{service_account}",
    }


def make_service_account_token(
    cluster_name: str,
    namespace: str = "default",
    service_account: str = "default",
    *,
    pod_name: str | None = None,
    node_name: str | None = None,
    region: str = "us-east-1",
    account: str | None = None,
    issuer: str | None = None,
    audience: str | list[str] = AUDIENCE,
    expires_in: float = 86400,
    issued_at: float | None = None,
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """A service account token for ``namespace``/``service_account`` of the mocked cluster ``cluster_name``.

    The token is signed with the cluster's issuer key; its ``iss`` is the cluster's OIDC issuer, looked up
    in the active mock (account as the mock resolves it from AWS_ACCESS_KEY_ID / MOCK_EKS_ACCOUNT_ID unless
    given). ``issuer=`` names the issuer instead: the key is then that issuer's cluster's, or, for an
    issuer no mocked cluster has, a key no cluster trusts. ``expires_in`` may be negative to make an
    expired token. Times follow the mock's clock (``time.time()``, so freezegun, plus ``m.advance()``).
    ``extra_claims`` adds or replaces claims (to test how odd tokens are treated); the token is still signed.
    """
    backend = ACTIVE.backend
    if backend is None:
        if issuer is None:
            raise RuntimeError("mock_eks is not active: start it, or pass issuer= explicitly")
        pem, now = _foreign_key(), time.time()
    else:
        with backend.lock:
            if issuer is None:
                # the account the caller's own clients are in (their credentials come from the environment)
                account = account or accounts.account_for(os.environ.get("AWS_ACCESS_KEY_ID"))
                cluster = find_cluster(backend, cluster_name, region, account)
                issuer = cluster.oidc_issuer
            else:
                cluster = cluster_of_issuer(backend, issuer)
            pem = cluster_key(cluster) if cluster is not None else _foreign_key()
            now = backend.now()
    claims = claims_for(
        issuer,
        namespace,
        service_account,
        now=issued_at if issued_at is not None else now,
        expires_in=expires_in,
        pod_name=pod_name,
        node_name=node_name,
        audience=audience,
    )
    claims.update(extra_claims or {})
    return encode(claims, pem)
