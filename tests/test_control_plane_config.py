"""Control plane settings a create leaves out: egress mode, component configs, the signing CA.

Sources (details in mock_eks/data/control_plane.json):
- a real ``aws eks describe-cluster`` of 2026-09 (tests/recordings/public-describe-cluster-2026-09.json):
  controlPlaneEgressMode AWS_MANAGED, the standard tier's component configs, certificateAuthority.active;
- aws-controllers-k8s/eks-controller test/e2e/tests/test_cluster.py, run against real EKS: a partial
  component config reads back with every omitted field filled; CUSTOMER_ROUTED -> AWS_MANAGED is refused
  with InvalidParameterException naming ControlPlaneEgressMode as "not supported"; an endpoint-access
  change may not travel with an egress change;
- botocore's eks model documentation of controlPlaneEgressMode (default AWS_MANAGED, one way);
- cloud-custodian's DescribeCluster recordings of 2026-03, made before EKS had either setting.
"""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from mock_eks import mock_eks
from mock_eks.model.spec import MODELS
from tests.helpers import create_cluster, error_of

API_SERVER = {"eventTtl": "60m", "serviceNodePortRange": {"minPort": 30000, "maxPort": 32767}}
SCHEDULER = {
    "nodeResourcesFit": {
        "scoringStrategy": {
            "type": "LeastAllocated",
            "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}],
        }
    }
}
CONTROLLER_MANAGER = {
    "podGcControllerConfig": {"terminatedPodGcThreshold": 12500},
    "horizontalPodAutoscalerControllerConfig": {"horizontalPodAutoscalerSyncPeriod": "15s"},
}


def _needs(shape: str, member: str) -> None:
    if member not in MODELS["eks"].shape_for(shape).members:
        pytest.skip(f"this botocore's eks model has no {shape}.{member}")


def _params(update: dict[str, Any]) -> dict[str, Any]:
    return {p["type"]: p["value"] for p in update["params"]} | {"type": update["type"]}


def test_a_cluster_shows_the_egress_mode_and_component_configs_it_was_not_given(eks_client: Any) -> None:
    _needs("VpcConfigResponse", "controlPlaneEgressMode")
    _needs("Cluster", "kubeApiServerConfig")
    create_cluster(eks_client, "plain")
    cluster = eks_client.describe_cluster(name="plain")["cluster"]
    assert cluster["resourcesVpcConfig"]["controlPlaneEgressMode"] == "AWS_MANAGED"
    assert cluster["kubeApiServerConfig"] == API_SERVER
    assert cluster["kubeSchedulerConfig"] == SCHEDULER
    assert cluster["kubeControllerManagerConfig"] == CONTROLLER_MANAGER


def test_a_partial_component_config_is_filled_member_by_member(eks_client: Any) -> None:
    _needs("Cluster", "kubeApiServerConfig")
    create_cluster(
        eks_client,
        "partial",
        kubeApiServerConfig={"eventTtl": "45m"},
        kubeSchedulerConfig={"nodeResourcesFit": {"scoringStrategy": {"type": "MostAllocated"}}},
        resourcesVpcConfig={
            "subnetIds": ["subnet-1", "subnet-2"],
            "controlPlaneEgressMode": "CUSTOMER_ROUTED",
        },
    )
    cluster = eks_client.describe_cluster(name="partial")["cluster"]
    assert cluster["kubeApiServerConfig"] == {**API_SERVER, "eventTtl": "45m"}
    strategy = cluster["kubeSchedulerConfig"]["nodeResourcesFit"]["scoringStrategy"]
    assert strategy["type"] == "MostAllocated" and strategy["resources"][0] == {"name": "cpu", "weight": 1}
    assert cluster["kubeControllerManagerConfig"] == CONTROLLER_MANAGER
    assert cluster["resourcesVpcConfig"]["controlPlaneEgressMode"] == "CUSTOMER_ROUTED"


def test_before_eks_had_them_a_cluster_shows_neither() -> None:
    """A clock before the members existed (cloud-custodian's 2026-03 recordings): not shown."""
    _needs("VpcConfigResponse", "controlPlaneEgressMode")
    with mock_eks(), freeze_time("2026-03-30T12:00:00Z"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "early")
        cluster = client.describe_cluster(name="early")["cluster"]
    assert "controlPlaneEgressMode" not in cluster["resourcesVpcConfig"]
    assert "kubeApiServerConfig" not in cluster and "active" not in cluster["certificateAuthority"]
    assert cluster["controlPlaneScalingConfig"] == {"tier": "standard"}


def test_the_signing_ca_is_named_by_a_stable_name_based_uuid(eks_client: Any) -> None:
    _needs("Certificate", "active")
    create_cluster(eks_client, "ca")
    first = eks_client.describe_cluster(name="ca")["cluster"]["certificateAuthority"]
    again = eks_client.describe_cluster(name="ca")["cluster"]["certificateAuthority"]
    assert first == again and first["active"]["activatedBy"] == "EKS"
    assert uuid.UUID(first["active"]["id"]).version == 3  # as in the 2026-09 recording


def test_egress_moves_to_customer_routed_and_not_back(eks_client: Any) -> None:
    _needs("VpcConfigResponse", "controlPlaneEgressMode")
    create_cluster(eks_client, "egress")
    update = eks_client.update_cluster_config(
        name="egress", resourcesVpcConfig={"controlPlaneEgressMode": "CUSTOMER_ROUTED"}
    )["update"]
    assert _params(update) == {
        "type": "ControlPlaneEgressUpdate",
        "ControlPlaneEgressMode": "CUSTOMER_ROUTED",
    }
    described = eks_client.describe_cluster(name="egress")["cluster"]
    assert described["resourcesVpcConfig"]["controlPlaneEgressMode"] == "CUSTOMER_ROUTED"
    with pytest.raises(eks_client.exceptions.InvalidParameterException) as refused:
        eks_client.update_cluster_config(
            name="egress", resourcesVpcConfig={"controlPlaneEgressMode": "AWS_MANAGED"}
        )
    code, status, message = error_of(refused)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "ControlPlaneEgressMode" in message and "not supported" in message
    after = eks_client.describe_cluster(name="egress")["cluster"]["resourcesVpcConfig"]
    assert after["controlPlaneEgressMode"] == "CUSTOMER_ROUTED"


def test_an_egress_change_does_not_travel_with_an_endpoint_change(eks_client: Any) -> None:
    _needs("VpcConfigResponse", "controlPlaneEgressMode")
    create_cluster(eks_client, "both")
    with pytest.raises(eks_client.exceptions.InvalidParameterException) as refused:
        eks_client.update_cluster_config(
            name="both",
            resourcesVpcConfig={"endpointPrivateAccess": True, "controlPlaneEgressMode": "CUSTOMER_ROUTED"},
        )
    assert error_of(refused)[2] == "Only one type of update can be allowed."


def test_a_component_config_update_changes_what_it_names(eks_client: Any) -> None:
    _needs("Cluster", "kubeApiServerConfig")
    create_cluster(eks_client, "tune")
    update = eks_client.update_cluster_config(name="tune", kubeApiServerConfig={"eventTtl": "1h"})["update"]
    assert update["type"] == "ControlPlaneComponentConfigUpdate"
    assert eks_client.describe_cluster(name="tune")["cluster"]["kubeApiServerConfig"] == {
        **API_SERVER,
        "eventTtl": "1h",
    }
    with pytest.raises(eks_client.exceptions.InvalidParameterException):
        eks_client.update_cluster_config(name="tune", kubeApiServerConfig={"eventTtl": "1h"})
