"""moto's EC2 as EKS sees it: subnets, security groups, launch templates, key pairs, routes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from mock_eks.model import messages
from mock_eks.moto_link.link import Link

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

log = logging.getLogger("mock_eks.moto_link")


def subnets(link: Link, ids: list[str]) -> tuple[dict[str, Any], list[str]]:
    """(moto's subnets by id, ids moto does not know)."""
    ec2 = link.ec2()
    known: dict[str, Any] = {}
    unknown: list[str] = []
    for subnet_id in ids:
        subnet = None
        if ec2 is not None:
            for by_id in ec2.subnets.values():
                subnet = by_id.get(subnet_id)
                if subnet is not None:
                    break
        if subnet is None:
            unknown.append(subnet_id)
        else:
            known[subnet_id] = subnet
    return known, unknown


def checked_subnets(
    ctx: Context, link: Link, ids: list[str], **fields: Any
) -> tuple[dict[str, Any], list[str]]:
    """``subnets``, refusing in ``"strict"`` the first id moto does not know (``fields``: the error's body)."""
    known, unknown = subnets(link, ids)
    if unknown and link.strict:
        raise messages.error(ctx, "link.subnet_not_found", subnet=unknown[0], **fields)
    return known, unknown


def security_group(link: Link, group_id: str) -> Any:
    ec2 = link.ec2()
    return None if ec2 is None else ec2.get_security_group_from_id(group_id)


def key_pair(link: Link, name: str) -> Any:
    ec2 = link.ec2()
    return None if ec2 is None else ec2.key_pairs.get(name)


def launch_template(link: Link, template_id: str | None, name: str | None) -> Any:
    ec2 = link.ec2()
    if ec2 is None:
        return None
    if template_id:
        return ec2.launch_templates.get(template_id)
    found = ec2.launch_template_name_to_ids.get(name)
    return None if found is None else ec2.launch_templates.get(found)


def is_public(link: Link, subnet: Any) -> bool:
    """A subnet is public when its route table (its own, else its VPC's main one) routes to an internet gateway."""
    ec2 = link.ec2()
    tables = list(ec2.route_tables.values())
    table = next((t for t in tables if subnet.id in t._associations.values()), None)
    if table is None:
        table = next((t for t in tables if t.vpc_id == subnet.vpc_id and t.main_association_id), None)
    if table is None:
        return False
    for route in table.routes:
        gateway = getattr(route, "gateway", None)
        if gateway is not None and str(getattr(gateway, "id", "")).startswith("igw-"):
            return True
    return False


def create_security_group(
    link: Link, owner: str, name: str, description: str, vpc_id: str, tags: dict[str, str]
) -> Any:
    group = link.ec2().create_security_group(name, description, vpc_id=vpc_id, tags=tags)
    link.created("sg", group.id, owner)
    return group


def allow_ingress(
    link: Link,
    group: Any,
    protocol: str,
    ports: tuple[int, int] | None,
    *,
    cidrs: list[str] | None = None,
    groups: list[str] | None = None,
) -> None:
    low, high = ports if ports else (None, None)
    link.ec2().authorize_security_group_ingress(
        group.id,
        protocol,
        low,
        high,
        [{"CidrIp": c} for c in cidrs or []],
        source_groups=[{"GroupId": g} for g in groups or []],
        vpc_id=group.vpc_id,
    )


def create_launch_template(
    link: Link, owner: str, name: str, data: dict[str, Any], tags: dict[str, str]
) -> Any:
    template = link.ec2().create_launch_template(
        name, "Created by Amazon EKS", data, {"launch-template": tags}
    )
    link.created("lt", template.id, owner)
    return template


def default_image(link: Link) -> str:
    """An AMI moto knows (so MOTO_ENABLE_AMI_VALIDATION users still get instances), else a made-up one."""
    amis = getattr(link.ec2(), "amis", None) or {}
    return next(iter(amis), "ami-0eks0000000000000")
