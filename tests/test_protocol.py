"""The wire: routing, parsing, errors, the error hierarchy against the models, and interception."""

from __future__ import annotations

import json

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_eks import __version__, errors, mock_eks
from mock_eks.engine.dispatch import HANDLERS
from mock_eks.model.spec import MODELS
from tests.helpers import create_cluster, error_of, unvalidated_client


def test_error_classes_agree_with_the_models():
    for service, classes in errors.BY_SERVICE.items():
        shapes = {shape.name: shape for shape in MODELS[service].error_shapes}
        assert set(classes) == set(shapes)
        for name, cls in classes.items():
            assert cls.status == shapes[name].metadata["error"]["httpStatusCode"]
            assert cls.fields == tuple(shapes[name].members)
    assert errors.AccessDeniedException.status == 403
    assert errors.auth.AccessDeniedException.status == 400


def test_error_body_carries_only_the_shapes_fields(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_cluster(name="ghost")
    response = excinfo.value.response
    assert response["clusterName"] == "ghost"
    assert "nodegroupName" not in response


def test_enum_and_types_are_validated():
    with mock_eks:
        client = unvalidated_client()
        with pytest.raises(ClientError) as excinfo:
            create_cluster(client, "enum", kubernetesNetworkConfig={"ipFamily": "ipv5"})
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidParameterException", 400)
        assert "kubernetesNetworkConfig.ipFamily" in message and "enum" in message
        body = {
            "name": "types",
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "resourcesVpcConfig": {"subnetIds": "s"},
        }
        response = requests.post("https://eks.us-east-1.amazonaws.com/clusters", json=body)
        assert response.status_code == 400 and "must be of type list" in response.json()["message"]
        with pytest.raises(ClientError) as excinfo:
            client.create_cluster(name="missing", resourcesVpcConfig={"subnetIds": ["a", "b"]})
        assert "roleArn" in error_of(excinfo)[2]


def test_unknown_route_and_wrong_method_are_clean_json_errors(eks_mock):
    response = requests.get("https://eks.us-east-1.amazonaws.com/no/such/path")
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert "message" in response.json()
    # a path another method serves is no operation either: no model has a 405 (Reference common error)
    response = requests.put("https://eks.us-east-1.amazonaws.com/clusters")
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert response.json()["message"]


def test_malformed_json_is_invalid_parameter(eks_mock):
    response = requests.post("https://eks.us-east-1.amazonaws.com/clusters", data=b"{not json")
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "InvalidParameterException"
    response = requests.post("https://eks.us-east-1.amazonaws.com/clusters", data=b"[1, 2]")
    assert response.status_code == 400


def test_requests_library_is_intercepted_and_labels_are_unquoted(eks_mock, eks_client):
    arn = create_cluster(eks_client, "viarequests")["arn"]
    response = requests.get("https://eks.us-east-1.amazonaws.com/clusters/viarequests")
    assert response.status_code == 200
    assert response.json()["cluster"]["name"] == "viarequests"
    encoded = arn.replace(":", "%3A").replace("/", "%2F")
    tags = requests.get(f"https://eks.us-east-1.amazonaws.com/tags/{encoded}")
    assert tags.status_code == 200 and tags.json() == {"tags": {}}


def test_query_string_types_are_coerced_and_checked(eks_mock):
    response = requests.get("https://eks.us-east-1.amazonaws.com/clusters?maxResults=abc")
    assert response.status_code == 400
    assert "maxResults" in response.json()["message"]
    response = requests.get("https://eks.us-east-1.amazonaws.com/clusters?maxResults=5&include=all")
    assert response.status_code == 200 and response.json()["clusters"] == []


def test_unexpected_handler_failure_is_server_exception_without_traceback(eks_mock, monkeypatch):
    def broken(ctx, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setitem(HANDLERS, ("eks", "ListClusters"), broken)
    client = boto3.client("eks", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as excinfo:
        client.list_clusters()
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ServerException", 500)
    assert "Traceback" not in message and "internal detail" not in message


def test_an_unimplemented_operation_names_itself(eks_mock, monkeypatch):
    monkeypatch.delitem(HANDLERS, ("eks", "ListClusters"))
    with pytest.raises(ClientError) as excinfo:
        boto3.client("eks", region_name="us-east-1").list_clusters()
    code, status, message = error_of(excinfo)
    # an operation a newer model has and this release lacks: HTTP 501 NotImplemented, not a parameter error
    assert (code, status) == ("NotImplemented", 501)
    assert "ListClusters" in message and __version__ in message


def test_responses_serialize_timestamps_as_epoch_seconds(eks_mock, eks_client):
    create_cluster(eks_client, "epoch")
    body = requests.get("https://eks.us-east-1.amazonaws.com/clusters/epoch").json()
    assert isinstance(body["cluster"]["createdAt"], (int, float))
    assert json.dumps(body)  # nothing outside JSON


def test_timestamps_have_millisecond_precision_on_the_wire(eks_mock, eks_client):
    # real EKS writes epoch seconds with three decimals (aws/aws-cli
    # awscli/examples/eks/update-cluster-config.rst: "createdAt": 1565806986.506)
    from freezegun import freeze_time

    with freeze_time("2024-03-14 15:31:44.348123"):
        create_cluster(eks_client, "ms")
        body = requests.get("https://eks.us-east-1.amazonaws.com/clusters/ms").json()
        update = eks_client.update_cluster_config(
            name="ms", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
        )["update"]
    assert body["cluster"]["createdAt"] == 1710430304.348
    assert update["createdAt"].microsecond == 348000


def test_moto_and_mock_eks_together():
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_eks:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [  # two AZs: linked to moto, EKS checks them as real EKS does
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{az}")[
                "Subnet"
            ]["SubnetId"]
            for i, az in enumerate("ab")
        ]
        eks = boto3.client("eks", region_name="us-east-1")
        cluster = create_cluster(eks, "withmoto", resourcesVpcConfig={"subnetIds": subnets})
        assert cluster["resourcesVpcConfig"]["subnetIds"] == subnets
        # mock_eks answers EKS (moto would show ACTIVE at once and a different shape)
        assert cluster["status"] == "CREATING"
        assert eks.describe_cluster(name="withmoto")["cluster"]["status"] == "ACTIVE"
        assert ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["VpcId"] == vpc
