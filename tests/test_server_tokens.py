"""Server mode: minting service account tokens over HTTP and with `mock-eks token`, and the issuer's
discovery document and JWKS under /_mock_eks/oidc/."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from mock_eks.cli import main
from mock_eks.server import MockEKSServer
from tests.helpers import ROLE, associate_pod_identity, create_cluster, error_of
from tests.serving import control, eks_client


def b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cluster_with_association(server: MockEKSServer) -> str:
    eks = eks_client(server.url)
    create_cluster(eks, "c1")
    associate_pod_identity(eks, "shop", "checkout", cluster="c1", roleArn=ROLE)
    return eks.describe_cluster(name="c1")["cluster"]["identity"]["oidc"]["issuer"]


def test_minted_token_is_exchanged_by_an_eks_auth_client(server: MockEKSServer) -> None:
    cluster_with_association(server)
    status, document = control(
        server,
        "POST",
        "/_mock_eks/service-account-token",
        {"clusterName": "c1", "namespace": "shop", "serviceAccount": "checkout", "region": "us-east-1"},
    )
    assert status == 200
    result = eks_client(server.url, service="eks-auth").assume_role_for_pod_identity(
        clusterName="c1", token=document["token"]
    )
    assert result["subject"] == {"namespace": "shop", "serviceAccount": "checkout"}


def test_the_jwks_verifies_a_minted_token_with_cryptography(server: MockEKSServer) -> None:
    issuer = cluster_with_association(server)
    _, minted = control(
        server,
        "POST",
        "/_mock_eks/service-account-token",
        {"clusterName": "c1", "namespace": "shop", "serviceAccount": "checkout", "region": "us-east-1"},
    )
    token = minted["token"]
    base = "/_mock_eks/oidc/" + issuer.removeprefix("https://")
    status, discovery = control(server, "GET", f"{base}/.well-known/openid-configuration")
    assert status == 200
    assert discovery["issuer"] == issuer
    assert discovery["jwks_uri"] == f"{server.url}{base}/keys"
    with urllib.request.urlopen(discovery["jwks_uri"], timeout=10) as response:
        keys = json.loads(response.read())["keys"]
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64(header_b64))
    jwk = next(k for k in keys if k["kid"] == header["kid"])
    public_key = rsa.RSAPublicNumbers(
        int.from_bytes(b64(jwk["e"]), "big"), int.from_bytes(b64(jwk["n"]), "big")
    ).public_key()
    # raises InvalidSignature if the published key did not sign the token
    public_key.verify(
        b64(signature_b64), f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert json.loads(b64(payload_b64))["iss"] == issuer


def test_mint_endpoint_errors(server: MockEKSServer) -> None:
    status, document = control(
        server,
        "POST",
        "/_mock_eks/service-account-token",
        {"clusterName": "ghost", "namespace": "a", "serviceAccount": "b", "region": "us-east-1"},
    )
    assert status == 404 and "ghost" in document["message"]
    status, document = control(server, "POST", "/_mock_eks/service-account-token", {"clusterName": "c1"})
    assert status == 400 and "namespace" in document["message"]
    status, _ = control(server, "GET", "/_mock_eks/oidc/oidc.eks.us-east-1.amazonaws.com/id/NOPE/keys")
    assert status == 404
    cluster_with_association(server)
    body = {"clusterName": "c1", "namespace": "shop", "serviceAccount": "checkout", "region": "us-east-1"}
    for bad in ({"expiresIn": float("inf")}, {"expiresIn": "1h"}, {"podName": 7}, {"region": ""}):
        status, document = control(server, "POST", "/_mock_eks/service-account-token", body | bad)
        assert status == 400, bad
    # the cluster was created with credentials that are not an account id: the default account holds it
    status, _ = control(
        server, "POST", "/_mock_eks/service-account-token", body | {"accountId": "123456789012"}
    )
    assert status == 200


def test_mock_eks_token_prints_a_token_the_server_accepts(server: MockEKSServer, capsys) -> None:
    cluster_with_association(server)
    argv = ["token", "--endpoint", server.url, "--cluster", "c1", "--namespace", "shop"]
    assert main([*argv, "--service-account", "checkout", "--region", "us-east-1"]) == 0
    token = capsys.readouterr().out.strip()
    result = eks_client(server.url, service="eks-auth").assume_role_for_pod_identity(
        clusterName="c1", token=token
    )
    assert result["subject"]["serviceAccount"] == "checkout"
    # a token for a service account without an association is refused by the exchange, not the minting
    assert main([*argv, "--service-account", "other"]) == 0
    with pytest.raises(ClientError) as excinfo:
        eks_client(server.url, service="eks-auth").assume_role_for_pod_identity(
            clusterName="c1", token=capsys.readouterr().out.strip()
        )
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    assert main([*argv, "--service-account", "checkout", "--cluster", "ghost"]) == 1
    assert "ghost" in capsys.readouterr().err
