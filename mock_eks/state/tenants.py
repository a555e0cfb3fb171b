"""Tenants of one backend: the accounts (and regions) a shared server holds, each reset or replaced alone.

An account is a tenant (a 12-digit access key id is the account, see ``accounts``). Its state is its
``RegionStore`` s, the pending lifecycle steps that act on its resources (found through the EKS ARNs of
the records a step holds) and the faults added for it (``Faults.fail_calls(..., account=...)``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from mock_eks.model import accounts, arns
from mock_eks.state.lifecycle import Step
from mock_eks.state.store import Backend, Collection

Scope = tuple[str, str | None]  # (account, region or None for all its regions)


def scope(account: Any, region: Any = None) -> Scope:
    """A checked (account, region) scope (ValueError names what is wrong)."""
    if not isinstance(account, str) or not accounts.is_account(account):
        raise ValueError(f"account must be a 12-digit account id, not {str(account)[:40]!r}")
    if region is not None and (not isinstance(region, str) or accounts.partition_for(region) is None):
        raise ValueError(f"region must be an AWS region name, not {str(region)[:40]!r}")
    return account, region


def _arns(value: Any, seen: set[int]) -> Iterator[str]:
    """The EKS ARNs of the records ``value`` holds (a step's arguments), nearest first."""
    if id(value) in seen or isinstance(value, Collection):
        return
    seen.add(id(value))
    if isinstance(value, Step):
        for item in value.args.values():
            yield from _arns(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        arn = arns.own_arn(value)
        if arn is not None:
            yield arn
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arns(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arns(item, seen)


def in_scope(item: Step, where: Scope) -> bool:
    """Whether a pending step acts on a resource of ``where``."""
    account, region = where
    for arn in _arns(item, set()):
        parts = arn.split(":", 5)
        return parts[4] == account and (region is None or parts[3] == region)
    return False


def forget(backend: Backend, where: Scope) -> None:
    """Empty ``where``: its regions, the steps pending on its resources and (a whole account) its faults."""
    account, region = where
    with backend.lock:
        for key in [key for key in backend.regions if key[0] == account and region in (None, key[1])]:
            del backend.regions[key]
        lifecycle = backend.lifecycle
        lifecycle.replace([(due, item) for due, item in lifecycle.entries() if not in_scope(item, where)])
        if region is None:
            backend.faults.clear(account)
