"""mock_eks linked to moto: one account across EKS, EC2, Auto Scaling, KMS and IAM.

Every test runs under moto's ``mock_aws()`` and ``mock_eks()`` in both orders of activation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mock_eks import mock_eks, versions
from tests.helpers import error_of

moto = pytest.importorskip("moto")

REGION = "us-east-1"
# the service principals EKS's roles are assumed by (cluster, node, Fargate pod execution, pod identity)
SERVICES = (
    "eks.amazonaws.com",
    "ec2.amazonaws.com",
    "eks-fargate-pods.amazonaws.com",
    "pods.eks.amazonaws.com",
)


def trust(*services: str, actions=("sts:AssumeRole", "sts:TagSession")) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": list(services)}, "Action": list(actions)}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement] if services else []})


@pytest.fixture(autouse=True)
def _lean_moto(monkeypatch):
    # moto's catalogue of public AMIs costs most of an EC2 backend's start-up; no test here needs it
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


@pytest.fixture(params=["moto first", "mock_eks first"])
def order(request):
    return request.param


# one botocore session for the whole module: its loader keeps the service models between tests
SESSION = boto3.Session(region_name=REGION)


@contextmanager
def linked(order: str, **options):
    """moto's mock_aws and mock_eks(**options), activated in ``order``."""
    with ExitStack() as stack:
        eks_mock = mock_eks(**options) if options else mock_eks
        mocks = [moto.mock_aws(), eks_mock]
        if order != "moto first":
            mocks.reverse()
        for mock in mocks:
            stack.enter_context(mock)
        yield eks_mock


def clients():
    names = ("eks", "ec2", "iam", "autoscaling", "kms")
    keys = {"aws_access_key_id": os.environ["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": "secret"}
    return [SESSION.client(name, **keys) for name in names]


def network(ec2, cidr="10.0.0.0/16", azs=("a", "b"), public=False):
    """A VPC and one subnet per AZ; ``public`` routes the subnets to an internet gateway."""
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    prefix = cidr.rsplit(".", 2)[0]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{prefix}.{i}.0/24", AvailabilityZone=f"{REGION}{az}")[
            "Subnet"
        ]["SubnetId"]
        for i, az in enumerate(azs)
    ]
    if public:
        gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
        for subnet in subnets:
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    return vpc, subnets


def role(iam, name="eks-role", services=SERVICES, **options):
    """A role in moto's IAM, trusting ``services`` (by default every one EKS's roles are assumed by)."""
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(*services, **options))["Role"]["Arn"]


def cluster_in_moto(eks, ec2, iam, name="demo", **config):
    vpc, subnets = network(ec2)
    arn = role(iam)
    cluster = eks.create_cluster(name=name, roleArn=arn, resourcesVpcConfig={"subnetIds": subnets, **config})[
        "cluster"
    ]
    return cluster, vpc, subnets, arn


