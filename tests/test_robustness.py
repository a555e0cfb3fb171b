"""Bad input never breaks the mock: each class of failure the fuzzing found, through the public surface.

Every error must be one the operation models or one of the Reference's common errors, with its status.
"""

from __future__ import annotations

import pytest
import requests
from botocore.exceptions import ClientError

from mock_eks import errors
from mock_eks.spec import OPERATIONS
from tests.helpers import ROLE, create_cluster, error_of, unvalidated_client

EKS = "https://eks.us-east-1.amazonaws.com"


def allowed(operation: str, service: str = "eks") -> frozenset[str]:
    op = OPERATIONS[service][operation]
    return errors.allowed_codes(service, op.error_codes)


# -- 1. deep nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"[" * 5000, b'{"name": ' + b"[" * 900 + b"]" * 900 + b"}"])
def test_deeply_nested_bodies_are_the_operations_invalid_parameter_error(eks_mock, body):
    response = requests.post(f"{EKS}/clusters", data=body)
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "InvalidParameterException"


def test_nesting_inside_a_member_is_refused_too(eks_mock):
    deep = "[" * 200 + "]" * 200
    body = f'{{"name": "c", "roleArn": "{ROLE}", "resourcesVpcConfig": {{"subnetIds": {deep}}}}}'
    response = requests.post(f"{EKS}/clusters", data=body.encode())
    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (400, "InvalidParameterException")


# -- 8. empty URI labels ----------------------------------------------------------------------------


def test_empty_label_does_not_route_to_another_operation(eks_client):
    create_cluster(eks_client, "c1")
    raw = unvalidated_client()
    with pytest.raises(ClientError) as excinfo:
        raw.describe_cluster(name="")  # GET /clusters/ is not ListClusters
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ClientException", 400)  # DescribeCluster's own invalid-input error
    assert "name" in message
    with pytest.raises(ClientError) as excinfo:
        raw.delete_nodegroup(clusterName="c1", nodegroupName="")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as excinfo:
        raw.describe_addon(clusterName="", addonName="vpc-cni")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_every_empty_label_answers_a_modelled_or_common_error(eks_mock):
    raw = unvalidated_client()
    for name, op in OPERATIONS["eks"].items():
        if not op.labels:
            continue
        kwargs = {member: "" for _, member in op.labels}
        for member_name in op.model.input_shape.required_members:
            kwargs.setdefault(member_name, _filler(op.members[member_name].shape))
        with pytest.raises(ClientError) as excinfo:
            getattr(raw, op.handler_name)(**kwargs)
        code, status, _ = error_of(excinfo)
        assert code in allowed(name), (name, code)
        assert status == 400, (name, status)


def _filler(shape):
    return {"string": "x", "list": [], "map": {}, "structure": {}, "integer": 1, "long": 1}.get(
        shape.type_name, "x"
    )


# -- 12. unmodelled error codes ---------------------------------------------------------------------


def test_invalid_input_to_an_operation_without_an_invalid_parameter_error_is_validation_error(eks_mock):
    raw = unvalidated_client()
    assert "InvalidParameterException" not in allowed("ListAccessPolicies")
    with pytest.raises(ClientError) as excinfo:
        raw.list_access_policies(nextToken="x")
    assert error_of(excinfo)[:2] == ("ValidationError", 400)
    with pytest.raises(ClientError) as excinfo:
        raw.list_access_policies(maxResults=0)
    assert error_of(excinfo)[:2] == ("ValidationError", 400)


def test_wrong_method_is_the_common_unknown_operation_error(eks_mock):
    response = requests.patch(f"{EKS}/clusters")
    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    assert "UnknownOperationException" in errors.COMMON_ERRORS
