"""Nothing escapes while mock_eks is active (aiobotocore is test_aiobotocore.py).

Each test names the way out it closes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unittest
from typing import Any

import boto3
import botocore.loaders
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, EndpointConnectionError, EndpointVariantError

from conftest import ESCAPES
from mock_eks import mock_eks
from tests.helpers import ROLE, SUBNETS, create_cluster, error_of

# -- the network guard itself ------------------------------------------------------------------------


def test_network_guard_refuses_non_loopback_and_records_it():
    import socket

    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.10", 443), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("eks.us-east-1.amazonaws.com", 443)
    assert ESCAPES  # the autouse fixture would fail this test; the test clears it on purpose
    ESCAPES.clear()


# -- sessions and clients made before import ------------------------------------------------

_EARLY_CLIENT_SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("escaped to the network")
socket.getaddrinfo = refuse
socket.socket.connect = refuse

import boto3
early = boto3.client("eks", region_name="us-east-1")
boto3.client("sts", region_name="us-east-1")  # the default session exists before the import
from mock_eks import mock_eks
with mock_eks():
    early.create_cluster(name="early", roleArn="arn:aws:iam::123456789012:role/eks",
                         resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]})
    print(",".join(boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"]))
"""


def test_clients_and_sessions_made_before_import_are_mocked():
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "x"}
    result = subprocess.run(
        [sys.executable, "-c", _EARLY_CLIENT_SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "early"


def test_client_made_before_activation_is_mocked():
    early = boto3.client("eks", region_name="us-east-1")
    with mock_eks():
        create_cluster(early, "before")
        assert boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"] == ["before"]


# -- every endpoint form botocore builds ----------------------------------------------------


def _partition_regions() -> list[tuple[str, str]]:
    """One real region of every partition in botocore's own data."""
    found = []
    for partition in botocore.loaders.create_loader().load_data("partitions")["partitions"]:
        regions = sorted(r for r in partition["regions"] if not r.endswith("-global"))
        found.append((partition["id"], regions[0]))
    return found


@pytest.mark.parametrize("service", ["eks", "eks-auth"])
@pytest.mark.parametrize(("partition", "region"), _partition_regions())
@pytest.mark.parametrize(
    ("fips", "dual_stack"), [(False, False), (True, False), (False, True), (True, True)], ids=str
)
def test_every_partition_and_variant_is_answered(eks_mock, service, partition, region, fips, dual_stack):
    config = Config(use_fips_endpoint=fips, use_dualstack_endpoint=dual_stack, retries={"max_attempts": 1})
    try:
        client = boto3.client(service, region_name=region, config=config)
    except EndpointVariantError:
        pytest.skip(
            f"botocore builds no {service} endpoint for {region} with fips={fips} dualstack={dual_stack}"
        )
    if service == "eks":
        assert client.list_clusters()["clusters"] == []
    else:
        with pytest.raises(ClientError) as excinfo:
            client.assume_role_for_pod_identity(clusterName="nope", token="x" * 20)
        assert error_of(excinfo)[0] != "UnknownOperationException"


def test_fips_from_the_environment(eks_mock, monkeypatch):
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    client = boto3.client("eks", region_name="us-east-1")
    assert client.meta.endpoint_url == "https://fips.eks.us-east-1.amazonaws.com"
    assert create_cluster(client, "fips")["arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/fips"


def test_iso_partition_arns(eks_mock):
    arn = create_cluster(boto3.client("eks", region_name="us-iso-east-1"), "iso")["arn"]
    assert arn.startswith("arn:aws-iso:eks:us-iso-east-1:")


def test_unknown_region_gets_an_aws_style_error(eks_mock):
    client = boto3.client("eks", region_name="moon-1", config=Config(retries={"max_attempts": 1}))
    with pytest.raises(ClientError) as excinfo:
        client.list_clusters()
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ValidationError", 400)
    assert "moon-1" in message


def test_malformed_host_through_requests_gets_an_aws_style_error(eks_mock):
    response = requests.get("https://eks.not_a_region.amazonaws.com/clusters", timeout=5)
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"].startswith("ValidationError")
    assert "not_a_region" in response.json()["message"]


def test_custom_endpoint_url_goes_where_it_is_sent(eks_mock):
    from mock_eks.server import MockEKSServer

    with MockEKSServer("127.0.0.1", 0) as server:
        remote = boto3.client("eks", region_name="us-east-1", endpoint_url=server.url)
        create_cluster(remote, "on-the-server")
        assert remote.list_clusters()["clusters"] == ["on-the-server"]
        assert boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"] == []
        served = requests.get(f"{server.url}/clusters", timeout=5).json()["clusters"]
        assert served == ["on-the-server"]


def test_closed_custom_endpoint_is_not_answered_by_the_mock(eks_mock):
    client = boto3.client(
        "eks",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}),
    )
    with pytest.raises(EndpointConnectionError):
        client.list_clusters()


# -- fake credentials ----------------------------------------------------------------------


def _signing_key_of(client: Any) -> list[str]:
    seen: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        header = request.headers.get("Authorization", b"")
        header = header.decode() if isinstance(header, bytes) else header
        seen.append(header.split("Credential=", 1)[1].split("/", 1)[0])

    client.meta.events.register_last("request-created.eks", capture)
    return seen


@pytest.mark.parametrize("source", ["environment", "profile"])
def test_real_credentials_are_never_used_inside(monkeypatch, tmp_path, source):
    credentials = tmp_path / "credentials"
    credentials.write_text("[real]\naws_access_key_id = AKIAREALPROFILEKEY00\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", "real")
    if source == "environment":
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALENVIRONMENT0")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
        monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
        real = "AKIAREALENVIRONMENT0"
    else:
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
        real = "AKIAREALPROFILEKEY00"
    boto3.setup_default_session()  # a default session that already resolved the real credentials
    assert boto3.DEFAULT_SESSION.get_credentials().access_key == real
    try:
        with mock_eks():
            client = boto3.client("eks", region_name="us-east-1")
            seen = _signing_key_of(client)
            client.list_clusters()
            assert seen and seen[0] not in ("AKIAREALENVIRONMENT0", "AKIAREALPROFILEKEY00")
            assert boto3.Session().get_credentials().token is None
            assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
            assert "AWS_PROFILE" not in os.environ
        assert os.environ["AWS_PROFILE"] == "real"
        assert os.environ.get("AWS_ACCESS_KEY_ID") == (real if source == "environment" else None)
        assert os.environ.get("AWS_SESSION_TOKEN") == ("real-token" if source == "environment" else None)
        assert "AWS_EC2_METADATA_DISABLED" not in os.environ
        assert boto3.DEFAULT_SESSION.get_credentials().access_key == real
    finally:
        boto3.DEFAULT_SESSION = None


def test_account_rules_work_with_explicit_and_twelve_digit_credentials(eks_mock, monkeypatch):
    explicit = boto3.client(
        "eks", region_name="us-east-1", aws_access_key_id="444455556666", aws_secret_access_key="x"
    )
    assert ":444455556666:" in create_cluster(explicit, "explicit")["arn"]
    monkeypatch.setenv("MOCK_EKS_ACCOUNT_ID", "777788889999")
    assert (
        ":777788889999:" in create_cluster(boto3.client("eks", region_name="us-east-1"), "configured")["arn"]
    )


def test_twelve_digit_environment_key_still_chooses_the_account(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "111122223333")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    with mock_eks():
        assert ":111122223333:" in create_cluster(boto3.client("eks", region_name="us-east-1"), "env")["arn"]


# -- class decoration ----------------------------------------------------------------------


@mock_eks
class TestCase4PlainClassSetupAndTeardown:
    def setup_method(self, method):
        self.client = boto3.client("eks", region_name="us-east-1")
        create_cluster(self.client, "from-setup-method")

    def teardown_method(self):
        # still mocked: the cluster made in setup_method and the test are visible here
        assert sorted(self.client.list_clusters()["clusters"])[0] == "from-setup-method"

    def test_sees_what_setup_made(self):
        create_cluster(self.client, "from-test")
        assert self.client.list_clusters()["clusters"] == ["from-setup-method", "from-test"]

    def test_each_test_starts_empty(self):
        assert self.client.list_clusters()["clusters"] == ["from-setup-method"]


class _Base:
    def setup_method(self):
        self.client = boto3.client("eks", region_name="us-east-1")
        create_cluster(self.client, "inherited")


@mock_eks
class TestCase4InheritedSetup(_Base):
    def test_inherited_setup_method_is_mocked(self):
        assert self.client.list_clusters()["clusters"] == ["inherited"]


@mock_eks
class Case4TestCase(unittest.TestCase):
    def setUp(self):
        self.client = boto3.client("eks", region_name="us-east-1")
        create_cluster(self.client, "from-setup")
        self.addCleanup(self._cleanup_is_mocked)

    def _cleanup_is_mocked(self):
        self.client.delete_cluster(name="from-setup")

    def test_setup_and_cleanups_are_mocked(self):
        self.assertEqual(self.client.list_clusters()["clusters"], ["from-setup"])


# -- beside moto's mock_aws ----------------------------------------------------------------

mock_aws = pytest.importorskip("moto").mock_aws


def _moto_eks_clusters() -> list[str]:
    from moto.backends import get_backend

    return list(get_backend("eks")["123456789012"]["us-east-1"].clusters)


ORDERS = ["eks-then-moto", "moto-then-eks", "eks-moto-stop-eks-first", "moto-eks-stop-moto-first"]


class _Both:
    """Both mocks active, started and stopped in the order the id names."""

    def __init__(self, order: str) -> None:
        self.order = order
        self.eks = mock_eks()
        self.moto = mock_aws()

    def __enter__(self) -> _Both:
        first, second = (self.eks, self.moto) if self.order.startswith("eks") else (self.moto, self.eks)
        first.start()
        second.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.order in ("eks-then-moto", "moto-eks-stop-moto-first"):
            self.moto.stop()
            self.eks.stop()
        else:
            self.eks.stop()
            self.moto.stop()


@pytest.mark.parametrize("order", ORDERS)
def test_moto_never_sees_eks_and_there_is_one_state(order):
    with _Both(order):
        client = boto3.client("eks", region_name="us-east-1")
        for index in range(5):
            create_cluster(client, f"c{index}")
        pages = client.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 2})
        assert [name for page in pages for name in page["clusters"]] == [f"c{i}" for i in range(5)]
        assert _moto_eks_clusters() == []
        # a SigV4-signed requests call sees the same state as boto3
        request = AWSRequest("GET", "https://eks.us-east-1.amazonaws.com/clusters?maxResults=100")
        SigV4Auth(Credentials("AKIAEXAMPLEEXAMPLE00", "x"), "eks", "us-east-1").add_auth(request)
        response = requests.get(request.url, headers=dict(request.headers), timeout=5)
        assert response.json()["clusters"] == [f"c{i}" for i in range(5)]
        # moto keeps answering every other service
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="still-moto")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["still-moto"]


