"""UpdateClusterConfig, UpdateClusterVersion, DescribeUpdate, ListUpdates (Update records)."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from tests.helpers import create_cluster, error_of


def _upgradable() -> tuple[str, str]:
    """A (version, next minor) pair both available now."""
    now = time.time()
    for version in versions.available_versions(now):
        following = versions.next_minor(version)
        if following and versions.available(following, now):
            return version, following
    raise AssertionError("catalogue has no upgradable pair")


def test_logging_update_is_tracked_by_an_update_record(eks_client):
    create_cluster(eks_client, "logs")
    eks_client.describe_cluster(name="logs")
    update = eks_client.update_cluster_config(
        name="logs", logging={"clusterLogging": [{"types": ["audit"], "enabled": True}]}
    )["update"]
    assert update["status"] == "InProgress" and update["type"] == "LoggingUpdate"
    assert update["params"][0]["type"] == "ClusterLogging"
    described = eks_client.describe_update(name="logs", updateId=update["id"])["update"]
    assert described["status"] == "Successful"
    cluster = eks_client.describe_cluster(name="logs")["cluster"]
    assert cluster["status"] == "ACTIVE"
    assert {"types": ["audit"], "enabled": True} in cluster["logging"]["clusterLogging"]
    assert eks_client.list_updates(name="logs")["updateIds"] == [update["id"]]


def test_endpoint_access_update(eks_client):
    create_cluster(eks_client, "ep")
    eks_client.describe_cluster(name="ep")
    update = eks_client.update_cluster_config(
        name="ep",
        resourcesVpcConfig={"endpointPrivateAccess": True, "publicAccessCidrs": ["198.51.100.0/24"]},
    )["update"]
    assert update["type"] == "EndpointAccessUpdate"
    assert {p["type"] for p in update["params"]} == {
        "EndpointPublicAccess",
        "EndpointPrivateAccess",
        "PublicAccessCidrs",
    }
    vpc = eks_client.describe_cluster(name="ep")["cluster"]["resourcesVpcConfig"]
    assert vpc["endpointPrivateAccess"] is True and vpc["publicAccessCidrs"] == ["198.51.100.0/24"]


def test_config_update_that_changes_nothing_is_refused(eks_client):
    create_cluster(eks_client, "same")
    eks_client.describe_cluster(name="same")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(name="same", resourcesVpcConfig={"endpointPublicAccess": True})
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(name="same")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_two_kinds_of_change_in_one_call_are_refused(eks_client):
    create_cluster(eks_client, "two")
    eks_client.describe_cluster(name="two")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(
            name="two",
            resourcesVpcConfig={"endpointPrivateAccess": True},
            logging={"clusterLogging": [{"types": ["api"], "enabled": True}]},
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_one_update_at_a_time_under_realistic_timing():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "busy")
        clock.tick(601)
        first = client.update_cluster_config(name="busy", upgradePolicy={"supportType": "STANDARD"})["update"]
        assert client.describe_cluster(name="busy")["cluster"]["status"] == "UPDATING"
        with pytest.raises(ClientError) as excinfo:
            client.update_cluster_config(name="busy", deletionProtection=True)
        assert error_of(excinfo)[:2] == ("ResourceInUseException", 409)
        clock.tick(901)
        assert client.describe_update(name="busy", updateId=first["id"])["update"]["status"] == "Successful"
        cluster = client.describe_cluster(name="busy")["cluster"]
        assert cluster["status"] == "ACTIVE" and cluster["upgradePolicy"] == {"supportType": "STANDARD"}
        second = client.update_cluster_config(name="busy", deletionProtection=True)["update"]
        assert second["type"] == "DeletionProtectionUpdate"


def test_update_needs_an_active_cluster():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "young")
        with pytest.raises(ClientError) as excinfo:
            client.update_cluster_config(name="young", deletionProtection=True)
        assert error_of(excinfo)[0] == "InvalidRequestException"


def test_version_update_moves_one_minor_version_and_changes_platform_version(eks_client):
    version, following = _upgradable()
    create_cluster(eks_client, "up", version=version)
    eks_client.describe_cluster(name="up")
    update = eks_client.update_cluster_version(name="up", version=following)["update"]
    assert update["type"] == "VersionUpdate" and update["status"] == "InProgress"
    assert {"type": "Version", "value": following} in update["params"]
    cluster = eks_client.describe_cluster(name="up")["cluster"]
    assert cluster["version"] == following
    assert cluster["platformVersion"] == versions.get(following).default_platform_version
    assert eks_client.describe_update(name="up", updateId=update["id"])["update"]["status"] == "Successful"


def test_version_update_keeps_old_version_while_in_progress():
    version, following = _upgradable()
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "slowup", version=version)
        clock.tick(601)
        client.update_cluster_version(name="slowup", version=following)
        cluster = client.describe_cluster(name="slowup")["cluster"]
        assert (cluster["status"], cluster["version"]) == ("UPDATING", version)
        clock.tick(1501)
        cluster = client.describe_cluster(name="slowup")["cluster"]
        assert (cluster["status"], cluster["version"]) == ("ACTIVE", following)


def test_version_update_refuses_skips_downgrades_and_same_version(eks_client):
    available = versions.available_versions(time.time())
    create_cluster(eks_client, "skip", version=available[0])
    eks_client.describe_cluster(name="skip")
    for target in (available[0], available[2]):
        with pytest.raises(ClientError) as excinfo:
            eks_client.update_cluster_version(name="skip", version=target)
        assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_version(name="skip", version="1.99")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_describe_update_unknown_and_list_for_unknown_cluster(eks_client):
    create_cluster(eks_client, "u")
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_update(name="u", updateId="00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_updates(name="nope")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_list_updates_paginates(eks_client):
    create_cluster(eks_client, "many")
    ids = []
    for enabled in (True, False, True, False, True):
        ids.append(eks_client.update_cluster_config(name="many", deletionProtection=enabled)["update"]["id"])
        eks_client.describe_cluster(name="many")
    pages = eks_client.get_paginator("list_updates").paginate(name="many", PaginationConfig={"PageSize": 2})
    assert [i for page in pages for i in page["updateIds"]] == ids


def test_authentication_mode_moves_forward_only(eks_client):
    create_cluster(eks_client, "auth")
    eks_client.describe_cluster(name="auth")
    update = eks_client.update_cluster_config(
        name="auth", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"}
    )
    assert update["update"]["type"] == "AccessConfigUpdate"
    assert eks_client.describe_cluster(name="auth")["cluster"]["accessConfig"]["authenticationMode"] == (
        "API_AND_CONFIG_MAP"
    )
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(name="auth", accessConfig={"authenticationMode": "CONFIG_MAP"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
