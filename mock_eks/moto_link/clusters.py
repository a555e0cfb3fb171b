"""Clusters in moto's EC2: subnets give the VPC, and EKS makes the cluster security group."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from mock_eks.model import messages
from mock_eks.moto_link import ec2, link_for

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

CLUSTER_SG_DESCRIPTION = (
    "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, "
    "as well as any managed workloads."
)


def create(ctx: Context, name: str, arn: str, vpc_config: dict[str, Any]) -> None:
    """CreateCluster: check ``vpc_config`` against moto's EC2 and, when its subnets are moto's,
    set the real ``vpcId`` and make the cluster security group. Changes ``vpc_config`` in place."""
    link = link_for(ctx)
    if link is None:
        return
    subnet_ids = vpc_config.get("subnetIds") or []
    known, unknown = ec2.checked_subnets(ctx, link, subnet_ids, clusterName=name)
    groups = vpc_config.get("securityGroupIds") or []
    found = {g: ec2.security_group(link, g) for g in groups}
    missing = [g for g, group in found.items() if group is None]
    if missing and link.strict:
        raise messages.error(ctx, "link.security_group_not_found", group=missing[0], clusterName=name)
    if unknown or not known:
        return  # made-up subnets: accepted as they always were ("link")
    vpcs = sorted({s.vpc_id for s in known.values()})
    if len(vpcs) > 1:
        raise messages.error(ctx, "link.subnets_one_vpc", vpcs=", ".join(vpcs), clusterName=name)
    vpc = vpcs[0]
    if len({s.availability_zone for s in known.values()}) < 2:
        raise messages.error(ctx, "cluster.subnets_two_azs", clusterName=name)
    outside = [g for g, group in found.items() if group is not None and group.vpc_id != vpc]
    if outside:
        raise messages.error(
            ctx, "link.security_groups_vpc", groups=", ".join(outside), vpc=vpc, clusterName=name
        )
    group = ec2.create_security_group(
        link,
        arn,
        f"eks-cluster-sg-{name}-{secrets.randbelow(9 * 10**9) + 10**9}",
        CLUSTER_SG_DESCRIPTION,
        vpc,
        {"aws:eks:cluster-name": name, f"kubernetes.io/cluster/{name}": "owned"},
    )
    # the control plane and the nodes talk freely inside the group
    ec2.allow_ingress(link, group, "-1", None, groups=[group.id])
    vpc_config["vpcId"] = vpc
    vpc_config["clusterSecurityGroupId"] = group.id
