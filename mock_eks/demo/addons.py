"""Demo: the Kubernetes version catalogue, the add-on catalogue, and an add-on with configuration values."""

from __future__ import annotations

import json
from typing import Any

TITLE = "Versions and add-ons: the catalogues, then CoreDNS with configuration values"


def _addon_status(demo: Any, name: str) -> str:
    return demo.eks.describe_addon(clusterName=demo.cluster, addonName=name)["addon"]["status"]


def run(demo: Any) -> None:
    demo.call(
        demo.eks,
        "describe_cluster_versions",
        show=lambda r: [
            f"{v['clusterVersion']} {v['versionStatus']}{' (default)' if v['defaultVersion'] else ''}"
            for v in r["clusterVersions"]
        ],
    )
    version = demo.eks.describe_cluster(name=demo.cluster)["cluster"]["version"]
    versions = demo.call(
        demo.eks,
        "describe_addon_versions",
        show=lambda r: {a["addonName"]: a["addonVersions"][0]["addonVersion"] for a in r["addons"]},
        kubernetesVersion=version,
        types=["networking"],
    )
    coredns = next(a for a in versions["addons"] if a["addonName"] == "coredns")
    default = next(
        v["addonVersion"] for v in coredns["addonVersions"] if v["compatibilities"][0]["defaultVersion"]
    )
    demo.call(
        demo.eks,
        "describe_addon_configuration",
        show=lambda r: {
            "settings": sorted(json.loads(r["configurationSchema"])["properties"]),
        },
        addonName="coredns",
        addonVersion=default,
    )
    demo.call(
        demo.eks,
        "create_addon",
        show=lambda r: {
            k: r["addon"][k] for k in ("addonName", "addonVersion", "status", "configurationValues")
        },
        clusterName=demo.cluster,
        addonName="coredns",
        configurationValues="replicaCount: 3\nresources:\n  limits:\n    memory: 256Mi\n",
        resolveConflicts="OVERWRITE",
    )
    demo.wait("coredns", lambda: _addon_status(demo, "coredns"), lambda s: s == "ACTIVE")
    try:
        demo.call(
            demo.eks,
            "update_addon",
            clusterName=demo.cluster,
            addonName="coredns",
            configurationValues='{"replicaCount": "many"}',
        )
    except demo.eks.exceptions.InvalidParameterException as error:
        demo.say(f"    -> rejected as expected: {error.response['Error']['Message'][:110]}...")
    demo.call(
        demo.eks,
        "create_addon",
        show=lambda r: {
            k: r["addon"][k] for k in ("addonName", "addonVersion", "status", "podIdentityAssociations")
        },
        clusterName=demo.cluster,
        addonName="vpc-cni",
        podIdentityAssociations=[
            {"serviceAccount": "aws-node", "roleArn": "arn:aws:iam::123456789012:role/vpc-cni-pod-identity"}
        ],
    )
    demo.wait("vpc-cni", lambda: _addon_status(demo, "vpc-cni"), lambda s: s == "ACTIVE")
    demo.call(demo.eks, "list_addons", show=lambda r: r["addons"], clusterName=demo.cluster)


def teardown(demo: Any) -> None:
    for name in ("vpc-cni", "coredns"):
        demo.call(
            demo.eks,
            "delete_addon",
            show=lambda r: r["addon"]["status"],
            clusterName=demo.cluster,
            addonName=name,
        )
    demo.wait(
        "add-on deletion",
        lambda: ",".join(demo.eks.list_addons(clusterName=demo.cluster)["addons"]) or "deleted",
        lambda s: s == "deleted",
    )
