"""Demo: one account with moto. VPC and role in moto, cluster and node group in mock_eks, then the
node group's Auto Scaling group and instances through moto's EC2 and Auto Scaling (skipped without moto)."""

from __future__ import annotations

from typing import Any

TITLE = "One account with moto: a node group's Auto Scaling group and instances"

CLUSTER = "demo-linked"
NODEGROUP = "workers"
REGION = "us-east-1"


def _status(demo: Any, nodegroup: bool = False) -> str:
    try:
        if nodegroup:
            return demo.eks.describe_nodegroup(clusterName=CLUSTER, nodegroupName=NODEGROUP)["nodegroup"][
                "status"
            ]
        return demo.eks.describe_cluster(name=CLUSTER)["cluster"]["status"]
    except demo.eks.exceptions.ResourceNotFoundException:
        return "deleted"


def run(demo: Any) -> None:
    try:
        from moto import mock_aws
    except ImportError:
        demo.say(
            '    (moto is not installed: `pip install "mock_eks[moto]"` shows EKS linked to moto\'s EC2 here)'
        )
        return
    with mock_aws():
        ec2, iam, autoscaling = (demo.client(service, REGION) for service in ("ec2", "iam", "autoscaling"))
        vpc = demo.call(ec2, "create_vpc", show=lambda r: r["Vpc"]["VpcId"], CidrBlock="10.0.0.0/16")["Vpc"][
            "VpcId"
        ]
        subnets = [
            demo.call(
                ec2,
                "create_subnet",
                show=lambda r: {k: r["Subnet"][k] for k in ("SubnetId", "AvailabilityZone")},
                VpcId=vpc,
                CidrBlock=f"10.0.{i}.0/24",
                AvailabilityZone=f"{REGION}{zone}",
            )["Subnet"]["SubnetId"]
            for i, zone in enumerate("ab")
        ]
        role = demo.call(
            iam,
            "create_role",
            show=lambda r: r["Role"]["Arn"],
            RoleName="demo-eks",
            AssumeRolePolicyDocument="{}",
        )["Role"]["Arn"]
        demo.say("    (the cluster takes the VPC of moto's subnets; EKS makes its security group in moto)")
        demo.call(
            demo.eks,
            "create_cluster",
            show=lambda r: {
                k: r["cluster"]["resourcesVpcConfig"][k] for k in ("vpcId", "clusterSecurityGroupId")
            },
            name=CLUSTER,
            roleArn=role,
            resourcesVpcConfig={"subnetIds": subnets},
        )
        demo.wait("linked cluster", lambda: _status(demo), lambda s: s == "ACTIVE")
        demo.call(
            demo.eks,
            "create_nodegroup",
            show=lambda r: {k: r["nodegroup"].get(k) for k in ("nodegroupName", "status", "scalingConfig")},
            clusterName=CLUSTER,
            nodegroupName=NODEGROUP,
            nodeRole=role,
            subnets=subnets,
            scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
            instanceTypes=["m5.large"],
        )
        demo.wait("linked node group", lambda: _status(demo, nodegroup=True), lambda s: s == "ACTIVE")
        group = demo.call(
            demo.eks,
            "describe_nodegroup",
            show=lambda r: r["nodegroup"]["resources"],
            clusterName=CLUSTER,
            nodegroupName=NODEGROUP,
        )["nodegroup"]["resources"]["autoScalingGroups"][0]["name"]
        demo.call(
            autoscaling,
            "describe_auto_scaling_groups",
            show=lambda r: [
                {
                    "name": g["AutoScalingGroupName"],
                    "desired": g["DesiredCapacity"],
                    "instances": len(g["Instances"]),
                }
                for g in r["AutoScalingGroups"]
            ],
            AutoScalingGroupNames=[group],
        )
        demo.call(
            ec2,
            "describe_instances",
            show=lambda r: [
                [i["InstanceId"], i["InstanceType"], i["State"]["Name"]]
                for res in r["Reservations"]
                for i in res["Instances"]
            ],
            Filters=[{"Name": "tag:eks:cluster-name", "Values": [CLUSTER]}],
        )
        demo.call(
            demo.eks,
            "delete_nodegroup",
            show=lambda r: r["nodegroup"]["status"],
            clusterName=CLUSTER,
            nodegroupName=NODEGROUP,
        )
        demo.wait(
            "linked node group deletion", lambda: _status(demo, nodegroup=True), lambda s: s == "deleted"
        )
        demo.call(
            autoscaling,
            "describe_auto_scaling_groups",
            show=lambda r: r["AutoScalingGroups"],
            AutoScalingGroupNames=[group],
        )
        demo.call(demo.eks, "delete_cluster", show=lambda r: r["cluster"]["status"], name=CLUSTER)
        demo.wait("linked cluster deletion", lambda: _status(demo), lambda s: s == "deleted")
