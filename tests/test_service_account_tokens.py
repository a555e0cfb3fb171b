"""Service account tokens as EKS issues them: RS256 with a kid, per-cluster keys, the issuer's OIDC
discovery document and JWKS, and how AssumeRoleForPodIdentity treats tokens that are not right."""

from __future__ import annotations

import base64
import http.client
import io
import json
import urllib.error
import urllib.request
import urllib.response

import boto3
import jwt
import pytest
import requests
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from mock_eks.tokens import make_service_account_token
from tests.helpers import associate_pod_identity, create_cluster, error_of


def issuer_of(client, cluster="c1"):
    return client.describe_cluster(name=cluster)["cluster"]["identity"]["oidc"]["issuer"]


def part(token: str, index: int) -> dict:
    text = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def test_tokens_are_rs256_with_the_kid_of_the_issuers_published_key(eks_client):
    create_cluster(eks_client, "c1")
    issuer = issuer_of(eks_client)
    token = make_service_account_token("c1", "shop", "checkout")
    header = part(token, 0)
    assert header["alg"] == "RS256"

    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
    assert discovery.status_code == 200
    document = discovery.json()
    assert document["issuer"] == issuer
    assert document["jwks_uri"] == f"{issuer}/keys"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]

    keys = requests.get(document["jwks_uri"], timeout=5).json()["keys"]
    assert [(k["kty"], k["use"], k["alg"], k["e"]) for k in keys] == [("RSA", "sig", "RS256", "AQAB")]
    assert keys[0]["kid"] == header["kid"]
    # any OIDC client can verify the token with the published key
    public_key = jwt.PyJWK(keys[0]).key
    claims = jwt.decode(
        token, public_key, algorithms=["RS256"], audience="pods.eks.amazonaws.com", issuer=issuer
    )
    assert claims["sub"] == "system:serviceaccount:shop:checkout"


def test_each_cluster_has_its_own_key(eks_client):
    create_cluster(eks_client, "c1")
    create_cluster(eks_client, "c2")
    kid1 = part(make_service_account_token("c1", "default", "app"), 0)["kid"]
    kid2 = part(make_service_account_token("c2", "default", "app"), 0)["kid"]
    assert kid1 != kid2
    # the same cluster keeps its key
    assert part(make_service_account_token("c1", "default", "other"), 0)["kid"] == kid1
    keys = requests.get(f"{issuer_of(eks_client, 'c2')}/keys", timeout=5).json()["keys"]
    assert [k["kid"] for k in keys] == [kid2]


def test_issuer_urls_of_no_cluster_are_not_found(eks_client):
    create_cluster(eks_client, "c1")
    issuer = issuer_of(eks_client)
    unknown = issuer.rsplit("/", 1)[0] + "/0123456789ABCDEF0123456789ABCDEF"
    assert requests.get(f"{unknown}/keys", timeout=5).status_code == 404
    assert requests.get(f"{issuer}/elsewhere", timeout=5).status_code == 404
    eks_client.delete_cluster(name="c1")
    assert requests.get(f"{issuer}/keys", timeout=5).status_code == 404


def test_the_issuer_answers_urllib_too(eks_client):
    # PyJWT's PyJWKClient (like many OIDC clients) fetches the key set with urllib.request.urlopen
    create_cluster(eks_client, "c1")
    issuer = issuer_of(eks_client)
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=5) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "application/json"
        document = json.load(response)
    assert document["issuer"] == issuer and document["jwks_uri"] == f"{issuer}/keys"
    token = make_service_account_token("c1", "shop", "checkout")
    signing_key = jwt.PyJWKClient(document["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token, signing_key.key, algorithms=["RS256"], audience="pods.eks.amazonaws.com", issuer=issuer
    )
    assert claims["sub"] == "system:serviceaccount:shop:checkout"
    # an opener built by hand goes through the same handlers; a missing document is an HTTPError 404
    opener = urllib.request.build_opener()
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        opener.open(f"{issuer}/elsewhere", timeout=5)
    assert excinfo.value.code == 404
    # a body sent as an iterable of chunks is read like any other (the issuer only serves GET)
    request = urllib.request.Request(f"{issuer}/keys", data=iter([b"a", b"b"]), method="POST")
    request.add_header("Content-Length", "2")
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=5)
    assert excinfo.value.code == 405


