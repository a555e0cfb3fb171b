"""Fargate profiles: their subnets, where moto knows them, must be private."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_eks.model import messages
from mock_eks.moto_link import ec2, link_for

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context


def check_subnets(ctx: Context, subnets: list[str], profile_name: str) -> None:
    """CreateFargateProfile: no route to an internet gateway from any subnet moto knows."""
    link = link_for(ctx)
    if link is None or not subnets:
        return
    known, _ = ec2.checked_subnets(ctx, link, subnets, fargateProfileName=profile_name)
    for subnet_id, subnet in known.items():
        if ec2.is_public(link, subnet):
            raise messages.error(
                ctx, "link.fargate_public_subnet", subnet=subnet_id, fargateProfileName=profile_name
            )


def inherited_subnets(ctx: Context, cluster_subnets: list[str], profile_name: str) -> list[str]:
    """CreateFargateProfile without ``subnets``: the cluster's subnets that are private.

    EKS launches Fargate pods only into private subnets, so of the cluster's subnets the profile keeps
    those moto does not show to be public (moto's private ones, and in ``"link"`` those it does not
    know); when that leaves none, the profile is refused as a public subnet given explicitly is
    (our reading: the Reference only says that only private subnets are accepted).
    """
    link = link_for(ctx)
    if link is None or not cluster_subnets:
        return cluster_subnets
    known, _ = ec2.checked_subnets(ctx, link, cluster_subnets, fargateProfileName=profile_name)
    public = [subnet_id for subnet_id, subnet in known.items() if ec2.is_public(link, subnet)]
    private = [subnet_id for subnet_id in cluster_subnets if subnet_id not in public]
    if not private:
        raise messages.error(
            ctx, "link.fargate_public_subnet", subnet=public[0], fargateProfileName=profile_name
        )
    return private