def refused(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    code, status, message = error_of(excinfo)
    assert status == 400
    return code, message


# ---- clusters


def test_cluster_takes_the_vpc_of_moto_subnets_and_gets_a_security_group(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        cluster, vpc, _, _ = cluster_in_moto(eks, ec2, iam)
        config = cluster["resourcesVpcConfig"]
        assert config["vpcId"] == vpc
        group = ec2.describe_security_groups(GroupIds=[config["clusterSecurityGroupId"]])["SecurityGroups"][0]
        assert group["VpcId"] == vpc
        assert group["GroupName"].startswith("eks-cluster-sg-demo-")
        assert group["GroupName"].rsplit("-", 1)[1].isdigit()
        tags = {t["Key"]: t["Value"] for t in group["Tags"]}
        assert tags["aws:eks:cluster-name"] == "demo"
        assert tags["kubernetes.io/cluster/demo"] == "owned"

        eks.delete_cluster(name="demo")
        assert eks.list_clusters()["clusters"] == []
        with pytest.raises(ClientError):
            ec2.describe_security_groups(GroupIds=[config["clusterSecurityGroupId"]])


def test_cluster_subnets_must_span_two_azs_and_one_vpc(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        arn = role(iam)
        _, same_az = network(ec2, azs=("a", "a"))
        code, message = refused(
            eks.create_cluster, name="c", roleArn=arn, resourcesVpcConfig={"subnetIds": same_az}
        )
        assert code == "InvalidParameterException"
        assert message == "Subnets specified must be in at least two different AZs"

        _, first = network(ec2)
        _, second = network(ec2, cidr="10.1.0.0/16")
        code, message = refused(
            eks.create_cluster,
            name="c",
            roleArn=arn,
            resourcesVpcConfig={"subnetIds": [first[0], second[1]]},
        )
        assert code == "InvalidParameterException" and "same VPC" in message
        assert eks.list_clusters()["clusters"] == []


def test_cluster_security_groups_must_be_in_the_subnets_vpc(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        other_vpc, _ = network(ec2, cidr="10.9.0.0/16")
        outside = ec2.create_security_group(GroupName="x", Description="x", VpcId=other_vpc)["GroupId"]
        vpc, subnets = network(ec2)
        inside = ec2.create_security_group(GroupName="y", Description="y", VpcId=vpc)["GroupId"]
        arn = role(iam)
        code, message = refused(
            eks.create_cluster,
            name="c",
            roleArn=arn,
            resourcesVpcConfig={"subnetIds": subnets, "securityGroupIds": [outside]},
        )
        assert code == "InvalidParameterException"
        assert message == (
            f"Security group(s) [{outside}] are not in the same VPC as the subnets. "
            f"Please specify a security group that is associated with the VPC: {vpc}."
        )
        created = eks.create_cluster(
            name="c", roleArn=arn, resourcesVpcConfig={"subnetIds": subnets, "securityGroupIds": [inside]}
        )["cluster"]
        assert created["resourcesVpcConfig"]["securityGroupIds"] == [inside]


def test_link_accepts_references_moto_does_not_know(order):
    with linked(order):
        eks, ec2, _, _, _ = clients()
        made_up = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
        cluster = eks.create_cluster(
            name="c",
            roleArn="arn:aws:iam::123456789012:role/nobody",
            resourcesVpcConfig={"subnetIds": made_up, "securityGroupIds": ["sg-0123456789abcdef0"]},
        )["cluster"]
        assert cluster["resourcesVpcConfig"]["subnetIds"] == made_up
        group = cluster["resourcesVpcConfig"]["clusterSecurityGroupId"]
        assert (
            ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroups"]
            == []
        )


@pytest.mark.parametrize(
    "config, expected",
    [
        (
            {"subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]},
            "The subnet ID 'subnet-0123456789abcdef0' does not exist",
        ),
        (
            {"securityGroupIds": ["sg-0123456789abcdef0"]},
            "The security group 'sg-0123456789abcdef0' does not exist",
        ),
    ],
)
def test_strict_refuses_unknown_subnets_and_security_groups(order, config, expected):
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, subnets = network(ec2)
        config = {"subnetIds": subnets, **config}
        code, message = refused(eks.create_cluster, name="c", roleArn=role(iam), resourcesVpcConfig=config)
        assert code == "InvalidParameterException" and message.startswith(expected)


def test_strict_refuses_an_unknown_cluster_role(order):
    with linked(order, moto="strict"):
        eks, ec2, _, _, _ = clients()
        _, subnets = network(ec2)
        missing = "arn:aws:iam::123456789012:role/missing"
        code, message = refused(
            eks.create_cluster, name="c", roleArn=missing, resourcesVpcConfig={"subnetIds": subnets}
        )
        assert code == "InvalidParameterException"
        assert message == (
            f"Role with arn: {missing}, could not be assumed because it does not exist or the trusted entity is not correct"
        )


def test_off_leaves_moto_alone(order):
    with linked(order, moto="off"):
        eks, ec2, iam, _, _ = clients()
        cluster, vpc, _, _ = cluster_in_moto(eks, ec2, iam)
        assert cluster["resourcesVpcConfig"]["vpcId"] != vpc
        names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
        assert not any(n.startswith("eks-cluster-sg") for n in names)


# ---- managed node groups


def nodegroup(eks, subnets, node_role, **params):
    """Create node group ``ng`` in ``demo`` and describe it (EKS shows its resources once it is no longer CREATING)."""
    defaults = {
        "scalingConfig": {"minSize": 1, "maxSize": 4, "desiredSize": 2},
        "instanceTypes": ["m5.large"],
    }
    eks.create_nodegroup(
        clusterName="demo", nodegroupName="ng", nodeRole=node_role, subnets=subnets, **{**defaults, **params}
    )
    return eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]


def test_nodegroup_gets_an_auto_scaling_group_with_instances(order):
    with linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        cluster, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        group_name = nodegroup(eks, subnets, arn)["resources"]["autoScalingGroups"][0]["name"]

        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
            "AutoScalingGroups"
        ][0]
        assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (1, 4, 2)
        assert sorted(group["VPCZoneIdentifier"].split(",")) == sorted(subnets)
        tags = {t["Key"]: (t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]}
        assert tags == {
            "eks:cluster-name": ("demo", True),
            "eks:nodegroup-name": ("ng", True),
            "k8s.io/cluster-autoscaler/enabled": ("true", True),
            "k8s.io/cluster-autoscaler/demo": ("owned", True),
            "kubernetes.io/cluster/demo": ("owned", True),
        }
        template = ec2.describe_launch_templates(
            LaunchTemplateIds=[group["LaunchTemplate"]["LaunchTemplateId"]]
        )
        assert template["LaunchTemplates"][0]["LaunchTemplateName"].startswith("eks-")

        # infrastructure code finds the nodes by the cluster's tag
        reservations = ec2.describe_instances(Filters=[{"Name": "tag:eks:cluster-name", "Values": ["demo"]}])[
            "Reservations"
        ]
        instances = [i for r in reservations for i in r["Instances"]]
        assert len(instances) == 2
        assert {i["InstanceType"] for i in instances} == {"m5.large"}
        assert {i["SubnetId"] for i in instances} <= set(subnets)
        cluster_group = cluster["resourcesVpcConfig"]["clusterSecurityGroupId"]
        assert all(cluster_group in [g["GroupId"] for g in i["SecurityGroups"]] for i in instances)


def test_scaling_update_reaches_the_group_when_the_update_completes(order):
    with freeze_time("2026-06-01 12:00:00") as clock, linked(order, timing="realistic"):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        clock.tick(3600)
        nodegroup(eks, subnets, arn)
        clock.tick(3600)
        described = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]
        assert described["status"] == "ACTIVE"
        group_name = described["resources"]["autoScalingGroups"][0]["name"]

        update = eks.update_nodegroup_config(
            clusterName="demo",
            nodegroupName="ng",
            scalingConfig={"minSize": 2, "maxSize": 5, "desiredSize": 3},
        )["update"]

        def group():
            return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
                "AutoScalingGroups"
            ][0]

        assert group()["DesiredCapacity"] == 2  # still in progress
        clock.tick(3600)
        assert eks.describe_update(name="demo", nodegroupName="ng", updateId=update["id"])["update"][
            "status"
        ] == ("Successful")
        now = group()
        assert (now["MinSize"], now["MaxSize"], now["DesiredCapacity"], len(now["Instances"])) == (2, 5, 3, 3)


def test_deleting_the_nodegroup_removes_group_instances_and_template(order):
    with linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        group_name = nodegroup(eks, subnets, arn)["resources"]["autoScalingGroups"][0]["name"]
        instances = [
            i["InstanceId"]
            for i in autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
                "AutoScalingGroups"
            ][0]["Instances"]
        ]
        eks.delete_nodegroup(clusterName="demo", nodegroupName="ng")
        assert eks.list_nodegroups(clusterName="demo")["nodegroups"] == []
        assert (
            autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"]
            == []
        )
        states = {
            i["State"]["Name"]
            for r in ec2.describe_instances(InstanceIds=instances)["Reservations"]
            for i in r["Instances"]
        }
        assert states == {"terminated"}
        assert ec2.describe_launch_templates()["LaunchTemplates"] == []


