"""The link to moto: EKS and moto's EC2, Auto Scaling, KMS and IAM as one account.

While moto's ``mock_aws`` is active in this process, mock_eks reads and changes
moto's backends directly (``ec2_backends[account][region]`` and friends), so the
link does not depend on how either mock catches requests, nor on which was
activated first.

Modes (``mock_eks(moto=...)``, ``mock-eks serve --moto``):

- ``"link"`` (default): what moto knows is used, checked and changed as real EKS
  would; what moto does not know is accepted as before.
- ``"strict"``: a reference moto does not know is InvalidParameterException.
- ``"off"``: no link.

moto is never imported here: only when ``moto.core.models`` is already loaded
(someone imported moto) and its ``mock_aws`` is active does a seam do anything.

The seams, one module per family, are called by the handlers:
``clusters`` (create, gone), ``nodegroups`` (create, scaled, gone, launch
templates), ``fargate`` (subnets), ``kms`` (keys and aliases), ``iam`` (roles).
Everything the link creates in moto is recorded per mock_eks backend and removed
when that backend ends (last ``stop()``, ``reset()``), so nothing outlives the
activation.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Mapping
from typing import Any

from mock_eks import lifecycle

MODES = ("link", "strict", "off")
DEFAULT_MODE = "link"
ACCOUNT_ENV = "MOCK_EKS_ACCOUNT_ID"

# what the link created in moto, per mock_eks Backend: [(kind, account, region, resource id, owner ARN)]
Entry = tuple[str, str, str, str, str]
_CREATED: weakref.WeakKeyDictionary[Any, list[Entry]] = weakref.WeakKeyDictionary()


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

    def __init__(self, backend: Any, account: str, region: str, partition: str, strict: bool) -> None:
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
        _CREATED.setdefault(self.backend, []).append((kind, self.account, self.region, resource_id, owner))

    def owned(self, owner: str, kind: str | None = None) -> list[Entry]:
        return [e for e in _CREATED.get(self.backend, ()) if e[4] == owner and (kind is None or e[0] == kind)]

    def release(self, owner: str) -> None:
        """Remove from moto what ``owner`` made, newest first (its EKS resource is gone)."""
        entries = _CREATED.get(self.backend)
        if not entries:
            return
        mine = [e for e in entries if e[4] == owner]
        entries[:] = [e for e in entries if e[4] != owner]
        _remove(mine)


def link_for(ctx: Any) -> Link | None:
    """The link for this request, or None (mode off, or moto's mock_aws not active)."""
    return link_at(ctx.backend, ctx.account, ctx.region, ctx.partition)


def link_at(backend: Any, account: str, region: str, partition: str) -> Link | None:
    """The link for an account and region of ``backend`` (in a scheduled step: no request context)."""
    mode = mode_of(backend)
    if mode == "off" or not moto_active():
        return None
    return Link(backend, account, region, partition, mode == "strict")


def where(ctx: Any) -> dict[str, str]:
    """A request's account, region and partition, as a scheduled step's arguments (plain data)."""
    return {"account": ctx.account, "region": ctx.region, "partition": ctx.partition}


def account_for(backend: Any, headers: Mapping[str, Any], access_key: str | None, resolved: str) -> str:
    """The account of an EKS request while linked: the one moto gives the same request.

    ``MOCK_EKS_ACCOUNT_ID`` still wins (it is mock_eks's explicit setting); otherwise moto's own
    rule applies: ``MOTO_ACCOUNT_ID``, then the ``x-moto-account-id`` header, then the account
    of an access key moto issued (IAM users, STS), then moto's default account. Unlinked,
    mock_eks's rule (``resolved``) stands.
    """
    if mode_of(backend) == "off" or not moto_active() or os.environ.get(ACCOUNT_ENV):
        return resolved
    if getattr(backend, "moto_server", False):  # server mode: moto's requests carry mock_eks's account
        return resolved
    configured = os.environ.get("MOTO_ACCOUNT_ID")
    if configured:
        return configured
    header = headers.get("x-moto-account-id") if headers is not None else None
    if header:
        return header.decode() if isinstance(header, bytes) else str(header)
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key or "")


def release(backend: Any) -> None:
    """Remove from moto everything the link created for ``backend`` (its activation is ending)."""
    entries = _CREATED.pop(backend, None)
    if entries and moto_active():  # inactive: moto's own stop already wiped its data
        _remove(entries)


def record_of(backend: Any) -> list[list[str]]:
    """What the link made in moto for ``backend``, as JSON-serialisable data (a snapshot's ``moto_link``)."""
    return [list(entry) for entry in _CREATED.get(backend, ())]


def adopt(backend: Any, record: Any) -> None:
    """``backend`` (restored from a snapshot) owns what ``record`` says the link made in moto.

    moto's own state is not in a snapshot: the record lets the restored backend change and remove
    what it made (when its node groups scale or go, when its activation ends) if moto still has it.
    ValueError if ``record`` is malformed.
    """
    if not isinstance(record, list) or not all(
        isinstance(entry, list) and len(entry) == 5 and all(isinstance(part, str) for part in entry)
        for entry in record
    ):
        raise ValueError("moto_link must be a list of [kind, account, region, resource id, owner ARN]")
    if record:
        _CREATED[backend] = [tuple(entry) for entry in record]  # type: ignore[misc]


def handover(previous: Any, backend: Any) -> None:
    """``backend`` replaces ``previous`` (a restore): what ``previous`` made in moto and ``backend`` does
    not claim is removed from moto now, as when any state ends."""
    if previous is None or previous is backend:
        return
    claimed = {entry[:4] for entry in _CREATED.get(backend, ())}
    gone = [entry for entry in _CREATED.pop(previous, []) if entry[:4] not in claimed]
    if gone and moto_active():
        _remove(gone)


def _remove(entries: list[Entry]) -> None:
    from mock_eks.moto_link import ec2

    for kind, account, region, resource_id, _ in reversed(entries):
        ec2.remove(kind, account, region, resource_id)


def when_gone(ctx: Any, kind: str, collection: Any, key: str, record: Any, owner: str) -> None:
    """After the ``kind`` transition that removes ``record`` (scheduled just before), release what
    ``owner`` made in moto, if the record really is gone by then (a failed delete keeps it)."""
    step = lifecycle.step(
        "moto_link.release", collection=collection, key=key, record=record, owner=owner, **where(ctx)
    )
    ctx.schedule(kind, step)


@lifecycle.action("moto_link.release")
def _release_owner(
    backend: Any,
    due: float,
    *,
    collection: Any,
    key: str,
    record: Any,
    owner: str,
    account: str,
    region: str,
    partition: str,
) -> None:
    if collection.get(key) is record:
        return
    link = link_at(backend, account, region, partition)
    if link is not None:
        link.release(owner)
