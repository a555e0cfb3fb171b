"""Pod identity associations and EKS Auth's AssumeRoleForPodIdentity."""

from __future__ import annotations

import base64
import json
import re

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks.tokens import make_service_account_token
from tests.helpers import POD_IDENTITY_ROLE, associate_pod_identity, create_cluster, error_of

TARGET = "arn:aws:iam::210987654321:role/target-role"


# -- associations ----------------------------------------------------------------------------------


def test_create_association_fields(eks_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(eks_client, tags={"team": "x"}, cluster="c1")
    assert re.fullmatch(r"a-[a-z0-9]{17}", association["associationId"])
    assert association["associationArn"] == (
        f"arn:aws:eks:us-east-1:123456789012:podidentityassociation/c1/{association['associationId']}"
    )
    assert association["clusterName"] == "c1"
    assert (association["namespace"], association["serviceAccount"]) == ("default", "app")
    assert association["roleArn"] == POD_IDENTITY_ROLE
    assert association["disableSessionTags"] is False
    assert association["tags"] == {"team": "x"}
    assert "targetRoleArn" not in association and "externalId" not in association
    described = eks_client.describe_pod_identity_association(
        clusterName="c1", associationId=association["associationId"]
    )
    assert described["association"] == association


def test_target_role_gets_external_id(eks_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(
        eks_client, targetRoleArn=TARGET, disableSessionTags=True, cluster="c1"
    )
    assert association["targetRoleArn"] == TARGET
    assert re.fullmatch(r"[0-9a-f-]{36}", association["externalId"])
    assert association["disableSessionTags"] is True


def test_one_association_per_service_account(eks_client):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, roleArn="arn:aws:iam::123456789012:role/other", cluster="c1")
    assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
    associate_pod_identity(eks_client, "other", cluster="c1")  # another namespace is another service account
    associate_pod_identity(eks_client, service_account="app2", cluster="c1")


@pytest.mark.parametrize(
    "params",
    [
        {"roleArn": "arn:aws:iam::123456789012:user/alice"},
        {"roleArn": "not-a-role"},
        {"namespace": "Bad_Namespace"},
        {"service_account": "UPPER"},
        {"targetRoleArn": "arn:aws:s3:::bucket"},
        {"policy": "{not json"},
        {"tags": {f"k{i}": "v" for i in range(51)}},
    ],
)
def test_create_refuses_invalid_input(eks_client, params):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, **params, cluster="c1")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_unknown_cluster_and_association(eks_client):
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, cluster="nope")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    create_cluster(eks_client, "c1")
    for call in (
        eks_client.describe_pod_identity_association,
        eks_client.delete_pod_identity_association,
        eks_client.update_pod_identity_association,
    ):
        with pytest.raises(ClientError) as excinfo:
            call(clusterName="c1", associationId="a-abcdefghijklmnop1")
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_list_filters_and_pagination(eks_client):
    create_cluster(eks_client, "c1")
    made = [
        associate_pod_identity(eks_client, namespace=ns, service_account=sa, cluster="c1")
        for ns in ("a", "b")
        for sa in ("x", "y", "z")
    ]
    listed = eks_client.list_pod_identity_associations(clusterName="c1")["associations"]
    assert [a["associationId"] for a in listed] == [a["associationId"] for a in made]
    assert set(listed[0]) == {"clusterName", "namespace", "serviceAccount", "associationArn", "associationId"}
    in_a = eks_client.list_pod_identity_associations(clusterName="c1", namespace="a")["associations"]
    assert [a["serviceAccount"] for a in in_a] == ["x", "y", "z"]
    named_y = eks_client.list_pod_identity_associations(clusterName="c1", serviceAccount="y")["associations"]
    assert [a["namespace"] for a in named_y] == ["a", "b"]
    both = eks_client.list_pod_identity_associations(clusterName="c1", namespace="b", serviceAccount="z")
    assert [a["associationId"] for a in both["associations"]] == [made[5]["associationId"]]
    page = eks_client.list_pod_identity_associations(clusterName="c1", namespace="b", maxResults=2)
    assert len(page["associations"]) == 2
    rest = eks_client.list_pod_identity_associations(
        clusterName="c1", namespace="b", nextToken=page["nextToken"]
    )
    assert [a["serviceAccount"] for a in page["associations"] + rest["associations"]] == ["x", "y", "z"]
    assert "nextToken" not in rest


