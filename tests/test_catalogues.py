"""The catalogues hold what real EKS publishes: AMI release versions, Kubernetes dates, add-on builds.

Each real value below names the public source it was taken from.
"""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks
from tests.helpers import create_cluster, create_nodegroup, error_of


def _nodegroup(client, version, name="ng1", **overrides):
    """A node group in the cluster of Kubernetes ``version``, which the first one ("ng1") creates."""
    cluster = f"c-{version.replace('.', '-')}"
    if name == "ng1":
        create_cluster(client, cluster, version=version)
    return create_nodegroup(client, name, cluster=cluster, **overrides)


# ---- AMI release versions per family


@pytest.mark.parametrize(
    ("when", "version", "ami_type", "release"),
    [
        # awslabs/amazon-eks-ami CHANGELOG.md, "AMI Release v20240307"
        ("2024-06-01", "1.26", "AL2_x86_64", "1.26.12-20240307"),
        ("2024-06-01", "1.26", "AL2023_x86_64_STANDARD", "1.26.12-20240307"),
        # same CHANGELOG, "AMI Release v20231027" (list-format notes)
        ("2024-01-05", "1.28", "AL2_ARM_64", "1.28.2-20231027"),
        # same CHANGELOG, "AMI Release v20260714" (HTML-table notes)
        ("2026-07-20", "1.36", "AL2023_ARM_64_STANDARD", "1.36.2-20260714"),
        # bottlerocket-os/bottlerocket tag v1.20.3 (commit 5d9ac849...)
        ("2024-07-01", "1.29", "BOTTLEROCKET_x86_64", "1.20.3-5d9ac849"),
        # bottlerocket-os/bottlerocket tag v1.19.2 (commit 29cc92cc...)
        ("2024-03-01", "1.28", "BOTTLEROCKET_ARM_64", "1.19.2-29cc92cc"),
        # AMI names public configurations quote (bottlerocket-aws-k8s-1.32-x86_64-v1.32.0-cacc4ce9, ...);
        # release dates from bottlerocket's CHANGELOG.md (history copy DrMundo0/source-bottlerocket-v1.50.0)
        ("2025-03-01", "1.32", "BOTTLEROCKET_x86_64", "1.32.0-cacc4ce9"),
        ("2025-11-01", "1.33", "BOTTLEROCKET_x86_64", "1.46.0-431fe75a"),
        ("2025-11-01", "1.32", "BOTTLEROCKET_ARM_64", "1.49.0-713f44ce"),
        # awsdocs/amazon-eks-user-guide eks-ami-versions-windows.adoc, Windows Server 2022 Core, 1.29
        ("2024-12-01", "1.29", "WINDOWS_CORE_2022_x86_64", "1.29-2024.11.12"),
    ],
)
def test_real_release_versions_are_accepted(when, version, ami_type, release):
    with mock_eks(), freeze_time(when):
        client = boto3.client("eks", region_name="us-east-1")
        instance = "m6g.large" if "ARM" in ami_type else "m5.large"
        group = _nodegroup(
            client, version, amiType=ami_type, releaseVersion=release, instanceTypes=[instance]
        )
        assert group["releaseVersion"] == release


@pytest.mark.parametrize(
    ("version", "ami_type", "release"),
    [
        ("1.26", "AL2_x86_64", "1.26.12-20240308"),  # no release that day
        ("1.26", "AL2_x86_64", "1.27.10-20240307"),  # another minor's release
        ("1.26", "BOTTLEROCKET_x86_64", "1.19.2-00000000"),  # a real version with a wrong commit
        ("1.26", "WINDOWS_CORE_2022_x86_64", "1.26-2024.03.08"),
    ],
)
def test_unknown_release_versions_are_refused(version, ami_type, release):
    with mock_eks(), freeze_time("2024-06-01"):
        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError) as excinfo:
            _nodegroup(client, version, amiType=ami_type, releaseVersion=release)
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidParameterException", 400)
        assert (
            message == f"Requested release version {release} is not valid for kubernetes version {version}."
        )


def test_a_release_is_not_offered_before_its_date():
    # v20240307 exists, but a clock in February 2024 has not seen it yet
    with mock_eks(), freeze_time("2024-02-20"):
        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError) as excinfo:
            _nodegroup(client, "1.26", amiType="AL2_x86_64", releaseVersion="1.26.12-20240307")
        assert error_of(excinfo)[0] == "InvalidParameterException"


