"""Fault injection: make EKS say no, deterministically (``m.faults`` / ``/_mock_eks/faults*``).

One ``Faults`` object hangs off each ``store.Backend``:

- call faults (``fail_calls``) are consulted by ``dispatch.dispatch`` before a handler runs, so a
  failed call changes no state, and the error goes out as a real AWS error response (botocore's
  retry modes and exceptions see it as they would see EKS's);
- lifecycle faults (``fail_next``) are taken by the shared lifecycle helpers (``Context.settle_later``,
  ``Context.remove_later``, ``updates.start_update``) when a transition comes due: a pending fault of
  that kind turns the success outcome into the model's failure state;
- ``degrade`` / ``recover`` change an existing resource's health now.

Codes, statuses and issue shapes come from the botocore model and the Reference's common errors
(``errors.COMMON_ERRORS``), so nothing here names an enum value.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks.model import accounts, arns, errors, messages
from mock_eks.model.spec import MODELS, OPERATIONS
from mock_eks.state.lifecycle import REALISTIC_SECONDS, UPDATE_KINDS

# Lifecycle-kind prefix -> the model shape of the resource it creates or deletes (records are
# dataclasses named after these shapes). Creates and deletes of these go through settle_later /
# remove_later; the failure statuses and issue codes are read from each shape.
RESOURCE_SHAPES = {
    "cluster": "Cluster",
    "nodegroup": "Nodegroup",
    "fargate": "FargateProfile",
    "addon": "Addon",
    "capability": "Capability",
}


def _shape(name: str) -> Any:
    """A shape of EKS's model (looked up when a fault is used, so importing this module loads no model)."""
    return MODELS["eks"].shape_for(name)


def _status_enum(shape_name: str) -> list[str]:
    return list(_shape(shape_name).members["status"].enum)


def _issue_shape(shape_name: str) -> Any:
    """The shape of one entry of ``<resource>.health.issues``."""
    return _shape(shape_name).members["health"].members["issues"].member


def _issue_codes(shape_name: str) -> list[str]:
    return list(_issue_shape(shape_name).members["code"].enum)


def _update_error_codes() -> list[str]:
    return list(_shape("ErrorDetail").members["errorCode"].enum)


def _create_failure_status(shape_name: str) -> str:
    statuses = _status_enum(shape_name)
    return "CREATE_FAILED" if "CREATE_FAILED" in statuses else "FAILED"


def _lifecycle_kinds() -> dict[str, tuple[str, str | None]]:
    """Every kind ``fail_next`` accepts -> (outcome, resource shape or None for updates)."""
    kinds: dict[str, tuple[str, str | None]] = {}
    for kind in REALISTIC_SECONDS:
        prefix, _, action = kind.partition(".")
        shape = RESOURCE_SHAPES.get(prefix)
        if kind in UPDATE_KINDS:
            kinds[kind] = ("update", None)
        elif shape and action == "create":
            kinds[kind] = ("create", shape)
        elif shape and action == "delete" and "DELETE_FAILED" in _status_enum(shape):
            kinds[kind] = ("delete", shape)
    return kinds


_DOCUMENTED = re.compile(r"<b>(\w+)</b>\s*:\s*(.*?)</p>", re.S)


@functools.cache
def _documented_messages(shape_name: str, member: str) -> dict[str, str]:
    """The model's own description of each code of ``shape_name.member`` (where its documentation has one)."""
    documentation = _shape(shape_name).members[member].documentation or ""
    return {
        code: " ".join(re.sub(r"<[^>]+>", "", text).split())
        for code, text in _DOCUMENTED.findall(documentation)
    }


def _default_message(code: str, shape_name: str | None = None, member: str = "code") -> str:
    """What a fault says when the test gives no message: the model's description of the code, if any."""
    if shape_name is not None:
        documented = _documented_messages(shape_name, member).get(code)
        if documented:
            return documented
    return f"{code} (fault injected by mock_eks)."


