"""Demo: insights, a capability, certificate authority rotation, a connected cluster, EKS Anywhere."""

from __future__ import annotations

from typing import Any

TITLE = "Insights, capabilities, CA rotation, connected clusters, EKS Anywhere subscriptions"

CAPABILITY_ROLE = "arn:aws:iam::123456789012:role/eks-capability-role"
CONNECTOR_ROLE = "arn:aws:iam::123456789012:role/eks-connector-role"


def _insights(response: dict) -> list:
    return [(i["name"], i["kubernetesVersion"], i["insightStatus"]["status"]) for i in response["insights"]]


def run(demo: Any) -> None:
    eks, cluster = demo.eks, demo.cluster
    # insights: upgrade readiness for the next Kubernetes version, derived from the cluster's state
    demo.call(eks, "list_insights", show=_insights, clusterName=cluster)
    demo.call(eks, "start_insights_refresh", clusterName=cluster)
    demo.wait(
        "insights refresh",
        lambda: eks.describe_insights_refresh(clusterName=cluster)["status"],
        lambda s: s != "IN_PROGRESS",
    )
    demo.call(
        eks, "list_insights", show=_insights, clusterName=cluster, filter={"statuses": ["ERROR", "WARNING"]}
    )

    # a managed capability (KRO needs no configuration)
    demo.call(
        eks,
        "create_capability",
        show=lambda r: {k: r["capability"][k] for k in ("capabilityName", "type", "status", "version")},
        clusterName=cluster,
        capabilityName="kro",
        type="KRO",
        roleArn=CAPABILITY_ROLE,
        deletePropagationPolicy="RETAIN",
    )
    demo.wait(
        "capability",
        lambda: eks.describe_capability(clusterName=cluster, capabilityName="kro")["capability"]["status"],
        lambda s: s == "ACTIVE",
    )

    # certificate authority rotation: append a successor, wait for distribution, activate it
    demo.call(
        eks,
        "list_certificate_authorities",
        show=lambda r: [(c["createdBy"], c["signingStatus"]) for c in r["certificateAuthorities"]],
        clusterName=cluster,
    )
    successor = demo.call(
        eks,
        "create_certificate_authority",
        show=lambda r: r["certificateAuthority"],
        clusterName=cluster,
    )["certificateAuthority"]["id"]

    def ca_status(field: str) -> str:
        return eks.describe_certificate_authority(clusterName=cluster, certificateAuthorityId=successor)[
            "certificateAuthority"
        ][field]

    demo.wait("successor distribution", lambda: ca_status("distributionStatus"), lambda s: s == "COMPLETE")
    demo.call(
        eks,
        "activate_certificate_authority",
        show=lambda r: r["certificateAuthority"]["signingStatus"],
        clusterName=cluster,
        certificateAuthorityId=successor,
    )
    demo.wait("activation", lambda: ca_status("signingStatus"), lambda s: s == "IN_USE")

    # a connected (registered) cluster: PENDING until its manifest is applied
    demo.call(
        eks,
        "register_cluster",
        show=lambda r: {"status": r["cluster"]["status"], **r["cluster"]["connectorConfig"]},
        name="on-prem",
        connectorConfig={"roleArn": CONNECTOR_ROLE, "provider": "EKS_ANYWHERE"},
    )
    demo.call(eks, "list_clusters", include=["all"])

    # an EKS Anywhere subscription
    demo.call(
        eks,
        "create_eks_anywhere_subscription",
        show=lambda r: {k: r["subscription"][k] for k in ("id", "status", "term", "licenseQuantity")},
        name="edge-sites",
        term={"duration": 12, "unit": "MONTHS"},
        licenseQuantity=2,
    )
    demo.call(
        eks,
        "list_eks_anywhere_subscriptions",
        show=lambda r: [(s["id"], s["status"], str(s["expirationDate"])) for s in r["subscriptions"]],
    )


def teardown(demo: Any) -> None:
    eks = demo.eks
    demo.call(
        eks,
        "delete_capability",
        show=lambda r: r["capability"]["status"],
        clusterName=demo.cluster,
        capabilityName="kro",
    )
    demo.call(eks, "deregister_cluster", show=lambda r: r["cluster"]["status"], name="on-prem")
    demo.wait(
        "deregistration",
        lambda: "DELETING" if "on-prem" in eks.list_clusters(include=["all"])["clusters"] else "gone",
        lambda s: s == "gone",
    )
