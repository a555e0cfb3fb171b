"""KMS keys for envelope encryption: key ARNs and aliases (name or ARN) resolved through moto's KMS.

``resources.encryption.resolve_kms_key`` (the one key resolver) asks ``resolve_key`` first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mock_eks.model import messages
from mock_eks.moto_link import link_for

if TYPE_CHECKING:  # the engine's handler API, for annotations only (the engine sits above)
    from mock_eks.engine.dispatch import Context

KMS_ARN = re.compile(
    r"^arn:[a-z-]+:kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<resource>(key|alias)/.+)$"
)


def resolve_key(ctx: Context, key: str) -> Any:
    """The ARN of the key ``key`` names (key ARN, alias ARN or alias name) when moto has it; None (an
    unknown key) in ``"strict"``; NotImplemented (the mock's own rule decides) otherwise."""
    link = link_for(ctx)
    if link is None:
        return NotImplemented
    match = KMS_ARN.match(key)
    if match:
        kms = link.kms(match["account"], match["region"])
        resource = match["resource"]
    else:
        kms = link.kms()
        resource = key if key.startswith("alias/") else f"key/{key}"
    found = None
    if kms is not None:
        if resource.startswith("key/"):
            found = kms.keys.get(resource[4:])
        else:
            found = next((k for k in kms.keys.values() if resource in k.aliases), None)
    if found is None:
        return None if link.strict else NotImplemented
    if found.key_state != "Enabled":
        raise messages.error(ctx, "link.kms_key_not_enabled", key=found.arn, state=found.key_state)
    return found.arn
