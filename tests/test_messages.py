"""Error codes and messages as real EKS words them, each with the public source quoting it.

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

from mock_eks.model import messages
from tests.helpers import (
    SUBNETS,
    associate_pod_identity,
    create_cluster,
    create_fargate_profile,
    create_nodegroup,
    error_of,
    realistic,
)

PACKAGE = Path(messages.__file__).parent.parent  # the whole package (mock_eks.model.messages)
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
            # a literal key, or a choice between literal keys (`"a" if update else "b"`)
            choices = [key.body, key.orelse] if isinstance(key, ast.IfExp) else [key]
            if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in choices):
                if (path.name, where_fn.get(id(node))) not in FORWARDERS:
                    problems.append(f"{here}: {name}() is given a computed message key")
                continue
            for choice in choices:
                if choice.value not in table:
                    problems.append(f"{here}: message key {choice.value!r} is not in data/messages.json")
                    continue
                given = {k.arg for k in node.keywords}
                if None in given or name in ("find_child", "refuse"):
                    continue  # **fields: checked at runtime (KeyError answers as a 500 in the suite)
                needed = {f for _, f, _, _ in string.Formatter().parse(table[choice.value]["text"]) if f}
                if needed - given:
                    problems.append(f"{here}: {choice.value!r} needs {sorted(needed - given)}")
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
            create_nodegroup(client, "ng")
    assert error_of(excinfo) == ("InvalidRequestException", 400, "Cluster 'demo' is not in ACTIVE status")


def test_cluster_with_nodegroups_cannot_be_deleted(eks_client):
    # getmoto/moto, moto/eks/models.py CLUSTER_IN_USE_MSG
    create_cluster(eks_client, "demo")
    create_nodegroup(eks_client, "ng")
    with pytest.raises(ClientError) as excinfo:
        eks_client.delete_cluster(name="demo")
    assert error_of(excinfo) == ("ResourceInUseException", 409, "Cluster has nodegroups attached")


def test_nodegroup_messages(eks_client):
    # getmoto/moto, moto/eks/models.py NODEGROUP_EXISTS_MSG / NODEGROUP_NOT_FOUND_MSG
    create_cluster(eks_client, "demo")
    create_nodegroup(eks_client, "ng")
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, "ng")
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
        create_nodegroup(eks_client, "ng", launchTemplate={"name": "lt"}, **extra)
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
        create_fargate_profile(eks_client, "fp", selectors=selectors)
    assert error_of(excinfo) == ("InvalidParameterException", 400, message)


def test_fargate_profile_messages(eks_client):
    # getmoto/moto, moto/eks/models.py FARGATE_PROFILE_EXISTS_MSG / FARGATE_PROFILE_NOT_FOUND_MSG
    create_cluster(eks_client, "demo")
    create_fargate_profile(eks_client, "fp")
    with pytest.raises(ClientError) as excinfo:
        create_fargate_profile(eks_client, "fp")
    # the model omits ResourceInUseException here, but real EKS answers it with 409 (getmoto/moto moto/eks/models.py)
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


def test_unsupported_kubernetes_versions(eks_client):
    # hashicorp/terraform-provider-aws #21410 (2021-10-20): CreateCluster InvalidParameterException 400
    # "unsupported Kubernetes version"; rancher/rancher #28939 (2020-09-16): UpdateClusterVersion
    # "Unsupported Kubernetes minor version update from 1.17 to 1.16"
    from mock_eks import versions

    with pytest.raises(ClientError) as excinfo:
        create_cluster(eks_client, "old", version="1.10")
    assert error_of(excinfo) == ("InvalidParameterException", 400, "unsupported Kubernetes version")
    import time

    current = versions.available_versions(time.time())[0]
    create_cluster(eks_client, "demo", version=current)
    skip = versions.next_minor(versions.next_minor(current) or "") or "1.99"
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_version(name="demo", version=skip)
    code, status, message = error_of(excinfo)
    if message != "unsupported Kubernetes version":  # a version two ahead may not be released yet
        assert (code, status, message) == (
            "InvalidParameterException",
            400,
            f"Unsupported Kubernetes minor version update from {current} to {skip}",
        )


def test_release_version_not_valid(eks_client):
    # eksctl-io/eksctl #7976 (2025-01-08): "Requested release version 1.31.3-20250103 is not valid for kubernetes
    # version 1.30." (with the final period)
    create_cluster(eks_client, "demo")
    version = eks_client.describe_cluster(name="demo")["cluster"]["version"]
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, "ng", releaseVersion="1.0.0-20000101")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        f"Requested release version 1.0.0-20000101 is not valid for kubernetes version {version}.",
    )


def test_access_entries_need_an_api_authentication_mode(eks_client):
    # AWS EKS workshop output and public Terraform notes: "An error occurred (InvalidRequestException) when calling
    # the ListAccessEntries operation: The cluster's authentication mode must be set to one of [API,
    # API_AND_CONFIG_MAP] to perform this operation."
    create_cluster(eks_client, "demo", accessConfig={"authenticationMode": "CONFIG_MAP"})
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_access_entries(clusterName="demo")
    assert error_of(excinfo) == (
        "InvalidRequestException",
        400,
        "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this "
        "operation.",
    )


def test_addon_not_supported_in_the_cluster_version(eks_client):
    # marcincuber/eks #10 (2024-01-22): "Addon kubecost_kubecost specified is not supported in 1.28 kubernetes
    # version", InvalidParameterException 400
    create_cluster(eks_client, "demo")
    version = eks_client.describe_cluster(name="demo")["cluster"]["version"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_addon(clusterName="demo", addonName="made-up")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        f"Addon made-up specified is not supported in {version} kubernetes version",
    )


def test_logging_update_that_changes_nothing(eks_client):
    # aws-controllers-k8s/eks-controller (LoggingNoChangesError) and the Kubeflow on AWS docs: "An error occurred
    # (InvalidParameterException) when calling the UpdateClusterConfig operation: No changes needed for the
    # logging config provided"
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_cluster_config(
            name="demo", logging={"clusterLogging": [{"types": ["api"], "enabled": False}]}
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        "No changes needed for the logging config provided",
    )


@pytest.mark.parametrize(
    ("scaling", "create_message", "update_message"),
    [
        # sassoftware/viya4-iac-aws #298 (2024-08-09, CreateNodegroup); terraform-aws-modules/terraform-aws-eks
        # #3306 (2025-02-19, UpdateNodegroupConfig)
        (
            {"minSize": 3, "maxSize": 5, "desiredSize": 2},
            "minSize can't be greater than desiredSize",
            "Minimum capacity 3 can't be greater than desired size 2",
        ),
        # ministryofjustice/cloud-platform-infrastructure #4595 (2026-04-22); public notes quoting eksctl scale
        # nodegroup (UpdateNodegroupConfig)
        (
            {"minSize": 1, "maxSize": 2, "desiredSize": 3},
            "desiredSize can't be greater than maxSize",
            "desired capacity 3 can't be greater than max size 2",
        ),
    ],
)
def test_scaling_config_messages(eks_client, scaling, create_message, update_message):
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, "bad", scalingConfig=scaling)
    assert error_of(excinfo) == ("InvalidParameterException", 400, create_message)
    create_nodegroup(eks_client, "ng")
    with pytest.raises(ClientError) as excinfo:
        eks_client.update_nodegroup_config(clusterName="demo", nodegroupName="ng", scalingConfig=scaling)
    assert error_of(excinfo) == ("InvalidParameterException", 400, update_message)


def test_one_cluster_update_at_a_time():
    # aws-controllers-k8s/community #1192 (2022-03-01): 409 "Cannot EndpointAccessUpdate because cluster
    # simple-cluster-... currently has update 408c0738-... in progress"; elastic/cloudbeat #3093 (2025-03-12): the
    # same sentence with the operation's name from AssociateIdentityProviderConfig
    with realistic("2026-11-21 12:00:00") as (client, clock):
        create_cluster(client, "demo")
        clock.tick(900)
        first = client.update_cluster_config(
            name="demo", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
        )["update"]
        with pytest.raises(ClientError) as excinfo:
            client.update_cluster_config(name="demo", resourcesVpcConfig={"endpointPrivateAccess": True})
        assert error_of(excinfo) == (
            "ResourceInUseException",
            409,
            f"Cannot EndpointAccessUpdate because cluster demo currently has update {first['id']} in progress",
        )
        with pytest.raises(ClientError) as excinfo:
            client.associate_identity_provider_config(
                clusterName="demo",
                oidc={
                    "identityProviderConfigName": "oidc",
                    "issuerUrl": "https://example.com",
                    "clientId": "c",
                },
            )
        assert error_of(excinfo) == (
            "ResourceInUseException",
            409,
            "Cannot AssociateIdentityProviderConfig because cluster demo currently has update "
            f"{first['id']} in progress",
        )


def test_duplicate_pod_identity_association(eks_client):
    # eksctl-io/eksctl #7753 (2024-05-09), aws/eks-hybrid #679 (2025-07-30): 409 ResourceInUseException
    # "Association already exists: a-hglcskyuft3ui87hc"
    create_cluster(eks_client, "demo")
    first = associate_pod_identity(eks_client)
    with pytest.raises(ClientError) as excinfo:
        associate_pod_identity(eks_client)
    assert error_of(excinfo) == (
        "ResourceInUseException",
        409,
        f"Association already exists: {first['associationId']}",
    )


def test_access_entry_with_an_invalid_principal(eks_client):
    # terraform-aws-modules/terraform-aws-eks #2969 (2024-03-12): CreateAccessEntry 400 InvalidParameterException
    # "The specified principalArn is invalid: invalid principal."
    create_cluster(eks_client, "demo", accessConfig={"authenticationMode": "API"})
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_access_entry(
            clusterName="demo", principalArn="arn:aws:iam::123456789012:group/devs"
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        "The specified principalArn is invalid: invalid principal.",
    )


def test_authentication_mode_moves_one_step_at_a_time(eks_client):
    # AWS EKS workshop: "An error occurred (InvalidParameterException) when calling the UpdateClusterConfig
    # operation: Unsupported authentication mode update from CONFIG_MAP to API"; public notes quote the same
    # sentence "from API_AND_CONFIG_MAP to API_AND_CONFIG_MAP" for a request that changes nothing
    create_cluster(eks_client, "demo", accessConfig={"authenticationMode": "CONFIG_MAP"})
    for current, wanted in (("CONFIG_MAP", "API"), ("CONFIG_MAP", "CONFIG_MAP")):
        with pytest.raises(ClientError) as excinfo:
            eks_client.update_cluster_config(name="demo", accessConfig={"authenticationMode": wanted})
        assert error_of(excinfo) == (
            "InvalidParameterException",
            400,
            f"Unsupported authentication mode update from {current} to {wanted}",
        )
    update = eks_client.update_cluster_config(
        name="demo", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"}
    )
    assert update["update"]["type"] == "AccessConfigUpdate"


def test_invalid_public_access_cidrs(eks_client):
    # awsdocs/amazon-eks-user-guide (cluster endpoint): "EKS returns the following error message: The following
    # CIDRs are invalid in publicAccessCidrs"
    with pytest.raises(ClientError) as excinfo:
        create_cluster(
            eks_client,
            "demo",
            resourcesVpcConfig={"subnetIds": list(SUBNETS), "publicAccessCidrs": ["10.0.0.1/8"]},
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        "The following CIDRs are invalid in publicAccessCidrs",
    )


def test_instance_type_of_the_wrong_architecture(eks_client):
    # public Terraform notes quoting CreateNodegroup: "InvalidParameterException: [t4g.medium] is not a valid
    # instance type for requested amiType BOTTLEROCKET_x86_64"
    create_cluster(eks_client, "demo")
    with pytest.raises(ClientError) as excinfo:
        create_nodegroup(eks_client, "ng", instanceTypes=["t4g.medium"], amiType="BOTTLEROCKET_x86_64")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        400,
        "[t4g.medium] is not a valid instance type for requested amiType BOTTLEROCKET_x86_64",
    )


def test_duplicate_addon(eks_client):
    # crossplane-contrib/provider-aws #1310 (2022-05-17) and public Terraform output of CreateAddon:
    # "StatusCode: 409 ... ResourceInUseException: Addon already exists."
    create_cluster(eks_client, "demo")
    eks_client.create_addon(clusterName="demo", addonName="kube-proxy")
    with pytest.raises(ClientError) as excinfo:
        eks_client.create_addon(clusterName="demo", addonName="kube-proxy")
    assert error_of(excinfo) == ("ResourceInUseException", 409, "Addon already exists.")


def test_custom_ami_node_groups_take_no_version_fields(eks_client):
    # AWS re:Post knowledge center (managed node group update errors): "An error occurred
    # (InvalidParameterException) when calling the UpdateNodegroupVersion operation: You cannot specify the
    # field kubernetesVersion when using custom AMIs"; public Pulumi notes: "You cannot specify the field
    # releaseVersion when using custom AMIs. (Service: Eks, Status Code: 400 ...)"
    create_cluster(eks_client, "demo")
    version = eks_client.describe_cluster(name="demo")["cluster"]["version"]
    create_nodegroup(eks_client, "ng", amiType="CUSTOM", launchTemplate={"name": "lt", "version": "1"})
    for extra, message in (
        ({"version": version}, "You cannot specify the field kubernetesVersion when using custom AMIs"),
        (
            {"releaseVersion": f"{version}.0-20990101"},
            "You cannot specify the field releaseVersion when using custom AMIs.",
        ),
    ):
        with pytest.raises(ClientError) as excinfo:
            eks_client.update_nodegroup_version(clusterName="demo", nodegroupName="ng", **extra)
        assert error_of(excinfo) == ("InvalidParameterException", 400, message)


def test_cluster_delete_while_something_is_in_progress():
    # AWS re:Post knowledge center and public code: "An error occurred (ResourceInUseException) when calling the
    # DeleteCluster operation: Cannot delete because cluster <name> currently has an update in progress";
    # eksctl-io/eksctl pkg/fargate: "Cannot delete because cluster <cluster> currently has Fargate profile
    # <profile> in status DELETING"
    with realistic("2026-11-21 12:00:00") as (client, clock):
        create_cluster(client, "demo")
        clock.tick(900)
        client.update_cluster_config(
            name="demo", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
        )
        with pytest.raises(ClientError) as excinfo:
            client.delete_cluster(name="demo")
        assert error_of(excinfo) == (
            "ResourceInUseException",
            409,
            "Cannot delete because cluster demo currently has an update in progress",
        )
        clock.tick(3600)
        create_fargate_profile(client, "fp")
        clock.tick(600)
        client.delete_fargate_profile(clusterName="demo", fargateProfileName="fp")
        with pytest.raises(ClientError) as excinfo:
            client.delete_cluster(name="demo")
        assert error_of(excinfo) == (
            "ResourceInUseException",
            409,
            "Cannot delete because cluster demo currently has Fargate profile fp in status DELETING",
        )
