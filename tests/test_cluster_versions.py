"""DescribeClusterVersions: the Kubernetes version catalogue, its filters, pagination and support status by date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from tests.helpers import create_cluster, error_of

NOW = "2026-11-21 12:00:00"


def _all(client, **params):
    found, token = [], None
    while True:
        page = client.describe_cluster_versions(**params, **({"nextToken": token} if token else {}))
        found += page["clusterVersions"]
        token = page.get("nextToken")
        if not token:
            return found


@pytest.fixture
def frozen():
    with mock_eks(), freeze_time(NOW) as clock:
        yield boto3.client("eks", region_name="us-east-1"), clock


def test_default_listing_is_supported_versions_newest_first(frozen):
    client, _ = frozen
    listed = client.describe_cluster_versions()["clusterVersions"]
    now = datetime(2026, 11, 21, 12, tzinfo=UTC).timestamp()
    expected = [v for v in reversed(versions.CATALOGUE) if versions.available(v, now)]
    assert [v["clusterVersion"] for v in listed] == expected
    # on this date 1.30 is past extended support and 1.31 still within it
    assert "1.30" not in expected and "1.31" in expected
    for item in listed:
        entry = versions.CATALOGUE[item["clusterVersion"]]
        assert item["clusterType"] == "eks"
        assert item["versionStatus"] in ("STANDARD_SUPPORT", "EXTENDED_SUPPORT")
        # real EKS spells the deprecated `status` like versionStatus, not as the model's enum lists it
        # (cloud-custodian tests/data/placebo/test_eks_upgrade_available/eks.DescribeClusterVersions_1.json,
        # a real answer of 2026-01)
        assert item["status"] == item["versionStatus"]
        assert item["kubernetesPatchVersion"] == entry.patch
        assert item["defaultPlatformVersion"] == entry.default_platform_version
        assert item["releaseDate"].timestamp() == entry.release
        assert item["endOfStandardSupportDate"].timestamp() == entry.end_of_standard
        assert item["endOfExtendedSupportDate"].timestamp() == entry.end_of_extended
    defaults = [v["clusterVersion"] for v in listed if v["defaultVersion"]]
    assert defaults == [versions.default_version(now)]


def test_status_follows_the_support_dates(frozen):
    client, _ = frozen
    by_version = {v["clusterVersion"]: v for v in client.describe_cluster_versions()["clusterVersions"]}
    assert by_version["1.35"]["versionStatus"] == "STANDARD_SUPPORT"
    assert by_version["1.33"]["versionStatus"] == "EXTENDED_SUPPORT"
    assert by_version["1.33"]["status"] == "EXTENDED_SUPPORT"


def test_status_changes_when_standard_support_ends():
    entry = versions.CATALOGUE["1.34"]
    before = datetime.fromtimestamp(entry.end_of_standard, UTC) - timedelta(days=1)
    with mock_eks(), freeze_time(before) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        first = client.describe_cluster_versions(clusterVersions=["1.34"])["clusterVersions"][0]
        assert first["versionStatus"] == "STANDARD_SUPPORT"
        clock.tick(timedelta(days=2))
        second = client.describe_cluster_versions(clusterVersions=["1.34"])["clusterVersions"][0]
        assert second["versionStatus"] == "EXTENDED_SUPPORT"
        assert second["status"] == "EXTENDED_SUPPORT"


def test_include_all_adds_unsupported_versions(frozen):
    client, _ = frozen
    listed = _all(client, includeAll=True)
    names = [v["clusterVersion"] for v in listed]
    assert "1.23" in names and "1.30" in names
    unsupported = {v["clusterVersion"]: v for v in listed if v["versionStatus"] == "UNSUPPORTED"}
    assert "1.30" in unsupported and unsupported["1.30"]["status"] == "UNSUPPORTED"
    assert len(names) == len(set(names)) == len(_all(client)) + len(unsupported)


def test_unreleased_versions_are_not_listed():
    entry = versions.CATALOGUE["1.36"]
    before = datetime.fromtimestamp(entry.release, UTC) - timedelta(days=3)
    with mock_eks(), freeze_time(before):
        client = boto3.client("eks", region_name="us-east-1")
        names = [v["clusterVersion"] for v in _all(client, includeAll=True)]
        assert "1.36" not in names and "1.35" in names


def test_version_status_filter_and_its_deprecated_form(frozen):
    client, _ = frozen
    extended = client.describe_cluster_versions(versionStatus="EXTENDED_SUPPORT")["clusterVersions"]
    assert extended and {v["versionStatus"] for v in extended} == {"EXTENDED_SUPPORT"}
    legacy = client.describe_cluster_versions(status="extended-support")["clusterVersions"]
    assert [v["clusterVersion"] for v in legacy] == [v["clusterVersion"] for v in extended]
    unsupported = client.describe_cluster_versions(versionStatus="UNSUPPORTED")["clusterVersions"]
    assert unsupported and {v["status"] for v in unsupported} == {"UNSUPPORTED"}


def test_conflicting_status_filters_are_rejected(frozen):
    client, _ = frozen
    with pytest.raises(ClientError) as excinfo:
        client.describe_cluster_versions(status="unsupported", versionStatus="STANDARD_SUPPORT")
    code, http, _ = error_of(excinfo)
    assert (code, http) == ("InvalidParameterException", 400)


def test_invalid_status_value_is_rejected(frozen):
    client, _ = frozen
    with pytest.raises(ClientError) as excinfo:
        client.describe_cluster_versions(versionStatus="standard-support")
    code, http, message = error_of(excinfo)
    assert (code, http) == ("InvalidParameterException", 400) and "versionStatus" in message


def test_default_only(frozen):
    client, _ = frozen
    listed = client.describe_cluster_versions(defaultOnly=True)["clusterVersions"]
    assert len(listed) == 1 and listed[0]["defaultVersion"] is True
    assert listed[0]["clusterVersion"] == versions.default_version(
        datetime(2026, 11, 21, 12, tzinfo=UTC).timestamp()
    )


def test_cluster_versions_filter_includes_named_versions_whatever_their_status(frozen):
    client, _ = frozen
    listed = client.describe_cluster_versions(clusterVersions=["1.35", "1.29", "9.99"])["clusterVersions"]
    assert [v["clusterVersion"] for v in listed] == ["1.35", "1.29"]
    assert listed[1]["versionStatus"] == "UNSUPPORTED"


def test_cluster_type_filter(frozen):
    client, _ = frozen
    assert len(client.describe_cluster_versions(clusterType="eks")["clusterVersions"]) == len(_all(client))
    assert client.describe_cluster_versions(clusterType="eks-anywhere")["clusterVersions"] == []


def test_pagination(frozen):
    client, _ = frozen
    everything = client.describe_cluster_versions(includeAll=True)["clusterVersions"]
    first = client.describe_cluster_versions(includeAll=True, maxResults=3)
    assert len(first["clusterVersions"]) == 3 and first["nextToken"]
    paged = _all(client, includeAll=True, maxResults=3)
    assert [v["clusterVersion"] for v in paged] == [v["clusterVersion"] for v in everything]
    pages = list(
        client.get_paginator("describe_cluster_versions").paginate(
            includeAll=True, PaginationConfig={"PageSize": 4}
        )
    )
    assert sum(len(p["clusterVersions"]) for p in pages) == len(everything) and len(pages) > 1


def test_token_from_other_filters_is_rejected(frozen):
    client, _ = frozen
    token = client.describe_cluster_versions(includeAll=True, maxResults=2)["nextToken"]
    with pytest.raises(ClientError) as excinfo:
        client.describe_cluster_versions(maxResults=2, nextToken=token)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        client.describe_cluster_versions(nextToken="garbage")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_create_cluster_rejects_unsupported_and_unknown_versions(frozen):
    client, _ = frozen
    for version in ("1.29", "1.99"):
        with pytest.raises(ClientError) as excinfo:
            create_cluster(client, "old", version=version)
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    default = client.describe_cluster_versions(defaultOnly=True)["clusterVersions"][0]["clusterVersion"]
    assert create_cluster(client, "fresh")["version"] == default
