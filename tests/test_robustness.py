"""Bad input never breaks the mock: each class of failure the fuzzing found, through the public surface.

Every error must be one the operation models or one of the Reference's common errors, with its status.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests
from botocore.exceptions import ClientError

from mock_eks import errors
from mock_eks.model.spec import OPERATIONS
from tests.helpers import (
    NODE_ROLE,
    ROLE,
    SUBNETS,
    associate_pod_identity,
    create_cluster,
    create_nodegroup,
    create_subscription,
    error_of,
    unvalidated_client,
)

EKS = "https://eks.us-east-1.amazonaws.com"


def allowed(operation: str, service: str = "eks") -> frozenset[str]:
    op = OPERATIONS[service][operation]
    return errors.allowed_codes(service, op.error_codes, operation)


# -- 1. deep nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"[" * 5000, b'{"name": ' + b"[" * 900 + b"]" * 900 + b"}"])
def test_deeply_nested_bodies_are_the_operations_invalid_parameter_error(eks_mock, body):
    response = requests.post(f"{EKS}/clusters", data=body)
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "InvalidParameterException"


def test_nesting_inside_a_member_is_refused_too(eks_mock):
    deep = "[" * 200 + "]" * 200
    body = f'{{"name": "c", "roleArn": "{ROLE}", "resourcesVpcConfig": {{"subnetIds": {deep}}}}}'
    response = requests.post(f"{EKS}/clusters", data=body.encode())
    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (400, "InvalidParameterException")


# -- 8. empty URI labels ----------------------------------------------------------------------------


def test_empty_label_does_not_route_to_another_operation(eks_client):
    create_cluster(eks_client, "c1")
    raw = unvalidated_client()
    with pytest.raises(ClientError) as excinfo:
        raw.describe_cluster(name="")  # GET /clusters/ is not ListClusters
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ClientException", 400)  # DescribeCluster's own invalid-input error
    assert "name" in message
    with pytest.raises(ClientError) as excinfo:
        raw.delete_nodegroup(clusterName="c1", nodegroupName="")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        raw.describe_addon(clusterName="", addonName="vpc-cni")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_every_empty_label_answers_a_modelled_or_common_error(eks_mock):
    raw = unvalidated_client()
    for name, op in OPERATIONS["eks"].items():
        if not op.labels:
            continue
        kwargs = {member: "" for _, member in op.labels}
        for member_name in op.model.input_shape.required_members:
            kwargs.setdefault(member_name, _filler(op.members[member_name].shape))
        with pytest.raises(ClientError) as excinfo:
            getattr(raw, op.handler_name)(**kwargs)
        code, status, _ = error_of(excinfo)
        assert code in allowed(name), (name, code)
        assert status == 400, (name, status)


def _filler(shape):
    return {"string": "x", "list": [], "map": {}, "structure": {}, "integer": 1, "long": 1}.get(
        shape.type_name, "x"
    )


# -- 12. unmodelled error codes ---------------------------------------------------------------------


def test_invalid_input_to_an_operation_without_an_invalid_parameter_error_is_validation_error(eks_mock):
    raw = unvalidated_client()
    assert "InvalidParameterException" not in allowed("ListAccessPolicies")
    with pytest.raises(ClientError) as excinfo:
        raw.list_access_policies(nextToken="x")
    assert error_of(excinfo)[:2] == ("ValidationError", 400)
    with pytest.raises(ClientError) as excinfo:
        raw.list_access_policies(maxResults=0)
    assert error_of(excinfo)[:2] == ("ValidationError", 400)


def test_wrong_method_is_the_common_unknown_operation_error(eks_mock):
    response = requests.patch(f"{EKS}/clusters")
    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    assert "UnknownOperationException" in errors.COMMON_ERRORS


# -- 3 and 9. pagination tokens ---------------------------------------------------------------------

PAGINATED = sorted(
    name for name, op in OPERATIONS["eks"].items() if "nextToken" in op.members and not op.labels
)


@pytest.mark.parametrize("token", ["e30.é", "é", "", "..", "x" * 300, "e30"])
def test_non_ascii_or_garbled_tokens_are_the_invalid_token_error(eks_mock, token):
    raw = unvalidated_client()
    for name in PAGINATED:
        if not token:
            continue
        with pytest.raises(ClientError) as excinfo:
            getattr(raw, OPERATIONS["eks"][name].handler_name)(nextToken=token)
        code, status, _ = error_of(excinfo)
        assert code in allowed(name) and status == 400, (name, code, status)


def test_a_token_is_bound_to_account_region_operation_and_activation(monkeypatch):
    import boto3

    from mock_eks import mock_eks

    with mock_eks():
        east = boto3.client("eks", region_name="us-east-1")
        west = boto3.client("eks", region_name="us-west-2")
        for index in range(3):
            create_cluster(east, f"c{index}")
            create_cluster(west, f"c{index}")
        token = east.list_clusters(maxResults=1)["nextToken"]
        assert east.list_clusters(nextToken=token)["clusters"] == ["c1", "c2"]
        with pytest.raises(ClientError) as excinfo:
            west.list_clusters(nextToken=token)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
        with pytest.raises(ClientError):
            east.list_addons(clusterName="c0", nextToken=token)  # another operation
        other = boto3.client(
            "eks", region_name="us-east-1", aws_access_key_id="210987654321", aws_secret_access_key="x"
        )
        for index in range(3):
            create_cluster(other, f"c{index}")
        with pytest.raises(ClientError) as excinfo:
            other.list_clusters(nextToken=token)  # another account (12-digit access key id)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with mock_eks():
        east = boto3.client("eks", region_name="us-east-1")
        for index in range(3):
            create_cluster(east, f"c{index}")
        with pytest.raises(ClientError) as excinfo:
            east.list_clusters(nextToken=token)  # another activation
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


# -- 10. ListAssociatedAccessPolicies is stable under deletes ---------------------------------------


def test_associated_access_policies_pages_survive_a_disassociation(eks_client):
    create_cluster(eks_client, "c1", accessConfig={"authenticationMode": "API"})
    principal = "arn:aws:iam::123456789012:role/dev"
    eks_client.create_access_entry(clusterName="c1", principalArn=principal)
    arns = [p["arn"] for p in eks_client.list_access_policies()["accessPolicies"]][:4]
    for arn in arns:
        eks_client.associate_access_policy(
            clusterName="c1", principalArn=principal, policyArn=arn, accessScope={"type": "cluster"}
        )
    first = eks_client.list_associated_access_policies(clusterName="c1", principalArn=principal, maxResults=2)
    seen = [p["policyArn"] for p in first["associatedAccessPolicies"]]
    assert seen == arns[:2]
    eks_client.disassociate_access_policy(clusterName="c1", principalArn=principal, policyArn=arns[0])
    rest = eks_client.list_associated_access_policies(
        clusterName="c1", principalArn=principal, maxResults=2, nextToken=first["nextToken"]
    )
    assert [p["policyArn"] for p in rest["associatedAccessPolicies"]] == arns[2:]


# -- 5. JSON null inside lists and maps -------------------------------------------------------------


def test_nulls_inside_lists_and_maps_are_refused_not_echoed(eks_client):
    cluster = create_cluster(eks_client, "c1", accessConfig={"authenticationMode": "API"})
    raw = unvalidated_client()
    principal = "arn:aws:iam::123456789012:role/dev"
    eks_client.create_access_entry(clusterName="c1", principalArn=principal)
    attempts = [
        lambda: raw.update_access_entry(clusterName="c1", principalArn=principal, kubernetesGroups=[None]),
        lambda: _raise_for(
            requests.post(
                f"{EKS}/clusters/c1/fargate-profiles",
                json={"fargateProfileName": "fp", "podExecutionRoleArn": ROLE, "selectors": [None]},
            )
        ),
        lambda: raw.list_insights(clusterName="c1", filter={"statuses": [None]}),
        lambda: _raise_for(
            requests.post(f"{EKS}/clusters/c1/update-config", json={"logging": {"clusterLogging": [None]}})
        ),
        lambda: raw.tag_resource(resourceArn=cluster["arn"], tags={"k": None}),
        lambda: raw.create_cluster(
            name="c2", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1", None]}
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ClientError) as excinfo:
            attempt()
        code, status, message = error_of(excinfo)
        # TagResource's invalid-input error is BadRequestException, the others' InvalidParameterException
        assert code in ("InvalidParameterException", "BadRequestException") and status == 400, message
        assert "null" in message
    assert "k" not in eks_client.describe_cluster(name="c1")["cluster"].get("tags", {})


def test_a_null_member_inside_a_structure_is_a_member_not_sent(eks_client):
    """AWS JSON protocols read a member sent as null as one not sent: CreateNodegroup then asks for all or
    none of the three sizes (the message moto/eks/models.py quotes from real EKS), and an update that
    names only maxSize changes only maxSize."""
    create_cluster(eks_client, "c1")
    body = {"nodegroupName": "ng", "nodeRole": NODE_ROLE, "subnets": SUBNETS}
    sizes = {"minSize": None, "maxSize": 2, "desiredSize": 1}
    with pytest.raises(ClientError) as excinfo:
        _raise_for(requests.post(f"{EKS}/clusters/c1/node-groups", json={**body, "scalingConfig": sizes}))
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400) and "minSize" in message
    assert requests.post(f"{EKS}/clusters/c1/node-groups", json=body).status_code == 200
    update = {"scalingConfig": {"minSize": None, "maxSize": 5}}
    assert requests.post(f"{EKS}/clusters/c1/node-groups/ng/update-config", json=update).status_code == 200
    scaling = eks_client.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"][
        "scalingConfig"
    ]
    assert scaling["maxSize"] == 5 and scaling["minSize"] == 1


# -- 11. integers outside the model's 32-bit / 64-bit range ----------------------------------------


def test_integers_outside_int32_are_refused(eks_client):
    create_cluster(eks_client, "c1")
    raw = unvalidated_client()
    for value in (2**31, -(2**31) - 1, 10**30):
        with pytest.raises(ClientError) as excinfo:
            create_nodegroup(raw, "ng", cluster="c1", nodeRole=ROLE, subnets=["subnet-1"], diskSize=value)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    nodegroup = create_nodegroup(
        raw, "ng", cluster="c1", nodeRole=ROLE, subnets=["subnet-1"], diskSize=2**31 - 1
    )
    assert nodegroup["diskSize"] == 2**31 - 1


def test_out_of_range_integer_in_the_query_string(eks_mock):
    response = requests.get(f"{EKS}/clusters?maxResults=99999999999")
    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (400, "InvalidParameterException")


def test_non_finite_doubles_are_refused(eks_mock):
    # no EKS input is a double today; the rule is the validator's, exercised through raw JSON numbers
    response = requests.post(f"{EKS}/clusters", data=b'{"name": NaN}')
    assert response.status_code == 400


def _raise_for(response: requests.Response) -> None:
    """A raw HTTP error answer as the ClientError botocore would raise for it."""
    error = {"Code": response.headers["x-amzn-ErrorType"], "Message": response.json()["message"]}
    raise ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": response.status_code}}, "raw")


# -- 2. members a handler does not reason about (rollbackConfig) ------------------------------------


@pytest.mark.skipif(
    "rollbackConfig" not in OPERATIONS["eks"]["UpdateClusterVersion"].members,
    reason="the installed botocore model has no rollbackConfig",
)
def test_update_cluster_version_takes_rollback_config(eks_client):
    from mock_eks import versions

    cluster = create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_version(
            name="c1", version=cluster["version"], rollbackConfig={"timeoutMinutes": 30}
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    following = versions.next_minor(cluster["version"])
    if following is None:
        pytest.skip("the default version has no next minor in the catalogue")
    update = eks_client.update_cluster_version(
        name="c1", version=following, rollbackConfig={"timeoutMinutes": 30}
    )["update"]
    assert update["type"] == "VersionUpdate"


def test_every_handler_accepts_every_modelled_member(eks_mock):
    """A request with every input member of every operation never fails for an unexpected keyword."""
    raw = unvalidated_client()
    for name, op in OPERATIONS["eks"].items():
        kwargs = {member: _filler(m.shape) for member, m in op.members.items()}
        try:
            getattr(raw, op.handler_name)(**kwargs)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            assert code in allowed(name) and code not in ("ServerException", "InternalFailure"), (name, code)


# -- 6. expensive documents: configurationValues and pod identity policy ----------------------------

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""
# "a\x7f": YAML 1.1 refuses the DEL character while reading (PyYAML's ReaderError), before parsing
DOCUMENTS = [
    "[" * 1000,
    "9" * 4400,
    BOMB,
    "{" * 40 + "}" * 40,
    '{"a": ' * 50 + "1" + "}" * 50,
    "x" * 70000,
    "a\x7f",
]
IDS = ["brackets", "digits", "bomb", "braces", "deep", "huge", "control-character"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_configuration_values_are_bounded(eks_client, document):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_addon(clusterName="c1", addonName="vpc-cni", configurationValues=document)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert len(message) < 2000
    eks_client.create_addon(clusterName="c1", addonName="vpc-cni")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_addon(clusterName="c1", addonName="vpc-cni", configurationValues=document)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_pod_identity_policy_is_bounded(eks_client, document):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client, cluster="c1", roleArn=ROLE, policy=document)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert len(message) < 2000


def test_yaml_configuration_with_a_few_aliases_still_works(eks_client):
    create_cluster(eks_client, "c1")
    schema = json.loads(
        eks_client.describe_addon_configuration(
            addonName="coredns",
            addonVersion=eks_client.describe_addon_versions(addonName="coredns")["addons"][0][
                "addonVersions"
            ][0]["addonVersion"],
        )["configurationSchema"]
    )
    assert "replicaCount" in schema["properties"]
    addon = eks_client.create_addon(
        clusterName="c1", addonName="coredns", configurationValues="replicaCount: 3\n"
    )
    assert addon["addon"]["configurationValues"] == "replicaCount: 3\n"


# -- 7. issuer URLs urllib cannot split ------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://[abc", "https://[::1", "https://example.com:99999", "https://"])
def test_unparseable_issuer_urls_are_invalid_parameters(eks_client, url):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.associate_identity_provider_config(
            clusterName="c1",
            oidc={"identityProviderConfigName": "idp", "issuerUrl": url, "clientId": "client"},
        )
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


# -- 15. rules the API Reference states ------------------------------------------------------------


def test_list_eks_anywhere_subscriptions_defaults_to_ten_results(eks_client):
    for index in range(12):
        create_subscription(eks_client, f"sub-{index}")
    page = eks_client.list_eks_anywhere_subscriptions()
    assert len(page["subscriptions"]) == 10 and page["nextToken"]
    rest = eks_client.list_eks_anywhere_subscriptions(nextToken=page["nextToken"])
    assert len(rest["subscriptions"]) == 2 and "nextToken" not in rest
    assert len(eks_client.list_eks_anywhere_subscriptions(maxResults=100)["subscriptions"]) == 12


def test_update_pod_identity_association_must_change_something(eks_client):
    create_cluster(eks_client, "c1")
    association = associate_pod_identity(eks_client, cluster="c1", roleArn=ROLE)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_pod_identity_association(
            clusterName="c1", associationId=association["associationId"]
        )
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "at least one" in message
    updated = eks_client.update_pod_identity_association(
        clusterName="c1", associationId=association["associationId"], disableSessionTags=True
    )["association"]
    assert updated["disableSessionTags"] is True


@pytest.mark.parametrize("include", [["ALL"], ["All"], ["everything"], ["all", "x"]])
def test_list_clusters_include_accepts_only_lowercase_all(eks_client, include):
    create_cluster(eks_client, "c1")
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_clusters(include=include)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    assert eks_client.list_clusters(include=["all"])["clusters"] == ["c1"]


# -- 13. MOCK_EKS_ACCOUNT_ID: validated, one rule in-process and over HTTP --------------------------


@pytest.mark.parametrize("value", ["abc", "12345678901", "1234567890123", "١٢٣٤٥٦٧٨٩٠١٢"])
def test_a_bad_account_variable_fails_at_activation_and_server_start(monkeypatch, value):
    from mock_eks import mock_eks
    from mock_eks.server import MockEKSServer

    monkeypatch.setenv("MOCK_EKS_ACCOUNT_ID", value)
    with pytest.raises(ValueError, match="MOCK_EKS_ACCOUNT_ID"):
        mock_eks().start()
    with pytest.raises(ValueError, match="MOCK_EKS_ACCOUNT_ID"):
        MockEKSServer("127.0.0.1", 0)


def test_a_bad_account_variable_set_while_active_is_an_unrecognized_client(eks_client, monkeypatch):
    monkeypatch.setenv("MOCK_EKS_ACCOUNT_ID", "abc")
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_clusters()
    code, status, message = error_of(excinfo)
    assert (code, status) == ("UnrecognizedClientException", 403)
    assert "MOCK_EKS_ACCOUNT_ID" in message


def _account_of(client) -> str:
    return create_cluster(client, "acct")["arn"].split(":")[4]


def test_one_account_rule_in_process_and_over_http(monkeypatch):
    import boto3

    from mock_eks import mock_eks
    from mock_eks.server import MockEKSServer

    monkeypatch.setenv("MOCK_EKS_ACCOUNT_ID", "111122223333")
    keys = {"aws_access_key_id": "444455556666", "aws_secret_access_key": "x"}
    with mock_eks():
        assert _account_of(boto3.client("eks", region_name="us-east-1")) == "111122223333"
        assert _account_of(boto3.client("eks", region_name="us-east-1", **keys)) == "444455556666"
    with MockEKSServer("127.0.0.1", 0) as server:
        plain = boto3.client("eks", region_name="us-east-1", endpoint_url=server.url)
        keyed = boto3.client("eks", region_name="us-east-1", endpoint_url=server.url, **keys)
        assert _account_of(plain) == "111122223333"
        assert _account_of(keyed) == "444455556666"


# -- Clocks: any clock from 1970 to 2100 --------------------------------------------------------------


@pytest.mark.parametrize("day", ["1970-01-01", "2013-03-01", "2022-08-10", "2060-06-01", "2100-12-31"])
def test_default_create_and_versions_at_any_clock(day):
    import boto3
    from freezegun import freeze_time

    from mock_eks import mock_eks

    with freeze_time(day), mock_eks():
        eks = boto3.client("eks", region_name="us-east-1")
        offered = eks.describe_cluster_versions()["clusterVersions"]
        assert offered, day
        default = [v for v in offered if v["defaultVersion"]]
        assert len(default) == 1
        cluster = create_cluster(eks, "c1")
        assert cluster["version"] == default[0]["clusterVersion"]
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
        assert offered[0]["versionStatus"] in ("STANDARD_SUPPORT", "EXTENDED_SUPPORT")
        nodegroup = create_nodegroup(eks, "ng", cluster="c1")
        assert nodegroup["version"] == cluster["version"]


def test_support_status_still_follows_the_clock_inside_the_catalogue():
    import boto3
    from freezegun import freeze_time

    from mock_eks import mock_eks, versions

    entry = versions.get(versions.DEFAULT_VERSION)
    for moment, expected in [
        (entry.release + 86400, "STANDARD_SUPPORT"),
        (entry.end_of_standard + 86400, "EXTENDED_SUPPORT"),
    ]:
        with freeze_time(datetime.fromtimestamp(moment, UTC)), mock_eks():
            eks = boto3.client("eks", region_name="us-east-1")
            listed = eks.describe_cluster_versions(clusterVersions=[entry.version])["clusterVersions"]
            assert listed[0]["versionStatus"] == expected


# -- durations -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "durations",
    [
        {"cluster.create": -1},
        {"cluster.create": "10"},
        {"cluster.create": float("nan")},
        {"cluster.create": True},
        {"no.such.kind": 1},
        {"cluster.create": float("inf")},
    ],
)
def test_bad_durations_are_refused(durations):
    from mock_eks import mock_eks

    with pytest.raises(ValueError):
        mock_eks(durations=durations)


def test_durations_apply_under_instant_timing():
    import boto3
    from freezegun import freeze_time

    from mock_eks import mock_eks

    with freeze_time("2026-01-01") as clock, mock_eks(durations={"cluster.create": 30}):
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks, "slow")
        assert eks.describe_cluster(name="slow")["cluster"]["status"] == "CREATING"
        clock.tick(31)
        assert eks.describe_cluster(name="slow")["cluster"]["status"] == "ACTIVE"
        eks.create_addon(clusterName="slow", addonName="vpc-cni")  # other kinds stay instant
        assert eks.describe_addon(clusterName="slow", addonName="vpc-cni")["addon"]["status"] == "ACTIVE"