def test_moto_started_after_the_cluster_exists():
    with mock_eks():
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "first")
        with mock_aws():
            assert client.list_nodegroups(clusterName="first")["nodegroups"] == []
            assert client.describe_cluster(name="first")["cluster"]["status"] == "ACTIVE"


def test_decorators_in_both_orders():
    @mock_eks
    @mock_aws
    def eks_outside():
        create_cluster(boto3.client("eks", region_name="us-east-1"), "a")
        return _moto_eks_clusters(), boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"]

    @mock_aws
    @mock_eks
    def moto_outside():
        create_cluster(boto3.client("eks", region_name="us-east-1"), "b")
        return _moto_eks_clusters(), boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"]

    assert eks_outside() == ([], ["a"])
    assert moto_outside() == ([], ["b"])


def test_moto_answers_eks_again_after_mock_eks_stops():
    with mock_aws():
        with mock_eks():
            create_cluster(boto3.client("eks", region_name="us-east-1"), "ours")
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "motos")
        assert client.list_clusters()["clusters"] == ["motos"]
        assert _moto_eks_clusters() == ["motos"]


# -- everything is put back on the last stop -------------------------------------------------------


def test_last_stop_restores_botocore_requests_and_the_environment():
    from botocore.hooks import HierarchicalEmitter

    emit, get_adapter = HierarchicalEmitter._emit, requests.Session.get_adapter
    environment = dict(os.environ)
    with mock_eks():
        assert HierarchicalEmitter._emit is not emit
        assert requests.Session.get_adapter is not get_adapter
        with mock_eks():
            pass
        assert HierarchicalEmitter._emit is not emit  # an inner stop keeps the outer mock working
    assert HierarchicalEmitter._emit is emit
    assert requests.Session.get_adapter is get_adapter
    assert "__init_subclass__" not in vars(HierarchicalEmitter)
    assert dict(os.environ) == environment


