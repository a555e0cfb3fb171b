"""Demo: a managed node group (create, scale through an update) and a Fargate profile; both removed at the end."""

from __future__ import annotations

from typing import Any

TITLE = "Compute: a managed node group and a Fargate profile"

NODEGROUP = "demo-nodes"
PROFILE = "demo-fargate"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


def _nodegroup_status(demo: Any) -> str:
    return demo.eks.describe_nodegroup(clusterName=demo.cluster, nodegroupName=NODEGROUP)["nodegroup"][
        "status"
    ]


def _profile_status(demo: Any) -> str:
    response = demo.eks.describe_fargate_profile(clusterName=demo.cluster, fargateProfileName=PROFILE)
    return response["fargateProfile"]["status"]


def run(demo: Any) -> None:
    demo.call(
        demo.eks,
        "create_nodegroup",
        show=lambda r: {
            k: r["nodegroup"].get(k)
            for k in (
                "nodegroupName",
                "status",
                "version",
                "releaseVersion",
                "amiType",
                "instanceTypes",
                "scalingConfig",
            )
        },
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
        nodeRole="arn:aws:iam::123456789012:role/eks-node-role",
        subnets=SUBNETS,
        labels={"workload": "general"},
        tags={"team": "platform"},
    )
    demo.wait("node group", lambda: _nodegroup_status(demo), lambda s: s == "ACTIVE")
    update = demo.call(
        demo.eks,
        "update_nodegroup_config",
        show=lambda r: {k: r["update"][k] for k in ("type", "status", "params")},
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
        scalingConfig={"minSize": 2, "maxSize": 5, "desiredSize": 3},
    )["update"]
    demo.wait(
        "node group scaling",
        lambda: demo.eks.describe_update(name=demo.cluster, updateId=update["id"], nodegroupName=NODEGROUP)[
            "update"
        ]["status"],
        lambda s: s == "Successful",
    )
    demo.call(
        demo.eks,
        "describe_nodegroup",
        show=lambda r: {k: r["nodegroup"][k] for k in ("status", "scalingConfig", "resources")},
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
    )
    demo.call(
        demo.eks,
        "create_fargate_profile",
        show=lambda r: {
            k: r["fargateProfile"].get(k) for k in ("fargateProfileName", "status", "selectors", "subnets")
        },
        clusterName=demo.cluster,
        fargateProfileName=PROFILE,
        podExecutionRoleArn="arn:aws:iam::123456789012:role/AmazonEKSPodExecutionRole",
        selectors=[{"namespace": "batch", "labels": {"compute": "fargate"}}],
    )
    demo.wait("Fargate profile", lambda: _profile_status(demo), lambda s: s == "ACTIVE")
    try:
        demo.call(demo.eks, "delete_cluster", name=demo.cluster)
    except demo.eks.exceptions.ResourceInUseException as error:
        demo.say(f"    -> refused, as EKS does: {error.response['Error']['Message']}")


def teardown(demo: Any) -> None:
    """Remove the node group and the Fargate profile, so the cluster can be deleted."""
    demo.call(
        demo.eks,
        "delete_fargate_profile",
        show=lambda r: r["fargateProfile"]["status"],
        clusterName=demo.cluster,
        fargateProfileName=PROFILE,
    )
    demo.call(
        demo.eks,
        "delete_nodegroup",
        show=lambda r: r["nodegroup"]["status"],
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
    )

    def remaining() -> str:
        groups = demo.eks.list_nodegroups(clusterName=demo.cluster)["nodegroups"]
        profiles = demo.eks.list_fargate_profiles(clusterName=demo.cluster)["fargateProfileNames"]
        return "DELETING" if groups or profiles else "deleted"

    demo.wait("node group and Fargate profile deletion", remaining, lambda s: s == "deleted")
