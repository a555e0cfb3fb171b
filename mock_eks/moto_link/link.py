"""The link's core: the modes, whether moto's ``mock_aws`` is active, and ``Link`` (moto's backends for one
account and region, and the record of what the link made there, kept on the mock_eks ``Backend``)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from mock_eks.state.store import Backend, MotoEntry

MODES = ("link", "strict", "off")
DEFAULT_MODE = "link"
log = logging.getLogger("mock_eks.moto_link")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"moto must be one of {MODES}, not {mode!r}")
    return mode


def moto_active() -> bool:
    """True while moto's in-process ``mock_aws`` is active (moto 5.x)."""
    models = sys.modules.get("moto.core.models")
    if models is None:  # moto never imported: mock_aws cannot be active
        return False
    mock_class = getattr(models, "MockAWS", None)
    # MockAWS counts its nested activations on the class; server and proxy mode subclasses count
    # on themselves, and their backends live in another process, so they are not linked.
    return bool(getattr(mock_class, "_nested_count", 0))


def mode_of(backend: Any) -> str:
    return getattr(backend, "moto", "off")


class Link:
    """moto's backends for the account and region of one EKS request."""

    __slots__ = ("account", "region", "partition", "strict", "backend")

    def __init__(self, backend: Backend, account: str, region: str, partition: str, strict: bool) -> None:
        self.backend = backend
        self.account = account
        self.region = region
        self.partition = partition
        self.strict = strict

    # -- moto's backends: read without creating (moto knows nothing of a region it never served) -------

    @staticmethod
    def _existing(backends: Any, account: str, region: str) -> Any:
        per_account = dict.get(backends, account)
        if per_account is None:
            return None
        return dict.get(per_account, region)

    def ec2(self) -> Any:
        from moto.ec2.models import ec2_backends

        return self._existing(ec2_backends, self.account, self.region)

    def kms(self, account: str | None = None, region: str | None = None) -> Any:
        from moto.kms.models import kms_backends

        return self._existing(kms_backends, account or self.account, region or self.region)

    def iam(self, account: str | None = None) -> Any:
        from moto.iam.models import iam_backends

        return self._existing(iam_backends, account or self.account, self.partition)

    def autoscaling(self) -> Any:
        """moto's Auto Scaling backend, created if needed (it is where node groups put their groups)."""
        from moto.autoscaling.models import autoscaling_backends

        return autoscaling_backends[self.account][self.region]

    # -- bookkeeping ------------------------------------------------------------------------------

    def created(self, kind: str, resource_id: str, owner: str) -> None:
        """Record that ``owner`` (an EKS resource's ARN) made ``resource_id`` in moto."""
        self.backend.moto_created.append((kind, self.account, self.region, resource_id, owner))

    def owned(self, owner: str, kind: str | None = None) -> list[MotoEntry]:
        return [e for e in self.backend.moto_created if e[4] == owner and (kind is None or e[0] == kind)]

    def release(self, owner: str) -> None:
        """Remove from moto what ``owner`` made, newest first (its EKS resource is gone)."""
        entries = self.backend.moto_created
        if not entries:
            return
        mine = [e for e in entries if e[4] == owner]
        entries[:] = [e for e in entries if e[4] != owner]
        remove(mine)


def remove(entries: list[MotoEntry]) -> None:
    """Delete from moto what the link created (``entries``), newest first."""
    for kind, account, region, resource_id, _ in reversed(entries):
        _remove_one(kind, account, region, resource_id)


def _remove_one(kind: str, account: str, region: str, resource_id: str) -> None:
    """Delete one resource the link created; gone already is fine."""
    try:
        if kind == "asg":
            from moto.autoscaling.models import autoscaling_backends

            autoscaling = Link._existing(autoscaling_backends, account, region)
            if autoscaling is not None and resource_id in autoscaling.autoscaling_groups:
                autoscaling.delete_auto_scaling_group(resource_id)
            return
        from moto.ec2.models import ec2_backends

        ec2 = Link._existing(ec2_backends, account, region)
        if ec2 is None:
            return
        if kind == "lt" and resource_id in ec2.launch_templates:
            ec2.delete_launch_template(None, resource_id)
        elif kind == "sg" and ec2.get_security_group_from_id(resource_id) is not None:
            ec2.delete_security_group(group_id=resource_id)
    except Exception:  # noqa: BLE001 - moto refusing a clean-up must not fail the EKS request
        log.debug("moto_link: could not remove %s %s", kind, resource_id, exc_info=True)