def test_a_wrapper_added_over_ours_survives_a_later_activation(monkeypatch):
    # someone wraps get_adapter while the mock is active; ours stays below theirs after the stop, and
    # the next activation wraps theirs: other URLs still reach the real adapter, EKS URLs the mock
    monkeypatch.setattr(requests.Session, "get_adapter", requests.Session.get_adapter)  # back after
    with mock_eks():
        below = requests.Session.get_adapter

        def theirs(self, url):
            return below(self, url)

        requests.Session.get_adapter = theirs
    with mock_eks():
        session = requests.Session()
        assert type(session.get_adapter("http://example.com/")) is requests.adapters.HTTPAdapter
        assert session.get_adapter("https://eks.us-east-1.amazonaws.com/clusters") is not (
            session.get_adapter("http://example.com/")
        )


# -- interface VPC endpoint (AWS PrivateLink) names are EKS hosts ---------------------------------

_VPC_ENDPOINTS = [
    ("eks", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.eks.eu-west-1.vpce.amazonaws.com", "eu-west-1"),
    (
        "eks",
        "https://vpce-0a1b2c3d4e5f67890-abcdefgh-eu-west-1a.eks.eu-west-1.vpce.amazonaws.com",
        "eu-west-1",
    ),
    ("eks", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.eks.cn-north-1.vpce.amazonaws.com.cn", "cn-north-1"),
    (
        "eks",
        "https://vpce-0a1b2c3d4e5f67890-abcdefgh.eks-fips.us-gov-west-1.vpce.amazonaws.com",
        "us-gov-west-1",
    ),
    (
        "eks-auth",
        "https://vpce-0a1b2c3d4e5f67890-abcdefgh.eks-auth.eu-west-1.vpce.amazonaws.com",
        "eu-west-1",
    ),
]


@pytest.mark.parametrize(("service", "endpoint", "region"), _VPC_ENDPOINTS, ids=lambda v: v[:40])
def test_vpc_endpoint_names_are_answered_in_the_region_they_name(eks_mock, service, endpoint, region):
    # the client's own region differs: the endpoint's name says where the request goes
    client = boto3.client(
        service, region_name="us-east-1", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1})
    )
    if service == "eks":
        arn = create_cluster(client, "through-privatelink")["arn"]
        assert arn.split(":")[3] == region
        assert client.list_clusters()["clusters"] == ["through-privatelink"]
        assert boto3.client("eks", region_name=region).list_clusters()["clusters"] == ["through-privatelink"]
        assert requests.get(f"{endpoint}/clusters", timeout=5).json()["clusters"] == ["through-privatelink"]
    else:
        with pytest.raises(ClientError) as excinfo:
            client.assume_role_for_pod_identity(clusterName="nope", token="x" * 20)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_other_services_vpc_endpoints_are_not_eks(eks_mock):
    from mock_eks import intercept

    assert intercept.eks_host("https://vpce-0a1b2c3d-abcd.ec2.us-east-1.vpce.amazonaws.com/") is None
    assert (
        intercept.eks_host("https://vpce-0a1b2c3d-abcd.eks.us-east-1.vpce.amazonaws.com/").region
        == "us-east-1"
    )


