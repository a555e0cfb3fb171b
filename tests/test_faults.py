"""Fault injection (m.faults): failed calls that botocore retries, lifecycle failures that waiters stop on,
degraded health, and the same through server mode's /_mock_eks/faults* endpoints."""

from __future__ import annotations

import re
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError
from freezegun import freeze_time

from mock_eks import errors, mock_eks, versions
from tests.helpers import (
    ROLE,
    SUBNETS,
    cluster_params,
    create_capability,
    create_cluster,
    create_fargate_profile,
    create_nodegroup,
    error_of,
)
from tests.serving import control, eks_client

NO_WAIT = {"Delay": 0, "MaxAttempts": 3}


def _describe_ng(client, name="ng1", cluster="c1"):
    return client.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]


@pytest.fixture
def no_sleep(monkeypatch):
    """botocore's retry back-off: record the delays (against the mock they pass in mock time anyway)."""
    delays: list[float] = []
    monkeypatch.setattr("botocore.endpoint.time.sleep", delays.append)
    return delays


def _client(mode: str = "standard", attempts: int = 3):
    return boto3.client(
        "eks", region_name="us-east-1", config=Config(retries={"mode": mode, "total_max_attempts": attempts})
    )


# -- call faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_retry_modes_recover_from_two_throttled_calls(eks_mock, no_sleep, mode):
    client = _client(mode, 3)
    create_cluster(client, "c1")
    eks_mock.faults.fail_calls("DescribeCluster", "ThrottlingException", times=2)
    response = client.describe_cluster(name="c1")
    assert response["cluster"]["name"] == "c1"
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(no_sleep) == 2
    # the fault is used up: the next call is not retried
    assert client.describe_cluster(name="c1")["ResponseMetadata"]["RetryAttempts"] == 0


def test_retries_give_up_when_throttling_lasts(eks_mock, no_sleep):
    client = _client("standard", 3)
    create_cluster(client, "c1")
    eks_mock.faults.fail_calls("DescribeCluster", "ThrottlingException")
    with pytest.raises(ClientError) as caught:
        client.describe_cluster(name="c1")
    code, status, message = error_of(caught)
    # the model's status where the installed EKS model defines the code (429), the Reference's common
    # table (400) where it does not
    modelled = "ThrottlingException" in errors.BY_SERVICE["eks"]
    assert (code, status) == ("ThrottlingException", 429 if modelled else 400)
    assert message == "The request was denied due to request throttling."
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    eks_mock.faults.clear()
    assert client.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"


def test_a_failed_call_changes_no_state_and_does_not_burn_its_token(eks_mock):
    client = _client("standard", 1)
    eks_mock.faults.fail_calls("CreateCluster", "ServiceUnavailable", times=1, message="try later")
    params = cluster_params("c1", clientRequestToken="token-1")
    with pytest.raises(ClientError) as caught:
        client.create_cluster(**params)
    assert error_of(caught) == ("ServiceUnavailable", 503, "try later")
    assert client.list_clusters()["clusters"] == []
    # the same token with other parameters is a fresh request: the failed call recorded nothing
    other = {**params, "tags": {"team": "a"}}
    assert client.create_cluster(**other)["cluster"]["name"] == "c1"


def test_eks_auth_calls_fail_too(eks_mock):
    auth = boto3.client("eks-auth", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))
    eks_mock.faults.fail_calls("AssumeRoleForPodIdentity", "ThrottlingException", times=1)
    with pytest.raises(ClientError) as caught:
        auth.assume_role_for_pod_identity(clusterName="c1", token="x" * 40)
    # EKS Auth models ThrottlingException for this operation: the model's status, 429
    assert error_of(caught)[:2] == ("ThrottlingException", 429)


def test_modelled_errors_keep_their_model_status(eks_mock):
    client = _client("standard", 1)
    eks_mock.faults.fail_calls("ListClusters", "ServerException")
    with pytest.raises(ClientError) as caught:
        client.list_clusters()
    code, status, _ = error_of(caught)
    assert (code, status) == ("ServerException", 500)


def test_star_fails_every_operation_that_may_answer_the_code(eks_mock):
    client = _client("standard", 1)
    eks_mock.faults.fail_calls("*", "InternalFailure", times=2)
    for call in (client.list_clusters, lambda: client.describe_cluster(name="x")):
        with pytest.raises(ClientError) as caught:
            call()
        assert error_of(caught)[:2] == ("InternalFailure", 500)
    assert client.list_clusters()["clusters"] == []


