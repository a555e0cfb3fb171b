"""Demo: an injected failure. A node group that ends CREATE_FAILED with a health issue, as EKS reports it."""

from __future__ import annotations

from typing import Any

from mock_eks.mock import mock_eks

TITLE = "Failures: a node group that fails to create (m.faults)"

NODEGROUP = "demo-broken-nodes"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
MESSAGE = "Instances failed to join the kubernetes cluster"


def _status(demo: Any) -> str:
    # one call: a list then a describe raced the deletion finishing in between (ResourceNotFoundException)
    try:
        group = demo.eks.describe_nodegroup(clusterName=demo.cluster, nodegroupName=NODEGROUP)["nodegroup"]
    except demo.eks.exceptions.ResourceNotFoundException:
        return "deleted"
    return str(group["status"])


def run(demo: Any) -> None:
    demo.say(f'\nm.faults.fail_next("nodegroup.create", "NodeCreationFailure", message="{MESSAGE}")')
    mock_eks.faults.fail_next("nodegroup.create", "NodeCreationFailure", message=MESSAGE)
    demo.call(
        demo.eks,
        "create_nodegroup",
        show=lambda r: {k: r["nodegroup"][k] for k in ("nodegroupName", "status")},
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
        nodeRole="arn:aws:iam::123456789012:role/eks-node-role",
        subnets=SUBNETS,
    )
    demo.wait("node group", lambda: _status(demo), lambda s: s != "CREATING")
    demo.call(
        demo.eks,
        "describe_nodegroup",
        show=lambda r: {k: r["nodegroup"][k] for k in ("status", "health")},
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
    )
    demo.call(
        demo.eks,
        "delete_nodegroup",
        show=lambda r: r["nodegroup"]["status"],
        clusterName=demo.cluster,
        nodegroupName=NODEGROUP,
    )
    demo.wait("failed node group deletion", lambda: _status(demo), lambda s: s == "deleted")