@pytest.mark.parametrize("given", ["name", "id"])
def test_a_user_launch_template_is_resolved_through_moto(order, given):
    with linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        template = ec2.create_launch_template(
            LaunchTemplateName="mine",
            LaunchTemplateData={"InstanceType": "c5.large", "ImageId": "ami-12c6146b"},
        )["LaunchTemplate"]
        spec = {"name": "mine"} if given == "name" else {"id": template["LaunchTemplateId"]}
        created = nodegroup(eks, subnets, arn, launchTemplate=spec, instanceTypes=[])
        assert created["launchTemplate"]["id"] == template["LaunchTemplateId"]
        assert created["launchTemplate"]["name"] == "mine"
        group_name = created["resources"]["autoScalingGroups"][0]["name"]
        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
            "AutoScalingGroups"
        ][0]
        assert group["LaunchTemplate"]["LaunchTemplateId"] == template["LaunchTemplateId"]
        # the user's template is theirs: EKS makes none of its own, and deleting the group keeps it
        assert [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]] == [
            "mine"
        ]
        eks.delete_nodegroup(clusterName="demo", nodegroupName="ng")
        eks.list_nodegroups(clusterName="demo")
        assert [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]] == [
            "mine"
        ]


def test_unknown_launch_template_link_accepts_strict_refuses(order):
    for mode in ("link", "strict"):
        with linked(order, moto=mode):
            eks, ec2, iam, _, _ = clients()
            _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
            if mode == "link":
                created = nodegroup(eks, subnets, arn, launchTemplate={"name": "nowhere"}, instanceTypes=[])
                assert created["launchTemplate"]["name"] == "nowhere"
            else:
                code, message = refused(
                    eks.create_nodegroup,
                    clusterName="demo",
                    nodegroupName="ng",
                    nodeRole=arn,
                    subnets=subnets,
                    launchTemplate={"name": "nowhere"},
                )
                assert code == "InvalidParameterException" and "nowhere" in message


def test_remote_access_key_pair_makes_a_security_group(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        _, vpc, subnets, arn = cluster_in_moto(eks, ec2, iam)
        ec2.create_key_pair(KeyName="ops")
        created = nodegroup(eks, subnets, arn, remoteAccess={"ec2SshKey": "ops"})
        group_id = created["resources"]["remoteAccessSecurityGroup"]
        group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
        assert group["VpcId"] == vpc
        assert [(p["IpProtocol"], p["FromPort"], p["ToPort"]) for p in group["IpPermissions"]] == [
            ("tcp", 22, 22)
        ]
        eks.delete_nodegroup(clusterName="demo", nodegroupName="ng")
        eks.list_nodegroups(clusterName="demo")
        assert (
            ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [group_id]}])[
                "SecurityGroups"
            ]
            == []
        )


