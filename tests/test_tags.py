"""TagResource, UntagResource, ListTagsForResource on cluster ARNs."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.helpers import create_cluster, error_of


def test_tag_untag_list(eks_client):
    arn = create_cluster(eks_client, "tagged", tags={"a": "1"})["arn"]
    eks_client.tag_resource(resourceArn=arn, tags={"b": "2", "a": "one"})
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "one", "b": "2"}
    eks_client.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert eks_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert eks_client.describe_cluster(name="tagged")["cluster"]["tags"] == {"b": "2"}


def test_more_than_50_tags_after_merge_is_bad_request(eks_client):
    arn = create_cluster(eks_client, "full", tags={f"k{i}": "v" for i in range(45)})["arn"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.tag_resource(resourceArn=arn, tags={f"n{i}": "v" for i in range(6)})
    assert error_of(excinfo)[:2] == ("BadRequestException", 400)
    assert len(eks_client.list_tags_for_resource(resourceArn=arn)["tags"]) == 45


def test_reserved_prefix_is_bad_request(eks_client):
    arn = create_cluster(eks_client, "res")["arn"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.tag_resource(resourceArn=arn, tags={"aws:cloudformation:stack": "x"})
    assert error_of(excinfo)[:2] == ("BadRequestException", 400)


def test_unknown_resource_is_not_found(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_tags_for_resource(resourceArn="arn:aws:eks:us-east-1:123456789012:cluster/none")
    assert error_of(excinfo)[:2] == ("NotFoundException", 404)
    arn = create_cluster(eks_client, "elsewhere")["arn"]
    with pytest.raises(ClientError) as excinfo:
        eks_client.list_tags_for_resource(resourceArn=arn.replace("us-east-1", "eu-west-1"))
    assert error_of(excinfo)[0] == "NotFoundException"


def test_malformed_arn_is_bad_request(eks_client):
    with pytest.raises(ClientError) as excinfo:
        eks_client.tag_resource(resourceArn="not-an-arn", tags={"a": "b"})
    assert error_of(excinfo)[:2] == ("BadRequestException", 400)