def test_urllib_urls_the_mock_does_not_own_go_where_they_went_before(monkeypatch):
    # the user's own stand-in for the network (here: a patched HTTPS handler) keeps answering every
    # other URL while mock_eks is active, and is back in place, untouched, after it stops
    seen = []

    def users_own(handler, request):
        seen.append(request.full_url)
        response = urllib.response.addinfourl(
            io.BytesIO(b"theirs"), http.client.HTTPMessage(), request.full_url, 200
        )
        response.msg = "OK"
        return response

    monkeypatch.setattr(urllib.request.HTTPSHandler, "https_open", users_own)
    with mock_eks():
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks, "c1")
        issuer = issuer_of(eks)
        assert urllib.request.urlopen("https://example.com/data", timeout=5).read() == b"theirs"
        assert json.load(urllib.request.urlopen(f"{issuer}/keys", timeout=5))["keys"]
    assert seen == ["https://example.com/data"]
    assert urllib.request.HTTPSHandler.https_open is users_own


def test_the_exchange_accepts_a_minted_token(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    result = eks_auth_client.assume_role_for_pod_identity(
        clusterName="c1", token=make_service_account_token("c1", "default", "app")
    )
    assert result["subject"] == {"namespace": "default", "serviceAccount": "app"}


def _resign_hs256(token: str) -> str:
    return jwt.encode(part(token, 1), "a shared secret of at least 32 bytes!!", algorithm="HS256")


def _unsigned(token: str) -> str:
    # alg "none" and a placeholder signature: the model's token pattern wants three non-empty parts
    return jwt.encode(part(token, 1), None, algorithm="none") + "AAAA"


def _other_key(token: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(part(token, 1), key, algorithm="RS256", headers={"kid": part(token, 0)["kid"]})


def _tampered(token: str) -> str:
    header, _, signature = token.split(".")
    claims = part(token, 1) | {"sub": "system:serviceaccount:kube-system:admin"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{payload}.{signature}"


@pytest.mark.parametrize("forge", [_resign_hs256, _unsigned, _other_key, _tampered])
def test_tokens_not_signed_by_the_cluster_are_invalid_and_say_how_to_mint_one(
    eks_client, eks_auth_client, forge
):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    token = forge(make_service_account_token("c1", "default", "app"))
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidTokenException", 400)
    assert "make_service_account_token" in message and "mock-eks token" in message


def test_a_token_of_another_cluster_is_invalid(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    create_cluster(eks_client, "c2")
    associate_pod_identity(eks_client, cluster="c1")
    make_service_account_token("c1", "default", "app")  # c1 has a key too
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(
            clusterName="c1", token=make_service_account_token("c2", "default", "app")
        )
    assert error_of(excinfo)[:2] == ("InvalidTokenException", 400)


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": "tomorrow"},
        {"exp": True},
        {"nbf": "now"},
        {"aud": 5},
        {"aud": {"pods.eks.amazonaws.com": 1}},
        {"kubernetes.io": "default"},
        {"sub": 42},
        {"sub": None},
        {"kubernetes.io": ["default"]},
        {"kubernetes.io": {"namespace": "default", "serviceaccount": "app"}},
        {"kubernetes.io": {"namespace": "default", "serviceaccount": {"name": 7}}},
    ],
)
def test_claims_of_the_wrong_type_are_invalid_tokens_not_server_errors(eks_client, eks_auth_client, claims):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    token = make_service_account_token("c1", "default", "app", extra_claims=claims)
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert error_of(excinfo)[:2] == ("InvalidTokenException", 400)


def test_odd_pod_claims_still_exchange(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    kube = {"namespace": "default", "serviceaccount": {"name": "app"}, "pod": "not-an-object"}
    token = make_service_account_token("c1", "default", "app", extra_claims={"kubernetes.io": kube})
    result = eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert "/eks-c1-pod-" in result["assumedRoleUser"]["arn"]


def test_an_expired_token(eks_client, eks_auth_client):
    with freeze_time("2026-11-21 12:00:00"):
        create_cluster(eks_client, "c1")
        associate_pod_identity(eks_client, cluster="c1")
        token = make_service_account_token("c1", "default", "app", expires_in=-1)
        with pytest.raises(ClientError) as excinfo:
            eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert error_of(excinfo)[:2] == ("ExpiredTokenException", 400)
