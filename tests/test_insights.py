"""Cluster insights: ListInsights, DescribeInsight, StartInsightsRefresh, DescribeInsightsRefresh.

Times are frozen so the Kubernetes versions used here stay in the catalogue's support window.
"""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import NODE_ROLE, SUBNETS, create_cluster, error_of

NOW = "2026-11-21 12:00:00"


@pytest.fixture
def frozen():
    with mock_eks(), freeze_time(NOW) as clock:
        yield boto3.client("eks", region_name="us-east-1"), clock


def by_name(client, cluster="demo", **params):
    return {i["name"]: i for i in client.list_insights(clusterName=cluster, **params)["insights"]}


def refresh(client, cluster="demo"):
    started = client.start_insights_refresh(clusterName=cluster)
    assert started["status"] == "IN_PROGRESS"
    done = client.describe_insights_refresh(clusterName=cluster)
    assert done["status"] == "COMPLETED"


def test_upgrade_readiness_insights_for_the_next_version(frozen):
    client, _ = frozen
    create_cluster(client, version="1.35")
    insights = by_name(client)
    assert set(insights) == {
        "Amazon EKS add-on version compatibility",
        "Kubelet version skew",
        "Cluster health issues",
    }
    for insight in insights.values():
        assert insight["category"] == "UPGRADE_READINESS"
        assert insight["kubernetesVersion"] == "1.36"
        assert insight["insightStatus"]["status"] == "PASSING"
        assert insight["lastRefreshTime"] and insight["lastTransitionTime"] and insight["description"]


def test_incompatible_addon_turns_the_insight_to_error_after_refresh(frozen):
    client, clock = frozen
    create_cluster(client, version="1.35")
    before = by_name(client)["Amazon EKS add-on version compatibility"]
    client.create_addon(clusterName="demo", addonName="kube-proxy", addonVersion="v1.35.0-eksbuild.2")
    client.create_addon(clusterName="demo", addonName="coredns", addonVersion="v1.13.1-eksbuild.1")
    # a snapshot: unchanged until the next refresh
    assert by_name(client)["Amazon EKS add-on version compatibility"]["insightStatus"]["status"] == "PASSING"
    clock.tick(5)
    refresh(client)
    summary = by_name(client)["Amazon EKS add-on version compatibility"]
    assert summary["id"] == before["id"]
    assert summary["insightStatus"]["status"] == "ERROR"
    assert "kube-proxy" in summary["insightStatus"]["reason"]
    assert summary["lastTransitionTime"] > before["lastTransitionTime"]
    insight = client.describe_insight(clusterName="demo", id=summary["id"])["insight"]
    assert insight["recommendation"]
    details = {d["name"]: d for d in insight["categorySpecificSummary"]["addonCompatibilityDetails"]}
    assert "v1.36.0-eksbuild.2" in details["kube-proxy"]["compatibleVersions"]
    statuses = {r["kubernetesResourceUri"]: r["insightStatus"]["status"] for r in insight["resources"]}
    assert statuses == {"/addons/kube-proxy": "ERROR", "/addons/coredns": "PASSING"}
    assert all(
        r["arn"].startswith("arn:aws:eks:us-east-1:123456789012:addon/demo/") for r in insight["resources"]
    )


def test_node_group_behind_the_control_plane_is_a_warning(frozen):
    client, _ = frozen
    create_cluster(client, version="1.34")
    client.create_nodegroup(clusterName="demo", nodegroupName="ng", nodeRole=NODE_ROLE, subnets=SUBNETS)
    client.update_cluster_version(name="demo", version="1.35")
    refresh(client)
    skew = by_name(client)["Kubelet version skew"]
    assert skew["kubernetesVersion"] == "1.36"
    assert skew["insightStatus"]["status"] == "WARNING"
    insight = client.describe_insight(clusterName="demo", id=skew["id"])["insight"]
    assert insight["resources"][0]["kubernetesResourceUri"] == "/nodegroups/ng"
    assert insight["resources"][0]["insightStatus"]["status"] == "WARNING"


