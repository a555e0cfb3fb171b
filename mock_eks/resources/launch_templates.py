"""The one launch-template resolver: a node group's ``launchTemplate`` given by name or id gets both.

EKS answers with the template's id and name whichever one the request gave (issue 13, item 11; the
moto EKS backend does the same look-up against its EC2 backend, getmoto/moto moto/eks/models.py).
"""

from __future__ import annotations

import hashlib

from mock_eks.engine.dispatch import Context
from mock_eks.moto_link import nodegroups as moto_nodegroups

_FAMILY = "launch_templates"  # RegionStore.extras key: id -> name of templates seen by name


def _template_id(ctx: Context, name: str) -> str:
    digest = hashlib.sha256(f"{ctx.partition}:{ctx.account}:{ctx.region}:{name}".encode()).hexdigest()
    return "lt-" + digest[:17]


def resolve_launch_template(ctx: Context, spec: dict[str, str]) -> dict[str, str] | None:
    """``spec`` with both ``id`` and ``name`` (``version`` kept as given), or None for an unknown template.

    Linked to moto, moto's EC2 answers first (``moto_link.nodegroups.resolve_launch_template``); otherwise
    the rule is deterministic: a name stands for the
    id ``lt-`` + 17 hex digits derived from the partition, account, Region and name (the same name
    always gives the same id, and that id then maps back to the name in this account and Region); an id
    the mock has not seen by name gets the name ``eks-<id>``. The mock cannot know a template does not
    exist, so it never answers None on its own.
    """
    linked = moto_nodegroups.resolve_launch_template(ctx, spec)
    if linked is not NotImplemented:
        return linked
    known: dict[str, str] = ctx.store.extras.setdefault(_FAMILY, {})
    out = dict(spec)
    if spec.get("name"):
        out["id"] = _template_id(ctx, spec["name"])
        known[out["id"]] = spec["name"]
    elif spec.get("id"):
        out["name"] = known.get(spec["id"], f"eks-{spec['id']}")
    # the order EKS writes the members in: name, version, id
    return {key: out[key] for key in ("name", "version", "id") if out.get(key)}
