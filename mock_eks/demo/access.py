"""Demo: an access entry with an access policy, and a pod identity exchange through EKS Auth."""

from __future__ import annotations

from typing import Any

from mock_eks.identity.tokens import make_service_account_token

TITLE = "Access: access entries and policies, EKS Pod Identity"

ACCOUNT = "123456789012"
DEVELOPER = f"arn:aws:iam::{ACCOUNT}:role/developer"
POD_ROLE = f"arn:aws:iam::{ACCOUNT}:role/checkout-s3-reader"


def _auth_mode(demo: Any) -> str:
    return demo.eks.describe_cluster(name=demo.cluster)["cluster"]["accessConfig"]["authenticationMode"]


def run(demo: Any) -> None:
    if _auth_mode(demo) == "CONFIG_MAP":
        update = demo.call(
            demo.eks,
            "update_cluster_config",
            show=lambda r: {k: r["update"][k] for k in ("type", "status", "params")},
            name=demo.cluster,
            accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"},
        )["update"]
        demo.wait(
            "authentication mode update",
            lambda: demo.eks.describe_update(name=demo.cluster, updateId=update["id"])["update"]["status"],
            lambda s: s == "Successful",
        )
    demo.call(demo.eks, "list_access_entries", show=lambda r: r["accessEntries"], clusterName=demo.cluster)
    demo.call(
        demo.eks,
        "create_access_entry",
        show=lambda r: {
            k: r["accessEntry"][k] for k in ("principalArn", "type", "username", "kubernetesGroups")
        },
        clusterName=demo.cluster,
        principalArn=DEVELOPER,
        kubernetesGroups=["developers"],
    )
    demo.call(
        demo.eks,
        "associate_access_policy",
        show=lambda r: r["associatedAccessPolicy"]["accessScope"],
        clusterName=demo.cluster,
        principalArn=DEVELOPER,
        policyArn="arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
        accessScope={"type": "namespace", "namespaces": ["shop", "team-*"]},
    )
    demo.call(
        demo.eks,
        "list_associated_access_policies",
        show=lambda r: [p["policyArn"].rsplit("/", 1)[1] for p in r["associatedAccessPolicies"]],
        clusterName=demo.cluster,
        principalArn=DEVELOPER,
    )
    association = demo.call(
        demo.eks,
        "create_pod_identity_association",
        show=lambda r: {
            k: r["association"][k] for k in ("associationId", "namespace", "serviceAccount", "roleArn")
        },
        clusterName=demo.cluster,
        namespace="shop",
        serviceAccount="checkout",
        roleArn=POD_ROLE,
    )["association"]
    token = make_service_account_token(demo.cluster, "shop", "checkout", pod_name="checkout-6c9f7b-x2kqp")
    demo.say(f"\n    (the pod's projected service account token: {token[:40]}...)")
    demo.call(
        demo.auth,
        "assume_role_for_pod_identity",
        show=lambda r: {
            "subject": r["subject"],
            "assumedRoleUser": r["assumedRoleUser"]["arn"],
            "accessKeyId": r["credentials"]["accessKeyId"],
            "expiration": r["credentials"]["expiration"],
        },
        clusterName=demo.cluster,
        token=token,
    )
    demo.call(
        demo.eks,
        "delete_pod_identity_association",
        show=lambda r: r["association"]["associationId"],
        clusterName=demo.cluster,
        associationId=association["associationId"],
    )
