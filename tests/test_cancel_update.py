"""CancelUpdate: its documented refusals (only VersionRollback updates of EKS Auto Mode clusters can be cancelled).

No operation of the installed model starts a VersionRollback update, so through the public surface
every CancelUpdate is one of these refusals.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, error_of

LOGGING = {"clusterLogging": [{"types": ["api"], "enabled": True}]}


def test_unknown_cluster_or_update_is_not_found(eks_client):
    create_cluster(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.cancel_update(name="ghost", updateId="00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        eks_client.cancel_update(name="demo", updateId="00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_update_of_another_cluster_is_not_found(eks_client):
    create_cluster(eks_client, "one")
    create_cluster(eks_client, "two")
    update_id = eks_client.update_cluster_config(name="one", logging=LOGGING)["update"]["id"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.cancel_update(name="two", updateId=update_id)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_finished_update_is_in_the_wrong_state(eks_client):
    create_cluster(eks_client)
    update_id = eks_client.update_cluster_config(name="demo", logging=LOGGING)["update"]["id"]
    assert eks_client.describe_update(name="demo", updateId=update_id)["update"]["status"] == "Successful"
    with pytest.raises(ClientError) as excinfo:
        eks_client.cancel_update(name="demo", updateId=update_id)
    code, status, _ = error_of(excinfo)
    assert (code, status) == ("InvalidStateException", 400)
    assert eks_client.describe_update(name="demo", updateId=update_id)["update"]["status"] == "Successful"


def test_in_progress_update_of_another_type_cannot_be_cancelled():
    with mock_eks(timing="realistic"), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, version="1.35")
        clock.tick(601)
        update = client.update_cluster_version(name="demo", version="1.36")["update"]
        assert update["type"] == "VersionUpdate"
        with pytest.raises(ClientError) as excinfo:
            client.cancel_update(name="demo", updateId=update["id"])
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidRequestException", 400)
        assert "VersionRollback" in message
        assert client.describe_update(name="demo", updateId=update["id"])["update"]["status"] == "InProgress"
