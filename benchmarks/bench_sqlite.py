"""Server-mode throughput with the state written through to SQLite (``--state x.db``) against in memory.

Run:  python benchmarks/bench_sqlite.py [--seconds 2] [--clusters 20]

Each case serves a ``MockEKSServer`` on loopback and drives it with boto3 clients (keep-alive), 1 and 4
client threads, for ``--seconds`` per batch, three batches, median taken (``describe``: DescribeCluster;
``write``: CreateCluster then DeleteCluster of a new name, so the state keeps its size); in-memory and SQLite batches
alternate so load from elsewhere slows both alike. The state holds ``--clusters`` clusters, and every
create leaves an idempotency record (boto3 sends a clientRequestToken), so the state grows during a write
batch; a write stores only the records the request reached (``mock_eks/state/sqlite_store.py``), so its
cost should not grow with the state. Goal: SQLite ≥ 50% of in-memory calls/s.
Exit status 0 when every ratio meets it.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from mock_eks.server import MockEKSServer

ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
VPC = {"subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]}
GOAL = 0.5


def client(url: str) -> Any:
    return boto3.client(
        "eks",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=8),
    )


def server(database: str | None, clusters: int) -> MockEKSServer:
    served = MockEKSServer("127.0.0.1", 0)
    served.load(database)
    served.start()
    eks = client(served.url)
    for n in range(clusters):
        eks.create_cluster(name=f"base-{n}", roleArn=ROLE, resourcesVpcConfig=VPC)
    return served


def rate(url: str, call: str, threads: int, seconds: float) -> float:
    """Calls per second over ``seconds`` with ``threads`` client threads."""
    names = itertools.count()
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def work(slot: int) -> None:
        eks = client(url)
        action: Callable[[], Any]
        if call == "describe":
            action = lambda: eks.describe_cluster(name="base-0")  # noqa: E731
        else:  # a write that leaves the state's size as it was: create, then delete, a new name

            def action() -> None:
                name = f"new-{next(names)}"
                eks.create_cluster(name=name, roleArn=ROLE, resourcesVpcConfig=VPC)
                done[slot] += 1
                eks.delete_cluster(name=name)

        while time.perf_counter() < deadline:
            action()
            done[slot] += 1

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--clusters", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        for call, threads in (("describe", 1), ("describe", 4), ("write", 1), ("write", 4)):
            memory_rates, sqlite_rates = [], []
            for repeat in range(args.repeats):
                database = str(Path(directory) / f"{call}-{threads}-{repeat}.db")
                order = [(None, memory_rates), (database, sqlite_rates)]
                for path, into in order if repeat % 2 == 0 else order[::-1]:
                    served = server(path, args.clusters)
                    try:
                        into.append(rate(served.url, call, threads, args.seconds))
                    finally:
                        served.stop()
            memory, sqlite = statistics.median(memory_rates), statistics.median(sqlite_rates)
            ratio = sqlite / memory
            ok = ok and ratio >= GOAL
            print(
                f"{call:8} {threads} thread(s): in memory {memory:7.0f}/s  SQLite {sqlite:7.0f}/s  "
                f"{ratio:5.0%}  {'OK' if ratio >= GOAL else 'BELOW GOAL'} (goal >= {GOAL:.0%})",
                flush=True,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
