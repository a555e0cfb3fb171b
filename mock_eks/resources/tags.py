"""TagResource, UntagResource, ListTagsForResource for every ARN kind a family registers in arns.TAGGABLE."""

from __future__ import annotations

from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.model import arns, messages
from mock_eks.resources.common import check_tags


def _tagged(ctx: Context, resource_arn: str) -> Any:
    parts = arns.parse(resource_arn)
    if parts is None:
        raise messages.error(ctx, "tags.valid_eks_resource_arn", resource_arn=resource_arn)
    path = parts["resource"].split("/")
    finder = arns.TAGGABLE.get(path[0])
    if finder is None:
        raise messages.error(ctx, "tags.resources_type_cannot_tagged", resource_type=path[0])
    record = None
    if (
        parts["account"] == ctx.account
        and parts["region"] == ctx.region
        and parts["partition"] == ctx.partition
    ):
        record = finder(ctx.store, path)
    if record is None:
        raise messages.error(ctx, "tags.resource_was_found", resource_arn=resource_arn)
    return record


@operation("TagResource")
def tag_resource(ctx: Context, *, resource_arn: str, tags: dict[str, str]) -> dict[str, Any]:
    record = _tagged(ctx, resource_arn)
    record.tags = check_tags(ctx, tags, record.tags)
    return {}


@operation("UntagResource")
def untag_resource(ctx: Context, *, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
    record = _tagged(ctx, resource_arn)
    record.tags = {k: v for k, v in (record.tags or {}).items() if k not in set(tag_keys)}
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Context, *, resource_arn: str) -> dict[str, Any]:
    return {"tags": dict(_tagged(ctx, resource_arn).tags or {})}