def test_default_release_is_the_newest_published_at_the_clock():
    # amazon-eks-ami CHANGELOG: v20240307 is followed by v20240313; on 2024-03-10 the newest is v20240307
    with mock_eks(), freeze_time("2024-03-10"):
        client = boto3.client("eks", region_name="us-east-1")
        group = _nodegroup(client, "1.26", amiType="AL2_x86_64")
        assert group["releaseVersion"] == "1.26.12-20240307"


def test_al2_is_not_published_after_1_32():
    # amazon-eks-ami CHANGELOG: AL2 AMIs stop at Kubernetes 1.32
    with mock_eks(), freeze_time("2025-12-01"):
        client = boto3.client("eks", region_name="us-east-1")
        with pytest.raises(ClientError) as excinfo:
            _nodegroup(client, "1.33", amiType="AL2_x86_64")
        assert error_of(excinfo)[0] == "InvalidParameterException"
        assert _nodegroup(client, "1.33", name="ng2", amiType="AL2023_x86_64_STANDARD")[
            "releaseVersion"
        ].startswith("1.33.")


def test_update_to_a_newer_real_release():
    with mock_eks(), freeze_time("2024-06-01"):
        client = boto3.client("eks", region_name="us-east-1")
        _nodegroup(client, "1.26", amiType="AL2_x86_64", releaseVersion="1.26.12-20240307")
        update = client.update_nodegroup_version(
            clusterName="c-1-26", nodegroupName="ng1", releaseVersion="1.26.15-20240514"
        )["update"]
        assert {"type": "ReleaseVersion", "value": "1.26.15-20240514"} in update["params"]


# ---- Kubernetes version dates


def _day(value) -> str:
    return value.astimezone(UTC).date().isoformat()


@pytest.mark.parametrize(
    ("version", "release", "end_standard", "end_extended"),
    [
        # real DescribeClusterVersions(includeAll) output in cloud-custodian/cloud-custodian
        # tests/data/placebo/test_eks_upgrade_available/eks.DescribeClusterVersions_1.json (2026-01):
        # 1.24 released 2022-11-09T18:00:00-06:00, i.e. 2022-11-10 (the User Guide's calendar says 11-15)
        ("1.24", "2022-11-10", "2024-01-31", "2025-01-31"),
        # awsdocs/amazon-eks-user-guide latest/ug/clusters/kubernetes-versions.adoc (release calendar)
        ("1.26", "2023-04-11", "2024-06-11", "2025-06-11"),
        ("1.29", "2024-01-23", "2025-03-23", "2026-03-23"),
        ("1.31", "2024-09-26", "2025-11-26", "2026-11-26"),
        # the cloud-custodian recording (2026-01) and the calendar; an earlier blog post's recording showed
        # 01-21 / 03-21 (the newest recording wins)
        ("1.32", "2025-01-23", "2026-03-23", "2027-03-23"),
        # endoflife-date/endoflife.date products/amazon-eks.md (eol / eoes), and real describe-cluster-versions
        # output in a public repository's notes of 2025-06-28 (1.33.1 / eks.6)
        ("1.33", "2025-05-29", "2026-07-29", "2027-07-29"),
    ],
)
def test_kubernetes_version_dates(version, release, end_standard, end_extended):
    with mock_eks(), freeze_time("2025-06-01"):
        client = boto3.client("eks", region_name="us-east-1")
        found = client.describe_cluster_versions(clusterVersions=[version], includeAll=True)[
            "clusterVersions"
        ]
        assert len(found) == 1
        entry = found[0]
        assert _day(entry["releaseDate"]) == release
        assert _day(entry["endOfStandardSupportDate"]) == end_standard
        assert _day(entry["endOfExtendedSupportDate"]) == end_extended


def test_platform_versions_from_the_user_guide():
    # platform-versions.adoc: 1.31.0 eks.4 (initial), 1.31.1 eks.6, 1.31.2 eks.12
    from mock_eks import versions

    assert {"eks.4", "eks.6", "eks.12"} <= set(versions.get("1.31").platform_versions)
    assert datetime(2024, 9, 26, tzinfo=UTC).timestamp() == versions.get("1.31").release


