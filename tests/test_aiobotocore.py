"""aiobotocore clients in-process under mock_eks.

aiobotocore pins its own botocore, so CI runs this file in a separate environment (``.ci/run``,
extra ``[aio]``); where aiobotocore is not installed the file is skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("aiobotocore")

import boto3  # noqa: E402
from aiobotocore.session import get_session  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from mock_eks import mock_eks  # noqa: E402
from tests.helpers import ROLE, SUBNETS, cluster_params  # noqa: E402


async def _create(client: Any, name: str) -> dict[str, Any]:
    response = await client.create_cluster(**cluster_params(name))
    return response["cluster"]


def test_create_and_describe():
    async def scenario() -> tuple[str, str]:
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            created = await _create(client, "async-one")
            described = (await client.describe_cluster(name="async-one"))["cluster"]
            return created["status"], described["status"]

    with mock_eks():
        assert asyncio.run(scenario()) == ("CREATING", "ACTIVE")


def test_paginators_and_waiters():
    async def scenario() -> list[str]:
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            for index in range(5):
                await _create(client, f"c{index}")
            await client.get_waiter("cluster_active").wait(name="c4", WaiterConfig={"Delay": 0})
            names = []
            async for page in client.get_paginator("list_clusters").paginate(
                PaginationConfig={"PageSize": 2}
            ):
                names.extend(page["clusters"])
            await client.delete_cluster(name="c4")
            await client.get_waiter("cluster_deleted").wait(name="c4", WaiterConfig={"Delay": 0})
            return names

    with mock_eks():
        assert asyncio.run(scenario()) == [f"c{i}" for i in range(5)]


def test_errors_are_typed():
    async def scenario() -> str:
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            try:
                await client.describe_cluster(name="missing")
            except ClientError as error:
                return error.response["Error"]["Code"]
            return "no error"

    with mock_eks():
        assert asyncio.run(scenario()) == "ResourceNotFoundException"


def test_eks_auth():
    async def scenario() -> str:
        async with get_session().create_client("eks-auth", region_name="us-east-1") as client:
            try:
                await client.assume_role_for_pod_identity(clusterName="missing", token="x" * 40)
            except ClientError as error:
                return error.response["Error"]["Code"]
            return "no error"

    with mock_eks():
        # the same answer a botocore client gets from the same mock
        try:
            boto3.client("eks-auth", region_name="us-east-1").assume_role_for_pod_identity(
                clusterName="missing", token="x" * 40
            )
        except ClientError as error:
            expected = error.response["Error"]["Code"]
        assert asyncio.run(scenario()) == expected != "UnknownOperationException"


_IMPORTED_INSIDE = """
import asyncio, socket
def refuse(*args, **kwargs):
    raise OSError("escaped to the network")
socket.getaddrinfo = refuse
socket.socket.connect = refuse
from mock_eks import mock_eks
with mock_eks():
    from aiobotocore.session import get_session   # first imported while the mock is active
    async def main():
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            return (await client.list_clusters())["clusters"]
    print(asyncio.run(main()))
"""


def test_aiobotocore_imported_while_active():
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "x"}
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTED_INSIDE], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


_WAITER_IMPORTED_INSIDE = """
import asyncio, json
from mock_eks import mock_eks
with mock_eks(timing="realistic", durations={"cluster.create": 60}) as m:
    from aiobotocore.session import get_session   # first imported while the mock is active
    async def main():
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            await client.create_cluster(name="late", roleArn=ROLE, resourcesVpcConfig={"subnetIds": SUBNETS})
            await client.get_waiter("cluster_active").wait(name="late")  # default delay: 30 s between polls
            return (await client.describe_cluster(name="late"))["cluster"]["status"]
    status = asyncio.run(main())
    print(json.dumps({"status": status, "mock_seconds": m.backend.clock_offset}))
"""


def test_waiters_of_aiobotocore_imported_while_active_sleep_in_mock_time():
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "x"}
    program = f"ROLE = {ROLE!r}\nSUBNETS = {SUBNETS!r}\n" + _WAITER_IMPORTED_INSIDE
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # the waiter's two 30 s sleeps passed in mock time (a real sleep would leave the mock clock where it was)
    assert json.loads(result.stdout) == {"status": "ACTIVE", "mock_seconds": 60.0}


def test_waiters_sleep_in_mock_time_under_realistic_timing():
    async def scenario() -> int:
        async with get_session().create_client("eks", region_name="us-east-1") as client:
            polls = [0]
            client.meta.events.register(
                "before-call.eks.DescribeCluster", lambda **_: polls.__setitem__(0, polls[0] + 1)
            )
            await _create(client, "slow")
            await client.get_waiter("cluster_active").wait(name="slow")  # default delay: 30 s between polls
            return polls[0]

    with mock_eks(timing="realistic") as m:
        start = m.advance(0)
        # cluster.create takes 600 s of mock time: polls at 0, 30, ..., 600 s
        assert asyncio.run(scenario()) == 21
        assert m.advance(0) - start >= 600


def test_explicit_credentials_never_sign_eks_requests():
    async def scenario() -> list[str]:
        seen: list[str] = []
        session = get_session()
        session.set_credentials("AKIAREALEXPLICITKEY0", "real-secret", "real-token")
        async with session.create_client("eks", region_name="us-east-1") as client:
            client.meta.events.register_last(
                "request-created.eks", lambda request, **_: seen.append(str(request.headers["Authorization"]))
            )
            await _create(client, "explicit")
            assert (await client.list_clusters())["clusters"] == ["explicit"]
        return seen

    with mock_eks():
        seen = asyncio.run(scenario())
    assert len(seen) == 2
    assert all("Credential=AKIAMOCKEKSTESTING00/" in header for header in seen)


def test_retry_back_off_passes_in_mock_time():
    """aiobotocore retries a throttled call after an async back-off (AioEndpoint._sleep): two throttles
    (standard mode: a random back-off of up to 1 s, then up to 2 s) pass in mock time, not on the wall."""
    from botocore.config import Config

    async def scenario() -> str:
        config = Config(retries={"mode": "standard", "total_max_attempts": 3})
        async with get_session().create_client("eks", region_name="us-east-1", config=config) as client:
            await _create(client, "busy")
            return (await client.describe_cluster(name="busy"))["cluster"]["name"]

    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float, *args: Any) -> Any:
        slept.append(seconds)
        return await real_sleep(0)

    with mock_eks() as m:
        m.faults.fail_calls("DescribeCluster", "ThrottlingException", times=2)
        start = m.advance(0)
        asyncio.sleep = recording_sleep  # type: ignore[assignment]
        try:
            assert asyncio.run(scenario()) == "busy"
        finally:
            asyncio.sleep = real_sleep  # type: ignore[assignment]
        passed = m.advance(0) - start
    # every real sleep was a bare yield to the event loop; the back-off moved the mock's clock
    assert slept and set(slept) == {0}
    assert passed > 0
