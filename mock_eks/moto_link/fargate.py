"""Fargate profiles: their subnets, where moto knows them, must be private."""

from __future__ import annotations

from typing import Any

from mock_eks.moto_link import ec2, link_for, refuse


def check_subnets(ctx: Any, subnets: list[str], profile_name: str) -> None:
    """CreateFargateProfile: no route to an internet gateway from any subnet moto knows."""
    link = link_for(ctx)
    if link is None or not subnets:
        return
    known, unknown = ec2.subnets(link, subnets)
    if unknown and link.strict:
        raise refuse(ctx, "link.subnet_not_found", subnet=unknown[0], fargateProfileName=profile_name)
    for subnet_id, subnet in known.items():
        if ec2.is_public(link, subnet):
            raise refuse(ctx, "link.fargate_public_subnet", subnet=subnet_id, fargateProfileName=profile_name)