# ---- add-on builds


@pytest.mark.parametrize(
    ("kubernetes", "addon", "version"),
    [
        # the AWS CLI's own examples (create-addon, describe-addon-configuration) use them
        ("1.29", "vpc-cni", "v1.16.4-eksbuild.2"),
        ("1.23", "coredns", "v1.8.7-eksbuild.4"),
        # a public Terraform configuration pins these three together (EKS 1.27)
        ("1.27", "kube-proxy", "v1.27.8-eksbuild.4"),
        ("1.27", "coredns", "v1.10.1-eksbuild.7"),
        ("1.27", "vpc-cni", "v1.16.4-eksbuild.2"),
        # public Terraform defaults for EKS 1.29: kube-proxy, coredns, EBS CSI driver, pod identity agent
        ("1.29", "kube-proxy", "v1.29.1-eksbuild.2"),
        ("1.29", "coredns", "v1.11.1-eksbuild.4"),
        ("1.29", "aws-ebs-csi-driver", "v1.28.0-eksbuild.1"),
        ("1.29", "eks-pod-identity-agent", "v1.2.0-eksbuild.1"),
        # EKS User Guide eks-networking-add-ons.adoc, latest-version tables (2024-12)
        ("1.31", "vpc-cni", "v1.19.0-eksbuild.1"),
        ("1.31", "kube-proxy", "v1.31.2-eksbuild.3"),
        ("1.25", "coredns", "v1.9.3-eksbuild.19"),
        # the 1.29 DescribeAddonVersions recording (scripts/sources/addons/recorded-k8s-1.29-2024-03.json)
        ("1.29", "aws-mountpoint-s3-csi-driver", "v1.4.0-eksbuild.1"),
        ("1.29", "aws-guardduty-agent", "v1.5.0-eksbuild.1"),
        # a public Terraform module pinning add-ons per version from describe-addon-versions (1.32 / 1.33)
        ("1.32", "coredns", "v1.11.4-eksbuild.10"),
        ("1.32", "kube-proxy", "v1.32.0-eksbuild.2"),
        ("1.33", "eks-node-monitoring-agent", "v1.4.0-eksbuild.2"),
        ("1.33", "aws-mountpoint-s3-csi-driver", "v2.0.0-eksbuild.1"),
        ("1.33", "snapshot-controller", "v8.3.0-eksbuild.1"),
        # aws eks describe-addon-versions (every add-on, no filter) saved in Group-4-EKS/EKS-M-setup,
        # 1.eks-addon/python-test/addons.json (commit 1b68574f, 2024-03-05)
        ("1.24", "coredns", "v1.8.7-eksbuild.4"),
        ("1.24", "adot", "v0.29.0-eksbuild.1"),
        ("1.28", "aws-efs-csi-driver", "v1.5.8-eksbuild.1"),
        ("1.28", "amazon-cloudwatch-observability", "v1.1.1-eksbuild.1"),
        # eksctl utils describe-addon-versions --kubernetes-version 1.30 / 1.31 saved in
        # RekhuGopal/AWS_EKS_Upgrade, result.json (commits ba8a7842, 2024-07-30 and bc0dd75f, 2024-10-25)
        ("1.30", "coredns", "v1.11.1-eksbuild.9"),
        ("1.31", "aws-efs-csi-driver", "v2.0.8-eksbuild.1"),
        ("1.31", "amazon-cloudwatch-observability", "v2.2.0-eksbuild.1"),
        ("1.31", "kube-proxy", "v1.31.0-eksbuild.5"),
        # EKS User Guide managing-kube-proxy / managing-coredns tables in stored copies of
        # docs.amazonaws.cn (zh_cn .md, 2026) and docs.aws.amazon.com (2025)
        ("1.35", "kube-proxy", "v1.35.3-eksbuild.2"),
        ("1.35", "coredns", "v1.13.2-eksbuild.4"),
        ("1.34", "coredns", "v1.12.4-eksbuild.1"),
        ("1.33", "kube-proxy", "v1.33.3-eksbuild.6"),
        # dfds/infrastructure-modules test/integration/eu-west-1/k8s-qa/cluster/terragrunt.hcl pins these
        # next to eks_cluster_version for its integration test clusters (revisions 2025-07 to 2026-07)
        ("1.35", "vpc-cni", "v1.22.3-eksbuild.1"),
        ("1.35", "aws-ebs-csi-driver", "v1.62.0-eksbuild.1"),
        ("1.34", "aws-efs-csi-driver", "v3.1.0-eksbuild.1"),
        ("1.33", "aws-ebs-csi-driver", "v1.52.1-eksbuild.1"),
        # public Terraform pins: eks-node-monitoring-agent next to kube-proxy v1.35.3 / v1.36.0 builds
        # (search-index file ids 62491526501, 70928130958) and in a map for "1.32" (29368444506)
        ("1.35", "eks-node-monitoring-agent", "v1.7.0-eksbuild.1"),
        ("1.36", "eks-node-monitoring-agent", "v1.7.2-eksbuild.1"),
        ("1.32", "eks-node-monitoring-agent", "v1.0.2-eksbuild.2"),
        ("1.36", "metrics-server", "v0.9.0-eksbuild.11"),
        # aws/aws-cli awscli/examples/eks/describe-addon-versions.rst, Example 3 (vpc-cni builds for 1.26)
        ("1.26", "vpc-cni", "v1.12.5-eksbuild.2"),
        # builds many public configurations pin: tfvars for 1.33 (cds-snc/notification-terraform staging,
        # search-index file ids 6690982525 and 21142224347), for 1.32 and 1.31 (18548797767, 10879028730),
        # and an AWS CDK configuration's addonVersions for 1.30-1.33 (36077165659)
        ("1.33", "coredns", "v1.12.1-eksbuild.2"),
        ("1.33", "vpc-cni", "v1.19.5-eksbuild.3"),
        ("1.33", "aws-ebs-csi-driver", "v1.44.0-eksbuild.1"),
        ("1.32", "aws-ebs-csi-driver", "v1.43.0-eksbuild.1"),
        ("1.31", "kube-proxy", "v1.31.7-eksbuild.7"),
        ("1.33", "metrics-server", "v0.8.0-eksbuild.1"),
        ("1.30", "amazon-cloudwatch-observability", "v4.2.1-eksbuild.1"),
    ],
)
def test_real_addon_versions_are_accepted(kubernetes, addon, version):
    # a clock at which the Kubernetes version can be created (1.23's extended support ends 2024-10-11)
    clock = {
        "1.23": "2024-06-01",
        "1.24": "2024-06-01",
        "1.32": "2025-08-01",
        "1.33": "2025-11-15",
        "1.34": "2026-04-01",
        "1.35": "2026-08-01",
        "1.36": "2026-08-01",
    }.get(kubernetes, "2024-12-20")
    with mock_eks(), freeze_time(clock):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version=kubernetes)
        created = client.create_addon(clusterName="c1", addonName=addon, addonVersion=version)["addon"]
        assert created["addonVersion"] == version
        listed = client.describe_addon_versions(kubernetesVersion=kubernetes, addonName=addon)["addons"]
        assert version in [v["addonVersion"] for v in listed[0]["addonVersions"]]