def test_strict_refuses_unknown_key_pair_and_node_role(order):
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        code, message = refused(
            eks.create_nodegroup,
            clusterName="demo",
            nodegroupName="ng",
            nodeRole=arn,
            subnets=subnets,
            remoteAccess={"ec2SshKey": "nokey"},
        )
        assert code == "InvalidParameterException" and "The key pair 'nokey' does not exist" in message
        code, message = refused(
            eks.create_nodegroup,
            clusterName="demo",
            nodegroupName="ng",
            nodeRole="arn:aws:iam::123456789012:role/no-node-role",
            subnets=subnets,
        )
        assert code == "InvalidParameterException" and "no-node-role" in message


def test_nodegroup_subnets_must_be_in_the_cluster_vpc(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        _, vpc, _, arn = cluster_in_moto(eks, ec2, iam)
        _, elsewhere = network(ec2, cidr="10.5.0.0/16")
        code, message = refused(
            eks.create_nodegroup, clusterName="demo", nodegroupName="ng", nodeRole=arn, subnets=elsewhere
        )
        assert (code, message) == (
            "InvalidParameterException",
            f"Specified subnets must belong to cluster's vpc {vpc}",
        )


def test_a_launch_template_version_update_rolls_the_group_when_the_update_completes(order):
    with freeze_time("2026-06-01 12:00:00") as clock, linked(order, timing="realistic"):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        clock.tick(3600)
        template = ec2.create_launch_template(
            LaunchTemplateName="mine",
            LaunchTemplateData={"InstanceType": "c5.large", "ImageId": "ami-12c6146b"},
        )["LaunchTemplate"]["LaunchTemplateId"]
        ec2.create_launch_template_version(
            LaunchTemplateId=template,
            LaunchTemplateData={"InstanceType": "c5.xlarge", "ImageId": "ami-12c6146b"},
        )
        nodegroup(eks, subnets, arn, launchTemplate={"id": template, "version": "1"}, instanceTypes=[])
        clock.tick(3600)
        group_name = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]["resources"][
            "autoScalingGroups"
        ][0]["name"]

        def group():
            return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
                "AutoScalingGroups"
            ][0]

        def types(instance_ids):
            reservations = ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]
            return {(i["InstanceType"], i["State"]["Name"]) for r in reservations for i in r["Instances"]}

        before = [i["InstanceId"] for i in group()["Instances"]]
        assert group()["LaunchTemplate"]["Version"] == "1" and types(before) == {("c5.large", "running")}

        update = eks.update_nodegroup_version(
            clusterName="demo", nodegroupName="ng", launchTemplate={"id": template, "version": "2"}
        )["update"]
        assert group()["LaunchTemplate"]["Version"] == "1"  # still in progress
        clock.tick(3600)
        assert (
            eks.describe_update(name="demo", nodegroupName="ng", updateId=update["id"])["update"]["status"]
            == "Successful"
        )
        now = group()
        assert now["LaunchTemplate"] == {
            "LaunchTemplateId": template,
            "LaunchTemplateName": "mine",
            "Version": "2",
        }
        # EKS rolled the nodes: as many new ones of the new version, the old ones terminated
        after = [i["InstanceId"] for i in now["Instances"]]
        assert len(after) == len(before) == 2 and not set(after) & set(before)
        assert types(after) == {("c5.xlarge", "running")}
        assert types(before) == {("c5.large", "terminated")}
        described = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]
        assert described["launchTemplate"]["version"] == "2"


def test_a_template_deleted_from_moto_before_the_update_completes_leaves_the_group_alone(order):
    with freeze_time("2026-06-01 12:00:00") as clock, linked(order, timing="realistic"):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        clock.tick(3600)
        data = {"InstanceType": "c5.large", "ImageId": "ami-12c6146b"}
        template = ec2.create_launch_template(LaunchTemplateName="mine", LaunchTemplateData=data)[
            "LaunchTemplate"
        ]["LaunchTemplateId"]
        ec2.create_launch_template_version(LaunchTemplateId=template, LaunchTemplateData=data)
        nodegroup(eks, subnets, arn, launchTemplate={"id": template, "version": "1"}, instanceTypes=[])
        clock.tick(3600)
        created = eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]
        update = eks.update_nodegroup_version(
            clusterName="demo", nodegroupName="ng", launchTemplate={"id": template, "version": "2"}
        )["update"]
        ec2.delete_launch_template(LaunchTemplateId=template)
        clock.tick(3600)
        assert (
            eks.describe_update(name="demo", nodegroupName="ng", updateId=update["id"])["update"]["status"]
            == "Successful"
        )
        group_name = created["resources"]["autoScalingGroups"][0]["name"]
        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
            "AutoScalingGroups"
        ][0]
        assert len(group["Instances"]) == 2


