"""The cost of the moto link (issue 14): the same EKS calls with moto's mock_aws active, linked and not.

    python benchmarks/bench_moto_link.py [--quick]

Rows (medians over repeats, µs per call): describe_cluster, create_cluster on moto subnets, and
create_nodegroup on moto subnets (which makes a launch template, an Auto Scaling group and two
instances in moto), each under ``mock_eks(moto="link")`` and ``mock_eks(moto="off")``, with
``mock_aws()`` active in both. A separate script from bench_calls.py (owned by the speed work) so the
two can evolve apart; not part of the test suite (timings depend on the machine and its load).
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAMOCKEKSBENCH0000")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # moto's AMI catalogue is not what is measured

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from mock_eks import mock_eks  # noqa: E402

REGION = "us-east-1"


def network(ec2: Any, iam: Any) -> tuple[list[str], str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in enumerate("ab")
    ]
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    return subnets, role


def measure(mode: str, n: int) -> dict[str, float]:
    """Mean µs per call of each operation in one activation of mock_aws + mock_eks(moto=mode)."""
    with mock_aws(), mock_eks(moto=mode):
        ec2, iam, eks = (boto3.client(s, region_name=REGION) for s in ("ec2", "iam", "eks"))
        subnets, role = network(ec2, iam)
        vpc = {"subnetIds": subnets}
        eks.create_cluster(name="base", roleArn=role, resourcesVpcConfig=vpc)
        counter = iter(range(10**9))

        def create_cluster() -> None:
            eks.create_cluster(name=f"c{next(counter)}", roleArn=role, resourcesVpcConfig=vpc)

        def create_nodegroup() -> None:
            eks.create_nodegroup(
                clusterName="base",
                nodegroupName=f"ng{next(counter)}",
                nodeRole=role,
                subnets=subnets,
                scalingConfig={"minSize": 1, "maxSize": 2, "desiredSize": 2},
            )

        def describe_cluster() -> None:
            eks.describe_cluster(name="base")

        return {
            "describe_cluster": timed(describe_cluster, n),
            "create_cluster": timed(create_cluster, n),
            "create_nodegroup": timed(create_nodegroup, max(n // 4, 5)),
        }


def timed(fn: Callable[[], None], n: int) -> float:
    for _ in range(3):
        fn()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - start) / n * 1e6
    finally:
        gc.enable()


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    repeats, n = (3, 40) if quick else (7, 120)
    runs: dict[str, list[dict[str, float]]] = {"off": [], "link": []}
    for repeat in range(repeats):
        for mode in ("off", "link") if repeat % 2 == 0 else ("link", "off"):
            runs[mode].append(measure(mode, n))
    print(f"moto link cost (mock_aws active in both; medians of {repeats} repeats, µs per call)")
    print(f"{'operation':<18} {'moto=off':>10} {'moto=link':>10} {'link/off':>9}")
    for operation in runs["off"][0]:
        off = statistics.median(r[operation] for r in runs["off"])
        link = statistics.median(r[operation] for r in runs["link"])
        ratios = [a[operation] / b[operation] for a, b in zip(runs["link"], runs["off"], strict=True)]
        print(f"{operation:<18} {off:>10.0f} {link:>10.0f} {statistics.median(ratios):>8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