# -- explicit profiles and explicit keys sign EKS requests with the mock's credentials --------------

_REAL_KEYS = ("AKIAREALPROFILEKEY00", "AKIAREALEXPLICITKEY0", "ASIAREALSESSIONKEY00")


def _signed_with(client: Any) -> list[tuple[str, bool]]:
    """(access key id, carries a session token) of every request the client signs."""
    seen: list[tuple[str, bool]] = []

    def capture(request: Any, **_: Any) -> None:
        header = request.headers.get("Authorization", b"")
        header = header.decode() if isinstance(header, bytes) else header
        seen.append(
            (header.split("Credential=", 1)[1].split("/", 1)[0], "X-Amz-Security-Token" in request.headers)
        )

    client.meta.events.register_last("request-created", capture)
    return seen


@pytest.fixture
def real_profiles(monkeypatch, tmp_path):
    """A user's shared files: a profile with real keys, and one that assumes a role (through STS)."""
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[real]\naws_access_key_id = AKIAREALPROFILEKEY00\naws_secret_access_key = real-secret\n"
        "[accountid]\naws_access_key_id = 444455556666\naws_secret_access_key = x\n"
    )
    config = tmp_path / "config"
    config.write_text(
        "[profile assumer]\nrole_arn = arn:aws:iam::210987654321:role/admin\nsource_profile = real\n"
        "region = us-east-1\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


@pytest.mark.parametrize("service", ["eks", "eks-auth"])
@pytest.mark.parametrize(
    "make",
    [
        lambda service: boto3.Session(profile_name="real").client(service, region_name="us-east-1"),
        lambda service: boto3.client(
            service,
            region_name="us-east-1",
            aws_access_key_id="AKIAREALEXPLICITKEY0",
            aws_secret_access_key="real-secret",
            aws_session_token="real-token",
        ),
        lambda service: boto3.Session(
            aws_access_key_id="ASIAREALSESSIONKEY00", aws_secret_access_key="s", aws_session_token="t"
        ).client(service, region_name="us-east-1"),
    ],
    ids=["profile", "client-keys", "session-keys"],
)
def test_explicit_credentials_never_sign_eks_requests(real_profiles, service, make):
    with mock_eks():
        client = make(service)
        seen = _signed_with(client)
        if service == "eks":
            create_cluster(client, "explicit")
            assert client.list_clusters()["clusters"] == ["explicit"]
        else:
            with pytest.raises(ClientError):
                client.assume_role_for_pod_identity(clusterName="explicit", token="x" * 20)
    assert seen and all(key not in _REAL_KEYS and not token for key, token in seen)


def test_a_profile_that_assumes_a_role_is_never_resolved_for_eks(real_profiles):
    # resolving it would call the real STS with the profile's real keys: the network guard fails the test
    with mock_eks():
        client = boto3.Session(profile_name="assumer").client("eks")
        seen = _signed_with(client)
        assert create_cluster(client, "no-sts")["arn"].startswith("arn:aws:eks:us-east-1:123456789012:")
    assert [key for key, _ in seen] == ["AKIAMOCKEKSTESTING00"]


def test_explicit_twelve_digit_key_still_chooses_the_account(real_profiles):
    with mock_eks():
        client = boto3.Session(profile_name="accountid").client("eks", region_name="us-east-1")
        seen = _signed_with(client)
        assert ":444455556666:" in create_cluster(client, "by-profile")["arn"]
    assert [key for key, _ in seen] == ["444455556666"]


def test_presigned_eks_urls_carry_the_mock_key(real_profiles):
    with mock_eks():
        client = boto3.Session(profile_name="real").client("eks", region_name="us-east-1")
        url = client.generate_presigned_url("list_clusters", Params={})
    assert "AKIAMOCKEKSTESTING00" in url and "AKIAREALPROFILEKEY00" not in url


def test_other_services_keep_the_clients_own_credentials(real_profiles):
    # mock_eks mocks EKS only: another service's request is signed as the client says (moto, if active,
    # answers it; otherwise it goes where it is sent)
    with mock_eks():
        sts = boto3.Session(profile_name="real").client("sts", region_name="us-east-1")
        signed = AWSRequest("POST", "https://sts.us-east-1.amazonaws.com/", data=b"Action=GetCallerIdentity")
        sts._request_signer.sign("GetCallerIdentity", signed)
    assert "AKIAREALPROFILEKEY00" in signed.headers["Authorization"]


def test_an_unknown_profile_fails_as_it_does_under_moto(real_profiles):
    from botocore.exceptions import ProfileNotFound

    with pytest.raises(ProfileNotFound), mock_aws():
        boto3.Session(profile_name="no-such-profile").client("eks", region_name="us-east-1")
    with pytest.raises(ProfileNotFound), mock_eks():
        boto3.Session(profile_name="no-such-profile").client("eks", region_name="us-east-1")


def test_keys_moto_issued_keep_their_account_beside_moto():
    with mock_aws(), mock_eks():
        sts = boto3.client("sts", region_name="us-east-1")
        assumed = sts.assume_role(RoleArn="arn:aws:iam::210987654321:role/admin", RoleSessionName="session")
        keys = assumed["Credentials"]
        client = boto3.client(
            "eks",
            region_name="us-east-1",
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys["SessionToken"],
        )
        seen = _signed_with(client)
        assert ":210987654321:" in create_cluster(client, "assumed")["arn"]
    assert [key for key, _ in seen] == [keys["AccessKeyId"]]


# -- the environment ends as it was, whatever the order beside moto ---------------------------------


@pytest.mark.parametrize("order", ORDERS)
def test_environment_and_default_session_end_as_they_were_in_every_order(monkeypatch, order):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "users-own-token")
    before = dict(os.environ)
    users_session = boto3.Session()
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", users_session)
    both = _Both(order)
    both.__enter__()
    try:
        assert os.environ["AWS_ACCESS_KEY_ID"] != "AKIAUSERSOWNKEY00000"
        # whichever stops first, the one still active keeps fake keys in place
        first_to_stop = both.moto if order in ("eks-then-moto", "moto-eks-stop-moto-first") else both.eks
        first_to_stop.stop()
        assert os.environ["AWS_ACCESS_KEY_ID"] != "AKIAUSERSOWNKEY00000"
        assert boto3.DEFAULT_SESSION is not users_session
        if first_to_stop is both.moto:  # mock_eks still active: moto's stop put the user's keys back
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAMOCKEKSTESTING00"
            assert "AWS_SESSION_TOKEN" not in os.environ
    finally:
        (both.eks if first_to_stop is both.moto else both.moto).stop()
    assert dict(os.environ) == before
    assert boto3.DEFAULT_SESSION is users_session