def test_a_version_update_rolls_the_group_onto_a_new_version_of_eks_own_template(order):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    old, new = next(
        (v, versions.next_minor(v))
        for v in versions.available_versions(now.timestamp())
        if versions.next_minor(v) and versions.available(versions.next_minor(v), now.timestamp())
    )
    with freeze_time(now), linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        _, subnets = network(ec2)
        arn = role(iam)
        eks.create_cluster(name="demo", version=old, roleArn=arn, resourcesVpcConfig={"subnetIds": subnets})
        group_name = nodegroup(eks, subnets, arn)["resources"]["autoScalingGroups"][0]["name"]

        def group():
            return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
                "AutoScalingGroups"
            ][0]

        before = group()
        assert before["LaunchTemplate"]["Version"] == "1"
        eks.update_cluster_version(name="demo", version=new)
        eks.update_nodegroup_version(clusterName="demo", nodegroupName="ng")
        assert eks.describe_nodegroup(clusterName="demo", nodegroupName="ng")["nodegroup"]["version"] == new
        after = group()
        template = before["LaunchTemplate"]["LaunchTemplateId"]
        assert (
            after["LaunchTemplate"]["LaunchTemplateId"] == template
            and after["LaunchTemplate"]["Version"] == "2"
        )
        versions_made = ec2.describe_launch_template_versions(LaunchTemplateId=template)[
            "LaunchTemplateVersions"
        ]
        assert sorted(v["VersionNumber"] for v in versions_made) == [1, 2]
        old_ids = {i["InstanceId"] for i in before["Instances"]}
        assert len(after["Instances"]) == 2 and not old_ids & {i["InstanceId"] for i in after["Instances"]}


def test_nodegroup_subnets_partly_known_to_moto_use_the_known_ones(order):
    made_up = "subnet-0123456789abcdef0"
    with linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        _, vpc, subnets, arn = cluster_in_moto(eks, ec2, iam)
        created = nodegroup(eks, [subnets[0], made_up], arn)
        assert created["subnets"] == [subnets[0], made_up]
        group_name = created["resources"]["autoScalingGroups"][0]["name"]
        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
            "AutoScalingGroups"
        ][0]
        assert group["VPCZoneIdentifier"] == subnets[0]
        assert {i["AvailabilityZone"] for i in group["Instances"]} == {f"{REGION}a"}
        # the known ones are still checked: a subnet of another VPC is refused beside a made-up one
        _, elsewhere = network(ec2, cidr="10.5.0.0/16")
        code, message = refused(
            eks.create_nodegroup,
            clusterName="demo",
            nodegroupName="ng2",
            nodeRole=arn,
            subnets=[made_up, elsewhere[0]],
        )
        assert (code, message) == (
            "InvalidParameterException",
            f"Specified subnets must belong to cluster's vpc {vpc}",
        )


# ---- Fargate, KMS, roles


def test_fargate_subnets_must_be_private(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        _, vpc, private, arn = cluster_in_moto(eks, ec2, iam)
        _, public = network(ec2, cidr="10.7.0.0/16", public=True)
        profile = {"clusterName": "demo", "podExecutionRoleArn": arn, "selectors": [{"namespace": "default"}]}
        code, message = refused(eks.create_fargate_profile, fargateProfileName="p", subnets=public, **profile)
        assert code == "InvalidParameterException"
        assert message == f"Subnet {public[0]} provided in Fargate Profile is not a private subnet"
        created = eks.create_fargate_profile(fargateProfileName="p", subnets=private, **profile)
        assert created["fargateProfile"]["subnets"] == private


def make_public(ec2, vpc, subnets):
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)


