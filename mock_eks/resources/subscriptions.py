"""EKS Anywhere subscriptions: Create/Describe/List/Update/DeleteEksAnywhereSubscription.

Status follows the clock: CREATING, then ACTIVE from the effective date; EXPIRING in the last
30 days of a term that will not auto-renew; EXPIRED after the expiration date (an auto-renewing
subscription starts a new term instead); DELETING until a deletion completes.
"""

from __future__ import annotations

import base64
import calendar
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.model import arns, messages
from mock_eks.resources.common import check_tags
from mock_eks.state import lifecycle
from mock_eks.state.kinds import record_kind

TERM_MONTHS = (12, 36)
EXPIRING_WINDOW = 30 * 86400


def add_months(epoch: float, months: int) -> float:
    """``epoch`` moved ``months`` calendar months on (the day clamped to the month's length)."""
    start = datetime.fromtimestamp(epoch, tz=UTC)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day).timestamp() + (epoch % 1)


@record_kind("Subscription")
@dataclass(slots=True, eq=False)
class Subscription:
    id: str
    arn: str
    name: str
    created_at: float
    effective_date: float
    expiration_date: float
    license_quantity: int
    license_type: str
    term: dict[str, Any]
    auto_renew: bool
    license_arns: list[str]
    licenses: list[dict[str, str]]
    status: str = "CREATING"
    tags: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@arns.taggable("eks-anywhere-subscription")
def _tagged_subscription(store: Any, parts: list[str]) -> Subscription | None:
    return store.subscriptions.get(parts[1]) if len(parts) == 2 else None


def _advance(record: Subscription, now: float) -> None:
    """Bring the record's status and term dates to ``now``."""
    if record.status in ("CREATING", "DELETING"):
        return
    months = int(record.term.get("duration") or 12)
    while record.auto_renew and now >= record.expiration_date:
        record.effective_date = record.expiration_date
        record.expiration_date = add_months(record.expiration_date, months)
    if now >= record.expiration_date:
        record.status = "EXPIRED"
    elif not record.auto_renew and record.expiration_date - now <= EXPIRING_WINDOW:
        record.status = "EXPIRING"
    else:
        record.status = "ACTIVE"


def _find(ctx: Context, subscription_id: str) -> Subscription:
    record = ctx.store.subscriptions.get(subscription_id)
    if record is None:
        raise messages.error(ctx, "subscription.no_subscription_found_id", subscription_id=subscription_id)
    _advance(record, ctx.now)
    return record


def _license_token(subscription_id: str, license_id: str, now: float, expiry: float) -> str:
    """A JWT-shaped license token carrying the subscription's claims (unsigned: a mock)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")

    header = part({"alg": "ES256", "typ": "JWT"})
    claims = part(
        {
            "sub": subscription_id,
            "lic": license_id,
            "iat": int(now),
            "exp": int(expiry),
            "iss": "eks-anywhere",
        }
    )
    return f"{header}.{claims}.{secrets.token_urlsafe(32)}"


@operation("CreateEksAnywhereSubscription")
def create_subscription(
    ctx: Context,
    *,
    name: str,
    term: dict[str, Any],
    license_quantity: int | None = None,
    license_type: str | None = None,
    auto_renew: bool | None = None,
    client_request_token: str | None = None,
    tags: dict[str, str] | None = None,
    **others: Any,
) -> dict[str, Any]:
    duration, unit = term.get("duration"), term.get("unit") or "MONTHS"
    if duration not in TERM_MONTHS or unit != "MONTHS":
        raise messages.error(ctx, "subscription.term_or_months_got", duration=duration, unit=unit)
    quantity = 1 if license_quantity is None else license_quantity
    if not 1 <= quantity <= 100:
        raise messages.error(ctx, "subscription.licensequantity_between_got", quantity=quantity)
    if any(s.name == name and s.status != "DELETING" for s in ctx.store.subscriptions):
        raise messages.error(ctx, "subscription.subscription_named_already_exists", name=name)
    tags = check_tags(ctx, tags)
    subscription_id = str(uuid.uuid4())
    expiry = add_months(ctx.now, duration)
    license_ids = [f"l-{secrets.token_hex(16)}" for _ in range(quantity)]
    license_arns = [
        f"arn:{ctx.partition}:license-manager::{ctx.account}:license:{lid}" for lid in license_ids
    ]
    record = Subscription(
        id=subscription_id,
        arn=ctx.arn(f"eks-anywhere-subscription/{subscription_id}"),
        name=name,
        created_at=ctx.now,
        effective_date=ctx.now,
        expiration_date=expiry,
        license_quantity=quantity,
        license_type=license_type or "Cluster",
        term={"duration": duration, "unit": unit},
        auto_renew=bool(auto_renew),
        license_arns=license_arns,
        licenses=[
            {"id": lid, "token": _license_token(subscription_id, lid, ctx.now, expiry)} for lid in license_ids
        ],
        tags=tags,
        extra=ctx.member_names(others),
    )
    ctx.store.subscriptions.add(subscription_id, record)

    ctx.schedule("subscription.create", lifecycle.step("subscription.activate", record=record))
    return {"subscription": record}


@lifecycle.action("subscription.activate")
def _activate(backend: Any, due: float, *, record: Subscription) -> None:
    if record.status == "CREATING":
        record.status = "ACTIVE"
        _advance(record, due)


@operation("DescribeEksAnywhereSubscription")
def describe_subscription(ctx: Context, *, id: str) -> dict[str, Any]:  # noqa: A002 - the model's member name
    return {"subscription": _find(ctx, id)}


@operation("ListEksAnywhereSubscriptions")
def list_subscriptions(
    ctx: Context,
    *,
    max_results: int | None = None,
    next_token: str | None = None,
    include_status: list[str] | None = None,
) -> dict[str, Any]:
    for record in ctx.store.subscriptions:
        _advance(record, ctx.now)
    wanted = set(include_status or ())
    page, token = paginate(
        ctx,
        ctx.store.subscriptions,
        max_results,
        next_token,
        scope=",".join(sorted(wanted)),
        predicate=(lambda s: s.status in wanted) if wanted else None,
        default_page=10,  # the Reference: without maxResults it "returns up to 10 results"
    )
    return {"subscriptions": page, "nextToken": token}


@operation("UpdateEksAnywhereSubscription")
def update_subscription(
    ctx: Context,
    *,
    id: str,  # noqa: A002 - the model's member name
    auto_renew: bool,
    client_request_token: str | None = None,
) -> dict[str, Any]:
    record = _find(ctx, id)
    if record.status not in ("ACTIVE", "EXPIRING"):
        raise messages.error(
            ctx, "subscription.subscription_only_active_subscription", id=id, status=record.status
        )
    record.auto_renew = bool(auto_renew)
    _advance(record, ctx.now)
    return {"subscription": record}


@operation("DeleteEksAnywhereSubscription")
def delete_subscription(ctx: Context, *, id: str) -> dict[str, Any]:  # noqa: A002 - the model's member name
    record = _find(ctx, id)
    if record.status == "DELETING":
        return {"subscription": record}
    if record.status != "EXPIRED":
        raise messages.error(ctx, "subscription.subscription_only_expired_or", id=id, status=record.status)
    record.status = "DELETING"

    ctx.remove_later("subscription.delete", ctx.store.subscriptions, id, record)
    return {"subscription": record}
