"""Certificate authority data for clusters: a real, parseable self-signed X.509 certificate.

Like every recorded EKS cluster CA: RSA-2048, CN=kubernetes, valid for ten years (issue 13 item 14).

cryptography is imported on the first certificate, not with mock_eks: most test
runs that have mock_eks installed never create a cluster.
"""

from __future__ import annotations

import base64
import datetime
import functools
import sys
import threading
from typing import Any

_state: dict[str, Any] = {}
_lock = threading.Lock()


def _setup() -> dict[str, Any]:
    """cryptography's modules, one key per process, and the datetime warm-up, once."""
    with _lock:
        if not _state:
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import rsa
            from cryptography.x509.oid import NameOID

            _state.update(
                x509=x509,
                hashes=hashes,
                serialization=serialization,
                name=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")]),
                # one key per process: an RSA-2048 key takes tens of milliseconds to generate, which
                # per cluster would dominate create's cost; every cluster's certificate is still its own
                key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
            )
            _warm_up()
    return _state


def _warm_up() -> None:
    """Make cryptography's first datetime use see the real ``datetime.datetime``.

    cryptography's Rust core looks ``datetime.datetime`` up once and caches it. Under freezegun
    that attribute is FakeDatetime, and the cache would then refuse real datetimes for the rest
    of the process. The first certificate may well be made under a frozen clock, so put the
    real class back for this one call.
    """
    real = getattr(sys.modules.get("freezegun.api"), "real_datetime", datetime.datetime)
    current = datetime.datetime
    datetime.datetime = real  # type: ignore[misc]
    try:
        _certificate(0.0)
    finally:
        datetime.datetime = current  # type: ignore[misc]


def cluster_ca(created_at: float) -> tuple[str, str]:
    """(base64 of a PEM CA certificate, CN=kubernetes, ten years from ``created_at``, unique per call;
    the PEM of the key that signed it). The cluster keeps the key, so its snapshot does: a cluster restored
    in another process still serves certificates its CA data verifies (``serving_certificate``)."""
    state = _setup()
    with _lock:
        if "key_pem" not in state:
            serialization = state["serialization"]
            state["key_pem"] = (
                state["key"]
                .private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                .decode()
            )
    return _certificate(created_at), state["key_pem"]


@functools.lru_cache(maxsize=64)
def _ca_key(pem: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem.encode(), password=None)


def _certificate(created_at: float) -> str:
    state = _state
    x509, hashes, serialization = state["x509"], state["hashes"], state["serialization"]
    key = state["key"]
    _NAME = state["name"]  # noqa: N806 - the same name for issuer and subject
    start = datetime.datetime.fromtimestamp(created_at, tz=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_NAME)
        .issuer_name(_NAME)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.PEM)).decode()


_leaf_lock = threading.Lock()
_leaves: dict[tuple[str, str], tuple[bytes, bytes]] = {}
_LEAF_LIMIT = 1024


def serving_certificate(ca_data: str, ca_key: str | None, host: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) for serving ``host``, signed by the CA whose base64 PEM is ``ca_data``
    with its key ``ca_key`` (PEM; None: this process's, for a cluster recorded before clusters kept it).

    What a client that trusts only the kubeconfig's CA accepts for the endpoint: subjectAltName DNS
    ``host``, serverAuth, valid now by the real clock (clients check it, not the mock's). Issued once
    per (CA, host) and cached. ValueError if the key is not the CA's.
    """
    key = (ca_data, host)
    with _leaf_lock:
        found = _leaves.get(key)
    if found is not None:
        return found
    state = _setup()
    x509, hashes, serialization = state["x509"], state["hashes"], state["serialization"]
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca = x509.load_pem_x509_certificate(base64.b64decode(ca_data))
    signing = state["key"] if ca_key is None else _ca_key(ca_key)
    if ca.public_key().public_numbers() != signing.public_key().public_numbers():
        raise ValueError("the cluster's CA key is not the one that signed its certificate")
    with _leaf_lock:
        if "leaf_key" not in state:  # an EC key takes microseconds; one serves every endpoint
            state["leaf_key"] = ec.generate_private_key(ec.SECP256R1())
    leaf_key = state["leaf_key"]
    now = _real_now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
        .issuer_name(ca.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(signing, hashes.SHA256())
    )
    issued = (
        certificate.public_bytes(serialization.Encoding.PEM),
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    with _leaf_lock:
        if len(_leaves) >= _LEAF_LIMIT:
            _leaves.clear()
        _leaves[key] = issued
    return issued


def _real_now() -> datetime.datetime:
    """The wall clock even under freezegun, as the real datetime class cryptography has cached."""
    real = getattr(sys.modules.get("freezegun.api"), "real_datetime", datetime.datetime)
    return real.now(datetime.UTC)