def test_a_fargate_profile_without_subnets_takes_the_clusters_private_ones(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        vpc, subnets = network(ec2, azs=("a", "b", "c", "d"))
        make_public(ec2, vpc, subnets[2:])
        arn = role(iam)
        eks.create_cluster(name="demo", roleArn=arn, resourcesVpcConfig={"subnetIds": subnets})
        profile = {"clusterName": "demo", "podExecutionRoleArn": arn, "selectors": [{"namespace": "default"}]}
        created = eks.create_fargate_profile(fargateProfileName="p", **profile)["fargateProfile"]
        assert created["subnets"] == subnets[:2]

        # a cluster with public subnets only leaves the profile none to use
        public_vpc, public = network(ec2, cidr="10.9.0.0/16", public=True)
        eks.create_cluster(name="public", roleArn=arn, resourcesVpcConfig={"subnetIds": public})
        code, message = refused(
            eks.create_fargate_profile, fargateProfileName="p", **{**profile, "clusterName": "public"}
        )
        assert code == "InvalidParameterException"
        assert message == f"Subnet {public[0]} provided in Fargate Profile is not a private subnet"


def test_strict_refuses_roles_whose_trust_policy_does_not_trust_the_eks_service(order):
    wrong = {"services": ("lambda.amazonaws.com",)}
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, subnets = network(ec2)
        cluster_role = role(iam, "cluster", **wrong)
        code, message = refused(
            eks.create_cluster, name="c", roleArn=cluster_role, resourcesVpcConfig={"subnetIds": subnets}
        )
        assert (code, message) == (
            "InvalidParameterException",
            f"Role with arn: {cluster_role}, could not be assumed because it does not exist or the trusted "
            "entity is not correct",
        )
        eks.create_cluster(
            name="demo",
            roleArn=role(iam, "good", services=("eks.amazonaws.com",)),
            resourcesVpcConfig={"subnetIds": subnets},
        )
        # each role is checked for its own service: a cluster role is no node role
        node_role = role(iam, "node", services=("eks.amazonaws.com",))
        code, message = refused(
            eks.create_nodegroup, clusterName="demo", nodegroupName="ng", nodeRole=node_role, subnets=subnets
        )
        assert (code, message) == (
            "InvalidParameterException",
            "Following required service principals [ec2.amazonaws.com] were not found in the trust "
            f"relationships of nodeRole {node_role}",
        )
        code, message = refused(
            eks.create_fargate_profile,
            clusterName="demo",
            fargateProfileName="p",
            podExecutionRoleArn=role(iam, "pods", services=("ec2.amazonaws.com",)),
            selectors=[{"namespace": "x"}],
        )
        assert (code, message) == (
            "InvalidParameterException",
            "Misconfigured PodExecutionRole Trust Policy; Please add the eks-fargate-pods.amazonaws.com "
            "Service Principal",
        )
        invalid = "Trust policy of the role provided is invalid. Follow the official documentation to resolve the issue."
        # pod identity needs sts:TagSession as well as sts:AssumeRole
        untagged = role(iam, "untagged", services=("pods.eks.amazonaws.com",), actions=("sts:AssumeRole",))
        code, message = refused(
            eks.create_pod_identity_association,
            clusterName="demo",
            namespace="x",
            serviceAccount="sa",
            roleArn=untagged,
        )
        assert (code, message) == ("InvalidParameterException", invalid)
        code, message = refused(
            eks.create_addon,
            clusterName="demo",
            addonName="vpc-cni",
            podIdentityAssociations=[{"serviceAccount": "aws-node", "roleArn": role(iam, "lambda", **wrong)}],
        )
        assert (code, message) == ("InvalidParameterException", invalid)

        # roles that trust their service are accepted, with wildcards and single statements too
        eks.create_nodegroup(
            clusterName="demo",
            nodegroupName="ng",
            nodeRole=role(iam, "node-ok", services=("ec2.amazonaws.com",), actions=("sts:*",)),
            subnets=subnets,
        )
        single = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": {
                    "Effect": "Allow",
                    "Principal": {"Service": "pods.eks.amazonaws.com"},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                },
            }
        )
        pods = iam.create_role(RoleName="pods-ok", AssumeRolePolicyDocument=single)["Role"]["Arn"]
        eks.create_pod_identity_association(
            clusterName="demo", namespace="x", serviceAccount="sa", roleArn=pods
        )


def test_link_mode_leaves_trust_policies_alone(order):
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        _, subnets = network(ec2)
        nobody = role(iam, "nobody", services=())
        cluster = eks.create_cluster(name="demo", roleArn=nobody, resourcesVpcConfig={"subnetIds": subnets})
        assert cluster["cluster"]["roleArn"] == nobody


def test_kms_aliases_resolve_to_the_moto_key(order):
    with linked(order):
        eks, ec2, iam, _, kms = clients()
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/eks-secrets", TargetKeyId=key["KeyId"])
        _, subnets = network(ec2)
        for name, given in (
            ("by-name", "alias/eks-secrets"),
            ("by-arn", key["Arn"].replace(f"key/{key['KeyId']}", "alias/eks-secrets")),
        ):
            cluster = eks.create_cluster(
                name=name,
                roleArn=role(iam, name),
                resourcesVpcConfig={"subnetIds": subnets},
                encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": given}}],
            )["cluster"]
            assert cluster["encryptionConfig"][0]["provider"]["keyArn"] == key["Arn"]


def test_strict_refuses_unknown_kms_keys(order):
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, subnets = network(ec2)
        code, message = refused(
            eks.create_cluster,
            name="c",
            roleArn=role(iam),
            resourcesVpcConfig={"subnetIds": subnets},
            encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": "alias/none"}}],
        )
        assert code == "InvalidParameterException" and "keyArn" in message


