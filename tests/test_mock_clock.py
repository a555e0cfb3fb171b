"""The mock's clock: m.advance(), waiters that sleep in mock time, and the server's clock endpoint."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import boto3
import botocore.endpoint
import botocore.waiter
import pytest
from botocore.config import Config
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from mock_eks.cli import main
from mock_eks.server import MockEKSServer
from tests.helpers import create_cluster, create_nodegroup
from tests.serving import control, eks_client

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def polls(client, operation: str) -> list[int]:
    """A counter of ``operation`` calls made with ``client``."""
    seen = [0]

    def count(**_):
        seen[0] += 1

    client.meta.events.register(f"before-call.eks.{operation}", count)
    return seen


def test_advance_moves_lifecycle_transitions_without_freezegun():
    with mock_eks(timing="realistic") as m:
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks, "c1")
        m.advance(599)
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "CREATING"
        m.advance(1)
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"


def test_advance_composes_with_a_frozen_clock_and_timestamps_follow():
    with mock_eks(timing="realistic") as m, freeze_time(T0) as frozen:
        eks = boto3.client("eks", region_name="us-east-1")
        m.advance(3600)
        created = create_cluster(eks, "c1")
        assert created["createdAt"] == T0 + timedelta(hours=1)
        frozen.tick(300)
        m.advance(299)
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "CREATING"
        m.advance(1)
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
        assert m.advance(0) == (T0 + timedelta(hours=1, seconds=600)).timestamp()


def test_support_status_follows_the_mock_clock():
    entry = versions.CATALOGUE["1.34"]
    with mock_eks() as m, freeze_time(datetime.fromtimestamp(entry.end_of_standard, UTC) - timedelta(days=1)):
        eks = boto3.client("eks", region_name="us-east-1")
        first = eks.describe_cluster_versions(clusterVersions=["1.34"])["clusterVersions"][0]
        m.advance(2 * 86400)
        second = eks.describe_cluster_versions(clusterVersions=["1.34"])["clusterVersions"][0]
    assert (first["versionStatus"], second["versionStatus"]) == ("STANDARD_SUPPORT", "EXTENDED_SUPPORT")


def test_advance_refuses_bad_input_and_needs_an_active_mock():
    with mock_eks() as m:
        for bad in (-1, float("nan"), "60", True):
            with pytest.raises(ValueError):
                m.advance(bad)
    with pytest.raises(RuntimeError):
        mock_eks.advance(1)


def test_cluster_waiter_polls_in_mock_time():
    with mock_eks(timing="realistic") as m:
        eks = boto3.client("eks", region_name="us-east-1")
        start = m.advance(0)
        create_cluster(eks, "c1")
        seen = polls(eks, "DescribeCluster")
        eks.get_waiter("cluster_active").wait(name="c1")
        # cluster.create takes 600 s; the waiter polls every 30 s from 0 s: the 21st poll sees ACTIVE
        assert seen[0] == 21
        assert m.advance(0) - start == pytest.approx(600, abs=1)


def test_waiters_under_freezegun_tick_the_frozen_clock():
    with mock_eks(timing="realistic"), freeze_time(T0):
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks, "c1")
        eks.get_waiter("cluster_active").wait(name="c1")
        assert datetime.now(UTC) == T0 + timedelta(seconds=600)
        create_nodegroup(eks, "ng", cluster="c1")
        seen = polls(eks, "DescribeNodegroup")
        eks.get_waiter("nodegroup_active").wait(clusterName="c1", nodegroupName="ng")
        assert seen[0] == 180 // 30 + 1
        eks.delete_nodegroup(clusterName="c1", nodegroupName="ng")
        eks.get_waiter("nodegroup_deleted").wait(clusterName="c1", nodegroupName="ng")
        eks.delete_cluster(name="c1")
        eks.get_waiter("cluster_deleted").wait(name="c1")
        assert eks.list_clusters()["clusters"] == []


def test_instant_timing_and_inactive_mocks_leave_waiters_alone():
    real_time = botocore.waiter.time
    with mock_eks() as m:
        eks = boto3.client("eks", region_name="us-east-1")
        start = m.advance(0)
        create_cluster(eks, "c1")
        seen = polls(eks, "DescribeCluster")
        eks.get_waiter("cluster_active").wait(name="c1")
        assert seen[0] == 1
        assert m.advance(0) - start < 30  # no 30 s waiter sleep passed in mock time
    assert botocore.waiter.time is real_time is time


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_retry_back_off_passes_in_mock_time(mode):
    """botocore sleeps between retries (botocore.endpoint Endpoint._needs_retry: time.sleep of the back-off,
    random up to 1 s then 2 s for throttling); against the mock that time passes in mock time, at once."""
    config = Config(retries={"mode": mode})
    with mock_eks() as m:
        eks = boto3.client("eks", region_name="us-east-1", config=config)
        m.faults.fail_calls("ListClusters", "ThrottlingException", times=2)
        started, mock_started = time.perf_counter(), m.advance(0)
        assert eks.list_clusters()["ResponseMetadata"]["RetryAttempts"] == 2
        real, mocked = time.perf_counter() - started, m.advance(0) - mock_started
        assert 0 < mocked - real <= 3  # the back-off passed in mock time only
        with freeze_time(T0):
            m.faults.fail_calls("ListClusters", "ThrottlingException", times=2)
            eks.list_clusters()
            assert T0 < datetime.now(UTC) <= T0 + timedelta(seconds=3)  # the frozen clock ticked instead
    assert botocore.endpoint.time is time


def test_server_clock_advance_and_durations_flag():
    with MockEKSServer("127.0.0.1", 0, timing="realistic") as server:
        eks = eks_client(server.url)
        create_cluster(eks, "c1")

        status, document = control(server, "POST", "/_mock_eks/clock/advance", {"seconds": 600})
        assert status == 200 and document["offset"] == 600
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
        for bad in (b'{"seconds": -5}', b'{"seconds": "soon"}', b"{}", b"[1]"):
            assert control(server, "POST", "/_mock_eks/clock/advance", bad)[0] == 400
    for bad in ("cluster.create", "cluster.create=soon", "no.such.kind=5", "cluster.create=-1"):
        with pytest.raises(SystemExit) as excinfo:
            main(["serve", "--port", "0", "--durations", bad])
        assert excinfo.value.code == 2
