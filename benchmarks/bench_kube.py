"""Speed of a mocked cluster's Kubernetes API in-process, against the EKS API through the same mock.

Run:  python benchmarks/bench_kube.py            (about half a minute)
      python benchmarks/bench_kube.py --quick    (fewer repeats)

Rows (issue "A Kubernetes API behind every cluster endpoint"):

- ``GET /api/v1/nodes`` of a 10-node cluster, sent with urllib3 (what the official ``kubernetes`` client
  sends through) and answered in-process, against ``describe_cluster`` of the same cluster with boto3; the
  target is a ratio of at most 1.5. The same list through the ``kubernetes`` client (its model
  deserialization included) is shown for information.
- Listing 5,000 nodes (12 node groups) with ``limit=500`` against ``limit=10``, each page resumed from a
  ``continue`` token taken from the middle of the list, the body read but not decoded (decoding 50 times
  the JSON is the client's cost, not the mock's); the target is a per-page ratio of at most 3.

Figures are medians over repeats of the mean µs per call of a batch (garbage collector off in a batch,
batches of the two sides of a ratio alternating). Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
import urllib3

from mock_eks import mock_eks

ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node-role"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


def batch(call: Callable[[], Any], n: int) -> float:
    for _ in range(3):
        call()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(n):
            call()
        return (time.perf_counter() - start) / n * 1e6
    finally:
        gc.enable()


def compare(
    left: Callable[[], Any], right: Callable[[], Any], n: int, repeats: int
) -> tuple[float, float, float]:
    lefts, rights, ratios = [], [], []
    for repeat in range(repeats):
        pair = [(left, lefts), (right, rights)]
        for call, into in pair if repeat % 2 == 0 else pair[::-1]:
            into.append(batch(call, n))
        ratios.append(lefts[-1] / rights[-1])
    return statistics.median(lefts), statistics.median(rights), statistics.median(ratios)


def cluster(eks: Any, name: str, groups: list[int]) -> str:
    eks.create_cluster(name=name, roleArn=ROLE, resourcesVpcConfig={"subnetIds": SUBNETS})
    for index, size in enumerate(groups):
        eks.create_nodegroup(
            clusterName=name,
            nodegroupName=f"ng-{index}",
            nodeRole=NODE_ROLE,
            subnets=SUBNETS,
            scalingConfig={"minSize": 0, "maxSize": 450, "desiredSize": size},
        )
    return eks.describe_cluster(name=name)["cluster"]["endpoint"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    n, repeats = (50, 5) if options.quick else (200, 9)
    failures = 0
    with mock_eks() as m:
        eks = boto3.client("eks", region_name="us-east-1")
        endpoint = cluster(eks, "ten", [10])
        token = m.kubeconfig("ten")["users"][0]["user"]["token"]
        pool = urllib3.PoolManager()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

        def get_nodes() -> Any:
            answer = pool.request("GET", f"{endpoint}/api/v1/nodes", headers=headers)
            assert answer.status == 200 and len(json.loads(answer.data)["items"]) == 10

        def describe() -> Any:
            eks.describe_cluster(name="ten")

        kube_us, eks_us, ratio = compare(get_nodes, describe, n, repeats)
        ok = ratio <= 1.5
        failures += not ok
        print(
            f"GET /api/v1/nodes (10 nodes, urllib3) {kube_us:8.0f} µs  DescribeCluster {eks_us:8.0f} µs  ratio {ratio:.2f} (target <= 1.5) {'OK' if ok else 'MISS'}"
        )
        try:
            from kubernetes import client, config

            configuration = client.Configuration()
            config.load_kube_config_from_dict(m.kubeconfig("ten"), client_configuration=configuration)
            core = client.CoreV1Api(client.ApiClient(configuration))
            models_us, eks_us2, ratio2 = compare(lambda: core.list_node(), describe, max(10, n // 4), repeats)
            print(
                f"  for information: kubernetes client list_node() {models_us:8.0f} µs ({ratio2:.2f}x DescribeCluster; model deserialization included)"
            )
        except ImportError:
            print("  (kubernetes client not installed: pip install -e '.[test]')")

        endpoint = cluster(eks, "big", [417] * 11 + [413])
        token = m.kubeconfig("big")["users"][0]["user"]["token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        started = time.perf_counter()
        first = json.loads(pool.request("GET", f"{endpoint}/api/v1/nodes?limit=2500", headers=headers).data)
        print(
            f"5,000 nodes: first request (nodes made from the node groups) {time.perf_counter() - started:.2f} s"
        )
        middle = first["metadata"]["continue"]

        def page(limit: int) -> Callable[[], Any]:
            def call() -> Any:
                answer = pool.request(
                    "GET", f"{endpoint}/api/v1/nodes?limit={limit}&continue={middle}", headers=headers
                )
                assert answer.status == 200  # the client's own JSON decoding is not the mock's cost

            return call

        big_us, small_us, page_ratio = compare(page(500), page(10), max(10, n // 10), repeats)
        ok = page_ratio <= 3
        failures += not ok
        print(
            f"5,000 nodes: page of 500 {big_us:8.0f} µs  page of 10 {small_us:8.0f} µs  ratio {page_ratio:.2f} (target <= 3) {'OK' if ok else 'MISS'}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