def test_seeded_rates_are_reproducible(no_sleep):
    def outcomes(seed):
        with mock_eks() as m:
            client = _client("standard", 1)
            m.faults.fail_calls("ListClusters", "ThrottlingException", rate=0.5, seed=seed)
            seen = []
            for _ in range(24):
                try:
                    client.list_clusters()
                    seen.append(True)
                except ClientError as error:
                    assert error.response["Error"]["Code"] == "ThrottlingException"
                    seen.append(False)
            return seen

    first = outcomes(7)
    assert first == outcomes(7)
    assert True in first and False in first
    assert first != outcomes(8)


def test_times_and_rate_together_stop_after_times_failures(eks_mock):
    client = _client("standard", 1)
    eks_mock.faults.fail_calls("ListClusters", "ThrottlingException", rate=1.0, times=1, seed=1)
    with pytest.raises(ClientError):
        client.list_clusters()
    client.list_clusters()


@pytest.mark.parametrize(
    ("args", "kwargs", "reason"),
    [
        (("CreateCluster", "NoSuchError"), {}, "cannot answer"),
        (("ListClusters", "ResourceInUseException"), {}, "cannot answer"),
        (("NotAnOperation", "ThrottlingException"), {}, "unknown operation"),
        (("*", "Bogus"), {}, "neither"),
        (("ListClusters", "ThrottlingException"), {"times": 0}, "times"),
        (("ListClusters", "ThrottlingException"), {"rate": 1.5}, "rate"),
        (("ListClusters", "ThrottlingException"), {"rate": 0.5, "seed": 1.5}, "seed"),
    ],
)
def test_bad_call_faults_are_refused_at_once(eks_mock, args, kwargs, reason):
    with pytest.raises(ValueError, match=reason):
        eks_mock.faults.fail_calls(*args, **kwargs)


def test_faults_end_with_the_outermost_activation():
    with mock_eks() as m:
        m.faults.fail_calls("ListClusters", "ThrottlingException")
        m.faults.fail_next("nodegroup.create", "NodeCreationFailure")
        with mock_eks():
            with pytest.raises(ClientError):
                _client("standard", 1).list_clusters()
    with mock_eks() as m:
        client = _client("standard", 1)
        assert client.list_clusters()["clusters"] == []
        create_cluster(client, "c1")
        create_nodegroup(client, cluster="c1")
        assert _describe_ng(client)["status"] == "ACTIVE"
    with pytest.raises(RuntimeError):
        m.faults  # noqa: B018 - the property refuses when inactive
    # ... as an AttributeError too (Python's data model: a missing attribute raises it, and hasattr()
    # answers False instead of raising)
    assert hasattr(m, "faults") is False and hasattr(mock_eks, "faults") is False
    with pytest.raises(AttributeError, match="not active"):
        getattr(mock_eks, "faults")  # noqa: B009 - the attribute protocol is what is tested


# -- lifecycle faults ------------------------------------------------------------------------------


