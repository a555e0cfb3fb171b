"""Wrapping other libraries' functions while a mock is active: the one way mock_eks patches and restores.

botocore's emitters, ``requests.Session.get_adapter``, urllib's handlers, urllib3's pools and the name
resolvers are each wrapped once, on the first activation, and put back on the last stop. A wrapper
carries ``mock_eks_original`` so it is never wrapped twice; it is put back only where ours is still on
top, because a wrapper someone added after ours (moto, the user's own mock) calls ours below it, which
does nothing while no mock is active. Each wrapper holds its own original (a closure), so a later
activation that wraps theirs never loops back through an earlier wrapper of ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _current(owner: Any, attribute: str) -> Any:
    # a class's own attribute only: a subclass inheriting a wrapped method is not wrapped again
    return vars(owner).get(attribute) if isinstance(owner, type) else getattr(owner, attribute, None)


class Patches:
    """The attributes one interception layer has wrapped, by ``(owner, attribute)``."""

    def __init__(self) -> None:
        self._held: dict[tuple[Any, str], Callable[..., Any]] = {}

    def wrap(
        self, owner: Any, attribute: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]
    ) -> None:
        """Replace ``owner.attribute`` by ``make(original)``, unless it is missing or already ours."""
        current = _current(owner, attribute)
        if current is None or (owner, attribute) in self._held or hasattr(current, "mock_eks_original"):
            return
        wrapped = make(current)
        wrapped.mock_eks_original = current  # type: ignore[attr-defined]
        setattr(owner, attribute, wrapped)
        self._held[(owner, attribute)] = wrapped

    def restore(self) -> None:
        """Put back each original still under our wrapper; forget them all."""
        for (owner, attribute), wrapped in list(self._held.items()):
            if _current(owner, attribute) is wrapped:
                setattr(owner, attribute, wrapped.mock_eks_original)  # type: ignore[attr-defined]
            del self._held[(owner, attribute)]

    def __contains__(self, target: tuple[Any, str]) -> bool:
        return target in self._held
