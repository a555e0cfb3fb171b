"""Speed and memory of mock_eks, measured against the cost of a boto3 call that never leaves the process.

Run:  python benchmarks/bench_calls.py            (full run, about two and a half minutes)
      python benchmarks/bench_calls.py --quick    (under a minute: fewer repeats and smaller stores)

Every row of issue 12's table is measured in one run: start-up in fresh interpreters, in-process calls
against the floor, moto's ``mock_aws`` beside mock_eks, server mode against moto's server at 1 and 4
client threads (``pip install -e ".[bench]"`` brings moto[server]), and ``mock-eks demo``.

The floor is the same boto3 EKS client with a ``before-send`` hook that returns a canned response whose body
is one real mock_eks response (so botocore signs, sends and parses exactly the same bytes). The floor is
measured while mock_eks is NOT active: mock_eks's built-in before-send handler then returns None and the
canned hook answers. Floor and mock batches are interleaved (alternating order) and every ratio is the
median of the per-repeat ratios, so a busy machine slows both sides of a ratio alike. Each figure is the
median over repeats of the mean µs/call of one batch, measured with time.perf_counter after a warm-up, with
the garbage collector off during a batch (as timeit does).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_eks import mock_eks

REGION = "us-east-1"
BIG_REGION = "us-west-2"
ROLE = "arn:aws:iam::123456789012:role/eks-cluster-role"
NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node-role"
VPC = {"subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]}
CREDENTIALS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "benchmark-secret"}


@dataclass
class Profile:
    """How much work each section does."""

    n: int  # calls per batch
    repeats: int  # batches per case (median taken)
    enter_n: int
    moto_enter_n: int
    big: int  # clusters in the large store for ListClusters
    memory_n: int  # clusters for the memory measurement
    startups: int  # fresh interpreters per start-up figure
    server_seconds: float  # length of one server batch
    server_repeats: int
    pytest_runs: int  # trivial pytest runs with and without the plugin (0: skip)


# many short interleaved batches: a burst of load from elsewhere then spoils one pair, not the median
FULL = Profile(
    n=40,
    repeats=31,
    enter_n=200,
    moto_enter_n=8,
    big=10_000,
    memory_n=2_000,
    startups=7,
    server_seconds=0.5,
    server_repeats=15,
    pytest_runs=5,
)
QUICK = Profile(
    n=20,
    repeats=7,
    enter_n=100,
    moto_enter_n=4,
    big=1_000,
    memory_n=200,
    startups=2,
    server_seconds=0.5,
    server_repeats=3,
    pytest_runs=0,
)


# -- clients and canned responses ----------------------------------------------------------------------


def new_client(region: str = REGION) -> Any:
    return boto3.session.Session(region_name=region, **CREDENTIALS).client("eks")


class _RawBody:
    """What AWSResponse reads the body from (the same shape mock_eks's own hook uses)."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


@dataclass
class Captured:
    status: int
    headers: dict[str, str]
    body: bytes


def capture(client: Any, operation: str, call: Callable[[], Any]) -> Captured:
    """The raw response mock_eks gives to ``call`` (through the public boto3 surface)."""
    seen: list[Captured] = []

    def grab(response_dict: dict[str, Any], **_: Any) -> None:
        seen.append(
            Captured(response_dict["status_code"], dict(response_dict["headers"]), response_dict["body"])
        )

    event = f"before-parse.eks.{operation}"
    client.meta.events.register(event, grab)
    try:
        call()
    finally:
        client.meta.events.unregister(event, grab)
    return seen[-1]


def install_floor(client: Any, operation: str, canned: Captured) -> None:
    """Answer ``operation`` in-process with ``canned`` whenever mock_eks is not active."""

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, canned.status, canned.headers, _RawBody(canned.body))

    client.meta.events.register(f"before-send.eks.{operation}", answer)


