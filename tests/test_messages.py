"""Error codes and messages as real EKS words them (issue 13), each with the public source quoting it.

Every message any handler or the dispatcher answers with lives in data/messages.json (mock_eks.messages):
``errors.ServiceError`` refuses any other text at runtime, and the scan below refuses inline wording and
unknown keys anywhere in the package's source, so neither check can pass silently.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from mock_eks import messages
from tests.helpers import NODE_ROLE, SUBNETS, create_cluster, error_of


def _fargate(client, **overrides):
    params = {
        "fargateProfileName": "fp",
        "clusterName": "demo",
        "podExecutionRoleArn": "arn:aws:iam::123456789012:role/pod-exec",
        "subnets": ["subnet-0a1b2c3d4e5f60001"],
        "selectors": [{"namespace": "default"}],
    }
    params.update(overrides)
    return client.create_fargate_profile(**params)


def _nodegroup(client, **overrides):
    params = {
        "clusterName": "demo",
        "nodegroupName": "ng",
        "nodeRole": NODE_ROLE,
        "subnets": list(SUBNETS),
    }
    params.update(overrides)
    return client.create_nodegroup(**params)


PACKAGE = Path(messages.__file__).parent
# Functions that pass a key on to mock_eks.messages (the key argument's position): their callers are checked.
KEY_TAKERS = {"error": 1, "text": 0, "build": 1, "refuse": 1, "find_child": 4, "ParseError": 0}
# The few places that forward a key they were given rather than naming one (checked at their callers).
FORWARDERS = {
    ("messages.py", "error"),
    ("messages.py", "build"),
    ("protocol.py", "__init__"),
    ("common.py", "find_child"),
    ("__init__.py", "refuse"),
    ("clusters.py", "delete_cluster"),  # the keys of clusters.BLOCKS_CLUSTER_DELETE
    ("iam.py", "check_role"),  # the keys of moto_link.iam.TRUSTED_SERVICES
}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _scan() -> tuple[list[str], set[str]]:
    """Problems in the package's source, and every string constant (to find unused entries)."""
    from mock_eks import errors

    table = messages.table()
    service_errors = {code for service in errors.BY_SERVICE for code in errors.BY_SERVICE[service]}
    service_errors |= set(errors.COMMON_ERRORS) | {"ServiceError", "UnknownOperationError"}
    problems: list[str] = []
    constants: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        where_fn: dict[int, str] = {}
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(fn):
                    where_fn.setdefault(id(inner), fn.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            here = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            name = _name(node.func)
            if name in ("invalid_parameter", "invalid_request") or (
                name == "error" and _name(getattr(node.func, "value", node.func)) == "ctx"
            ):
                if path.name != "messages.py":
                    problems.append(f"{here}: ctx.{name}() words its own error; use messages.error(ctx, key)")
                continue
            # an error class called with inline text (errors.X("..."), invalid(f"..."), cls("..."))
            if node.args and _is_text(node.args[0]) and name not in KEY_TAKERS:
                callee = ast.unparse(node.func)
                if (
                    name in service_errors
                    or re.search(r"\berrors\.(common\.|auth\.)?[A-Z]|ERRORS", callee)
                    or name in ("invalid", "cls")
                ):
                    problems.append(f"{here}: {callee}() is given inline text")
            position = KEY_TAKERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            if (
                name in ("error", "text", "build")
                and _name(getattr(node.func, "value", node.func)) != "messages"
            ):
                continue
            key = node.args[position]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                if (path.name, where_fn.get(id(node))) not in FORWARDERS:
                    problems.append(f"{here}: {name}() is given a computed message key")
                continue
            if key.value not in table:
                problems.append(f"{here}: message key {key.value!r} is not in data/messages.json")
                continue
            given = {k.arg for k in node.keywords}
            if None in given or name in ("find_child", "refuse"):
                continue  # **fields: checked at runtime (KeyError answers as a 500 in the suite)
            needed = {f for _, f, _, _ in string.Formatter().parse(table[key.value]["text"]) if f}
            if needed - given:
                problems.append(f"{here}: {key.value!r} needs {sorted(needed - given)}")
    return problems, constants


def test_every_error_message_comes_from_the_table():
    problems, constants = _scan()
    assert problems == []
    unused = sorted(key for key in messages.table() if key not in constants)
    assert unused == [], "entries no code raises"


def test_an_error_worded_outside_the_table_is_refused():
    from mock_eks import errors

    with pytest.raises(TypeError, match="not from data/messages.json"):
        errors.ResourceNotFoundException("No such thing.")
    error = errors.ResourceNotFoundException(messages.text("cluster.not_found", clusterName="x"))
    assert error.body() == {"message": "No cluster found for name: x."}


def test_every_message_names_a_source_and_a_modelled_code():
    from mock_eks import errors

    for key, entry in messages.table().items():
        assert entry["source"], key
        assert errors.error_class("eks", entry["code"]) or errors.error_class("eks-auth", entry["code"]), key


def test_cluster_messages(eks_client):
    # getmoto/moto, moto/eks/models.py CLUSTER_EXISTS_MSG / CLUSTER_NOT_FOUND_MSG (captured with curl);
    # upbound/configuration-aws-eks PR #9 (2023-12-14) pastes the same not-found sentence from a real account
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "demo")
    assert error_of(excinfo) == ("ResourceInUseException", 409, "Cluster already exists with name: demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_cluster(name="nope")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No cluster found for name: nope.")