def test_update_association(eks_client):
    with freeze_time("2026-11-21 12:00:00") as clock:
        create_cluster(eks_client, "c1")
        created = associate_pod_identity(eks_client, cluster="c1")
        clock.tick(10)
        updated = eks_client.update_pod_identity_association(
            clusterName="c1",
            associationId=created["associationId"],
            roleArn="arn:aws:iam::123456789012:role/new-role",
            targetRoleArn=TARGET,
            disableSessionTags=True,
        )["association"]
    assert updated["roleArn"] == "arn:aws:iam::123456789012:role/new-role"
    assert updated["targetRoleArn"] == TARGET and updated["externalId"]
    assert updated["disableSessionTags"] is True
    assert (updated["modifiedAt"] - updated["createdAt"]).total_seconds() == 10
    cleared = eks_client.update_pod_identity_association(
        clusterName="c1", associationId=created["associationId"], targetRoleArn=""
    )["association"]
    assert "targetRoleArn" not in cleared and "externalId" not in cleared
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_pod_identity_association(
            clusterName="c1",
            associationId=created["associationId"],
            roleArn="arn:aws:iam::123456789012:user/u",
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_delete_association_returns_it(eks_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(eks_client, cluster="c1")
    deleted = eks_client.delete_pod_identity_association(
        clusterName="c1", associationId=association["associationId"]
    )
    assert deleted["association"]["associationId"] == association["associationId"]
    assert eks_client.list_pod_identity_associations(clusterName="c1")["associations"] == []
    associate_pod_identity(eks_client, cluster="c1")  # the service account is free again


def test_association_arn_is_taggable(eks_client):
    create_cluster(eks_client, "c1")
    arn = associate_pod_identity(eks_client, cluster="c1")["associationArn"]
    eks_client.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "test"}


# -- EKS Auth --------------------------------------------------------------------------------------


def test_end_to_end_pod_identity(eks_client, eks_auth_client):
    with freeze_time("2026-11-21 12:00:00"):
        create_cluster(eks_client, "c1")
        association = associate_pod_identity(
            eks_client, namespace="shop", service_account="checkout", cluster="c1"
        )
        token = make_service_account_token("c1", "shop", "checkout", pod_name="checkout-7d9f")
        result = eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert result["subject"] == {"namespace": "shop", "serviceAccount": "checkout"}
    assert result["audience"] == "pods.eks.amazonaws.com"
    assert result["podIdentityAssociation"] == {
        "associationArn": association["associationArn"],
        "associationId": association["associationId"],
    }
    session = result["assumedRoleUser"]["arn"].rsplit("/", 1)[1]
    assert re.fullmatch(r"eks-c1-checkout-7d9f-[0-9a-f-]{36}", session)
    assert result["assumedRoleUser"]["arn"] == f"arn:aws:sts::123456789012:assumed-role/pod-role/{session}"
    assert re.fullmatch(r"AROA[A-Z0-9]{17}:" + re.escape(session), result["assumedRoleUser"]["assumeRoleId"])
    credentials = result["credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["accessKeyId"])
    assert credentials["secretAccessKey"] and credentials["sessionToken"]
    assert (
        credentials["expiration"].timestamp() == 1795262400 + 6 * 3600
    )  # frozen now (2026-11-21 12:00 UTC) + 6h


def test_target_role_credentials_name_the_target(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, targetRoleArn=TARGET, cluster="c1")
    result = eks_auth_client.assume_role_for_pod_identity(
        clusterName="c1", token=make_service_account_token("c1", "default", "app")
    )
    assert result["assumedRoleUser"]["arn"].startswith(
        "arn:aws:sts::210987654321:assumed-role/target-role/eks-c1-"
    )


def test_expired_token(eks_client, eks_auth_client):
    with freeze_time("2026-11-21 12:00:00") as clock:
        create_cluster(eks_client, "c1")
        associate_pod_identity(eks_client, cluster="c1")
        token = make_service_account_token("c1", "default", "app", expires_in=600)
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
        clock.tick(601)
        with pytest.raises(ClientError) as excinfo:
            eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert error_of(excinfo)[:2] == ("ExpiredTokenException", 400)


def test_token_of_another_cluster_is_invalid(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    create_cluster(eks_client, "c2")
    associate_pod_identity(eks_client, cluster="c1")
    associate_pod_identity(eks_client, cluster="c2")
    foreign = make_service_account_token("c2", "default", "app")
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=foreign)
    assert error_of(excinfo)[:2] == ("InvalidTokenException", 400)


def _tamper(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{payload}.{signature}"


def test_bad_tokens_are_invalid(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    associate_pod_identity(eks_client, cluster="c1")
    good = make_service_account_token("c1", "default", "app")
    issuer = eks_client.describe_cluster(name="c1")["cluster"]["identity"]["oidc"]["issuer"]
    bad_tokens = [
        _tamper(good, sub="system:serviceaccount:kube-system:admin"),  # signature no longer matches
        "aaaa.bbbb.cccc",  # not JSON
        make_service_account_token("c1", "default", "app", audience="sts.amazonaws.com"),
        make_service_account_token("c1", "default", "app", issuer="https://oidc.example.com/id/X"),
        make_service_account_token(
            "c1", "default", "app", issuer=issuer, issued_at=9999999999
        ),  # not yet valid
    ]
    for token in bad_tokens:
        with pytest.raises(ClientError) as excinfo:
            eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
        assert error_of(excinfo)[:2] == ("InvalidTokenException", 400), token


def test_token_must_have_three_parts(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token="only.two")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_no_association_and_unknown_cluster(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    token = make_service_account_token("c1", "default", "unassociated")
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="ghost", token=token)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_deleted_association_stops_the_exchange(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(eks_client, cluster="c1")
    token = make_service_account_token("c1", "default", "app")
    eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    eks_client.delete_pod_identity_association(clusterName="c1", associationId=association["associationId"])
    with pytest.raises(ClientError) as excinfo:
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_auth_error_classes_come_from_the_eks_auth_model(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    with pytest.raises(eks_auth_client.exceptions.InvalidTokenException):
        eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token="aaaa.bbbb.cccc")


def test_token_helper_claims(eks_client):
    with freeze_time("2026-11-21 12:00:00"):
        create_cluster(eks_client, "c1")
        token = make_service_account_token("c1", "shop", "checkout", pod_name="web-0", expires_in=3600)
    issuer = eks_client.describe_cluster(name="c1")["cluster"]["identity"]["oidc"]["issuer"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["iss"] == issuer
    assert claims["aud"] == ["pods.eks.amazonaws.com"]
    assert claims["sub"] == "system:serviceaccount:shop:checkout"
    assert (claims["iat"], claims["nbf"], claims["exp"]) == (1795262400, 1795262400, 1795262400 + 3600)
    kube = claims["kubernetes.io"]
    assert kube["namespace"] == "shop"
    assert kube["pod"]["name"] == "web-0" and kube["pod"]["uid"]
    assert kube["serviceaccount"]["name"] == "checkout" and kube["serviceaccount"]["uid"]
    with pytest.raises(LookupError):
        make_service_account_token("no-such-cluster")


# -- workload identity (botocore 1.44.18 and later) --------------------------------------------------
# The rules are the model's documentation of WorkloadIdentityConfigRequest/Response and of
# AssumeRoleForPodIdentity's workloadIdentityProviderArn ("Returned only for associations with workload
# identity enabled").

TEMPLATE = "arn:aws:iam::123456789012:workload-identity-template/payments"
PROVIDER = "arn:aws:iam::123456789012:workload-identity-provider/corp"


def _workload_identity_modelled() -> bool:
    from mock_eks.model.spec import OPERATIONS

    return "workloadIdentityConfig" in OPERATIONS["eks"]["CreatePodIdentityAssociation"].members


needs_workload_identity = pytest.mark.skipif(
    not _workload_identity_modelled(), reason="the installed botocore predates workloadIdentityConfig"
)


@needs_workload_identity
def test_workload_identity_is_stored_and_returned(eks_client):
    create_cluster(eks_client, "c1")
    config = {"enabled": True, "templateArn": TEMPLATE, "providerArn": PROVIDER}
    association = associate_pod_identity(eks_client, workloadIdentityConfig=config, cluster="c1")
    assert association["workloadIdentityConfig"] == config
    described = eks_client.describe_pod_identity_association(
        clusterName="c1", associationId=association["associationId"]
    )["association"]
    assert described["workloadIdentityConfig"] == config
    # the summary shape of ListPodIdentityAssociations has no such member
    (summary,) = eks_client.list_pod_identity_associations(clusterName="c1")["associations"]
    assert "workloadIdentityConfig" not in summary


@needs_workload_identity
@pytest.mark.parametrize(
    "config, problem",
    [
        ({"templateArn": TEMPLATE, "providerArn": PROVIDER}, "enabled"),
        ({"enabled": True}, "templateArn"),
        ({"enabled": True, "templateArn": TEMPLATE}, "together"),
        ({"enabled": True, "templateArn": "payments", "providerArn": PROVIDER}, "not a valid ARN"),
        (
            {
                "enabled": True,
                "templateArn": "arn:aws:iam::999999999999:workload-identity-template/x",
                "providerArn": PROVIDER,
            },
            "cluster's account",
        ),
    ],
    ids=["enabled-required", "arns-required", "arns-together", "bad-arn", "template-elsewhere"],
)
def test_workload_identity_create_rules(eks_client, config, problem):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, workloadIdentityConfig=config, cluster="c1")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert problem in message
    assert eks_client.list_pod_identity_associations(clusterName="c1")["associations"] == []


@needs_workload_identity
def test_workload_identity_and_target_role_exclude_each_other(eks_client):
    create_cluster(eks_client, "c1")
    config = {"enabled": True, "templateArn": TEMPLATE, "providerArn": PROVIDER}
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, workloadIdentityConfig=config, targetRoleArn=TARGET, cluster="c1")
    assert error_of(excinfo)[0] == "InvalidParameterException" and "targetRoleArn" in error_of(excinfo)[2]
    # switching from a target role to workload identity in one request: enable and clear targetRoleArn
    association = associate_pod_identity(eks_client, targetRoleArn=TARGET, cluster="c1")
    switched = eks_client.update_pod_identity_association(
        clusterName="c1",
        associationId=association["associationId"],
        targetRoleArn="",
        workloadIdentityConfig=config,
    )["association"]
    assert switched["workloadIdentityConfig"] == config and "targetRoleArn" not in switched
    with pytest.raises(ClientError):
        eks_client.update_pod_identity_association(
            clusterName="c1", associationId=association["associationId"], targetRoleArn=TARGET
        )


@needs_workload_identity
def test_workload_identity_update_keeps_what_it_omits(eks_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(
        eks_client,
        workloadIdentityConfig={"enabled": True, "templateArn": TEMPLATE, "providerArn": PROVIDER},
        cluster="c1",
    )
    key = {"clusterName": "c1", "associationId": association["associationId"]}
    update = eks_client.update_pod_identity_association
    # disabling keeps the ARNs, so enabling again needs none
    disabled = update(**key, workloadIdentityConfig={"enabled": False})["association"]
    assert disabled["workloadIdentityConfig"] == {
        "enabled": False,
        "templateArn": TEMPLATE,
        "providerArn": PROVIDER,
    }
    enabled = update(**key, workloadIdentityConfig={"enabled": True})["association"]
    assert enabled["workloadIdentityConfig"]["enabled"] is True
    # an update of other members leaves it as it is
    assert update(**key, disableSessionTags=True)["association"]["workloadIdentityConfig"]["enabled"] is True
    # clearing the ARNs only while disabled, or in the request that disables
    with pytest.raises(ClientError) as excinfo:
        update(**key, workloadIdentityConfig={"templateArn": "", "providerArn": ""})
    assert "disabled" in error_of(excinfo)[2]
    cleared = update(**key, workloadIdentityConfig={"enabled": False, "templateArn": "", "providerArn": ""})
    assert cleared["association"]["workloadIdentityConfig"] == {"enabled": False}
    # enabling with no ARNs stored and none given is refused
    with pytest.raises(ClientError) as excinfo:
        update(**key, workloadIdentityConfig={"enabled": True})
    assert "templateArn" in error_of(excinfo)[2]


@needs_workload_identity
def test_assume_role_names_the_provider_only_while_enabled(eks_client, eks_auth_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(
        eks_client,
        workloadIdentityConfig={"enabled": True, "templateArn": TEMPLATE, "providerArn": PROVIDER},
        cluster="c1",
    )
    token = make_service_account_token("c1", "default", "app")
    answer = eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert answer["workloadIdentityProviderArn"] == PROVIDER
    eks_client.update_pod_identity_association(
        clusterName="c1",
        associationId=association["associationId"],
        workloadIdentityConfig={"enabled": False},
    )
    answer = eks_auth_client.assume_role_for_pod_identity(clusterName="c1", token=token)
    assert "workloadIdentityProviderArn" not in answer
