"""One shared `mock-eks serve` for many CI jobs: each job is an account (a 12-digit access key id is the
account, as the README's account rule says), and the control endpoints act on one account when told to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.helpers import create_cluster, error_of
from tests.serving import Served, document, eks_client, request, serving

A, B = "111111111111", "222222222222"


@pytest.fixture(scope="module")
def shared() -> Iterator[Served]:
    with serving() as served:
        yield served


@pytest.fixture
def server(shared: Served) -> Served:
    assert request(shared, "POST", "/_mock_eks/reset", b"")[0] == 200
    assert request(shared, "DELETE", "/_mock_eks/faults")[0] == 200
    return shared


def names(served: Served, account: str, region: str = "us-east-1") -> list[str]:
    return list(eks_client(served.url, account, region).list_clusters()["clusters"])


def populate(served: Served) -> None:
    for account in (A, B):
        for region in ("us-east-1", "eu-west-1"):
            create_cluster(eks_client(served.url, account, region), f"{account[:1]}-{region}")


def test_reset_of_one_account_or_one_of_its_regions(server: Served) -> None:
    populate(server)
    assert request(server, "POST", f"/_mock_eks/reset?account={A}&region=eu-west-1", b"")[0] == 200
    assert names(server, A, "eu-west-1") == [] and names(server, A) == ["1-us-east-1"]
    assert request(server, "POST", f"/_mock_eks/reset?account={A}", b"")[0] == 200
    assert names(server, A) == []
    assert names(server, B) == ["2-us-east-1"] and names(server, B, "eu-west-1") == ["2-eu-west-1"]
    for bad in (
        "?account=12345",
        "?region=us-east-1",
        f"?account={A}&region=mars-1",
        f"?account={A}&account={B}",
    ):
        status, _, body = request(server, "POST", f"/_mock_eks/reset{bad}", b"")
        assert status == 400, bad
        assert json.loads(body)["message"]
    assert names(server, B) == ["2-us-east-1"]


def test_state_of_one_account_is_read_and_replaced_alone(server: Served) -> None:
    populate(server)
    snapshot = document(request(server, "GET", f"/_mock_eks/state?account={A}"))
    assert {region["account"] for region in snapshot["regions"]} == {A}
    assert request(server, "POST", f"/_mock_eks/reset?account={A}", b"")[0] == 200
    create_cluster(eks_client(server.url, B), "b-later")
    assert request(server, "PUT", f"/_mock_eks/state?account={A}", json.dumps(snapshot).encode())[0] == 200
    assert names(server, A) == ["1-us-east-1"] and names(server, A, "eu-west-1") == ["1-eu-west-1"]
    assert names(server, B) == ["2-us-east-1", "b-later"]
    # a snapshot holding another account cannot be put as this one: nothing changes
    whole = request(server, "GET", "/_mock_eks/state")[2]
    status, _, body = request(server, "PUT", f"/_mock_eks/state?account={A}", whole)
    assert status == 400 and B in json.loads(body)["message"]
    assert names(server, B) == ["2-us-east-1", "b-later"]
    # without account: the whole state, as before
    full = document(request(server, "GET", "/_mock_eks/state"))
    assert {region["account"] for region in full["regions"]} == {A, B}


def test_pending_transitions_belong_to_their_account() -> None:
    with serving("--timing", "realistic") as served:
        create_cluster(eks_client(served.url, A), "a")
        create_cluster(eks_client(served.url, B), "b")
        assert len(document(request(served, "GET", f"/_mock_eks/state?account={A}"))["lifecycle"]) == 1
        assert request(served, "POST", f"/_mock_eks/reset?account={A}", b"")[0] == 200
        assert len(document(request(served, "GET", "/_mock_eks/state"))["lifecycle"]) == 1
        assert request(served, "POST", "/_mock_eks/clock/advance", b'{"seconds": 3600}')[0] == 200
        assert eks_client(served.url, B).describe_cluster(name="b")["cluster"]["status"] == "ACTIVE"
        assert names(served, A) == []


def test_faults_added_for_an_account_act_only_on_it(server: Served) -> None:
    fault = {"operation": "ListClusters", "code": "ServerException", "account": A}
    status, _, body = request(server, "POST", "/_mock_eks/faults/calls", json.dumps(fault).encode())
    assert status == 200, body
    with pytest.raises(ClientError) as excinfo:
        names(server, A)
    assert error_of(excinfo)[0] == fault["code"]
    assert names(server, B) == []
    lifecycle = {"kind": "cluster.create", "code": "AccessDenied", "account": B}
    assert request(server, "POST", "/_mock_eks/faults/lifecycle", json.dumps(lifecycle).encode())[0] == 200
    create_cluster(eks_client(server.url, A), "fine")
    create_cluster(eks_client(server.url, B), "fails")
    assert eks_client(server.url, A).describe_cluster(name="fine")["cluster"]["status"] == "ACTIVE"
    assert eks_client(server.url, B).describe_cluster(name="fails")["cluster"]["status"] == "FAILED"
    pending = document(request(server, "GET", f"/_mock_eks/state?account={A}"))["faults"]
    assert [call["account"] for call in pending["calls"]] == [A]
    assert request(server, "DELETE", f"/_mock_eks/faults?account={A}")[0] == 200
    assert names(server, A) == ["fine"]
    bad = {"operation": "ListClusters", "code": fault["code"], "account": "me"}
    assert request(server, "POST", "/_mock_eks/faults/calls", json.dumps(bad).encode())[0] == 400


def test_a_tenants_reset_and_restore_remove_what_the_link_made_for_it_in_moto() -> None:
    """With moto in the server (`--moto link`, the default), a node group's Auto Scaling group is made in
    moto for it; a whole reset removes what the link made, and a tenant's reset or restore removes what it
    made for that tenant only. A tenant's state carries the link's record of what it made for it."""
    pytest.importorskip("flask")  # moto's server application (moto[server])
    from tests.test_moto_link import cluster_in_moto, nodegroup

    with serving() as served:

        def clients(account: str) -> list[Any]:
            session = boto3.Session(
                region_name="us-east-1", aws_access_key_id=account, aws_secret_access_key="secret"
            )
            return [
                session.client(name, endpoint_url=served.url) for name in ("eks", "ec2", "iam", "autoscaling")
            ]

        groups = {}
        for account in ("111111111111", "222222222222", "333333333333"):
            eks, ec2, iam, _ = clients(account)
            _, _, subnets, role = cluster_in_moto(eks, ec2, iam)
            groups[account] = nodegroup(eks, subnets, role)["resources"]["autoScalingGroups"][0]["name"]

        def in_moto() -> set[str]:
            return {
                account
                for account, group in groups.items()
                if clients(account)[3].describe_auto_scaling_groups(AutoScalingGroupNames=[group])[
                    "AutoScalingGroups"
                ]
            }

        assert in_moto() == set(groups)
        assert request(served, "POST", "/_mock_eks/reset?account=111111111111", b"")[0] == 200
        assert in_moto() == {"222222222222", "333333333333"}

        own = document(request(served, "GET", "/_mock_eks/state?account=222222222222"))
        assert own["moto_link"] and {entry[1] for entry in own["moto_link"]} == {"222222222222"}
        assert (
            request(served, "PUT", "/_mock_eks/state?account=222222222222", json.dumps(own).encode())[0]
            == 200
        )
        assert in_moto() == {"222222222222", "333333333333"}  # what the restored state claims stays

        empty = document(request(served, "GET", "/_mock_eks/state?account=444444444444"))
        assert (
            request(served, "PUT", "/_mock_eks/state?account=333333333333", json.dumps(empty).encode())[0]
            == 200
        )
        assert in_moto() == {"222222222222"}
        assert served.stop()[0] == 0
