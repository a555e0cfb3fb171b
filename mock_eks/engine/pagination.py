"""One pagination scheme for every List/Describe operation that takes nextToken.

Tokens are opaque and signed with a key of the Backend (one per activation or server): they name the
operation, the account, the region, the scope (for example the cluster) and a position. A token from
another operation, scope, account, region or activation, a token altered on the way, or one that is not
even ASCII is the operation's invalid-token error (its invalid-parameter error, else ValidationError).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from mock_eks.engine.dispatch import Context
from mock_eks.model import messages
from mock_eks.state.store import Collection

T = TypeVar("T")


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:16]


def encode_token(key: bytes, scope: str, position: int | str) -> str:
    payload = json.dumps([scope, position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(key, payload)


def decode_token(key: bytes, token: str, scope: str) -> int | str | None:
    """The position a token resumes from, or None if it is not a token for this scope and key."""
    if not token.isascii() or "." not in token:
        return None
    body, signature = token.rsplit(".", 1)
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, binascii.Error):
        return None
    if not hmac.compare_digest(signature, _sign(key, payload)):
        return None
    try:
        token_scope, position = json.loads(payload)
    except (ValueError, TypeError):
        return None
    return position if token_scope == scope and type(position) in (int, str) else None


def max_results_of(ctx: Context, max_results: int | None, default: int | None = None) -> int:
    """The page size: the caller's maxResults, else ``default`` (the Reference's), else the model's maximum."""
    if max_results is not None:
        return max_results
    if default is not None:
        return default
    member = ctx.op.members.get("maxResults")
    return int(member.shape.metadata.get("max", 100)) if member is not None else 100


def paginate(
    ctx: Context,
    items: Collection[T] | Sequence[T],
    max_results: int | None,
    next_token: str | None,
    *,
    scope: str = "",
    predicate: Callable[[T], bool] | None = None,
    default_page: int | None = None,
    by_key: bool = False,
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token for the next page (None on the last page).

    ``by_key`` pages a Collection in key (name) order instead of insertion order.

    Without maxResults a page holds ``default_page`` items where the Reference names a smaller default
    than the model's maximum, else that maximum.
    """
    limit = max_results_of(ctx, max_results, default_page)
    scope = f"{ctx.op.name}:{ctx.account}:{ctx.region}:{scope}"
    key = ctx.backend.token_key
    position = None
    if next_token:
        position = decode_token(key, next_token, scope)
        if position is None:
            raise messages.error(ctx, "request.bad_next_token")
    if isinstance(items, Collection) and by_key:
        if position is not None and not isinstance(position, str):
            raise messages.error(ctx, "request.bad_next_token")
        page, after = items.page_by_key(position, limit, predicate)
        return page, (encode_token(key, scope, after) if after is not None else None)
    if position is not None and not isinstance(position, int):
        raise messages.error(ctx, "request.bad_next_token")
    if isinstance(items, Collection):
        page, last = items.page(position, limit, predicate)
        return page, (encode_token(key, scope, last) if last is not None else None)
    selected = [item for item in items if predicate is None or predicate(item)] if predicate else items
    start = position or 0
    end = start + limit
    page = list(selected[start:end])
    return page, (encode_token(key, scope, end) if end < len(selected) else None)
