"""One pagination scheme for every List/Describe operation that takes nextToken.

Tokens are opaque and signed: they name the operation, the scope (for example
the cluster) and a position; anything else, or a token altered on the way,
is rejected as the operation's invalid-parameter error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from mock_eks.store import Collection

T = TypeVar("T")
_SECRET = os.urandom(16)


def _sign(payload: bytes) -> str:
    return hmac.new(_SECRET, payload, hashlib.sha256).hexdigest()[:16]


def encode_token(scope: str, position: int) -> str:
    payload = json.dumps([scope, position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(payload)


def decode_token(token: str, scope: str) -> int | None:
    """The position a token resumes from, or None if it is not a token for this scope."""
    try:
        body, signature = token.rsplit(".", 1)
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _sign(payload)):
        return None
    token_scope, position = json.loads(payload)
    return position if token_scope == scope and isinstance(position, int) else None


def max_results_of(ctx: Any, max_results: int | None) -> int:
    """The page size: the caller's maxResults, else the model's maximum for it."""
    if max_results is not None:
        return max_results
    member = ctx.op.members.get("maxResults")
    return int(member.shape.metadata.get("max", 100)) if member is not None else 100


def paginate(
    ctx: Any,
    items: Collection[T] | Sequence[T],
    max_results: int | None,
    next_token: str | None,
    *,
    scope: str = "",
    predicate: Callable[[T], bool] | None = None,
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token for the next page (None on the last page)."""
    limit = max_results_of(ctx, max_results)
    scope = f"{ctx.op.name}:{scope}"
    position = None
    if next_token:
        position = decode_token(next_token, scope)
        if position is None:
            raise ctx.invalid_parameter("The nextToken provided is not valid.")
    if isinstance(items, Collection):
        page, last = items.page(position, limit, predicate)
        return page, (encode_token(scope, last) if last is not None else None)
    selected = [item for item in items if predicate is None or predicate(item)] if predicate else items
    start = position or 0
    end = start + limit
    page = list(selected[start:end])
    return page, (encode_token(scope, end) if end < len(selected) else None)
