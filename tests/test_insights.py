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
from tests.helpers import create_cluster, create_nodegroup, error_of, realistic, register_cluster

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
    # the real checks, names and passing reasons (aws/aws-cli awscli/examples/eks/list-insights.rst, 2025-05)
    assert {name: i["insightStatus"]["reason"] for name, i in insights.items()} == {
        "EKS add-on version compatibility": "All installed EKS add-on versions are compatible with next "
        "Kubernetes version.",
        "Kubelet version skew": "Node kubelet versions match the cluster control plane version.",
        "Cluster health issues": "No cluster health issues detected.",
        "kube-proxy version skew": "kube-proxy versions match the cluster control plane version.",
        # public list-insights recordings of 2025-09 (upgrades to 1.33) add this check
        "Amazon Linux 2 compatibility": "No Amazon Linux 2 nodes detected.",
    }
    for insight in insights.values():
        assert insight["category"] == "UPGRADE_READINESS"
        assert insight["kubernetesVersion"] == "1.36"
        assert insight["insightStatus"]["status"] == "PASSING"
        assert insight["lastRefreshTime"] and insight["lastTransitionTime"] and insight["description"]


def test_incompatible_addon_turns_the_insight_to_error_after_refresh(frozen):
    client, clock = frozen
    create_cluster(client, version="1.35")
    before = by_name(client)["EKS add-on version compatibility"]
    client.create_addon(clusterName="demo", addonName="kube-proxy", addonVersion="v1.35.0-eksbuild.2")
    client.create_addon(clusterName="demo", addonName="coredns", addonVersion="v1.13.1-eksbuild.1")
    # a snapshot: unchanged until the next refresh
    assert by_name(client)["EKS add-on version compatibility"]["insightStatus"]["status"] == "PASSING"
    clock.tick(5)
    refresh(client)
    summary = by_name(client)["EKS add-on version compatibility"]
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
    create_nodegroup(client, "ng")
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
    assert set(errors) == {"EKS add-on version compatibility"}
    assert by_name(client, filter={"kubernetesVersions": ["1.30"]}) == {}
    assert (
        len(by_name(client, filter={"categories": ["UPGRADE_READINESS"], "kubernetesVersions": ["1.36"]}))
        == 5
    )
    assert by_name(client, filter={"categories": ["MISCONFIGURATION"]}) == {}
    first = client.list_insights(clusterName="demo", maxResults=2)
    second = client.list_insights(clusterName="demo", maxResults=3, nextToken=first["nextToken"])
    assert len(first["insights"]) == 2 and len(second["insights"]) == 3
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
    assert by_name(client)["EKS add-on version compatibility"]["insightStatus"]["status"] == "ERROR"


def test_refresh_has_its_own_in_flight_status():
    with realistic(NOW) as (client, clock):
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
    register_cluster(eks_client, "onprem")
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


def test_cluster_on_the_newest_version_is_checked_against_the_next_one(frozen):
    # insights are about the next upgrade, even before EKS offers it: aws/aws-cli
    # awscli/examples/eks/list-insights.rst (2025-05-24) shows kubernetesVersion 1.33 before EKS released 1.33
    client, _ = frozen
    from mock_eks import versions

    newest = versions.available_versions(time.time())[-1]
    major, minor = newest.split(".")
    create_cluster(client, version=newest)
    insights = by_name(client)
    assert insights and {i["kubernetesVersion"] for i in insights.values()} == {f"{major}.{int(minor) + 1}"}


def test_describe_insight_has_links_and_a_category_summary(frozen):
    # aws/aws-cli awscli/examples/eks/describe-insight.rst (2025-05, real output): the kubelet check's
    # recommendation, additionalInfo links, "resources": [] and categorySpecificSummary {"deprecationDetails": []}
    client, _ = frozen
    create_cluster(client, version="1.35")
    summary = by_name(client)["Kubelet version skew"]
    insight = client.describe_insight(clusterName="demo", id=summary["id"])["insight"]
    assert insight["recommendation"] == (
        "Upgrade your worker nodes to match the Kubernetes version of your cluster control plane."
    )
    assert insight["additionalInfo"] == {
        "Kubelet version skew policy": "https://kubernetes.io/releases/version-skew-policy/#kubelet",
        "Updating a managed node group": "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html",
    }
    assert insight["categorySpecificSummary"] == {"deprecationDetails": []}
    assert insight["resources"] == []
    assert insight["description"] == (
        "Checks for kubelet versions of worker nodes in the cluster to see if upgrade would cause non "
        "compliance with supported Kubernetes kubelet version skew policy."
    )


