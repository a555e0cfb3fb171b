"""The public surface: every way to activate mock_eks, nesting, isolation, accounts and regions."""

from __future__ import annotations

import asyncio
import os
import unittest

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_eks import MockEKS, mock_eks
from tests.helpers import create_cluster


def _names(region: str = "us-east-1") -> list[str]:
    return boto3.client("eks", region_name=region).list_clusters()["clusters"]


@mock_eks
def test_plain_decorator():
    create_cluster(boto3.client("eks", region_name="us-east-1"), "deco")
    assert _names() == ["deco"]


@mock_eks(timing="instant")
def test_decorator_with_options():
    assert _names() == []


@mock_eks
class TestDecoratedClass:
    def test_first(self):
        create_cluster(boto3.client("eks", region_name="us-east-1"), "first")
        assert _names() == ["first"]

    def test_second_starts_empty(self):
        assert _names() == []


@mock_eks
class DecoratedTestCase(unittest.TestCase):
    def setUp(self):
        self.client = boto3.client("eks", region_name="us-east-1")
        create_cluster(self.client, "from-setup")

    def test_setup_was_mocked(self):
        self.assertEqual(self.client.list_clusters()["clusters"], ["from-setup"])


def test_coroutine_decorator():
    @mock_eks
    async def scenario():
        create_cluster(boto3.client("eks", region_name="us-east-1"), "async")
        return _names()

    assert asyncio.run(scenario()) == ["async"]


def test_context_manager_and_start_stop():
    with mock_eks(timing="realistic"):
        create_cluster(boto3.client("eks", region_name="us-east-1"), "ctx")
    mock = MockEKS()
    mock.start()
    try:
        assert _names() == []
    finally:
        mock.stop()


def test_nesting_is_counted_and_outermost_starts_empty():
    with mock_eks:
        create_cluster(boto3.client("eks", region_name="us-east-1"), "outer")
        with mock_eks:
            assert _names() == ["outer"]
        assert _names() == ["outer"]
    with mock_eks:
        assert _names() == []


def test_stop_without_start_is_an_error():
    with pytest.raises(RuntimeError):
        MockEKS().stop()


def test_inactive_mock_does_not_answer():
    client = boto3.client("eks", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(Exception) as excinfo:
        client.list_clusters()
    assert not isinstance(excinfo.value, ClientError)


def test_regions_are_separate(eks_client):
    create_cluster(eks_client, "east")
    assert _names("eu-west-1") == []
    west = boto3.client("eks", region_name="eu-west-1")
    arn = create_cluster(west, "west")["arn"]
    assert arn == "arn:aws:eks:eu-west-1:123456789012:cluster/west"
    assert _names() == ["east"]


def test_china_and_govcloud_partitions(eks_mock):
    china = create_cluster(boto3.client("eks", region_name="cn-north-1"), "cn")
    assert china["arn"].startswith("arn:aws-cn:eks:cn-north-1:")
    gov = create_cluster(boto3.client("eks", region_name="us-gov-west-1"), "gov")
    assert gov["arn"].startswith("arn:aws-us-gov:eks:us-gov-west-1:")
    endpoint = boto3.client("eks", region_name="cn-north-1").describe_cluster(name="cn")["cluster"][
        "endpoint"
    ]
    assert endpoint.endswith(".eks.amazonaws.com.cn")


def test_account_from_environment(eks_mock, monkeypatch):
    monkeypatch.setenv("MOCK_EKS_ACCOUNT_ID", "111122223333")
    arn = create_cluster(boto3.client("eks", region_name="us-east-1"), "acct")["arn"]
    assert ":111122223333:cluster/acct" in arn


def test_account_from_a_twelve_digit_access_key(eks_mock):
    client = boto3.client(
        "eks", region_name="us-east-1", aws_access_key_id="444455556666", aws_secret_access_key="x"
    )
    arn = create_cluster(client, "bykey")["arn"]
    assert ":444455556666:" in arn
    # another account does not see it
    assert _names() == []


def test_fake_credentials_only_while_active(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with mock_eks:
        assert os.environ.get("AWS_ACCESS_KEY_ID")
        assert _names() == []
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_backend_is_inspectable(eks_mock, eks_client):
    create_cluster(eks_client, "seen")
    store = eks_mock.backend.regions[("123456789012", "us-east-1")]
    assert "seen" in store.clusters
    eks_mock.reset()
    assert eks_client.list_clusters()["clusters"] == []
