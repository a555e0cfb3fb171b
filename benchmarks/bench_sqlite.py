"""Server-mode throughput with the state written through to SQLite (``--state x.db``) against in memory.

Run:  python benchmarks/bench_sqlite.py [--seconds 2] [--clusters 20]
      python benchmarks/bench_sqlite.py --kube        (the Kubernetes row only)

Each case serves a ``MockEKSServer`` on loopback and drives it with boto3 clients (keep-alive), 1 and 4
client threads, for ``--seconds`` per batch, three batches, median taken (``describe``: DescribeCluster;
``write``: CreateCluster then DeleteCluster of a new name, so the state keeps its size); in-memory and SQLite batches
alternate so load from elsewhere slows both alike. The state holds ``--clusters`` clusters, and every
create leaves an idempotency record (boto3 sends a clientRequestToken), so the state grows during a write
batch; a write stores only the records the request reached (``mock_eks/state/sqlite_store.py``), so its
cost should not grow with the state. Goal: SQLite ≥ 50% of in-memory calls/s.

``kube``: Kubernetes writes, in-process (``mock_eks()`` against ``mock_eks(state="x.db")``): ConfigMap
creates through the official ``kubernetes`` client on a cluster with a 10-node node group, ``--creates``
per batch, three batches one after the other on one state (so the objects pile up: a write that
re-encoded the cluster's objects would slow down batch by batch), rate of each batch; one in-memory run, then
one SQLite run; the ratio is of the batches' medians.
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


def kube_rates(database: str | None, creates: int, batches: int) -> list[float]:
    """ConfigMap creates per second through the ``kubernetes`` client, in-process, batch by batch."""
    from kubernetes import client, config

    from mock_eks import mock_eks

    with mock_eks(state=database) as mock:
        eks = client_in_process()
        eks.create_cluster(name="kube", roleArn=ROLE, resourcesVpcConfig=VPC)
        eks.create_nodegroup(
            clusterName="kube",
            nodegroupName="ng",
            nodeRole=ROLE,
            subnets=VPC["subnetIds"],
            scalingConfig={"minSize": 0, "maxSize": 20, "desiredSize": 10},
        )
        configuration = client.Configuration()
        config.load_kube_config_from_dict(mock.kubeconfig("kube"), client_configuration=configuration)
        core = client.CoreV1Api(client.ApiClient(configuration))
        names = itertools.count()
        rates = []
        for _ in range(batches):
            began = time.perf_counter()
            for _ in range(creates):
                body = {"metadata": {"name": f"settings-{next(names)}"}, "data": {"key": "value"}}
                core.create_namespaced_config_map("default", body)
            rates.append(creates / (time.perf_counter() - began))
        return rates


def client_in_process() -> Any:
    return boto3.client("eks", region_name="us-east-1")


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
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--kube", action="store_true", help="only the Kubernetes row")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        memory_batches = kube_rates(None, args.creates, args.repeats)
        sqlite_batches = kube_rates(str(Path(directory) / "kube.db"), args.creates, args.repeats)
        memory, sqlite = statistics.median(memory_batches), statistics.median(sqlite_batches)
        ratio = sqlite / memory
        ok = ratio >= GOAL
        print(
            f"kube creates: in memory {memory:7.0f}/s  SQLite {sqlite:7.0f}/s  {ratio:5.0%}  "
            f"{'OK' if ratio >= GOAL else 'BELOW GOAL'} (goal >= {GOAL:.0%}); by batch: in memory "
            f"{', '.join(f'{r:.0f}' for r in memory_batches)}, SQLite {', '.join(f'{r:.0f}' for r in sqlite_batches)}",
            flush=True,
        )
        cases = [] if args.kube else [("describe", 1), ("describe", 4), ("write", 1), ("write", 4)]
        for call, threads in cases:
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