def test_deprecated_api_insight_wording(frozen):
    # aws/aws-eks-best-practices cluster upgrades guide: name, description, passing reason, recommendation
    client, _ = frozen
    create_cluster(client, version="1.31")
    summary = by_name(client)["Deprecated APIs removed in Kubernetes v1.32"]
    assert summary["insightStatus"]["reason"] == "No deprecated API usage detected within the last 30 days."
    insight = client.describe_insight(clusterName="demo", id=summary["id"])["insight"]
    assert insight["recommendation"] == (
        "Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to "
        "Kubernetes v1.32."
    )


def test_kube_proxy_behind_the_control_plane(frozen):
    client, _ = frozen
    create_cluster(client, version="1.34")
    client.create_addon(clusterName="demo", addonName="kube-proxy")
    client.update_cluster_version(name="demo", version="1.35")
    refresh(client)
    skew = by_name(client)["kube-proxy version skew"]
    assert skew["insightStatus"]["status"] == "WARNING"


def test_refresh_messages():
    # "Cluster insights refresh is in progress." / "... has completed successfully.": wording from
    # mock_eks/data/insights.json (the EKS user guide's example says "Insights refresh is in progress")
    with realistic(NOW) as (client, clock):
        create_cluster(client, version="1.35")
        clock.tick(601)
        client.start_insights_refresh(clusterName="demo")
        described = client.describe_insights_refresh(clusterName="demo")
        assert described["message"] == "Cluster insights refresh is in progress."
        clock.tick(61)
        described = client.describe_insights_refresh(clusterName="demo")
        assert described["message"] == "Cluster insights refresh has completed successfully."


def test_amazon_linux_2_node_groups_fail_the_al2_check(frozen):
    # public list-insights recordings (2025-09, upgrades to 1.33): "Amazon Linux 2 compatibility", ERROR reason
    # "The cluster contains legacy Amazon Linux 2 (AL2) nodes. Migrate Amazon Linux 2 node groups to Amazon
    # Linux 2023 before November 26, 2025 or before upgrading to EKS 1.33."
    client, _ = frozen
    create_cluster(client, version="1.32")
    create_nodegroup(client, "old", amiType="AL2_x86_64")
    refresh(client)
    check = by_name(client)["Amazon Linux 2 compatibility"]
    assert check["kubernetesVersion"] == "1.33"
    assert check["insightStatus"] == {
        "status": "ERROR",
        "reason": "The cluster contains legacy Amazon Linux 2 (AL2) nodes. Migrate Amazon Linux 2 node groups "
        "to Amazon Linux 2023 before November 26, 2025 or before upgrading to EKS 1.33.",
    }


def test_deprecated_api_insights_for_each_version_ahead_that_removes_apis():
    # HariSekhon/Knowledge-Base eks-upgrade.md (list-insights of a 1.24 cluster, 2024-12-31): one
    # "Deprecated APIs removed in Kubernetes vX" insight per future version that removes APIs (1.25 and 1.27);
    # awsdocs/amazon-eks-user-guide doc_source/cluster-insights.md (2023-11): the v1.29 insight's additionalInfo
    # and deprecationDetails (flowcontrol v1beta2 -> v1beta3, served since 1.26)
    with mock_eks(), freeze_time("2025-01-15"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, version="1.26")
        insights = by_name(client)
        deprecated = {n: i["kubernetesVersion"] for n, i in insights.items() if n.startswith("Deprecated")}
        assert deprecated == {
            "Deprecated APIs removed in Kubernetes v1.27": "1.27",
            "Deprecated APIs removed in Kubernetes v1.29": "1.29",
        }
        summary = insights["Deprecated APIs removed in Kubernetes v1.29"]
        insight = client.describe_insight(clusterName="demo", id=summary["id"])["insight"]
        assert insight["additionalInfo"] == {
            "EKS update cluster documentation": "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html",
            "Kubernetes v1.29 deprecation guide": "https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v1-29",
        }
        assert insight["categorySpecificSummary"]["deprecationDetails"] == [
            {
                "usage": "/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas",
                "replacedWith": "/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas",
                "stopServingVersion": "1.29",
                "clientStats": [],
                "startServingReplacementVersion": "1.26",
            },
            {
                "usage": "/apis/flowcontrol.apiserver.k8s.io/v1beta2/prioritylevelconfigurations",
                "replacedWith": "/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations",
                "stopServingVersion": "1.29",
                "clientStats": [],
                "startServingReplacementVersion": "1.26",
            },
        ]
        assert insight["insightStatus"] == {
            "status": "PASSING",
            "reason": "No deprecated API usage detected within the last 30 days.",
        }


