"""EKS Anywhere subscriptions: Create/Describe/List/Update/DeleteEksAnywhereSubscription."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import TERM_12, create_subscription, error_of


def test_create_subscription_fields(eks_client):
    with freeze_time("2026-11-21 12:00:00"):
        sub = create_subscription(eks_client, licenseQuantity=3, autoRenew=True, tags={"team": "edge"})
    assert sub["status"] == "CREATING"
    assert sub["arn"] == f"arn:aws:eks:us-east-1:123456789012:eks-anywhere-subscription/{sub['id']}"
    assert sub["term"] == TERM_12
    assert sub["licenseQuantity"] == 3
    assert sub["licenseType"] == "Cluster"
    assert sub["autoRenew"] is True
    assert sub["effectiveDate"] == datetime(2026, 11, 21, 12, tzinfo=UTC)
    assert sub["expirationDate"] == datetime(2027, 11, 21, 12, tzinfo=UTC)
    assert len(sub["licenseArns"]) == 3
    assert all(arn.startswith("arn:aws:license-manager:") for arn in sub["licenseArns"])
    assert len(sub["licenses"]) == 3 and all(lic["id"] and lic["token"] for lic in sub["licenses"])
    described = eks_client.describe_eks_anywhere_subscription(id=sub["id"])["subscription"]
    assert described["status"] == "ACTIVE"
    assert described["tags"] == {"team": "edge"}


def test_defaults_and_36_month_term(eks_client):
    with freeze_time("2026-01-31 00:00:00"):
        sub = create_subscription(eks_client, term={"duration": 36, "unit": "MONTHS"})
    assert sub["licenseQuantity"] == 1
    assert sub["autoRenew"] is False
    assert sub["expirationDate"] == datetime(2029, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    "overrides",
    [
        {"term": {"duration": 24, "unit": "MONTHS"}},
        {"term": {"unit": "MONTHS"}},
        {"licenseQuantity": 0},
        {"licenseQuantity": 101},
    ],
)
def test_create_rejects_invalid_term_and_quantity(eks_client, overrides):
    with pytest.raises(ClientError) as excinfo:
        create_subscription(eks_client, **overrides)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_names_are_unique(eks_client):
    create_subscription(eks_client)
    with pytest.raises(ClientError) as excinfo:
        create_subscription(eks_client)
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_describe_update_delete_unknown_id(eks_client):
    for call in (
        lambda: eks_client.describe_eks_anywhere_subscription(id="nope"),
        lambda: eks_client.update_eks_anywhere_subscription(id="nope", autoRenew=True),
        lambda: eks_client.delete_eks_anywhere_subscription(id="nope"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_update_changes_only_auto_renew(eks_client):
    sub = create_subscription(eks_client, licenseQuantity=2)
    updated = eks_client.update_eks_anywhere_subscription(id=sub["id"], autoRenew=True)["subscription"]
    assert updated["autoRenew"] is True
    assert updated["licenseQuantity"] == 2
    assert updated["term"] == TERM_12
    assert updated["expirationDate"] == sub["expirationDate"]


def test_status_follows_the_term_and_only_expired_can_be_deleted():
    with mock_eks(), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        sub_id = create_subscription(client)["id"]
        with pytest.raises(ClientError) as excinfo:
            client.delete_eks_anywhere_subscription(id=sub_id)
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
        clock.move_to("2027-11-01 12:00:00")
        assert client.describe_eks_anywhere_subscription(id=sub_id)["subscription"]["status"] == "EXPIRING"
        clock.move_to("2027-11-22 12:00:00")
        assert client.describe_eks_anywhere_subscription(id=sub_id)["subscription"]["status"] == "EXPIRED"
        with pytest.raises(ClientError) as excinfo:
            client.update_eks_anywhere_subscription(id=sub_id, autoRenew=True)
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
        assert client.delete_eks_anywhere_subscription(id=sub_id)["subscription"]["status"] == "DELETING"
        with pytest.raises(ClientError) as excinfo:
            client.describe_eks_anywhere_subscription(id=sub_id)
        assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_auto_renew_starts_a_new_term():
    with mock_eks(), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        sub_id = create_subscription(client, autoRenew=True)["id"]
        clock.move_to("2027-11-01 12:00:00")
        assert client.describe_eks_anywhere_subscription(id=sub_id)["subscription"]["status"] == "ACTIVE"
        clock.move_to("2027-12-01 12:00:00")
        sub = client.describe_eks_anywhere_subscription(id=sub_id)["subscription"]
        assert sub["status"] == "ACTIVE"
        assert sub["effectiveDate"] == datetime(2027, 11, 21, 12, tzinfo=UTC)
        assert sub["expirationDate"] == datetime(2028, 11, 21, 12, tzinfo=UTC)


def test_list_filters_by_status_and_paginates():
    with mock_eks(), freeze_time("2026-11-21 12:00:00") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        old = create_subscription(client, "old")["id"]
        clock.move_to("2027-12-01 00:00:00")
        new = [create_subscription(client, f"new-{i}")["id"] for i in range(3)]
        listed = client.list_eks_anywhere_subscriptions()["subscriptions"]
        assert [s["id"] for s in listed] == [old, *new]
        expired = client.list_eks_anywhere_subscriptions(includeStatus=["EXPIRED"])["subscriptions"]
        assert [s["id"] for s in expired] == [old]
        active = client.list_eks_anywhere_subscriptions(includeStatus=["ACTIVE"], maxResults=2)
        assert [s["id"] for s in active["subscriptions"]] == new[:2]
        rest = client.list_eks_anywhere_subscriptions(
            includeStatus=["ACTIVE"], maxResults=2, nextToken=active["nextToken"]
        )
        assert [s["id"] for s in rest["subscriptions"]] == new[2:]
        with pytest.raises(ClientError) as excinfo:
            client.list_eks_anywhere_subscriptions(nextToken="garbage")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_subscription_tags(eks_client):
    arn = create_subscription(eks_client)["arn"]
    eks_client.tag_resource(resourceArn=arn, tags={"k": "v"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"k": "v"}
    eks_client.untag_resource(resourceArn=arn, tagKeys=["k"])
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {}