def test_strict_words_an_unknown_key_arn_as_not_found(order):
    # cloud-custodian/cloud-custodian placebo test_eks_associate_encryption_config_invalid_kms_key (recorded
    # 2023-04-12): a key ARN naming no key is InvalidParameterException 400
    # "The KeyArn in encryptionConfig provider <arn> is not found."
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, subnets = network(ec2)
        eks.create_cluster(name="c", roleArn=role(iam), resourcesVpcConfig={"subnetIds": subnets})
        missing = "arn:aws:kms:us-east-1:123456789012:key/123"
        code, message = refused(
            eks.associate_encryption_config,
            clusterName="c",
            encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": missing}}],
        )
        assert (code, message) == (
            "InvalidParameterException",
            f"The KeyArn in encryptionConfig provider {missing} is not found.",
        )


def test_strict_refuses_unknown_pod_execution_pod_identity_and_addon_roles(order):
    with linked(order, moto="strict"):
        eks, ec2, iam, _, _ = clients()
        _, _, _, arn = cluster_in_moto(eks, ec2, iam)
        missing = "arn:aws:iam::123456789012:role/absent"
        calls = [
            (
                eks.create_fargate_profile,
                {
                    "fargateProfileName": "p",
                    "podExecutionRoleArn": missing,
                    "selectors": [{"namespace": "x"}],
                },
            ),
            (
                eks.create_pod_identity_association,
                {"namespace": "x", "serviceAccount": "sa", "roleArn": missing},
            ),
            (eks.create_addon, {"addonName": "vpc-cni", "serviceAccountRoleArn": missing}),
        ]
        for call, params in calls:
            code, message = refused(call, clusterName="demo", **params)
            assert code == "InvalidParameterException" and missing in message, call
        # the same calls with a role moto has are fine
        eks.create_pod_identity_association(
            clusterName="demo", namespace="x", serviceAccount="sa", roleArn=arn
        )


# ---- accounts and isolation


def test_moto_account_id_names_one_account_for_both(order, monkeypatch):
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        cluster, vpc, _, _ = cluster_in_moto(eks, ec2, iam)
        assert cluster["arn"].split(":")[4] == "111122223333"
        assert cluster["resourcesVpcConfig"]["vpcId"] == vpc


def test_a_twelve_digit_access_key_follows_moto_while_linked(order, monkeypatch):
    # unlinked, mock_eks reads a 12-digit access key as the account; moto does not: linked, moto's rule wins
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "444455556666")
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        cluster, vpc, _, _ = cluster_in_moto(eks, ec2, iam)
        assert cluster["arn"].split(":")[4] == iam.get_role(RoleName="eks-role")["Role"]["Arn"].split(":")[4]
        assert cluster["resourcesVpcConfig"]["vpcId"] == vpc


def test_nothing_the_link_made_outlives_mock_eks(order):
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        autoscaling = boto3.client("autoscaling", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        with mock_eks:
            eks = boto3.client("eks", region_name=REGION)
            _, vpc, subnets, arn = cluster_in_moto(eks, ec2, iam)
            nodegroup(eks, subnets, arn)
            assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
        # mock_eks ended while moto goes on: the EKS-made group, template and security group are gone
        assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
        assert ec2.describe_launch_templates()["LaunchTemplates"] == []
        names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
        assert not any(n.startswith("eks-") for n in names)
        assert ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]  # what the test made with moto stays


