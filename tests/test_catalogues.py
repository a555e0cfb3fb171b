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
from tests.helpers import NODE_ROLE, SUBNETS, create_cluster, error_of


def _nodegroup(client, version, name="ng1", **overrides):
    if name == "ng1":
        create_cluster(client, f"c-{version.replace('.', '-')}", version=version)
    params = {
        "clusterName": f"c-{version.replace('.', '-')}",
        "nodegroupName": name,
        "subnets": list(SUBNETS),
        "nodeRole": NODE_ROLE,
    }
    params.update(overrides)
    return client.create_nodegroup(**params)["nodegroup"]


# ---- AMI release versions per family


@pytest.mark.parametrize(
    ("when", "version", "ami_type", "release"),
    [
        # awslabs/amazon-eks-ami CHANGELOG.md, "AMI Release v20240307" (the example)
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
        # awsdocs/amazon-eks-user-guide latest/ug/clusters/kubernetes-versions.adoc (release calendar)
        ("1.24", "2022-11-15", "2024-01-31", "2025-01-31"),
        ("1.26", "2023-04-11", "2024-06-11", "2025-06-11"),
        ("1.29", "2024-01-23", "2025-03-23", "2026-03-23"),
        ("1.31", "2024-09-26", "2025-11-26", "2026-11-26"),
        # endoflife-date/endoflife.date products/amazon-eks.md (eol / eoes)
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