def test_failed_node_group_create_and_the_waiter_stops(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next(
        "nodegroup.create", "NodeCreationFailure", message="Instances failed to join the kubernetes cluster"
    )
    created = create_nodegroup(eks_client, cluster="c1")
    assert created["status"] == "CREATING"  # the create call itself succeeds
    with pytest.raises(WaiterError) as caught:
        eks_client.get_waiter("nodegroup_active").wait(
            clusterName="c1", nodegroupName="ng1", WaiterConfig=NO_WAIT
        )
    assert "terminal failure" in str(caught.value)
    group = _describe_ng(eks_client)
    assert group["status"] == "CREATE_FAILED"
    assert group["health"]["issues"] == [
        {
            "code": "NodeCreationFailure",
            "message": "Instances failed to join the kubernetes cluster",
            "resourceIds": group["health"]["issues"][0]["resourceIds"],
        }
    ]
    # the group's instances, one per desired node (a real DescribeNodegroup, 2026-04:
    # tests/recordings/public-describe-nodegroup-create-failed-2026.json)
    ids = group["health"]["issues"][0]["resourceIds"]
    assert len(ids) == group["scalingConfig"]["desiredSize"]
    assert all(re.fullmatch(r"i-[0-9a-f]{17}", i) for i in ids)
    # only the next one fails
    create_nodegroup(eks_client, "ng2", cluster="c1")
    assert _describe_ng(eks_client, "ng2")["status"] == "ACTIVE"


def test_failed_cluster_create(eks_client, eks_mock):
    eks_mock.faults.fail_next("cluster.create", "IamRoleNotFound", times=2)
    for name in ("c1", "c2"):
        create_cluster(eks_client, name)
    create_cluster(eks_client, "c3")
    with pytest.raises(WaiterError, match="terminal failure"):
        eks_client.get_waiter("cluster_active").wait(name="c1", WaiterConfig=NO_WAIT)
    cluster = eks_client.describe_cluster(name="c2")["cluster"]
    assert cluster["status"] == "FAILED"
    [issue] = cluster["health"]["issues"]
    assert issue["code"] == "IamRoleNotFound" and issue["resourceIds"] == ["c2"] and issue["message"]
    assert eks_client.describe_cluster(name="c3")["cluster"]["status"] == "ACTIVE"
    # a failed cluster can still be deleted
    eks_client.delete_cluster(name="c1")
    assert "c1" not in eks_client.list_clusters()["clusters"]


def test_failed_fargate_profile_create(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("fargate.create", "PodExecutionRoleAlreadyInUse")
    create_fargate_profile(eks_client, "fp", cluster="c1", podExecutionRoleArn=ROLE, subnets=list(SUBNETS))
    with pytest.raises(WaiterError, match="terminal failure"):
        eks_client.get_waiter("fargate_profile_active").wait(
            clusterName="c1", fargateProfileName="fp", WaiterConfig=NO_WAIT
        )
    profile = eks_client.describe_fargate_profile(clusterName="c1", fargateProfileName="fp")["fargateProfile"]
    assert profile["status"] == "CREATE_FAILED"
    assert profile["health"]["issues"][0]["code"] == "PodExecutionRoleAlreadyInUse"


def test_failed_addon_create_and_the_waiter_stops(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("addon.create", "InsufficientNumberOfReplicas")
    assert eks_client.create_addon(clusterName="c1", addonName="vpc-cni")["addon"]["status"] == "CREATING"
    with pytest.raises(WaiterError, match="terminal failure"):
        eks_client.get_waiter("addon_active").wait(
            clusterName="c1", addonName="vpc-cni", WaiterConfig=NO_WAIT
        )
    addon = eks_client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]
    assert addon["status"] == "CREATE_FAILED"
    assert addon["health"]["issues"][0]["code"] == "InsufficientNumberOfReplicas"


def test_failed_version_update_leaves_the_old_version(eks_client, eks_mock):
    with freeze_time("2026-11-21 12:00:00"):
        current, following = _upgradable()
        create_cluster(eks_client, "c1", version=current)
        eks_mock.faults.fail_next("cluster.version", "AccessDenied", message="Role is not authorized")
        update = eks_client.update_cluster_version(name="c1", version=following)["update"]
        assert update["status"] == "InProgress"
        done = eks_client.describe_update(name="c1", updateId=update["id"])["update"]
        assert done["status"] == "Failed"
        assert done["errors"] == [
            {"errorCode": "AccessDenied", "errorMessage": "Role is not authorized", "resourceIds": ["c1"]}
        ]
        cluster = eks_client.describe_cluster(name="c1")["cluster"]
        assert (cluster["version"], cluster["status"]) == (current, "ACTIVE")
        # the fault is used up: the retry succeeds
        again = eks_client.update_cluster_version(name="c1", version=following)["update"]
        assert eks_client.describe_update(name="c1", updateId=again["id"])["update"]["status"] == "Successful"
        assert eks_client.describe_cluster(name="c1")["cluster"]["version"] == following


def _upgradable():
    import time

    now = time.time()
    for version in versions.available_versions(now):
        following = versions.next_minor(version)
        if following and versions.available(following, now):
            return version, following
    raise AssertionError("no upgradable pair")


def test_failed_cluster_config_update_changes_nothing(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("cluster.update", "Unknown")
    update = eks_client.update_cluster_config(
        name="c1", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
    )["update"]
    assert eks_client.describe_update(name="c1", updateId=update["id"])["update"]["status"] == "Failed"
    cluster = eks_client.describe_cluster(name="c1")["cluster"]
    assert cluster["status"] == "ACTIVE"
    enabled = [
        t for entry in cluster["logging"]["clusterLogging"] if entry["enabled"] for t in entry["types"]
    ]
    assert "api" not in enabled


def test_failed_node_group_update_changes_nothing(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    before = create_nodegroup(eks_client, cluster="c1")
    eks_mock.faults.fail_next("nodegroup.update", "PodEvictionFailure")
    update = eks_client.update_nodegroup_config(
        clusterName="c1", nodegroupName="ng1", scalingConfig={"minSize": 1, "maxSize": 5, "desiredSize": 4}
    )["update"]
    done = eks_client.describe_update(name="c1", updateId=update["id"], nodegroupName="ng1")["update"]
    assert done["status"] == "Failed"
    assert done["errors"][0]["errorCode"] == "PodEvictionFailure"
    assert done["errors"][0]["resourceIds"] == ["ng1"]
    group = _describe_ng(eks_client)
    assert group["status"] == "ACTIVE"
    assert group["scalingConfig"] == before["scalingConfig"]


def test_failed_addon_update_is_update_failed(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_client.create_addon(clusterName="c1", addonName="vpc-cni")
    eks_mock.faults.fail_next("addon.update", "ConfigurationConflict")
    update = eks_client.update_addon(clusterName="c1", addonName="vpc-cni", serviceAccountRoleArn=ROLE)[
        "update"
    ]
    done = eks_client.describe_update(name="c1", updateId=update["id"], addonName="vpc-cni")["update"]
    assert (done["status"], done["errors"][0]["errorCode"]) == ("Failed", "ConfigurationConflict")
    addon = eks_client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]
    assert addon["status"] == "UPDATE_FAILED"
    assert "serviceAccountRoleArn" not in addon


def test_failed_deletes_end_delete_failed_and_can_be_retried(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    create_nodegroup(eks_client, cluster="c1")
    eks_mock.faults.fail_next("nodegroup.delete", "Ec2SecurityGroupDeletionFailure")
    eks_client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")
    with pytest.raises(WaiterError, match="terminal failure"):
        eks_client.get_waiter("nodegroup_deleted").wait(
            clusterName="c1", nodegroupName="ng1", WaiterConfig=NO_WAIT
        )
    group = _describe_ng(eks_client)
    assert group["status"] == "DELETE_FAILED"
    assert group["health"]["issues"][0]["code"] == "Ec2SecurityGroupDeletionFailure"
    eks_client.delete_nodegroup(clusterName="c1", nodegroupName="ng1")
    eks_client.get_waiter("nodegroup_deleted").wait(
        clusterName="c1", nodegroupName="ng1", WaiterConfig=NO_WAIT
    )


def test_failed_addon_and_fargate_deletes(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_client.create_addon(clusterName="c1", addonName="vpc-cni")
    create_fargate_profile(
        eks_client, "fp", cluster="c1", podExecutionRoleArn=ROLE, selectors=[{"namespace": "a"}]
    )
    eks_mock.faults.fail_next("addon.delete", "ClusterUnreachable")
    eks_mock.faults.fail_next("fargate.delete", "AccessDenied")
    eks_client.delete_addon(clusterName="c1", addonName="vpc-cni")
    eks_client.delete_fargate_profile(clusterName="c1", fargateProfileName="fp")
    addon = eks_client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]
    profile = eks_client.describe_fargate_profile(clusterName="c1", fargateProfileName="fp")["fargateProfile"]
    assert (addon["status"], profile["status"]) == ("DELETE_FAILED", "DELETE_FAILED")


def test_lifecycle_faults_are_decided_when_the_transition_comes_due():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        import mock_eks as package

        m = package.mock_eks
        client = _client("standard", 1)
        create_cluster(client, "c1")
        clock.tick(3600)
        create_nodegroup(client, "ng1", cluster="c1")
        m.faults.fail_next("nodegroup.create", "AsgInstanceLaunchFailures")
        assert _describe_ng(client)["status"] == "CREATING"
        m.faults.clear()  # pending faults go; nothing has failed yet
        clock.tick(3600)
        assert _describe_ng(client)["status"] == "ACTIVE"
        m.faults.fail_next("nodegroup.create", "AsgInstanceLaunchFailures")
        create_nodegroup(client, "ng2", cluster="c1")
        clock.tick(3600)
        assert _describe_ng(client, "ng2")["status"] == "CREATE_FAILED"
        m.faults.clear()  # what already failed stays failed
        assert _describe_ng(client, "ng2")["status"] == "CREATE_FAILED"


def test_failed_identity_provider_association_leaves_no_config(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("identity_provider.associate", "AccessDenied")
    update = eks_client.associate_identity_provider_config(
        clusterName="c1",
        oidc={"identityProviderConfigName": "idp", "issuerUrl": "https://example.com", "clientId": "x"},
    )["update"]
    assert eks_client.describe_update(name="c1", updateId=update["id"])["update"]["status"] == "Failed"
    assert eks_client.list_identity_provider_configs(clusterName="c1")["identityProviderConfigs"] == []
    assert eks_client.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"


@pytest.mark.parametrize(
    ("kind", "code", "reason"),
    [
        ("nodegroup.create", "IamRoleNotFound", "not a code"),  # a ClusterIssueCode, not a NodegroupIssueCode
        ("cluster.create", "NodeCreationFailure", "not a code"),
        ("nodegroup.update", "NodeCreationFailureX", "not a code"),
        ("cluster.delete", "Other", "no failure outcome"),
        ("nodegroup.explode", "Unknown", "no failure outcome"),
    ],
)
def test_bad_lifecycle_faults_are_refused_at_once(eks_mock, kind, code, reason):
    with pytest.raises(ValueError, match=reason):
        eks_mock.faults.fail_next(kind, code)


# -- degrade / recover -----------------------------------------------------------------------------


def test_degrade_and_recover_a_node_group_add_on_and_cluster(eks_client, eks_mock):
    cluster = create_cluster(eks_client, "c1")
    group = create_nodegroup(eks_client, cluster="c1")
    addon = eks_client.create_addon(clusterName="c1", addonName="vpc-cni")["addon"]

    eks_mock.faults.degrade(group["nodegroupArn"], "AsgInstanceLaunchFailures", message="capacity")
    degraded = _describe_ng(eks_client)
    assert degraded["status"] == "DEGRADED"
    assert degraded["health"]["issues"] == [
        {"code": "AsgInstanceLaunchFailures", "message": "capacity", "resourceIds": ["ng1"]}
    ]
    eks_mock.faults.degrade(addon["addonArn"], "InsufficientNumberOfReplicas")
    with pytest.raises(WaiterError, match="terminal failure"):
        eks_client.get_waiter("addon_active").wait(
            clusterName="c1", addonName="vpc-cni", WaiterConfig=NO_WAIT
        )
    eks_mock.faults.degrade(cluster["arn"], "Ec2SubnetNotFound")
    described = eks_client.describe_cluster(name="c1")["cluster"]
    assert described["status"] == "ACTIVE"
    assert [i["code"] for i in described["health"]["issues"]] == ["Ec2SubnetNotFound"]

    for arn in (group["nodegroupArn"], addon["addonArn"], cluster["arn"]):
        eks_mock.faults.recover(arn)
    assert (_describe_ng(eks_client)["status"], _describe_ng(eks_client)["health"]["issues"]) == (
        "ACTIVE",
        [],
    )
    recovered = eks_client.describe_addon(clusterName="c1", addonName="vpc-cni")["addon"]
    assert (recovered["status"], recovered["health"]["issues"]) == ("ACTIVE", [])
    assert eks_client.describe_cluster(name="c1")["cluster"]["health"]["issues"] == []


def test_degrade_refuses_unknown_arns_and_codes(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    group = create_nodegroup(eks_client, cluster="c1")
    with pytest.raises(ValueError, match="no resource"):
        eks_mock.faults.degrade(group["nodegroupArn"].replace("ng1", "ng9"), "NodeCreationFailure")
    with pytest.raises(ValueError, match="not an issue code"):
        eks_mock.faults.degrade(group["nodegroupArn"], "KmsKeyDisabled")
    with pytest.raises(ValueError, match="not an EKS ARN"):
        eks_mock.faults.recover("nope")


# -- server mode -----------------------------------------------------------------------------------


def test_server_mode_faults_over_http(server, no_sleep):
    client = eks_client(server.url, retries={"mode": "standard", "max_attempts": 3})
    create_cluster(client, "c1")
    assert (
        control(
            server,
            "POST",
            "/_mock_eks/faults/calls",
            {"operation": "DescribeCluster", "code": "ThrottlingException", "times": 2},
        )[0]
        == 200
    )
    assert client.describe_cluster(name="c1")["ResponseMetadata"]["RetryAttempts"] == 2

    status, _ = control(
        server,
        "POST",
        "/_mock_eks/faults/lifecycle",
        {"kind": "nodegroup.create", "code": "NodeCreationFailure"},
    )
    assert status == 200
    group = create_nodegroup(client, cluster="c1")
    assert _describe_ng(client)["status"] == "CREATE_FAILED"

    create_nodegroup(client, "ng2", cluster="c1")
    arn = group["nodegroupArn"].replace("/ng1/", "/ng2/").rsplit("/", 1)[0]
    arn = _describe_ng(client, "ng2")["nodegroupArn"]
    assert (
        control(
            server, "POST", "/_mock_eks/faults/degrade", {"arn": arn, "code": "AsgInstanceLaunchFailures"}
        )[0]
        == 200
    )
    assert _describe_ng(client, "ng2")["status"] == "DEGRADED"
    assert control(server, "POST", "/_mock_eks/faults/recover", {"arn": arn})[0] == 200
    assert _describe_ng(client, "ng2")["status"] == "ACTIVE"

    control(
        server, "POST", "/_mock_eks/faults/calls", {"operation": "ListClusters", "code": "ServiceUnavailable"}
    )
    assert control(server, "DELETE", "/_mock_eks/faults", b"")[0] == 200
    assert client.list_clusters()["ResponseMetadata"]["RetryAttempts"] == 0


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/_mock_eks/faults/calls", {"operation": "ListClusters", "code": "Nope"}, "cannot answer"),
        ("/_mock_eks/faults/calls", {"operation": "ListClusters"}, "missing required field(s) code"),
        (
            "/_mock_eks/faults/calls",
            {"operation": "ListClusters", "code": "ThrottlingException", "x": 1},
            "unknown field(s) x",
        ),
        ("/_mock_eks/faults/lifecycle", {"kind": "nodegroup.create", "code": "Bogus"}, "not a code"),
        (
            "/_mock_eks/faults/lifecycle",
            {"kind": "nodegroup.create", "code": "Unknown", "times": "2"},
            "times",
        ),
        (
            "/_mock_eks/faults/degrade",
            {"arn": "arn:aws:eks:us-east-1:123456789012:cluster/none", "code": "Other"},
            "no resource",
        ),
        ("/_mock_eks/faults/recover", b"[1]", "JSON object"),
        ("/_mock_eks/faults/recover", b"{", "not JSON"),
    ],
)
def test_server_mode_bad_input_is_a_400_naming_the_problem(server, path, body, reason):
    status, document = control(server, "POST", path, body)
    assert status == 400
    assert reason in document["message"]


# -- the README's examples -------------------------------------------------------------------------


def test_the_readme_fault_examples_work_as_written(eks_client, eks_mock):
    import pathlib
    import re

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Testing failures", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    namespace["test_node_group_that_fails_to_create"](eks_client, eks_mock)
    eks_mock.stop()  # the retry example opens its own outermost activation
    started = time.perf_counter()
    try:
        namespace["test_retries_absorb_throttling"]()
    finally:
        eks_mock.start()
    assert time.perf_counter() - started < 1  # its two back-offs (up to 3 s) pass in mock time


def test_failed_capability_create_and_delete(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("capability.create", "AccessDenied")
    create_capability(eks_client, "kro", "KRO", cluster="c1", roleArn=ROLE)
    failed = eks_client.describe_capability(clusterName="c1", capabilityName="kro")["capability"]
    assert (failed["status"], failed["health"]["issues"]) == (
        "CREATE_FAILED",
        [{"code": "AccessDenied", "message": "AccessDenied (fault injected by mock_eks)."}],
    )
    create_capability(eks_client, "kro2", "ACK", cluster="c1", roleArn=ROLE)
    eks_mock.faults.fail_next("capability.delete", "ClusterUnreachable")
    eks_client.delete_capability(clusterName="c1", capabilityName="kro2")
    assert eks_client.describe_capability(clusterName="c1", capabilityName="kro2")["capability"][
        "status"
    ] == ("DELETE_FAILED")


def test_default_messages_are_the_models_description_of_the_code(eks_client, eks_mock):
    create_cluster(eks_client, "c1")
    eks_mock.faults.fail_next("nodegroup.create", "NodeCreationFailure")
    create_nodegroup(eks_client, cluster="c1")
    [issue] = _describe_ng(eks_client)["health"]["issues"]
    assert issue["message"].startswith(
        "Your launched instances are unable to register with your Amazon EKS cluster."
    )
    eks_mock.faults.fail_next("cluster.update", "SubnetNotFound")
    update = eks_client.update_cluster_config(
        name="c1", logging={"clusterLogging": [{"types": ["audit"], "enabled": True}]}
    )["update"]
    [error] = eks_client.describe_update(name="c1", updateId=update["id"])["update"]["errors"]
    assert error["errorMessage"] == "We couldn't find one of the subnets associated with the cluster."