def test_a_snapshot_keeps_what_the_link_made_in_moto(order):
    with linked(order) as m:
        eks, ec2, iam, autoscaling, _ = clients()
        empty = m.snapshot()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        group_name = nodegroup(eks, subnets, arn)["resources"]["autoScalingGroups"][0]["name"]
        snapshot = json.loads(json.dumps(m.snapshot()))
        kinds = sorted(entry[0] for entry in snapshot["moto_link"])
        assert kinds == ["asg", "lt", "sg"]

        def groups():
            return [
                g["AutoScalingGroupName"]
                for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
            ]

        # restoring the same state keeps moto's resources, and the restored state still owns them
        m.restore(snapshot)
        assert groups() == [group_name]
        eks.update_nodegroup_config(
            clusterName="demo",
            nodegroupName="ng",
            scalingConfig={"minSize": 1, "maxSize": 4, "desiredSize": 3},
        )
        eks.list_clusters()
        assert len(autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"][0]["Instances"]) == 3
        eks.delete_nodegroup(clusterName="demo", nodegroupName="ng")
        eks.list_nodegroups(clusterName="demo")
        assert groups() == [] and ec2.describe_launch_templates()["LaunchTemplates"] == []

        # restoring a state from before the cluster removes what the replaced state made in moto
        m.restore(snapshot)
        m.restore(empty)
        assert eks.list_clusters()["clusters"] == []
        names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
        assert not any(n.startswith("eks-cluster-sg-") for n in names)


def test_what_a_restored_state_made_in_moto_ends_with_the_activation():
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        with mock_eks as m:
            eks = boto3.client("eks", region_name=REGION)
            cluster = cluster_in_moto(eks, ec2, iam)[0]
            group = cluster["resourcesVpcConfig"]["clusterSecurityGroupId"]
            m.restore(m.snapshot())
        # moto goes on; the cluster security group the restored state owned went with mock_eks
        assert (
            ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroups"]
            == []
        )


def test_reset_releases_what_the_link_made(order):
    with linked(order):
        eks, ec2, iam, autoscaling, _ = clients()
        _, _, subnets, arn = cluster_in_moto(eks, ec2, iam)
        nodegroup(eks, subnets, arn)
        mock_eks.reset()
        assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
        assert eks.list_clusters()["clusters"] == []


def test_moto_installed_but_inactive_changes_nothing(eks_client):
    cluster = eks_client.create_cluster(
        name="c",
        roleArn="arn:aws:iam::123456789012:role/r",
        resourcesVpcConfig={"subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]},
    )["cluster"]
    assert cluster["resourcesVpcConfig"]["vpcId"].startswith("vpc-")


def test_importing_mock_eks_does_not_import_moto():
    code = (
        "import sys, boto3, mock_eks\n"
        "with mock_eks.mock_eks:\n"
        "    boto3.client('eks', region_name='us-east-1').list_clusters()\n"
        "assert not any(m == 'moto' or m.startswith('moto.') for m in sys.modules), 'moto imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="moto must be one of"):
        mock_eks(moto="sometimes")


def test_the_readme_example_works_as_written():
    import pathlib
    import re

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## One account with moto", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # noqa: S102 - our own README
    namespace["test_node_group_instances"]()


def test_the_server_serves_moto_and_links_eks_to_it():
    pytest.importorskip("flask")  # moto's server application (moto[server])
    from mock_eks.server import MockEKSServer

    with MockEKSServer(moto="link") as server:
        keys = {"aws_access_key_id": "AKIAEXAMPLE00000000", "aws_secret_access_key": "secret"}
        session = boto3.Session(region_name=REGION, **keys)
        eks, ec2, iam, autoscaling = (
            session.client(name, endpoint_url=server.url) for name in ("eks", "ec2", "iam", "autoscaling")
        )
        cluster, vpc, subnets, arn = cluster_in_moto(eks, ec2, iam)
        assert cluster["resourcesVpcConfig"]["vpcId"] == vpc
        group_name = nodegroup(eks, subnets, arn)["resources"]["autoScalingGroups"][0]["name"]
        groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])
        assert groups["AutoScalingGroups"][0]["DesiredCapacity"] == 2
        # server mode keeps mock_eks's account rule (a 12-digit key id), and moto is told the same account
        other = boto3.Session(region_name=REGION, aws_access_key_id="444455556666", aws_secret_access_key="s")
        ec2_other = other.client("ec2", endpoint_url=server.url)
        eks_other = other.client("eks", endpoint_url=server.url)
        iam_other = other.client("iam", endpoint_url=server.url)
        assert vpc not in [v["VpcId"] for v in ec2_other.describe_vpcs()["Vpcs"]]
        cluster, vpc_other, _, _ = cluster_in_moto(eks_other, ec2_other, iam_other, name="other")
        assert cluster["arn"].split(":")[4] == "444455556666"
        assert cluster["resourcesVpcConfig"]["vpcId"] == vpc_other


def test_the_server_with_moto_off_serves_eks_alone():
    from mock_eks.server import MockEKSServer

    with MockEKSServer(moto="off") as server:
        ec2 = boto3.client(
            "ec2",
            endpoint_url=server.url,
            region_name=REGION,
            aws_access_key_id="AKIAEXAMPLE00000000",
            aws_secret_access_key="secret",
        )
        with pytest.raises(Exception):  # noqa: B017 - mock_eks's JSON 404 is no EC2 answer
            ec2.describe_vpcs()


def test_serve_takes_a_moto_option():
    from mock_eks import cli

    with pytest.raises(SystemExit):
        cli.main(["serve", "--moto", "sometimes"])


def test_the_demo_shows_the_link():
    import io

    from mock_eks import demo

    out = io.StringIO()
    assert demo.run(out, instant=True) == 0
    text = out.getvalue().split("=== One account with moto", 1)[1].split("\n=== ", 1)[0]
    assert '"vpcId": "vpc-' in text and '"clusterSecurityGroupId": "sg-' in text
    assert '"desired": 2, "instances": 2' in text
    assert text.count('"m5.large", "running"') == 2
    assert "linked node group deletion: deleted" in text and "linked cluster deletion: deleted" in text


def test_subnets_in_two_vpcs_are_refused(order):
    # awsdocs/amazon-eks-user-guide cluster health issue table: "Subnets specified must belong to the same VPC"
    with linked(order):
        eks, ec2, iam, _, _ = clients()
        _, first = network(ec2)
        _, second = network(ec2, cidr="10.1.0.0/16")
        code, message = refused(
            eks.create_cluster,
            name="c",
            roleArn=role(iam),
            resourcesVpcConfig={"subnetIds": [first[0], second[0]]},
        )
        assert (code, message) == (
            "InvalidParameterException",
            "Subnets specified must belong to the same VPC",
        )