def _name_of(record: Any) -> str | None:
    for attribute in ("name", "nodegroup_name", "addon_name", "fargate_profile_name", "capability_name"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return None


# Issue codes whose resourceIds are the node group's EC2 instances, not the node group: a real
# DescribeNodegroup (2026-04, tests/recordings/public-describe-nodegroup-create-failed-2026.json) lists
# the two instances of a desiredSize-2 group under NodeCreationFailure.
INSTANCE_ISSUES = {"NodeCreationFailure"}


def _issue(shape_name: str, record: Any, code: str, message: str) -> dict[str, Any]:
    issue: dict[str, Any] = {"code": code, "message": message}
    name = _name_of(record)
    if "resourceIds" in _issue_shape(shape_name).members and name:
        issue["resourceIds"] = [name]
        scaling = getattr(record, "scaling_config", None)
        if code in INSTANCE_ISSUES and isinstance(scaling, dict):
            count = max(1, int(scaling.get("desiredSize") or 1))
            seed = getattr(record, "nodegroup_arn", name)
            issue["resourceIds"] = [
                "i-" + hashlib.sha256(f"{seed}#{index}".encode()).hexdigest()[:17] for index in range(count)
            ]
    return issue


def _set_issues(record: Any, issues: list[dict[str, Any]]) -> None:
    health = getattr(record, "health", None)
    if health is None:
        record.health = {"issues": issues}
    else:
        health["issues"] = issues


@dataclass(slots=True)
class Fault:
    """A pending lifecycle failure: what the next transition of ``kind`` ends with."""

    kind: str
    code: str
    message: str
    account: str | None = None  # only transitions of this account's resources fail

    def fail_create(self, record: Any, due: float) -> None:
        """The record ends in its model's create-failure status, with the issue in ``health.issues``."""
        shape = type(record).__name__
        record.status = _create_failure_status(shape)
        _set_issues(record, [_issue(shape, record, self.code, self.message)])
        if hasattr(record, "modified_at"):
            record.modified_at = due

    def fail_delete(self, record: Any, due: float) -> None:
        """The record stays, ``DELETE_FAILED``, with the issue in ``health.issues``."""
        shape = type(record).__name__
        record.status = "DELETE_FAILED"
        _set_issues(record, [_issue(shape, record, self.code, self.message)])
        if hasattr(record, "modified_at"):
            record.modified_at = due

    def update_errors(self, resource_ids: list[str]) -> list[dict[str, Any]]:
        """The ``errors`` of a Failed update."""
        error: dict[str, Any] = {"errorCode": self.code, "errorMessage": self.message}
        if resource_ids:
            error["resourceIds"] = resource_ids
        return [error]


@dataclass(slots=True)
class _CallRule:
    operation: str  # an operation name, or "*"
    code: str
    message: str | None
    times: int | None
    rate: float | None
    random: random.Random | None
    account: str | None = None  # only this account's calls fail

    def matches(
        self, service: str, name: str, error_codes: frozenset[str], account: Callable[[], Any]
    ) -> bool:
        if self.account is not None and self.account != account():
            return False
        if self.operation == "*":
            return self.code in errors.allowed_codes(service, error_codes)
        return self.operation == name

    def fires(self) -> bool:
        if self.rate is not None and self.random is not None and self.random.random() >= self.rate:
            return False
        if self.times is not None:
            self.times -= 1
        return True


def _find_operation(name: str) -> tuple[str, Any]:
    for service, operations in OPERATIONS.items():
        if name in operations:
            return service, operations[name]
    raise ValueError(f"unknown operation {name!r}: give an operation name such as 'CreateCluster', or '*'")


def _check_message(message: Any) -> None:
    if message is not None and not isinstance(message, str):
        raise ValueError("message must be a string")


def _check_account(account: Any) -> None:
    if account is not None and not (isinstance(account, str) and accounts.is_account(account)):
        raise ValueError(f"account must be a 12-digit account id, not {account!r}")


def _check_times(times: Any, *, allow_none: bool) -> None:
    if times is None and allow_none:
        return
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive integer, not {times!r}")


@dataclass
class Faults:
    """The faults pending on one backend. Use it as ``m.faults`` (or through the control endpoints)."""

    backend: Any
    _calls: list[_CallRule] = field(default_factory=list)
    _lifecycle: dict[str, deque[Fault]] = field(default_factory=dict)

    # -- call faults -----------------------------------------------------------------------------

    def fail_calls(
        self,
        operation: str,
        code: str,
        *,
        times: int | None = None,
        rate: float | None = None,
        seed: int | str | None = None,
        message: str | None = None,
        account: str | None = None,
    ) -> None:
        """Calls of ``operation`` (or ``"*"``: every operation that may answer ``code``) fail with ``code``.

        ``times=N``: the next N matching calls; ``rate=p``: each call with probability p (reproducible
        with ``seed``); neither: every matching call until ``clear()``. ``account``: only that account's
        calls (a tenant of a shared server), else everyone's.
        """
        if not isinstance(operation, str):
            raise ValueError("operation must be an operation name or '*'")
        if not isinstance(code, str):
            raise ValueError("code must be an error code string")
        if operation == "*":
            known = {c for service in errors.BY_SERVICE for c in errors.BY_SERVICE[service]}
            if code not in errors.COMMON_ERRORS and code not in known:
                raise ValueError(
                    f"{code!r} is neither a common error ({', '.join(sorted(errors.COMMON_ERRORS))}) "
                    "nor an error any operation models"
                )
        else:
            service, op = _find_operation(operation)
            allowed = errors.allowed_codes(service, op.error_codes)
            if code not in allowed:
                raise ValueError(
                    f"{operation} cannot answer {code!r}; it may answer: {', '.join(sorted(allowed))}"
                )
        _check_times(times, allow_none=True)
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0
        ):
            raise ValueError(f"rate must be a probability between 0 and 1, not {rate!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, str))):
            raise ValueError(f"seed must be an integer or a string, not {seed!r}")
        _check_message(message)
        _check_account(account)
        rng = random.Random(seed) if rate is not None else None
        rule = _CallRule(operation, code, message, times, None if rate is None else float(rate), rng, account)
        with self.backend.lock:
            self._calls.append(rule)

    def call_error(
        self, service: str, name: str, error_codes: frozenset[str], account: Callable[[], Any] = lambda: None
    ) -> errors.ServiceError | None:
        """The error this call fails with, or None (the dispatcher asks before running the handler).
        ``account()``: the caller's account, asked only when a fault names one."""
        if not self._calls:
            return None
        with self.backend.lock:
            for rule in self._calls:
                if rule.matches(service, name, error_codes, account) and rule.fires():
                    if rule.times == 0:
                        self._calls.remove(rule)
                    # the service model's error shape wherever it defines the code, with the model's status
                    # (EKS's ThrottlingException is 429); the Reference's common table only for codes the
                    # model lacks
                    cls = errors.error_class(service, rule.code)
                    assert cls is not None  # fail_calls accepts only codes one of the two defines
                    text = rule.message or _common_messages().get(rule.code) or _default_message(rule.code)
                    return messages.build(cls, "fault.injected", text=text)
        return None

    # -- lifecycle faults ------------------------------------------------------------------------

    def fail_next(
        self, kind: str, code: str, *, message: str | None = None, times: int = 1, account: str | None = None
    ) -> None:
        """The next ``times`` transitions of ``kind`` (a data/durations.json kind) end in failure;
        with ``account``, only transitions of that account's resources."""
        kinds = _lifecycle_kinds()
        if kind not in kinds:
            raise ValueError(
                f"no failure outcome for lifecycle kind {kind!r}; kinds: {', '.join(sorted(kinds))}"
            )
        outcome, shape = kinds[kind]
        codes = _update_error_codes() if shape is None else _issue_codes(shape)
        if code not in codes:
            raise ValueError(f"{code!r} is not a code for {kind}; codes: {', '.join(codes)}")
        _check_times(times, allow_none=False)
        _check_message(message)
        _check_account(account)
        if message is None:
            issue = "ErrorDetail" if shape is None else _issue_shape(shape).name
            message = _default_message(code, issue, "errorCode" if shape is None else "code")
        fault = Fault(kind, code, message, account)
        with self.backend.lock:
            self._lifecycle.setdefault(kind, deque()).extend(fault for _ in range(times))

    def take_for(self, kind: str, record: Any) -> Fault | None:
        """``take`` for the transition of ``kind`` of ``record``, whose account is read from its ARN only
        while some fault waits (every lifecycle step asks, and reading the ARN costs a field scan)."""
        return self.take(kind, arns.account_of(record)) if self._lifecycle.get(kind) else None

    def take(self, kind: str, account: str | None = None) -> Fault | None:
        """The pending fault for the transition of ``kind`` (of a resource of ``account``) completing now."""
        pending = self._lifecycle.get(kind)
        if not pending:
            return None
        fault = next((f for f in pending if f.account is None or f.account == account), None)
        if fault is None:
            return None
        pending.remove(fault)
        if not pending:
            del self._lifecycle[kind]
        return fault

    # -- health ----------------------------------------------------------------------------------

    def degrade(self, arn: str, code: str, *, message: str | None = None) -> None:
        """An ACTIVE node group, add-on or capability becomes DEGRADED; a cluster or Fargate profile
        gets a health issue. Either way the issue shows in ``health.issues``."""
        _check_message(message)
        with self.backend.lock:
            record = self._find(arn)
            shape = type(record).__name__
            codes = _issue_codes(shape)
            if code not in codes:
                raise ValueError(f"{code!r} is not an issue code for a {shape}; codes: {', '.join(codes)}")
            degradable = "DEGRADED" in _status_enum(shape)
            allowed = ("ACTIVE", "DEGRADED") if degradable else ("ACTIVE",)
            if record.status not in allowed:
                raise ValueError(f"{arn} is {record.status}; only an ACTIVE resource can be degraded")
            issues = [i for i in (record.health or {}).get("issues") or [] if i.get("code") != code]
            _set_issues(
                record,
                [
                    *issues,
                    _issue(shape, record, code, message or _default_message(code, _issue_shape(shape).name)),
                ],
            )
            if degradable:
                record.status = "DEGRADED"

    def recover(self, arn: str) -> None:
        """A degraded resource is ACTIVE again; its health issues are gone."""
        with self.backend.lock:
            record = self._find(arn)
            if record.status not in ("ACTIVE", "DEGRADED"):
                raise ValueError(f"{arn} is {record.status}; only an ACTIVE or DEGRADED resource can recover")
            record.status = "ACTIVE"
            _set_issues(record, [])

    def _find(self, arn: str) -> Any:
        if not isinstance(arn, str):
            raise ValueError("arn must be a string")
        parsed = arns.parse(arn)
        if parsed is None:
            raise ValueError(f"{arn!r} is not an EKS ARN")
        # the resource's state as a request now would see it
        self.backend.lifecycle.apply_due(self.backend.now())
        store = self.backend.regions.get((parsed["account"], parsed["region"]))
        parts = parsed["resource"].split("/")
        finder = arns.TAGGABLE.get(parts[0])
        record = finder(store, parts) if store is not None and finder is not None else None
        if record is None:
            raise ValueError(f"no resource with ARN {arn}")
        if type(record).__name__ not in RESOURCE_SHAPES.values():
            raise ValueError(
                f"{arn} has no health: degrade a cluster, node group, Fargate profile, add-on or capability"
            )
        return record

    # -- snapshots -------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """The pending faults as JSON-serialisable data (a snapshot's ``faults``; ``load`` reads it)."""
        calls = []
        for rule in self._calls:
            entry: dict[str, Any] = {"operation": rule.operation, "code": rule.code}
            optional = (("message", rule.message), ("times", rule.times), ("account", rule.account))
            entry.update({k: v for k, v in optional if v is not None})
            if rule.rate is not None and rule.random is not None:
                version, state, gauss = rule.random.getstate()
                # the generator's exact position, so a restored rate fault goes on with the same draws
                entry.update(rate=rule.rate, random=[version, list(state), gauss])
            calls.append(entry)
        lifecycle = {
            kind: [
                {"code": f.code, "message": f.message, **({"account": f.account} if f.account else {})}
                for f in pending
            ]
            for kind, pending in self._lifecycle.items()
        }
        return {"calls": calls, "lifecycle": lifecycle}

    def load(self, data: Any) -> None:
        """Replace the pending faults with ``to_data()``'s output (ValueError names what is wrong).

        Each entry goes through ``fail_calls`` / ``fail_next``, so a snapshot holds no fault those refuse.
        """
        self.clear()
        self.add(data)

    def add(self, data: Any, account: str | None = None) -> None:
        """Add the faults of ``to_data()``'s output (with ``account``, only those added for it)."""
        if not isinstance(data, dict):
            raise ValueError("faults must be an object")
        calls, lifecycle = data.get("calls", []), data.get("lifecycle", {})
        if not isinstance(calls, list) or not isinstance(lifecycle, dict):
            raise ValueError("faults must hold a list of calls and an object of lifecycle faults")
        if account is not None:
            calls = [entry for entry in calls if isinstance(entry, dict) and entry.get("account") == account]
            lifecycle = {
                kind: [e for e in pending if isinstance(e, dict) and e.get("account") == account]
                for kind, pending in lifecycle.items()
                if isinstance(pending, list)
            }
        for entry in calls:
            if not isinstance(entry, dict):
                raise ValueError("a call fault must be an object")
            self.fail_calls(
                entry.get("operation"),  # type: ignore[arg-type]
                entry.get("code"),  # type: ignore[arg-type]
                times=entry.get("times"),
                rate=entry.get("rate"),
                message=entry.get("message"),
                account=entry.get("account"),
            )
            rule = self._calls[-1]
            if rule.random is not None:
                state = entry.get("random")
                if not (isinstance(state, list) and len(state) == 3 and isinstance(state[1], list)):
                    raise ValueError("a rate fault needs its random generator's state")
                try:
                    rule.random.setstate((state[0], tuple(state[1]), state[2]))
                except (TypeError, ValueError) as error:
                    raise ValueError(f"a rate fault's random state is malformed: {error}") from None
        for kind, pending in lifecycle.items():
            if not isinstance(pending, list):
                raise ValueError(f"the lifecycle faults of {kind} must be a list")
            for entry in pending:
                if not isinstance(entry, dict):
                    raise ValueError("a lifecycle fault must be an object")
                self.fail_next(
                    kind,
                    entry.get("code"),  # type: ignore[arg-type]
                    message=entry.get("message"),
                    account=entry.get("account"),
                )

    # -- all -------------------------------------------------------------------------------------

    def clear(self, account: str | None = None) -> None:
        """Forget every pending fault (resources already failed stay failed); with ``account``, only the
        faults added for that account."""
        _check_account(account)
        with self.backend.lock:
            if account is None:
                self._calls.clear()
                self._lifecycle.clear()
                return
            self._calls[:] = [rule for rule in self._calls if rule.account != account]
            for kind in list(self._lifecycle):
                kept = deque(f for f in self._lifecycle[kind] if f.account != account)
                if kept:
                    self._lifecycle[kind] = kept
                else:
                    del self._lifecycle[kind]


@functools.cache
def _common_messages() -> dict[str, str]:
    """The Reference's message for each common error (data/common_errors.json)."""
    table = json.loads(resources.files("mock_eks.data").joinpath("common_errors.json").read_text())
    return {code: entry["message"] for code, entry in table["errors"].items()}


def update_failed_status(record: Any) -> str:
    """The status a child resource shows after a failed update: UPDATE_FAILED where its model has it."""
    return "UPDATE_FAILED" if "UPDATE_FAILED" in _status_enum(type(record).__name__) else "ACTIVE"