def test_cluster_not_active_message():
    # getmoto/moto, moto/eks/models.py CLUSTER_NOT_READY_MSG
    import boto3

    from mock_eks import mock_eks

    with mock_eks(timing="realistic"):
        client = boto3.client("eks", region_name="us-east-1")
        create_cluster(client, "demo")
        with pytest.raises(ClientError) as excinfo:
            _nodegroup(client)
    assert error_of(excinfo) == ("InvalidRequestException", 400, "Cluster 'demo' is not in ACTIVE status")


def test_cluster_with_nodegroups_cannot_be_deleted(eks_client):
    # getmoto/moto, moto/eks/models.py CLUSTER_IN_USE_MSG
    create_cluster(eks_client, "demo")
    _nodegroup(eks_client)
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="demo")
    assert error_of(excinfo) == ("ResourceInUseException", 409, "Cluster has nodegroups attached")


def test_nodegroup_messages(eks_client):
    # getmoto/moto, moto/eks/models.py NODEGROUP_EXISTS_MSG / NODEGROUP_NOT_FOUND_MSG
    create_cluster(eks_client, "demo")
    _nodegroup(eks_client)
    with pytest.raises(ClientError) as excinfo:
        _nodegroup(eks_client)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        409,
        "NodeGroup already exists with name ng and cluster name demo",
    )
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_nodegroup(clusterName="demo", nodegroupName="other")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No node group found for name: other.")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"diskSize": 50}, "Disk size must be specified within the launch template."),
        (
            {"remoteAccess": {"ec2SshKey": "key"}},
            "Remote access configuration cannot be specified with a launch template.",
        ),
    ],
)
def test_launch_template_conflicts(eks_client, extra, message):
    # getmoto/moto, moto/eks/models.py LAUNCH_TEMPLATE_WITH_DISK_SIZE_MSG / ..._REMOTE_ACCESS_MSG
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        _nodegroup(eks_client, launchTemplate={"name": "lt"}, **extra)
    assert error_of(excinfo) == ("InvalidParameterException", 400, message)