def test_addon_compatibility_recommendation(frozen):
    # a public EKS upgrade-preflight report quoting DescribeInsight (2026-07-16): "Upgrade your EKS add-on to a
    # newer version compatible with the next Kubernetes version."; description with its trailing space as in
    # awsdocs/amazon-eks-user-guide view-cluster-insights.adoc and the 2025-09 recordings
    client, _ = frozen
    create_cluster(client, version="1.35")
    summary = by_name(client)["EKS add-on version compatibility"]
    insight = client.describe_insight(clusterName="demo", id=summary["id"])["insight"]
    assert insight["recommendation"] == (
        "Upgrade your EKS add-on to a newer version compatible with the next Kubernetes version."
    )
    assert insight["description"] == (
        "Checks version of installed EKS add-ons to ensure they are compatible with the next version of "
        "Kubernetes. "
    )


def test_rollback_readiness_insights_for_seven_days_after_an_upgrade(frozen):
    # awsdocs/amazon-eks-user-guide view-cluster-insights.adoc: after an upgrade, for the 7-day rollback window,
    # ROLLBACK_READINESS insights "Incompatible API usage", "Kubelet version rollback compatibility" (ERROR
    # "At least one node kubelet version matches the cluster control plane version.") and "EKS add-on version
    # rollback compatibility" (PASSING "All installed EKS add-on versions are compatible with previous
    # Kubernetes version."), with the wording below
    client, clock = frozen
    create_cluster(client, version="1.34")
    client.create_addon(clusterName="demo", addonName="kube-proxy")
    create_nodegroup(client, "ng")
    assert by_name(client, filter={"categories": ["ROLLBACK_READINESS"]}) == {}
    client.update_cluster_version(name="demo", version="1.35")
    client.update_nodegroup_version(clusterName="demo", nodegroupName="ng")
    refresh(client)
    rollback = by_name(client, filter={"categories": ["ROLLBACK_READINESS"]})
    assert {n: i["kubernetesVersion"] for n, i in rollback.items()} == {
        "Incompatible API usage": "1.34",
        "Kubelet version rollback compatibility": "1.34",
        "EKS add-on version rollback compatibility": "1.34",
    }
    kubelet = rollback["Kubelet version rollback compatibility"]
    assert kubelet["insightStatus"] == {
        "status": "ERROR",
        "reason": "At least one node kubelet version matches the cluster control plane version.",
    }
    assert kubelet["description"] == (
        "Checks for kubelet versions of worker nodes in the cluster to see if rollback would cause non "
        "compliance with supported Kubernetes kubelet version skew policy."
    )
    addons = rollback["EKS add-on version rollback compatibility"]
    assert addons["insightStatus"] == {
        "status": "PASSING",
        "reason": "All installed EKS add-on versions are compatible with previous Kubernetes version.",
    }
    apis = client.describe_insight(clusterName="demo", id=rollback["Incompatible API usage"]["id"])["insight"]
    assert apis["description"] == (
        "Checks for usage of APIs that are not compatible with the previous Kubernetes version. Rolling back "
        "your cluster before removing incompatible API usage could cause data loss or application impact."
    )
    assert apis["recommendation"] == (
        "Remove usage of the incompatible API from the resources where the usage is detected."
    )
    assert apis.get("additionalInfo", {}) == {}
    clock.tick(7 * 86400)
    refresh(client)
    assert by_name(client, filter={"categories": ["ROLLBACK_READINESS"]}) == {}
