"""Server mode's Kubernetes API against its EKS API: requests per second over keep-alive connections.

Run:  python benchmarks/bench_kube_server.py            (about half a minute)
      python benchmarks/bench_kube_server.py --quick    (a few seconds)
      python benchmarks/bench_kube_server.py --path /version --threads 4

``mock-eks serve`` runs in its own process on a free loopback port, with a cluster "demo" and a node group
of 10 nodes. Two kinds of client, each one ``http.client`` connection per thread, opened and warmed up
before timing, so the figures are the server's cost and not a SDK's:

- EKS: ``GET /clusters/demo`` (DescribeCluster) with a SigV4 ``Authorization`` header (the server reads
  the credential scope from it and checks no signature);
- Kubernetes: ``CONNECT <endpoint>:443`` once, TLS verified against the cluster's CA, then ``GET <path>``
  (default ``/api/v1/nodes``) with the bearer token ``/_mock_eks/get-token`` makes, as kubectl sends it.

Batches of the two alternate for a fixed time each; the ratio is the median of the paired ratios, so a
burst of load from elsewhere spoils one pair, not the result. Goal: Kubernetes ≥ 50% of the EKS rate.
A path the server answers with an error is reported as such: its rate measures the error path.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable

import boto3

ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node-role"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
KEY, SECRET = "AKIAMOCKEKSTESTING00", "mock-eks-secret"
SIGV4 = (
    f"AWS4-HMAC-SHA256 Credential={KEY}/20260101/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    server = subprocess.Popen(
        [sys.executable, "-m", "mock_eks", "serve", "--port", str(port), "--moto", "off"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock_eks/health", timeout=1).close()  # noqa: S310
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("mock-eks serve did not start")


def eks_client(url: str) -> Callable[[], int]:
    connection = http.client.HTTPConnection(url.split("//")[1], timeout=30)
    headers = {"Authorization": SIGV4}

    def call() -> int:
        connection.request("GET", "/clusters/demo", headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status

    return call


def kube_client(port: int, host: str, ca: str, token: str, path: str) -> Callable[[], int]:
    context = ssl.create_default_context(cadata=ca)
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    connection.set_tunnel(host, 443)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call() -> int:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status

    return call


def rate(clients: list[Callable[[], int]], seconds: float) -> float:
    """Requests per second over ``seconds``, one thread per client."""
    counts = [0] * len(clients)
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        call = clients[index]
        while time.monotonic() < stop:
            call()
            counts[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--path", default="/api/v1/nodes")
    args = parser.parse_args()
    seconds, repeats = (0.5, 3) if args.quick else (1.0, 11)
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        eks = boto3.client(
            "eks",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        )
        eks.create_cluster(name="demo", roleArn=ROLE, resourcesVpcConfig={"subnetIds": SUBNETS})
        eks.create_nodegroup(
            clusterName="demo",
            nodegroupName="workers",
            nodeRole=NODE_ROLE,
            subnets=SUBNETS,
            scalingConfig={"minSize": 1, "maxSize": 10, "desiredSize": 10},
        )
        cluster = eks.describe_cluster(name="demo")["cluster"]
        host = cluster["endpoint"].split("//")[1]
        ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
        query = f"cluster=demo&region=us-east-1&accessKeyId={KEY}"
        with urllib.request.urlopen(f"{url}/_mock_eks/get-token?{query}", timeout=10) as answer:  # noqa: S310
            token = json.loads(answer.read())["status"]["token"]
        eks_clients = [eks_client(url) for _ in range(args.threads)]
        kube_clients = [kube_client(port, host, ca, token, args.path) for _ in range(args.threads)]
        statuses = {client() for client in eks_clients} | {client() for client in kube_clients}
        kube_status = kube_clients[0]()
        eks_rates: list[float] = []
        kube_rates: list[float] = []
        for repeat in range(repeats):
            order = [(eks_clients, eks_rates), (kube_clients, kube_rates)]
            for clients, rates in order if repeat % 2 == 0 else reversed(order):
                rates.append(rate(clients, seconds))
        ratios = [k / e for k, e in zip(kube_rates, eks_rates, strict=True)]
    finally:  # (the server ends idle keep-alive connections itself when it stops)
        server.terminate()
        server.wait(timeout=10)
    ratio = statistics.median(ratios)
    print(f"server mode, {args.threads} client thread(s), keep-alive, {repeats} paired batches of {seconds}s")
    print(f"  EKS DescribeCluster           {statistics.median(eks_rates):8.0f} req/s")
    print(
        f"  Kubernetes GET {args.path:<14} {statistics.median(kube_rates):8.0f} req/s (HTTP {kube_status}, TLS)"
    )
    print(
        f"  ratio {ratio:.0%} [{min(ratios):.0%}-{max(ratios):.0%}]  goal >= 50%: {'OK' if ratio >= 0.5 else 'MISS'}"
    )
    if kube_status != 200:
        print(f"  note: {args.path} answered {kube_status}; statuses seen: {sorted(statuses)}")
    return 0 if ratio >= 0.5 and kube_status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
