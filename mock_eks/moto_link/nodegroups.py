"""Managed node groups in moto: launch template, Auto Scaling group, instances, remote access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_eks.model import messages
from mock_eks.moto_link import Link, ec2, link_at, link_for, where
from mock_eks.state import lifecycle

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

REMOTE_ACCESS_DESCRIPTION = "Security group for all nodes in the nodeGroup to allow SSH access"


def resolve_launch_template(ctx: Context, spec: dict[str, str]) -> Any:
    """A launch template moto has, given by id or name: its name, version and id (the version, when
    not given, is the template's default one); None (unknown) in ``"strict"``; NotImplemented otherwise.

    ``resources.launch_templates.resolve_launch_template`` asks it first.
    """
    link = link_for(ctx)
    if link is None:
        return NotImplemented
    found = ec2.launch_template(link, spec.get("id"), spec.get("name"))
    if found is None:
        return None if link.strict else NotImplemented
    version = spec.get("version")
    if version is None:
        version = str(found.default_version_number)
    elif version not in {str(v.number) for v in found.versions} and version not in ("$Latest", "$Default"):
        raise messages.error(ctx, "link.launch_template_version", template=found.id, version=version)
    return {"name": found.name, "version": version, "id": found.id}


def _tags(cluster: str, nodegroup: str) -> dict[str, str]:
    return {
        "eks:cluster-name": cluster,
        "eks:nodegroup-name": nodegroup,
        "k8s.io/cluster-autoscaler/enabled": "true",
        f"k8s.io/cluster-autoscaler/{cluster}": "owned",
        f"kubernetes.io/cluster/{cluster}": "owned",
    }


def _check_references(ctx: Context, link: Link, cluster: Any, record: Any) -> tuple[dict[str, Any], Any]:
    """Refuse what EKS would; (the subnets moto knows, by id; moto's key pair or None).

    Subnets moto knows are checked even when others are made up ("link"): all of them must be in the
    cluster's VPC, and the node group's Auto Scaling group is made in them."""
    fields = {"clusterName": cluster.name, "nodegroupName": record.nodegroup_name}
    known, _ = ec2.checked_subnets(ctx, link, record.subnets, **fields)
    vpc_id = (cluster.resources_vpc_config or {}).get("vpcId")
    ec2_backend = link.ec2()
    if known and ec2_backend is not None and vpc_id in ec2_backend.vpcs:
        if any(s.vpc_id != vpc_id for s in known.values()):
            raise messages.error(ctx, "link.nodegroup_subnets_vpc", vpc=vpc_id, **fields)
    key = None
    remote = record.remote_access or {}
    if remote.get("ec2SshKey"):
        key = ec2.key_pair(link, remote["ec2SshKey"])
        if key is None and link.strict:
            raise messages.error(ctx, "link.key_pair_not_found", keyName=remote["ec2SshKey"], **fields)
    for group_id in remote.get("sourceSecurityGroups") or []:
        if link.strict and ec2.security_group(link, group_id) is None:
            raise messages.error(ctx, "link.security_group_not_found", group=group_id, **fields)
    return known, key


def create(ctx: Context, cluster: Any, record: Any) -> None:
    """CreateNodegroup (the record is checked, not yet stored): with moto's subnets, make the
    launch template (unless the user gave one), the remote-access group and the Auto Scaling group."""
    link = link_for(ctx)
    if link is None:
        return
    known, key = _check_references(ctx, link, cluster, record)
    given = record.launch_template
    if not known or (given is not None and ec2.launch_template(link, given.get("id"), None) is None):
        return  # made-up subnets or template: no group in moto, as before the link
    owner = record.nodegroup_arn
    resource_id = owner.rsplit("/", 1)[1]
    vpc_id = next(iter(known.values())).vpc_id
    groups = []
    cluster_group = (cluster.resources_vpc_config or {}).get("clusterSecurityGroupId")
    if cluster_group and ec2.security_group(link, cluster_group) is not None:
        groups.append(cluster_group)
    if key is not None:
        remote = ec2.create_security_group(
            link,
            owner,
            f"eks-remoteAccess-{resource_id}",
            REMOTE_ACCESS_DESCRIPTION,
            vpc_id,
            {"eks": record.nodegroup_name, "eks:cluster-name": cluster.name},
        )
        sources = (record.remote_access or {}).get("sourceSecurityGroups") or []
        ec2.allow_ingress(
            link, remote, "tcp", (22, 22), cidrs=None if sources else ["0.0.0.0/0"], groups=sources
        )
        record.group_resources["remoteAccessSecurityGroup"] = remote.id
        groups.append(remote.id)
    if record.launch_template is None:
        data: dict[str, Any] = {
            "InstanceType": (record.instance_types or ["t3.medium"])[0],
            "ImageId": ec2.default_image(link),
            "SecurityGroupIds": groups,
            "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": record.disk_size or 20}}
            ],
        }
        if key is not None:
            data["KeyName"] = key.key_name
        made = ec2.create_launch_template(
            link,
            owner,
            f"eks-{resource_id}",
            data,
            {"eks:cluster-name": cluster.name, "eks:nodegroup-name": record.nodegroup_name},
        )
        template = {"LaunchTemplateId": made.id, "Version": "1"}
    else:
        template = {"LaunchTemplateId": given["id"], "Version": given.get("version") or "$Default"}
    scaling = record.scaling_config
    name = record.group_resources["autoScalingGroups"][0]["name"]
    tags = [
        {
            "ResourceId": name,
            "ResourceType": "auto-scaling-group",
            "Key": k,
            "Value": v,
            "PropagateAtLaunch": True,
        }
        for k, v in _tags(cluster.name, record.nodegroup_name).items()
    ]
    group = link.autoscaling().create_auto_scaling_group(
        name=name,
        availability_zones=[],
        desired_capacity=scaling["desiredSize"],
        max_size=scaling["maxSize"],
        min_size=scaling["minSize"],
        launch_config_name="",
        launch_template=template,
        vpc_zone_identifier=",".join(s for s in record.subnets if s in known),
        default_cooldown=None,
        health_check_period=None,
        health_check_type="EC2",
        load_balancers=[],
        target_group_arns=[],
        placement_group=None,
        termination_policies=[],
        tags=tags,
    )
    link.created("asg", name, owner)
    _instance_types(group, record)


def _instance_types(group: Any, record: Any) -> None:
    """A user's launch template without an instance type: EKS launches ``instanceTypes[0]``."""
    wanted = (record.instance_types or [None])[0]
    if wanted is None:
        return
    for state in group.instance_states:
        if not state.instance.instance_type:
            state.instance.instance_type = wanted


def scaled_step(ctx: Context, record: Any) -> lifecycle.Step:
    """UpdateNodegroupConfig's scaling, as a step for when the update completes."""
    return lifecycle.step("moto_link.nodegroup_scaled", record=record, **where(ctx))


@lifecycle.action("moto_link.nodegroup_scaled")
def _scaled(backend: Any, due: float, *, record: Any, account: str, region: str, partition: str) -> None:
    """The update completed: the Auto Scaling group takes the node group's scaling config."""
    link = link_at(backend, account, region, partition)
    if link is None:
        return
    for _, _, _, name, _ in link.owned(record.nodegroup_arn, "asg"):
        group = link.autoscaling().autoscaling_groups.get(name)
        if group is None:
            continue
        scaling = record.scaling_config
        group.min_size = scaling["minSize"]
        group.max_size = scaling["maxSize"]
        group.set_desired_capacity(scaling["desiredSize"])
        _instance_types(group, record)


def rolled_step(ctx: Context, record: Any, template: dict[str, str] | None) -> lifecycle.Step:
    """UpdateNodegroupVersion, as a step for when the update completes: ``template`` is the user's launch
    template at its new version, or None (EKS's own template gets a new version)."""
    given = None if template is None else dict(template)
    return lifecycle.step("moto_link.nodegroup_rolled", record=record, template=given, **where(ctx))


@lifecycle.action("moto_link.nodegroup_rolled")
def _rolled(
    backend: Any,
    due: float,
    *,
    record: Any,
    template: dict[str, str] | None,
    account: str,
    region: str,
    partition: str,
) -> None:
    """The update completed: the Auto Scaling group launches from the new template version, and its
    nodes are replaced by nodes of that version (EKS rolls the node group: new nodes up, old ones gone).

    With the user's launch template that is the version the update names; with EKS's own, EKS writes a
    new version of it (real EKS puts the new release's AMI in it; moto has no EKS AMIs, so the image stays).
    """
    link = link_at(backend, account, region, partition)
    if link is None:
        return
    if template is None:
        made = link.owned(record.nodegroup_arn, "lt")
        ec2_backend = link.ec2()
        own = None if not made or ec2_backend is None else ec2_backend.launch_templates.get(made[0][3])
        if own is None:
            return  # the user's template, not EKS's: the update names no new version of it
        version = own.create_version(dict(own.latest_version().data), "Created by Amazon EKS")
        template = {"id": own.id, "version": str(version.number)}
    if not template.get("id") or not _has_version(link, template):
        return  # the template or that version was deleted from moto since: nothing to roll onto
    autoscaling = link.autoscaling()
    for _, _, _, name, _ in link.owned(record.nodegroup_arn, "asg"):
        group = autoscaling.autoscaling_groups.get(name)
        if group is None:
            continue
        autoscaling.update_auto_scaling_group(
            name=name,
            availability_zones=[],
            desired_capacity=None,
            max_size=None,
            min_size=None,
            launch_config_name="",
            launch_template={
                "LaunchTemplateId": template["id"],
                "Version": template.get("version") or "$Default",
            },
            vpc_zone_identifier=None,
            health_check_period=None,
            health_check_type=None,
        )
        old = [state for state in group.instance_states if state.lifecycle_state == "InService"]
        if old:
            group.replace_autoscaling_group_instances(len(old), group.get_propagated_tags())
            autoscaling.ec2_backend.terminate_instances([state.instance.id for state in old])
            group.instance_states = [state for state in group.instance_states if state not in old]
        _instance_types(group, record)


def _has_version(link: Link, template: dict[str, str]) -> bool:
    found = ec2.launch_template(link, template["id"], None)
    version = template.get("version") or "$Default"
    if found is None:
        return False
    return version in ("$Latest", "$Default") or version in {str(v.number) for v in found.versions}


def instances_of(backend: Any, record: Any) -> list[dict[str, str]] | None:
    """The instances of a node group's Auto Scaling group in moto (linked): each one's private DNS name,
    private IP, zone and id, as its Kubernetes node shows them. None when the group has none in moto."""
    from mock_eks.model.accounts import partition_for
    from mock_eks.moto_link import link_at

    parts = record.nodegroup_arn.split(":")
    region, account = parts[3], parts[4]
    link = link_at(backend, account, region, partition_for(region) or "aws")
    groups = (record.group_resources or {}).get("autoScalingGroups") or []
    if link is None or not groups:
        return None
    group = link.autoscaling().autoscaling_groups.get(groups[0]["name"])
    if group is None:
        return None
    found = []
    for state in group.instance_states:
        instance = state.instance
        found.append(
            {
                "name": instance.private_dns_name,
                "ip": instance.private_ip or "",
                "zone": instance.placement.zone
                if hasattr(instance.placement, "zone")
                else str(instance.placement),
                "id": instance.id,
            }
        )
    return found
