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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_eks.moto_link.link import DEFAULT_MODE, MODES, Link, check_mode, mode_of, moto_active, remove
from mock_eks.state import lifecycle
from mock_eks.state.store import Backend, MotoEntry

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

__all__ = [
    "DEFAULT_MODE",
    "MODES",
    "Link",
    "account_for",
    "adopt",
    "check_mode",
    "handover",
    "link_at",
    "link_for",
    "mode_of",
    "moto_active",
    "record_of",
    "release",
    "when_gone",
    "where",
]

ACCOUNT_ENV = "MOCK_EKS_ACCOUNT_ID"


def link_for(ctx: Context) -> Link | None:
    """The link for this request, or None (mode off, or moto's mock_aws not active)."""
    return link_at(ctx.backend, ctx.account, ctx.region, ctx.partition)


def link_at(backend: Any, account: str, region: str, partition: str) -> Link | None:
    """The link for an account and region of ``backend`` (in a scheduled step: no request context)."""
    mode = mode_of(backend)
    if mode == "off" or not moto_active():
        return None
    return Link(backend, account, region, partition, mode == "strict")


def where(ctx: Context) -> dict[str, str]:
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
    if backend.moto_server:  # server mode: moto's requests carry mock_eks's account
        return resolved
    configured = os.environ.get("MOTO_ACCOUNT_ID")
    if configured:
        return configured
    header = headers.get("x-moto-account-id") if headers is not None else None
    if header:
        return header.decode() if isinstance(header, bytes) else str(header)
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key or "")


def release(backend: Backend, account: str | None = None, region: str | None = None) -> None:
    """Remove from moto everything the link created for ``backend`` (its activation is ending), or with
    ``account`` (and ``region``) what it created for that tenant only (a per-account reset)."""
    entries = [entry for entry in backend.moto_created if _of(entry, account, region)]
    backend.moto_created = [entry for entry in backend.moto_created if not _of(entry, account, region)]
    if entries and moto_active():  # inactive: moto's own stop already wiped its data
        remove(entries)


def _of(entry: MotoEntry, account: str | None, region: str | None = None) -> bool:
    return account is None or (entry[1] == account and region in (None, entry[2]))


def record_of(backend: Backend) -> list[list[str]]:
    """What the link made in moto for ``backend``, as JSON-serialisable data (a snapshot's ``moto_link``)."""
    return [list(entry) for entry in backend.moto_created]


def adopt(backend: Backend, record: Any) -> None:
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
    backend.moto_created = [
        (kind, account, region, resource, owner) for kind, account, region, resource, owner in record
    ]


def handover(previous: Backend | None, backend: Backend) -> None:
    """``backend`` replaces ``previous`` (a restore): what ``previous`` made in moto and ``backend`` does
    not claim is removed from moto now, as when any state ends."""
    if previous is None or previous is backend:
        return
    claimed = {entry[:4] for entry in backend.moto_created}
    gone = [entry for entry in previous.moto_created if entry[:4] not in claimed]
    previous.moto_created = []
    if gone and moto_active():
        remove(gone)


def hand_over_tenant(live: Backend, restored: Backend, account: str) -> None:
    """``account``'s part of ``live`` was replaced by ``restored`` (a per-account restore): ``live`` owns
    what ``restored`` records the link made for the account; what it made before and ``restored`` does
    not claim is removed from moto."""
    claimed = [entry for entry in restored.moto_created if _of(entry, account)]
    keys = {entry[:4] for entry in claimed}
    gone = [entry for entry in live.moto_created if _of(entry, account) and entry[:4] not in keys]
    live.moto_created = [entry for entry in live.moto_created if not _of(entry, account)] + claimed
    if gone and moto_active():
        remove(gone)


def when_gone(ctx: Context, kind: str, collection: Any, key: str, record: Any, owner: str) -> None:
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
