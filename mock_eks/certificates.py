"""Certificate authority data for clusters: a real, parseable self-signed X.509 certificate."""

from __future__ import annotations

import base64
import datetime
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])


@functools.cache
def _key() -> ec.EllipticCurvePrivateKey:
    # one key per process: generating a key per cluster would dominate create's cost
    return ec.generate_private_key(ec.SECP256R1())


def cluster_ca_data(created_at: float) -> str:
    """base64 of a PEM CA certificate (CN=kubernetes, ten years from ``created_at``), unique per call."""
    key = _key()
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


# cryptography's Rust core caches the ``datetime.datetime`` type on first use; if that first use happened
# under freezegun it would cache FakeDatetime and refuse real datetimes ever after. Use it once now.
cluster_ca_data(0.0)
