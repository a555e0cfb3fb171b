"""The official ``kubernetes`` client under freezegun, with no set-up by the user.

The client's deserializer picks its date and time parsers by comparing the wanted class with
``datetime.date`` / ``datetime.datetime`` looked up at call time, against the real classes it stored at
import (``ApiClient.NATIVE_TYPES_MAPPING``). Under ``freeze_time`` those names are freezegun's fake classes,
the comparison fails and every model with a timestamp (all of them: ``metadata.creationTimestamp``) fails
to deserialize. While a mock is active, the mapping's two entries compare equal to both the real and the
fake class, so timestamps parse as they would without freezegun. Put back on the last stop.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from mock_eks.intercept.patching import Patches

_patches = Patches()


class _Either:
    """Equal to the real class it stands for and to whatever ``datetime.<name>`` is now (freezegun's)."""

    def __init__(self, real: type, name: str) -> None:
        self.real = real
        self.name = name

    def __eq__(self, other: object) -> bool:
        return other is self.real or other is getattr(datetime, self.name) or other is self

    def __hash__(self) -> int:
        return hash(self.real)


class _Mapping(dict[str, Any]):  # a dict (unlike the original) can carry Patches' mock_eks_original
    pass


def _mapping(original: Any) -> Any:
    mapping = _Mapping(original)
    for name in ("date", "datetime"):
        real = mapping.get(name)
        if isinstance(real, type):
            mapping[name] = _Either(real, name)
    return mapping


def install() -> None:
    """Patch the client's type mapping if the client is imported (called on activation and by kubeconfig)."""
    module = sys.modules.get("kubernetes.client.api_client")
    if module is not None:
        _patches.wrap(module.ApiClient, "NATIVE_TYPES_MAPPING", _mapping)


def uninstall() -> None:
    _patches.restore()