@pytest.mark.parametrize(
    ("selectors", "message"),
    [
        ([], "Fargate Profile requires at least one selector."),
        (
            [{"labels": {"a": "b"}}],
            "Fargate Profile must have at least one selector with at least one namespace value.",
        ),
        (
            [{"namespace": "default", "labels": {f"k{n}": "v" for n in range(6)}}],
            "Request contains Selector with more than 5 Label pairs",
        ),
    ],
)
def test_fargate_selector_messages(eks_client, selectors, message):
    # getmoto/moto, moto/eks/models.py FARGATE_PROFILE_NEEDS_SELECTOR_MSG, ..._SELECTOR_NEEDS_NAMESPACE,
    # FARGATE_PROFILE_TOO_MANY_LABELS
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        _fargate(eks_client, selectors=selectors)
    assert error_of(excinfo) == ("InvalidParameterException", 400, message)


def test_fargate_profile_messages(eks_client):
    # getmoto/moto, moto/eks/models.py FARGATE_PROFILE_EXISTS_MSG / FARGATE_PROFILE_NOT_FOUND_MSG
    create_cluster(eks_client, "demo")
    _fargate(eks_client)
    with pytest.raises(ClientError) as excinfo:
        _fargate(eks_client)
    # the model omits ResourceInUseException here, but real EKS answers it with 409 (moto, issue 13)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        409,
        "A Fargate Profile already exists with this name in this cluster.",
    )
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_fargate_profile(clusterName="demo", fargateProfileName="x")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No Fargate Profile found with name: x.")


def test_update_not_found_message(eks_client):
    # aws/aws-cli issue #10252 (2026-04-24): "No update found for ID: someupdateid", no final period
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_update(name="demo", updateId="someupdateid")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No update found for ID: someupdateid")


def test_endpoint_update_that_changes_nothing(eks_client):
    # eksctl-io/eksctl issue #4043 (2021-08-02): InvalidParameterException "Cluster is already at the desired
    # configuration with endpointPrivateAccess: true , endpointPublicAccess: true, and Public Endpoint
    # Restrictions: [0.0.0.0/0]" (the odd " ," is EKS's)
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(name="demo", resourcesVpcConfig={"endpointPublicAccess": True})
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        "Cluster is already at the desired configuration with endpointPrivateAccess: false , "
        "endpointPublicAccess: true, and Public Endpoint Restrictions: [0.0.0.0/0]",
    )


def test_two_kinds_of_update_in_one_call(eks_client):
    # crossplane-contrib/provider-aws issue #642 (2021-04-30): "Only one type of update can be allowed."
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(
            name="demo",
            resourcesVpcConfig={"endpointPrivateAccess": True},
            logging={"clusterLogging": [{"types": ["api"], "enabled": True}]},
        )
    assert error_of(excinfo) == ("InvalidParameterException", 400, "Only one type of update can be allowed.")


def test_access_entry_messages(eks_client):
    # terraform-aws-modules/terraform-aws-eks issue #3293 (2025-01-31): 409 ResourceInUseException
    # "The specified access entry resource is already in use on this cluster."; hashicorp/terraform-provider-aws
    # issue #40951: 404 "The specified principalArn could not be found. You can view your available access
    # entries with 'list-access-entries'."
    principal = "arn:aws:iam::123456789012:role/dev"
    create_cluster(eks_client, "demo", accessConfig={"authenticationMode": "API"})
    eks_client.create_access_entry(clusterName="demo", principalArn=principal)
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(clusterName="demo", principalArn=principal)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        409,
        "The specified access entry resource is already in use on this cluster.",
    )
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_access_entry(clusterName="demo", principalArn="arn:aws:iam::123456789012:role/x")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "The specified principalArn could not be found. You can view your available access entries with "
        "'list-access-entries'.",
    )


def test_addon_not_found_message(eks_client):
    # hashicorp/terraform-provider-aws internal/service/eks wait.go: "ResourceNotFoundException: No addon:
    # vpc-cni found in cluster: tf-acc-test-533189557170672934"
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.describe_addon(clusterName="demo", addonName="vpc-cni")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "No addon: vpc-cni found in cluster: demo")
