"""Every error message the mock answers with, as real EKS words it: data/messages.json, read on first use.

Each entry names its error code, its wording and its source: the public source quoting the real
response, or "mock" where none shows it (our wording). A handler says
``raise messages.error(ctx, "cluster.not_found", clusterName=name)``; the keyword arguments fill the
placeholders and become the error body's fields (those its shape has).

This module is the only way to word an error: ``errors.ServiceError`` takes only a ``Message`` (made
here from the table), so an inline string anywhere fails loudly instead of answering unlisted wording.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, TypeVar

E = TypeVar("E", bound=Exception)


class Message(str):
    """A message worded by data/messages.json; ``key`` names its entry."""

    key: str


@functools.cache
def table() -> dict[str, dict[str, Any]]:
    """Every message by key: ``{"code", "text", "source"}`` (and ``recorded_for`` where it applies)."""
    data = json.loads(resources.files("mock_eks.data").joinpath("messages.json").read_text())
    return data["messages"]


@functools.cache
def recorded_codes(operation: str) -> frozenset[str]:
    """Codes real EKS is recorded answering from ``operation`` although its model omits them."""
    return frozenset(
        entry["code"] for entry in table().values() if operation in entry.get("recorded_for", ())
    )


def text(key: str, /, **values: Any) -> Message:
    """The message ``key`` with its placeholders filled (KeyError for a key the table lacks)."""
    message = Message(table()[key]["text"].format(**values))
    message.key = key
    return message


def error(ctx: Any, key: str, /, **fields: Any) -> Exception:
    """The error ``key`` names (its code, its worded message) for ``ctx``'s operation, carrying
    ``fields`` in its body. A code the operation may not answer becomes its own invalid-parameter
    (or invalid-request) error with the same message: see ``dispatch.Context.error``."""
    return ctx.error(table()[key]["code"], text(key, **fields), **fields)


def build(cls: type[E], key: str, /, **fields: Any) -> E:
    """The error class ``cls`` (chosen by the caller, e.g. the dispatcher's common errors) worded as ``key``."""
    return cls(text(key, **fields), **fields)