def test_a_new_activation_while_moto_holds_the_keys_still_ends_clean(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
    before = dict(os.environ)
    moto = mock_aws()
    first = mock_eks().start()
    moto.start()
    first.stop()  # moto holds the keys; it saved mock_eks's
    with mock_eks():
        moto.stop()  # moto puts mock_eks's back while a new activation is live
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAMOCKEKSTESTING00"
    assert dict(os.environ) == before


# -- other clients: urllib3 is answered, anything else is refused before a name lookup --------------


def _signed_headers(url: str, method: str = "GET", body: bytes = b"") -> dict[str, str]:
    request = AWSRequest(method, url, data=body)
    SigV4Auth(Credentials("AKIAEXAMPLEEXAMPLE00", "x"), "eks", "us-east-1").add_auth(request)
    return dict(request.headers)


@pytest.mark.parametrize(
    "url",
    [
        "https://eks.us-east-1.amazonaws.com/clusters",
        "https://vpce-0a1b2c3d4e5f67890-abcdefgh.eks.us-east-1.vpce.amazonaws.com/clusters",
    ],
)
def test_urllib3_directly_is_answered(eks_mock, url):
    import urllib3

    create_cluster(boto3.client("eks", region_name="us-east-1"), "seen-by-urllib3")
    response = urllib3.PoolManager().request("GET", url, headers=_signed_headers(url))
    assert response.status == 200
    assert response.json()["clusters"] == ["seen-by-urllib3"]
    pool = urllib3.HTTPSConnectionPool(accounts_host(url))
    assert pool.urlopen("GET", "/clusters/missing").status == 404


def accounts_host(url: str) -> str:
    from mock_eks.model.accounts import host_of

    return host_of(url)


def test_urllib3_post_with_a_body(eks_mock):
    import json

    import urllib3

    url = "https://eks.us-east-1.amazonaws.com/clusters"
    body = json.dumps(
        {
            "name": "posted",
            "roleArn": ROLE,
            "resourcesVpcConfig": {"subnetIds": SUBNETS},
        }
    ).encode()
    headers = {**_signed_headers(url, "POST", body), "Content-Type": "application/json"}
    response = urllib3.request("POST", url, body=body, headers=headers)
    assert response.status == 200, response.data
    assert response.json()["cluster"]["name"] == "posted"


def test_http_client_and_asyncio_never_look_up_an_eks_host(eks_mock):
    import asyncio
    import http.client
    import socket

    with pytest.raises(socket.gaierror, match="mock_eks is active"):
        http.client.HTTPSConnection("eks.us-east-1.amazonaws.com", timeout=5).request("GET", "/clusters")
    with pytest.raises(socket.gaierror):
        asyncio.run(asyncio.open_connection("vpce-0a1b2c3d-abcd.eks-auth.eu-west-1.vpce.amazonaws.com", 443))
    with pytest.raises(socket.gaierror):
        socket.gethostbyname("oidc.eks.us-east-1.amazonaws.com")
    # through a proxy only the proxy's name is looked up: the EKS host is refused where it is named
    tunnelled = http.client.HTTPSConnection("127.0.0.1", 9, timeout=5)
    with pytest.raises(socket.gaierror):
        tunnelled.set_tunnel("eks.us-east-1.amazonaws.com:443")
    with pytest.raises(socket.gaierror):
        http.client.HTTPConnection("127.0.0.1", 9, timeout=5).request(
            "GET", "http://eks.us-east-1.amazonaws.com/"
        )
    assert not ESCAPES  # refused by the mock, not by the suite's network guard


def test_the_clusters_kubernetes_endpoint_never_reaches_the_network(eks_mock):
    import http.client
    import socket

    cluster = create_cluster(boto3.client("eks", region_name="us-east-1"), "kube")
    endpoint = boto3.client("eks", region_name="us-east-1").describe_cluster(name="kube")["cluster"][
        "endpoint"
    ]
    assert cluster["name"] == "kube" and ".eks.amazonaws.com" in endpoint
    # requests is answered by the cluster's own API in-process; a client the mock does not answer is refused
    assert requests.get(f"{endpoint}/version", timeout=5).status_code == 200
    with pytest.raises(socket.gaierror):
        http.client.HTTPSConnection(endpoint.partition("://")[2], timeout=5).request("GET", "/version")
    assert not ESCAPES


def test_other_names_are_still_looked_up_as_before(eks_mock):
    import socket

    # the suite's own guard (underneath the mock's) still answers everything else
    assert socket.getaddrinfo("localhost", 80)
    with pytest.raises(socket.gaierror, match="network guard"):
        socket.getaddrinfo("example.com", 443)
    ESCAPES.clear()


def test_urllib3_and_name_lookups_are_put_back_on_the_last_stop():
    import socket

    from urllib3.connectionpool import HTTPConnectionPool

    urlopen, getaddrinfo, gethostbyname = HTTPConnectionPool.urlopen, socket.getaddrinfo, socket.gethostbyname
    with mock_eks():
        assert HTTPConnectionPool.urlopen is not urlopen
        assert socket.getaddrinfo is not getaddrinfo
        assert socket.gethostbyname is not gethostbyname
    assert HTTPConnectionPool.urlopen is urlopen
    assert socket.getaddrinfo is getaddrinfo
    assert socket.gethostbyname is gethostbyname


# -- requests: non-EKS URLs go to whatever is underneath (moto, responses), as before ---------------


def test_requests_to_other_aws_services_reach_moto_beside_mock_eks():
    with mock_aws(), mock_eks():
        created = requests.put("https://from-requests.s3.amazonaws.com/", timeout=5)
        assert created.status_code == 200
        names = [b["Name"] for b in boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"]]
        assert names == ["from-requests"]


def test_requests_to_other_urls_reach_the_users_own_responses_mock(eks_mock):
    import responses

    with responses.RequestsMock() as users:
        users.get("https://example.com/hello", body="theirs")
        assert requests.get("https://example.com/hello", timeout=5).text == "theirs"


# -- the AWS CLI driver in-process ------------------------------------------------------------------


def test_aws_cli_driver_in_process_is_mocked_and_signs_with_the_mock_key(real_profiles, capsys):
    clidriver = pytest.importorskip("awscli.clidriver")

    with mock_eks():
        create_cluster(boto3.client("eks", region_name="us-east-1"), "from-boto3")
        driver = clidriver.create_clidriver()
        seen: list[str] = []
        driver.session.get_component("event_emitter").register_last(
            "request-created.eks",
            lambda request, **_: seen.append(str(request.headers.get("Authorization"))),
        )
        code = driver.main(["--profile", "real", "--region", "us-east-1", "eks", "list-clusters"])
    assert code == 0
    assert '"from-boto3"' in capsys.readouterr().out
    assert seen and all("AKIAMOCKEKSTESTING00" in header for header in seen)


@pytest.mark.parametrize("active", ["mock_eks", "mock_aws", "both"])
def test_urls_no_mock_claims_go_where_they_are_sent_as_under_moto(active):
    # moto's reference behaviour (``passthru`` of ``http``): a URL it does not mock goes to the network;
    # mock_eks does the same for non-EKS URLs, so here the suite's network guard is what stops it
    mocks = {"mock_eks": [mock_eks()], "mock_aws": [mock_aws()], "both": [mock_aws(), mock_eks()]}[active]
    for mock in mocks:
        mock.start()
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get("https://example.com/", timeout=5)
    finally:
        for mock in reversed(mocks):
            mock.stop()
    assert any("example.com" in escape for escape in ESCAPES)
    ESCAPES.clear()


def test_a_default_session_set_up_inside_the_mock_does_not_outlive_it(monkeypatch):
    users_session = boto3.Session()
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", users_session)
    with mock_eks():
        boto3.setup_default_session()  # resolves the fake keys
    assert boto3.DEFAULT_SESSION is users_session


def test_a_client_made_before_activation_with_real_keys_signs_with_the_mock_key(real_profiles):
    early = boto3.Session(profile_name="real").client("eks", region_name="us-east-1")
    seen = _signed_with(early)
    with mock_eks():
        create_cluster(early, "early-explicit")
    assert [key for key, _ in seen] == ["AKIAMOCKEKSTESTING00"]
