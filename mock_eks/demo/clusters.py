"""Demo: a cluster from CREATING to ACTIVE, a version update, and (last) its deletion."""

from __future__ import annotations

import time
from typing import Any

from mock_eks.catalogue import versions

TITLE = "Clusters: create, wait for ACTIVE, upgrade the Kubernetes version"


def _status(demo: Any) -> str:
    return demo.eks.describe_cluster(name=demo.cluster)["cluster"]["status"]


def run(demo: Any) -> None:
    version = versions.default_version(time.time())
    demo.call(
        demo.eks,
        "create_cluster",
        show=lambda r: {k: r["cluster"].get(k) for k in ("name", "status", "version", "platformVersion")},
        name=demo.cluster,
        version=version,
        roleArn="arn:aws:iam::123456789012:role/eks-cluster-role",
        resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]},
        tags={"team": "platform"},
    )
    demo.wait("cluster", lambda: _status(demo), lambda s: s == "ACTIVE")
    demo.call(
        demo.eks,
        "describe_cluster",
        show=lambda r: {
            "endpoint": r["cluster"]["endpoint"],
            "oidc": r["cluster"]["identity"]["oidc"]["issuer"],
            "certificateAuthority.data": r["cluster"]["certificateAuthority"]["data"][:32] + "...",
        },
        name=demo.cluster,
    )
    target = versions.next_minor(version)
    if target is None or not versions.available(target, time.time()):
        return
    update = demo.call(
        demo.eks,
        "update_cluster_version",
        show=lambda r: {k: r["update"][k] for k in ("id", "type", "status")},
        name=demo.cluster,
        version=target,
    )["update"]
    demo.wait(
        "version update",
        lambda: demo.eks.describe_update(name=demo.cluster, updateId=update["id"])["update"]["status"],
        lambda s: s == "Successful",
    )
    demo.call(
        demo.eks,
        "describe_cluster",
        show=lambda r: {k: r["cluster"][k] for k in ("status", "version", "platformVersion")},
        name=demo.cluster,
    )


def teardown(demo: Any) -> None:
    """Delete the demo cluster (run after every other section)."""
    demo.call(demo.eks, "delete_cluster", show=lambda r: r["cluster"]["status"], name=demo.cluster)

    def gone() -> str:
        names = demo.eks.list_clusters()["clusters"]
        return "DELETING" if demo.cluster in names else "deleted"

    demo.wait("cluster deletion", gone, lambda s: s == "deleted")