# -- measurement -----------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], n: int) -> float:
    """Mean µs per call of ``n`` calls, garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in itertools.repeat(None, n):
            fn()
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed / n * 1e6


@dataclass
class Case:
    label: str
    prepare: Callable[[], Callable[[], Any]]  # runs inside ``context``; returns the timed callable
    context: Callable[[], AbstractContextManager[Any]] = nullcontext
    n: int | None = None
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def run_cases(cases: list[Case], profile: Profile, warmup: int = 10) -> None:
    """Interleave the cases' batches, alternating their order each repeat."""
    for repeat in range(profile.repeats):
        for case in cases if repeat % 2 == 0 else reversed(cases):
            with case.context():
                fn = case.prepare()
                for _ in range(warmup):
                    fn()
                case.samples.append(timed(fn, case.n or profile.n))


def paired_ratio(case: Case, base: Case) -> float:
    return statistics.median(a / b for a, b in zip(case.samples, base.samples, strict=True))


# -- report ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    value: str
    ratio: str = ""
    note: str = ""


@dataclass
class Verdict:
    target: str
    measured: str
    status: str  # PASS, FAIL, SKIP


ROWS: list[Row] = []
VERDICTS: list[Verdict] = []


def row(label: str, value: str, ratio: str = "", note: str = "") -> None:
    ROWS.append(Row(label, value, ratio, note))
    print(f"  {label:<52} {value:>14} {ratio:>10}  {note}", flush=True)


def verdict(target: str, measured: str, ok: bool | None) -> None:
    VERDICTS.append(Verdict(target, measured, "SKIP" if ok is None else ("PASS" if ok else "FAIL")))


def us(value: float) -> str:
    return f"{value:,.1f} µs"


def spread(case: Case) -> str:
    return f"[{min(case.samples):,.0f}–{max(case.samples):,.0f}]"


_STARTED = time.perf_counter()


def section(title: str) -> None:
    print(f"\n{title}  [at {time.perf_counter() - _STARTED:.0f} s]", flush=True)


# -- sections --------------------------------------------------------------------------------------------


def counter_names(prefix: str) -> Iterator[str]:
    return (f"{prefix}-{i}" for i in itertools.count())


def bench_cluster_calls(profile: Profile) -> tuple[Case, Any]:
    """Sections 1-3: the floor, describe_cluster and create_cluster under mock_eks."""
    client = new_client()
    with mock_eks:
        create_body = capture(
            client,
            "CreateCluster",
            lambda: client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC),
        )
        client.list_clusters()  # applies the transition to ACTIVE
        describe_body = capture(client, "DescribeCluster", lambda: client.describe_cluster(name="bench"))
    install_floor(client, "DescribeCluster", describe_body)
    install_floor(client, "CreateCluster", create_body)

    def describe() -> Callable[[], Any]:
        return lambda: client.describe_cluster(name="bench")

    def describe_mocked() -> Callable[[], Any]:
        client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
        client.list_clusters()
        return lambda: client.describe_cluster(name="bench")

    def create() -> Callable[[], Any]:
        names = counter_names("bench")
        return lambda: client.create_cluster(name=next(names), roleArn=ROLE, resourcesVpcConfig=VPC)

    floor_describe = Case("floor: describe_cluster (canned before-send)", describe)
    mocked_describe = Case("mock_eks: describe_cluster", describe_mocked, lambda: mock_eks)
    floor_create = Case("floor: create_cluster (canned before-send)", create)
    mocked_create = Case("mock_eks: create_cluster (unique names)", create, lambda: mock_eks)

    section(f"1-3. Cluster calls ({profile.repeats} repeats × {profile.n} calls, median [min–max] µs/call)")
    print(f"  describe body {len(describe_body.body):,} bytes, create body {len(create_body.body):,} bytes")
    run_cases([floor_describe, mocked_describe], profile)
    run_cases([floor_create, mocked_create], profile)
    row(floor_describe.label, us(floor_describe.median), "1.00×", spread(floor_describe))
    ratio = paired_ratio(mocked_describe, floor_describe)
    row(mocked_describe.label, us(mocked_describe.median), f"{ratio:.2f}×", spread(mocked_describe))
    verdict("describe_cluster ≤ 1.2× floor", f"{ratio:.2f}×", ratio <= 1.2)
    row(floor_create.label, us(floor_create.median), "1.00×", spread(floor_create))
    ratio = paired_ratio(mocked_create, floor_create)
    row(mocked_create.label, us(mocked_create.median), f"{ratio:.2f}×", spread(mocked_create))
    verdict("create_cluster ≤ 1.5× floor", f"{ratio:.2f}×", ratio <= 1.5)
    return floor_describe, client