def test_unknown_addon_versions_are_still_refused():
    with mock_eks(), freeze_time("2024-12-20"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.29")
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="vpc-cni", addonVersion="v1.16.4-eksbuild.99")
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidParameterException", 400)
        # real wording: hashicorp/terraform-provider-aws #20559 (2021-08-13), aws/aws-sdk-go-v2 #2554 (2024-03-13)
        assert message == "Addon version specified is not supported"
        # a real build outside its Kubernetes range: the 1.29 recording lists coredns v1.8.7 as not compatible
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="coredns", addonVersion="v1.8.7-eksbuild.4")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_recorded_compatibility_and_default_for_1_29():
    # recording: vpc-cni v1.15.3-eksbuild.1 has no 1.29 compatibility, v1.15.4-eksbuild.1 has one
    with mock_eks(), freeze_time("2024-12-20"):
        client = boto3.client("eks", region_name="us-east-1")
        listed = client.describe_addon_versions(kubernetesVersion="1.29", addonName="vpc-cni")["addons"][0]
        versions = {v["addonVersion"]: v for v in listed["addonVersions"]}
        assert "v1.15.4-eksbuild.1" in versions and "v1.15.3-eksbuild.1" not in versions
        for info in versions.values():
            assert [c["clusterVersion"] for c in info["compatibilities"]] == ["1.29"]
            assert info["compatibilities"][0]["platformVersions"] == ["*"]
        assert sum(v["compatibilities"][0]["defaultVersion"] for v in versions.values()) == 1
        # newest build first, as DescribeAddonVersions lists them
        keys = [tuple(int(p) for p in v.split("-")[0][1:].split(".")) for v in versions]
        assert keys == sorted(keys, reverse=True)