def test_deprecated_api_insight_where_the_next_version_removes_apis(frozen):
    client, _ = frozen
    create_cluster(client, version="1.31")
    insights = by_name(client)
    deprecated = insights["Deprecated APIs removed in Kubernetes v1.32"]
    assert deprecated["kubernetesVersion"] == "1.32"
    insight = client.describe_insight(clusterName="demo", id=deprecated["id"])["insight"]
    usages = [d["usage"] for d in insight["categorySpecificSummary"]["deprecationDetails"]]
    assert "/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas" in usages


def test_filters_and_pagination(frozen):
    client, _ = frozen
    create_cluster(client, version="1.35")
    client.create_addon(clusterName="demo", addonName="kube-proxy", addonVersion="v1.35.0-eksbuild.2")
    refresh(client)
    errors = by_name(client, filter={"statuses": ["ERROR"]})
    assert set(errors) == {"Amazon EKS add-on version compatibility"}
    assert by_name(client, filter={"kubernetesVersions": ["1.30"]}) == {}
    assert (
        len(by_name(client, filter={"categories": ["UPGRADE_READINESS"], "kubernetesVersions": ["1.36"]}))
        == 3
    )
    assert by_name(client, filter={"categories": ["MISCONFIGURATION"]}) == {}
    first = client.list_insights(clusterName="demo", maxResults=2)
    second = client.list_insights(clusterName="demo", maxResults=2, nextToken=first["nextToken"])
    assert len(first["insights"]) == 2 and len(second["insights"]) == 1
    assert "nextToken" not in second
    with pytest.raises(ClientError) as excinfo:
        client.list_insights(clusterName="demo", nextToken="bogus")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_insights_are_reanalysed_daily(frozen):
    client, clock = frozen
    create_cluster(client, version="1.35")
    by_name(client)
    client.create_addon(clusterName="demo", addonName="kube-proxy", addonVersion="v1.35.0-eksbuild.2")
    clock.tick(86400)
    assert by_name(client)["Amazon EKS add-on version compatibility"]["insightStatus"]["status"] == "ERROR"


def test_refresh_has_its_own_in_flight_status():
    with mock_eks(timing="realistic"), freeze_time(NOW) as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, version="1.35")
        with pytest.raises(ClientError) as excinfo:
            client.start_insights_refresh(clusterName="demo")
        assert error_of(excinfo)[:2] == ("InvalidRequestException", 400)
        assert client.list_insights(clusterName="demo")["insights"] == []
        clock.tick(601)
        with pytest.raises(ClientError) as excinfo:
            client.describe_insights_refresh(clusterName="demo")
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
        assert client.start_insights_refresh(clusterName="demo")["status"] == "IN_PROGRESS"
        clock.tick(30)
        described = client.describe_insights_refresh(clusterName="demo")
        assert described["status"] == "IN_PROGRESS"
        assert "endedAt" not in described
        assert client.start_insights_refresh(clusterName="demo")["status"] == "IN_PROGRESS"
        clock.tick(31)
        described = client.describe_insights_refresh(clusterName="demo")
        assert described["status"] == "COMPLETED"
        assert described["endedAt"] > described["startedAt"]


def test_unknown_cluster_and_insight(eks_client):
    create_cluster(eks_client)
    eks_client.register_cluster(
        name="onprem", connectorConfig={"roleArn": "arn:aws:iam::123456789012:role/c", "provider": "OTHER"}
    )
    calls = [
        lambda: eks_client.list_insights(clusterName="ghost"),
        lambda: eks_client.list_insights(clusterName="onprem"),
        lambda: eks_client.describe_insight(clusterName="demo", id="nope"),
        lambda: eks_client.start_insights_refresh(clusterName="ghost"),
        lambda: eks_client.describe_insights_refresh(clusterName="ghost"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_cluster_on_the_newest_version_is_checked_against_it(frozen):
    client, _ = frozen
    from mock_eks import versions

    newest = versions.available_versions(time.time())[-1]
    create_cluster(client, version=newest)
    insights = by_name(client)
    assert insights and {i["kubernetesVersion"] for i in insights.values()} == {newest}