def bench_nodegroup(profile: Profile) -> None:
    """Section 4: create_nodegroup, if another developer's handler exists yet."""
    section("4. create_nodegroup")
    client = new_client()

    def cluster_ready() -> None:
        client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
        client.list_clusters()

    def call(name: str) -> Any:
        return client.create_nodegroup(
            clusterName="bench", nodegroupName=name, nodeRole=NODE_ROLE, subnets=VPC["subnetIds"]
        )

    with mock_eks:
        cluster_ready()
        try:
            body = capture(client, "CreateNodegroup", lambda: call("probe"))
        except ClientError as error:
            info = error.response["Error"]
            if info.get("Code") == "InvalidRequestException" and "does not implement" in info.get(
                "Message", ""
            ):
                row("mock_eks: create_nodegroup", "—", "", "skipped: not implemented yet")
                verdict("create_nodegroup ≤ 2× floor", "not implemented", None)
                return
            row("mock_eks: create_nodegroup", "—", "", f"skipped: {info.get('Code')}: {info.get('Message')}")
            verdict("create_nodegroup ≤ 2× floor", f"error {info.get('Code')}", None)
            return
    install_floor(client, "CreateNodegroup", body)

    def floor() -> Callable[[], Any]:
        names = counter_names("ng")
        return lambda: call(next(names))

    def mocked() -> Callable[[], Any]:
        cluster_ready()
        return floor()

    floor_case = Case("floor: create_nodegroup (canned before-send)", floor)
    mocked_case = Case("mock_eks: create_nodegroup (unique names)", mocked, lambda: mock_eks)
    run_cases([floor_case, mocked_case], profile)
    ratio = paired_ratio(mocked_case, floor_case)
    row(floor_case.label, us(floor_case.median), "1.00×", spread(floor_case))
    row(mocked_case.label, us(mocked_case.median), f"{ratio:.2f}×", spread(mocked_case))
    verdict("create_nodegroup ≤ 2× floor", f"{ratio:.2f}×", ratio <= 2.0)


def bench_moto(profile: Profile, floor_client: Any) -> None:
    """Sections 5-6: describe_cluster under moto, and the cost of entering and leaving each mock."""
    started = time.perf_counter()
    import moto  # imported here: moto adds its own before-send handler to every client created afterwards

    import_ms = (time.perf_counter() - started) * 1e3
    moto_client = new_client()  # made after the import, so moto's handler is on it
    moto_mock = moto.mock_aws()

    def describe_moto() -> Callable[[], Any]:
        moto_client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
        return lambda: moto_client.describe_cluster(name="bench")

    def describe_mocked() -> Callable[[], Any]:
        floor_client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
        floor_client.list_clusters()
        return lambda: floor_client.describe_cluster(name="bench")

    floor_case = Case("floor: describe_cluster", lambda: lambda: floor_client.describe_cluster(name="bench"))
    mocked_case = Case("mock_eks: describe_cluster", describe_mocked, lambda: mock_eks)
    moto_case = Case("moto.mock_aws: describe_cluster", describe_moto, lambda: moto_mock)
    section(f"5. describe_cluster: mock_eks vs moto {moto.__version__} (import moto: {import_ms:,.0f} ms)")
    run_cases([floor_case, mocked_case, moto_case], profile)
    for case in (floor_case, mocked_case, moto_case):
        row(case.label, us(case.median), f"{paired_ratio(case, floor_case):.2f}×", spread(case))
    speedup = paired_ratio(moto_case, mocked_case)
    row("  moto / mock_eks", "", f"{speedup:.2f}×")

    section("6. Entering and leaving the mock (µs per with-block, nothing inside)")

    def cycle(mock: Any) -> Callable[[], Callable[[], Any]]:
        def enter_exit() -> None:
            with mock:
                pass

        return lambda: enter_exit

    eks_case = Case("with mock_eks: pass", cycle(mock_eks), n=profile.enter_n)
    moto_enter = Case("with moto.mock_aws(): pass (one instance)", cycle(moto_mock), n=profile.moto_enter_n)
    run_cases([eks_case, moto_enter], profile, warmup=2)
    ratio = paired_ratio(eks_case, moto_enter)
    row(eks_case.label, us(eks_case.median), f"{ratio:.3f}×", spread(eks_case))
    row(moto_enter.label, us(moto_enter.median), "1.000×", spread(moto_enter))
    verdict("enter+exit ≤ 0.2× moto's", f"{ratio:.3f}×", ratio <= 0.2)