def test_recorded_compatibilities_across_kubernetes_versions():
    # Group-4-EKS/EKS-M-setup 1.eks-addon/python-test/addons.json (2024-03-05), an unfiltered
    # DescribeAddonVersions answer: coredns v1.8.7-eksbuild.4 ran on 1.22-1.26 and no later version
    with mock_eks(), freeze_time("2024-06-01"):
        client = boto3.client("eks", region_name="us-east-1")
        listed = client.describe_addon_versions(addonName="coredns")["addons"][0]["addonVersions"]
        by_version = {v["addonVersion"]: v for v in listed}
        old = [c["clusterVersion"] for c in by_version["v1.8.7-eksbuild.4"]["compatibilities"]]
        assert {"1.23", "1.24", "1.25", "1.26"} <= set(old) and "1.27" not in old
        # EKS flags exactly one default build per Kubernetes version
        for k in ("1.24", "1.27", "1.31"):
            flags = [
                c["defaultVersion"] for v in listed for c in v["compatibilities"] if c["clusterVersion"] == k
            ]
            assert flags.count(True) == 1
        create_cluster(client, "c1", version="1.27")
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="coredns", addonVersion="v1.8.7-eksbuild.4")
        assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_default_builds_recorded_by_create_addon_without_a_version():
    # cloud-custodian/cloud-custodian tests/data/placebo/test_eks_addon_health/eks.DescribeAddon_{1,2}.json:
    # add-ons created on a 1.35 cluster on 2026-03-30 without addonVersion got these builds
    with mock_eks(), freeze_time("2026-04-01"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.35")
        for addon, build in (
            ("metrics-server", "v0.8.1-eksbuild.4"),
            ("amazon-cloudwatch-observability", "v4.10.3-eksbuild.1"),
        ):
            assert client.create_addon(clusterName="c1", addonName=addon)["addon"]["addonVersion"] == build


def test_describe_addon_versions_filters_and_pages_over_the_full_catalogue():
    with mock_eks(), freeze_time("2024-12-20"):
        client = boto3.client("eks", region_name="us-east-1")
        everything = client.describe_addon_versions(maxResults=100)["addons"]
        names = [a["addonName"] for a in everything]
        assert {"vpc-cni", "coredns", "kube-proxy", "aws-mountpoint-s3-csi-driver"} <= set(names)
        pages, token = [], None
        while True:
            kwargs = {"maxResults": 2, **({"nextToken": token} if token else {})}
            answer = client.describe_addon_versions(kubernetesVersion="1.24", **kwargs)
            pages.extend(a["addonName"] for a in answer["addons"])
            token = answer.get("nextToken")
            if not token:
                break
        one_call = client.describe_addon_versions(kubernetesVersion="1.24", maxResults=100)["addons"]
        assert pages == [a["addonName"] for a in one_call]
        assert "coredns" in pages  # the guide's table: v1.9.3-eksbuild.19 for 1.24
        storage = client.describe_addon_versions(types=["storage"], kubernetesVersion="1.29")["addons"]
        assert {a["addonName"] for a in storage} >= {"aws-ebs-csi-driver", "aws-mountpoint-s3-csi-driver"}
        assert all(a["type"] == "storage" for a in storage)
        # the marketplace add-ons the 2024 recordings list (Group-4-EKS/EKS-M-setup addons.json; the aws-cli
        # example's table names the same ones), with their publishers and marketplace product ids
        marketplace = client.describe_addon_versions(owners=["aws-marketplace"], maxResults=100)["addons"]
        by_name = {a["addonName"]: a for a in marketplace}
        assert {"kubecost_kubecost", "datadog_operator", "upbound_universal-crossplane"} <= set(by_name)
        assert by_name["datadog_operator"]["publisher"] == "Datadog"
        assert by_name["kubecost_kubecost"]["marketplaceInformation"]["productId"] == (
            "753cea16-f450-4cfa-93eb-f55dcde11e91"
        )
        by_publisher = client.describe_addon_versions(publishers=["kubecost"], maxResults=100)["addons"]
        assert [a["addonName"] for a in by_publisher] == ["kubecost_kubecost"]
        one = client.describe_addon_versions(addonName="eks-node-monitoring-agent", kubernetesVersion="1.33")
        assert [a["addonName"] for a in one["addons"]] == ["eks-node-monitoring-agent"]
        assert (
            client.describe_addon_versions(addonName="eks-node-monitoring-agent", kubernetesVersion="1.29")[
                "addons"
            ]
            == []
        )


def test_bottlerocket_releases_whose_commit_no_public_source_shows():
    # bottlerocket CHANGELOG.md: v1.40.0 (2025-05-22) with the aws-k8s-1.28..1.33 variants; no public
    # AMI name shows its commit, so any 8-hex commit is accepted from that day on and never offered
    with mock_eks():
        with freeze_time("2025-06-01"):
            client = boto3.client("eks", region_name="us-east-1")
            group = _nodegroup(
                client,
                "1.31",
                amiType="BOTTLEROCKET_x86_64",
                releaseVersion="1.40.0-0123abcd",
                instanceTypes=["m5.large"],
            )
            assert group["releaseVersion"] == "1.40.0-0123abcd"
            # the default is the newest release with a known commit by then (v1.32.0-cacc4ce9, 2025-01-24)
            default = _nodegroup(client, "1.31", name="ng2", amiType="BOTTLEROCKET_x86_64")
            assert default["releaseVersion"] == "1.32.0-cacc4ce9"
            with pytest.raises(ClientError) as excinfo:
                _nodegroup(
                    client, "1.31", name="ng3", amiType="BOTTLEROCKET_x86_64", releaseVersion="1.40.0-xyz"
                )
            assert error_of(excinfo)[0] == "InvalidParameterException"
        with freeze_time("2025-05-01"), pytest.raises(ClientError) as excinfo:
            _nodegroup(
                client, "1.31", name="ng4", amiType="BOTTLEROCKET_x86_64", releaseVersion="1.40.0-0123abcd"
            )
        assert error_of(excinfo)[0] == "InvalidParameterException"


@pytest.mark.parametrize(
    ("when", "version", "ami_type", "release"),
    [
        # a public EC2 AMI filter names Windows_Server-2022-English-Full-EKS_Optimized-1.31-2025.04.14;
        # our Windows source (EKS User Guide) is a snapshot of 2024-12-18
        ("2025-05-01", "1.31", "WINDOWS_FULL_2022_x86_64", "1.31-2025.04.14"),
        # a public Terraform default names bottlerocket-aws-k8s-1.32-aarch64-v1.51.0-47438798; our
        # bottlerocket history copy ends with v1.50.0 (2025-11)
        ("2025-12-15", "1.32", "BOTTLEROCKET_ARM_64", "1.51.0-47438798"),
    ],
)
def test_releases_published_after_a_familys_source_snapshot(when, version, ami_type, release):
    with mock_eks(), freeze_time(when):
        client = boto3.client("eks", region_name="us-east-1")
        instance = "m6g.large" if "ARM" in ami_type else "m5.large"
        group = _nodegroup(
            client, version, amiType=ami_type, releaseVersion=release, instanceTypes=[instance]
        )
        assert group["releaseVersion"] == release


def test_windows_releases_seen_after_the_guide_snapshot():
    # docs.amazonaws.cn eks-ami-versions-windows.md (2026 copy), Windows Server 2025 Core, 1.35:
    # 1.35-2026.01.22, 1.35-2026.02.16, 1.35-2026.04.18 - the newest by the clock is the default
    with mock_eks(), freeze_time("2026-05-01"):
        client = boto3.client("eks", region_name="us-east-1")
        group = _nodegroup(client, "1.35", amiType="WINDOWS_CORE_2025_x86_64", instanceTypes=["m5.large"])
        assert group["releaseVersion"] == "1.35-2026.04.18"
        older = _nodegroup(
            client, "1.35", name="ng2", amiType="WINDOWS_CORE_2025_x86_64", releaseVersion="1.35-2026.02.16"
        )
        assert older["releaseVersion"] == "1.35-2026.02.16"


def test_releases_the_source_covers_are_not_guessed():
    with mock_eks():
        with freeze_time("2025-05-01"):
            client = boto3.client("eks", region_name="us-east-1")
            # inside the User Guide snapshot's time (to 2024-12-18) only its listed releases exist
            with pytest.raises(ClientError) as excinfo:
                _nodegroup(
                    client, "1.31", amiType="WINDOWS_CORE_2022_x86_64", releaseVersion="1.31-2024.11.30"
                )
            assert error_of(excinfo)[0] == "InvalidParameterException"
        with freeze_time("2025-04-01"), pytest.raises(ClientError) as excinfo:  # not published yet
            _nodegroup(
                client,
                "1.31",
                name="ng2",
                amiType="WINDOWS_CORE_2022_x86_64",
                releaseVersion="1.31-2025.04.14",
            )
        assert error_of(excinfo)[0] == "InvalidParameterException"


def test_a_minor_newer_than_a_familys_source_still_gets_a_release():
    # the Windows list in our User Guide snapshot ends with 1.31 (2024-12): for 1.33 any release version
    # of the Windows shape "<minor>-<yyyy.mm.dd>" is accepted, and the default has that shape
    with mock_eks(), freeze_time("2025-08-01"):
        client = boto3.client("eks", region_name="us-east-1")
        group = _nodegroup(client, "1.33", amiType="WINDOWS_CORE_2022_x86_64", instanceTypes=["m5.large"])
        assert group["releaseVersion"].startswith("1.33-")
        chosen = _nodegroup(
            client, "1.33", name="ng2", amiType="WINDOWS_CORE_2022_x86_64", releaseVersion="1.33-2025.07.15"
        )
        assert chosen["releaseVersion"] == "1.33-2025.07.15"
        with pytest.raises(ClientError) as excinfo:
            _nodegroup(
                client,
                "1.33",
                name="ng3",
                amiType="WINDOWS_CORE_2022_x86_64",
                releaseVersion="1.32-2025.07.15",
            )
        assert error_of(excinfo)[0] == "InvalidParameterException"


def test_addon_builds_and_defaults_follow_the_clock():
    """At 2024-03 a 1.26 cluster's vpc-cni default was v1.15.1-eksbuild.1 (the unfiltered DescribeAddonVersions
    answer saved in Group-4-EKS/EKS-M-setup 1.eks-addon/python-test/addons.json, commit 1b68574f, 2024-03-05),
    and builds of later upstream releases (aws/amazon-vpc-cni-k8s tag v1.19.2, 2024-12-19) did not exist."""
    with mock_eks(), freeze_time("2024-03-20") as clock:
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "c1", version="1.26")
        assert client.create_addon(clusterName="c1", addonName="vpc-cni")["addon"]["addonVersion"] == (
            "v1.15.1-eksbuild.1"
        )
        listed = client.describe_addon_versions(kubernetesVersion="1.26", addonName="vpc-cni")["addons"][0]
        builds = {
            v["addonVersion"]: v["compatibilities"][0]["defaultVersion"] for v in listed["addonVersions"]
        }
        assert [b for b, default in builds.items() if default] == ["v1.15.1-eksbuild.1"]
        assert "v1.16.4-eksbuild.2" in builds and "v1.19.2-eksbuild.1" not in builds
        client.delete_addon(clusterName="c1", addonName="vpc-cni")
        with pytest.raises(ClientError) as excinfo:
            client.create_addon(clusterName="c1", addonName="vpc-cni", addonVersion="v1.19.2-eksbuild.1")
        assert error_of(excinfo) == (
            "InvalidParameterException",
            400,
            "Addon version specified is not supported",
        )
        with pytest.raises(ClientError):
            client.describe_addon_configuration(addonName="vpc-cni", addonVersion="v1.19.2-eksbuild.1")
        clock.move_to("2025-01-10")
        created = client.create_addon(
            clusterName="c1", addonName="vpc-cni", addonVersion="v1.19.2-eksbuild.1"
        )
        assert created["addon"]["addonVersion"] == "v1.19.2-eksbuild.1"