# -- start-up (fresh interpreters) -----------------------------------------------------------------------


def fresh_seconds(code: str) -> float:
    """Run ``code`` in a fresh interpreter; it prints one number of seconds, which is returned."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=True
    )
    return float(result.stdout.split()[-1])


PLUGIN_IMPORT = """
    import time
    import pytest
    started = time.perf_counter()
    import mock_eks.pytest_plugin
    print(time.perf_counter() - started)
"""
PACKAGE_IMPORT = """
    import time
    import boto3
    started = time.perf_counter()
    from mock_eks import mock_eks
    print(time.perf_counter() - started)
"""
BOTO3_IMPORT = """
    import time
    started = time.perf_counter()
    import boto3
    print(time.perf_counter() - started)
"""
FIRST_CALL = """
    import time
    import boto3
    from mock_eks import mock_eks
    client = boto3.session.Session(region_name="us-east-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                                   aws_secret_access_key="x").client("eks")
    started = time.perf_counter()
    with mock_eks:
        client.list_clusters()
    print(time.perf_counter() - started)
"""


def _pytest_run_seconds(directory: str, with_plugin: bool) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", directory]
    if not with_plugin:
        command[3:3] = ["-p", "no:mock_eks"]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, timeout=120, check=True, cwd=directory)
    return time.perf_counter() - started


def bench_startup(profile: Profile) -> None:
    """Section 0: what importing the plugin and the package costs, each in a fresh interpreter."""
    section(f"0. Start-up, fresh interpreters (median of {profile.startups})")
    samples: dict[str, list[float]] = {"plugin": [], "package": [], "boto3": [], "first": []}
    for _ in range(profile.startups):
        samples["plugin"].append(fresh_seconds(PLUGIN_IMPORT))
        samples["package"].append(fresh_seconds(PACKAGE_IMPORT))
        samples["boto3"].append(fresh_seconds(BOTO3_IMPORT))
        samples["first"].append(fresh_seconds(FIRST_CALL))
    plugin, package, boto3_import, first = (statistics.median(samples[k]) * 1e3 for k in samples)
    row("import mock_eks.pytest_plugin after import pytest", f"{plugin:,.1f} ms")
    verdict("pytest plugin load ≤ 50 ms", f"{plugin:,.1f} ms", plugin <= 50)
    row("import boto3 (for scale)", f"{boto3_import:,.0f} ms")
    row("from mock_eks import mock_eks after import boto3", f"{package:,.1f} ms")
    verdict("import mock_eks ≤ 0.3 s beyond boto3", f"{package:,.1f} ms", package <= 300)
    row("first call under the mock (models loaded then)", f"{first:,.0f} ms", "", "paid once per process")
    if profile.pytest_runs:
        with tempfile.TemporaryDirectory() as directory:
            with open(os.path.join(directory, "test_trivial.py"), "w") as handle:
                handle.write("def test_nothing():\n    assert True\n")
            runs: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(profile.pytest_runs):
                for with_plugin in (False, True):
                    runs[with_plugin].append(_pytest_run_seconds(directory, with_plugin))
        without, with_ = (statistics.median(runs[k]) * 1e3 for k in (False, True))
        row("pytest run of one trivial test, -p no:mock_eks", f"{without:,.0f} ms")
        row(
            "pytest run of one trivial test, plugin loaded",
            f"{with_:,.0f} ms",
            "",
            f"+{with_ - without:,.0f} ms",
        )


# -- moto's mock_aws beside mock_eks -----------------------------------------------------------------------


class _Both:
    """``mock_aws`` outside, ``mock_eks`` inside: the combination the isolation work targets."""

    def __init__(self, outer: Any) -> None:
        self.outer = outer

    def __enter__(self) -> None:
        self.outer.__enter__()
        mock_eks.__enter__()

    def __exit__(self, *exc: object) -> None:
        mock_eks.__exit__(*exc)
        self.outer.__exit__(*exc)


def bench_beside_moto(profile: Profile) -> None:
    """Section 5b: create + describe with moto's mock_aws active too, against mock_eks alone."""
    import moto

    client = new_client()  # made after moto's import, like any client in a suite that uses moto

    def create_describe() -> Callable[[], Any]:
        names = counter_names("side")

        def call() -> None:
            name = next(names)
            client.create_cluster(name=name, roleArn=ROLE, resourcesVpcConfig=VPC)
            client.describe_cluster(name=name)

        return call

    n = max(5, profile.n // 3)  # a pair of calls each, and the pair is slow under moto today
    alone = Case("mock_eks alone: create + describe", create_describe, lambda: mock_eks, n=n)
    both = Case(
        "mock_aws + mock_eks: create + describe", create_describe, lambda: _Both(moto.mock_aws()), n=n
    )
    section("5b. Beside moto's mock_aws (create_cluster + describe_cluster)")
    run_cases([alone, both], profile, warmup=3)
    ratio = paired_ratio(both, alone)
    row(alone.label, us(alone.median), "1.00×", spread(alone))
    row(both.label, us(both.median), f"{ratio:.2f}×", spread(both))
    verdict("beside mock_aws ≤ 1.5× mock_eks alone", f"{ratio:.2f}×", ratio <= 1.5)


# -- server mode against moto's server ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310 - loopback only
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error is an answer: the server is up
                return
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} in {timeout} s")


def start_server(kind: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    if kind == "mock_eks":
        command = [sys.executable, "-m", "mock_eks", "serve", "--port", str(port)]
        probe = f"http://127.0.0.1:{port}/_mock_eks/health"
    else:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        probe = f"http://127.0.0.1:{port}/moto-api/"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(probe, process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process, f"http://127.0.0.1:{port}"


def server_client(url: str) -> Any:
    session = boto3.session.Session(region_name=REGION, **CREDENTIALS)
    return session.client("eks", endpoint_url=url, config=Config(retries={"max_attempts": 1}))


def calls_per_second(clients: list[Any], seconds: float) -> float:
    """describe_cluster calls per second from one thread per (keep-alive) client over ``seconds``."""
    threads = len(clients)
    counts = [0] * threads
    stop = threading.Event()
    failures: list[BaseException] = []

    def work(index: int) -> None:
        client = clients[index]
        try:
            while not stop.is_set():
                client.describe_cluster(name="bench")
                counts[index] += 1
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    return sum(counts) / elapsed


def bench_servers(profile: Profile) -> None:
    """Section 9: server mode, describe_cluster over keep-alive, mock_eks's server against moto's."""
    section(
        f"9. Server mode: describe_cluster calls/s over keep-alive ({profile.server_repeats} pairs of "
        f"{profile.server_seconds:.1f} s batches, alternating; ratio = median of the paired ratios)"
    )
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        for kind in ("mock_eks", "moto"):
            try:
                servers[kind] = start_server(kind)
            except Exception as error:  # noqa: BLE001 - reported as a skipped row
                row(f"{kind} server", "—", "", f"skipped: cannot start ({error}); pip install -e '.[bench]'")
        for _, url in servers.values():
            server_client(url).create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
        for threads in (1, 4):
            rates: dict[str, list[float]] = {kind: [] for kind in servers}
            clients = {
                kind: [server_client(url) for _ in range(threads)] for kind, (_, url) in servers.items()
            }
            for kind_clients in clients.values():
                for client in kind_clients:
                    client.describe_cluster(name="bench")  # connect and warm up outside the timing
            for repeat in range(profile.server_repeats):
                order = list(servers) if repeat % 2 == 0 else list(reversed(servers))
                for kind in order:
                    rates[kind].append(calls_per_second(clients[kind], profile.server_seconds))
            for kind, samples in rates.items():
                rate = statistics.median(samples)
                row(
                    f"{kind} server, {threads} client thread(s)",
                    f"{rate:,.0f} /s",
                    "",
                    f"{1e3 / rate * threads:.1f} ms/call",
                )
            goal = f"server {threads} thread(s) ≥ 2× moto's server"
            if "mock_eks" in rates and "moto" in rates:
                ratio = statistics.median(
                    a / b for a, b in zip(rates["mock_eks"], rates["moto"], strict=True)
                )
                row(f"  mock_eks / moto, {threads} thread(s)", "", f"{ratio:.2f}×")
                verdict(goal, f"{ratio:.2f}×", ratio >= 2.0)
            else:
                verdict(goal, "moto server missing", None)
    finally:
        for process, _ in servers.values():
            process.terminate()
        for process, _ in servers.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- the demo ------------------------------------------------------------------------------------------


def bench_demo(profile: Profile) -> None:
    """Section 10: ``mock-eks demo`` end to end, in a fresh interpreter, default settings."""
    section("10. mock-eks demo (default, fresh interpreter)")
    runs = []
    for _ in range(1 if profile is QUICK else 3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mock_eks", "demo"], capture_output=True, timeout=300, check=True
        )
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    row("mock-eks demo", f"{seconds:.1f} s")
    verdict("mock-eks demo ≤ 5 s", f"{seconds:.1f} s", seconds <= 5)


def _token_at(client: Any, position: int) -> str:
    """A nextToken that resumes after ``position`` clusters, reached by walking pages."""
    token: str | None = None
    done = 0
    while done < position:
        size = min(100, position - done)
        kwargs = {"maxResults": size} | ({"nextToken": token} if token else {})
        page = client.list_clusters(**kwargs)
        done += len(page["clusters"])
        token = page["nextToken"]
    assert token is not None
    return token


def bench_list(profile: Profile) -> None:
    """Section 7: ListClusters pages cost the same whatever the store's size."""
    small_client, big_client = new_client(REGION), new_client(BIG_REGION)
    page = 10
    with mock_eks:
        started = time.perf_counter()
        for i in range(100):
            small_client.create_cluster(name=f"small-{i:05d}", roleArn=ROLE, resourcesVpcConfig=VPC)
        for i in range(profile.big):
            big_client.create_cluster(name=f"big-{i:05d}", roleArn=ROLE, resourcesVpcConfig=VPC)
        build = time.perf_counter() - started
        section(
            f"7. list_clusters, maxResults={page}: 100 clusters ({REGION}) vs {profile.big:,} ({BIG_REGION})"
            f" — built through boto3 in {build:.1f} s ({build / (100 + profile.big) * 1e6:,.0f} µs/create)"
        )
        small_client.list_clusters()
        tokens = {
            small_client: _token_at(small_client, 50),
            big_client: _token_at(big_client, profile.big // 2),
        }

        def first(client: Any) -> Callable[[], Callable[[], Any]]:
            return lambda: lambda: client.list_clusters(maxResults=page)

        def middle(client: Any) -> Callable[[], Callable[[], Any]]:
            token = tokens[client]
            return lambda: lambda: client.list_clusters(maxResults=page, nextToken=token)

        cases = [
            Case("first page, 100 clusters", first(small_client)),
            Case(f"first page, {profile.big:,} clusters", first(big_client)),
            Case("middle page, 100 clusters", middle(small_client)),
            Case(f"middle page, {profile.big:,} clusters", middle(big_client)),
        ]
        run_cases(cases, profile)
        assert (
            len(big_client.list_clusters(maxResults=page, nextToken=tokens[big_client])["clusters"]) == page
        )
    for small, big, what in ((cases[0], cases[1], "first"), (cases[2], cases[3], "middle")):
        ratio = paired_ratio(big, small)
        row(small.label, us(small.median), "1.00×", spread(small))
        row(big.label, us(big.median), f"{ratio:.2f}×", spread(big))
        verdict(f"list {what} page: {profile.big:,} ≈ 100 clusters (≤ 1.2×)", f"{ratio:.2f}×", ratio <= 1.2)


def bench_memory(profile: Profile) -> None:
    """Section 8: bytes held per cluster, before and after the CA certificate is first read."""
    n = profile.memory_n
    client = new_client()
    section(f"8. Memory per cluster (tracemalloc, {n:,} clusters created through boto3, then one list call)")
    with mock_eks:
        # warm boto3's and mock_eks's caches first, so only per-cluster state is counted
        for i in range(20):
            client.create_cluster(name=f"warm-{i}", roleArn=ROLE, resourcesVpcConfig=VPC)
        client.list_clusters()
        for i in range(20):
            client.describe_cluster(name=f"warm-{i}")
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            for i in range(n):
                client.create_cluster(name=f"mem-{i:05d}", roleArn=ROLE, resourcesVpcConfig=VPC)
            client.list_clusters(maxResults=1)  # applies the CREATING -> ACTIVE transitions
            gc.collect()
            created = tracemalloc.get_traced_memory()[0]
            for i in range(n):
                client.describe_cluster(name=f"mem-{i:05d}")["cluster"]["certificateAuthority"]["data"]
            gc.collect()
            with_ca = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        status = client.describe_cluster(name="mem-00000")["cluster"]["status"]
    plain = (created - base) / n
    read = (with_ca - base) / n
    row("created, ACTIVE, CA never read", f"{plain:,.0f} B", "", f"{plain / 1024:.2f} KiB (status {status})")
    row("after one describe_cluster each (CA made)", f"{read:,.0f} B", "", f"{read / 1024:.2f} KiB")
    verdict("memory per cluster ≤ 8 KiB (CA not read)", f"{plain / 1024:.2f} KiB", plain <= 8 * 1024)
    verdict("memory per cluster ≤ 8 KiB (CA read)", f"{read / 1024:.2f} KiB", read <= 8 * 1024)


def profile_mock(calls: int = 3000, top: int = 15) -> None:
    """cProfile of describe_cluster and create_cluster under mock_eks: mock_eks's own functions by self time."""
    import cProfile
    import pstats

    client = new_client()
    for label, prepare in (
        ("describe_cluster", lambda: lambda: client.describe_cluster(name="bench")),
        (
            "create_cluster",
            lambda: (
                lambda names: (
                    lambda: client.create_cluster(name=next(names), roleArn=ROLE, resourcesVpcConfig=VPC)
                )
            )(counter_names("p")),
        ),
    ):
        with mock_eks:
            client.create_cluster(name="bench", roleArn=ROLE, resourcesVpcConfig=VPC)
            client.list_clusters()
            fn = prepare()
            for _ in range(20):
                fn()
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(calls):
                fn()
            profiler.disable()
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        total = sum(entry[2] for entry in stats.values())
        ours = sorted(
            ((entry[2], entry[3], key) for key, entry in stats.items() if "mock_eks" in key[0]), reverse=True
        )
        hook = max(
            (entry[3] for key, entry in stats.items() if key[2] in ("_answer", "botocore_before_send")),
            default=0.0,
        )
        print(
            f"\nprofile of {label} under mock_eks: its interception is {hook / total:.0%} of the call "
            f"(profiled, so inflated); top {top} mock_eks functions by self time, µs/call (cumulative):"
        )
        for self_time, cumulative, (filename, line, function) in ours[:top]:
            where = filename.split("mock_eks/", 1)[-1]
            print(
                f"  {self_time / calls * 1e6:8.1f} ({cumulative / calls * 1e6:8.1f})  {where}:{line} {function}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and smaller stores (under a minute)"
    )
    parser.add_argument("--profile", action="store_true", help="only print a cProfile of mock_eks's hot path")
    args = parser.parse_args(argv)
    if args.profile:
        profile_mock()
        return 0
    profile = QUICK if args.quick else FULL
    started = time.perf_counter()
    print(f"mock_eks benchmark ({'quick' if args.quick else 'full'}): Python {sys.version.split()[0]}")
    bench_startup(profile)
    _, floor_client = bench_cluster_calls(profile)
    bench_nodegroup(profile)
    bench_moto(profile, floor_client)
    bench_beside_moto(profile)
    bench_list(profile)
    bench_memory(profile)
    bench_servers(profile)
    bench_demo(profile)

    print("\nSummary")
    width = max(len(v.target) for v in VERDICTS)
    print(f"  {'target':<{width}}  {'measured':>16}  result")
    for v in VERDICTS:
        print(f"  {v.target:<{width}}  {v.measured:>16}  {v.status}")
    failed = [v for v in VERDICTS if v.status == "FAIL"]
    print(
        f"\n{len(VERDICTS) - len(failed)}/{len(VERDICTS)} targets met or skipped; "
        f"total time {time.perf_counter() - started:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
