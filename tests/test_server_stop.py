"""`mock-eks serve` start and stop, against real processes, real signals and loopback sockets: bad arguments,
the state file (checked at start, written after the last answer, through links, mode kept, no temporaries),
seeds (bounded, replayed once into a fresh state, before anything is answered)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mock_eks import mock_eks
from mock_eks.state.seeds import SeedError
from tests.helpers import ROLE, SUBNETS
from tests.serving import eks_client, request, serving, start

WRITERS = 8
SEED = f"""- operation: create_cluster
  params: {{name: demo, roleArn: "{ROLE}", resourcesVpcConfig: {{subnetIds: {json.dumps(SUBNETS)}}}}}
"""


def run_serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mock_eks", "serve", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def all_clusters(url: str, access_key: str = "AKIDEXAMPLE") -> list[str]:
    eks = eks_client(url, access_key)
    return [name for page in eks.get_paginator("list_clusters").paginate() for name in page["clusters"]]


# -- arguments --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "-1"], "--port"),
        (["--port", "http"], "--port"),
        (["--durations", "cluster.create"], "--durations"),
        (["--durations", "cluster.create=soon"], "--durations"),
        (["--seed", "/nonexistent/seed.yaml"], "--seed"),
        (["--state", "/nonexistent/dir/state.json"], "--state"),
        (["--state", "/proc/mock-eks-state.json"], "--state"),  # not writable, even by root
        (["--public-url", "eks.local"], "--public-url"),
    ],
)
def test_a_bad_argument_is_one_line_with_serves_usage_and_exit_2(args: list[str], named: str) -> None:
    result = run_serve(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: mock-eks serve ")
    [error] = [line for line in result.stderr.splitlines() if "error:" in line]
    assert error.startswith(f"mock-eks serve: error: argument {named}")
    assert result.stdout == ""


def test_a_state_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    result = run_serve("--state", str(tmp_path))
    assert result.returncode == 2 and "argument --state" in result.stderr


# -- stopping ---------------------------------------------------------------------------------------------


def _writer(
    url: str, prefix: str, acknowledged: list[str], enough: threading.Event, total: list[int]
) -> None:
    """Create clusters over one keep-alive connection until the server stops answering."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = {"roleArn": ROLE, "resourcesVpcConfig": {"subnetIds": SUBNETS}}
    for index in range(100_000):  # bounded: the server stops long before
        name = f"{prefix}-{index}"
        try:
            connection.request(
                "POST", "/clusters", json.dumps({**body, "name": name}), {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            try:  # a closed keep-alive connection: the client opens another, as SDKs do
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                connection.request(
                    "POST",
                    "/clusters",
                    json.dumps({**body, "name": name}),
                    {"Content-Type": "application/json"},
                )
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                return
        if 200 <= response.status < 300:
            acknowledged.append(name)
            total[0] += 1
            if total[0] >= 40 * WRITERS:
                enough.set()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_under_keep_alive_load_loses_no_acknowledged_create(tmp_path: Path, signum: int) -> None:
    state = tmp_path / "state.json"
    served = start("--state", str(state))
    acknowledged: list[str] = []
    enough = threading.Event()
    total = [0]
    writers = [
        threading.Thread(target=_writer, args=(served.url, f"w{n}", acknowledged, enough, total), daemon=True)
        for n in range(WRITERS)
    ]
    try:
        for writer in writers:
            writer.start()
        assert enough.wait(120), "the writers did not get going"
        status, out, err = served.stop(signum)
        for writer in writers:
            writer.join(60)
            assert not writer.is_alive()
    finally:
        if served.process.poll() is None:
            served.process.kill()
    assert status == 0, err
    assert "Traceback" not in err and f"state written to {state}" in out
    with serving("--state", str(state)) as again:
        saved = set(all_clusters(again.url))
        assert again.stop()[0] == 0
    lost = [name for name in acknowledged if name not in saved]
    assert len(acknowledged) >= 40 * WRITERS and lost == []


def test_stop_closes_idle_keep_alive_connections_and_refuses_new_ones(tmp_path: Path) -> None:
    served = start("--state", str(tmp_path / "s.json"))
    idle = socket.create_connection((served.host, served.port), timeout=30)
    idle.sendall(b"GET /_mock_eks/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert b"200 OK" in idle.recv(65536)
    status, _, _ = served.stop(signal.SIGTERM)
    assert status == 0
    assert idle.recv(65536) == b""  # closed by the server, not left open
    idle.close()
    with pytest.raises(OSError):
        socket.create_connection((served.host, served.port), timeout=5).close()


# -- the state file ---------------------------------------------------------------------------------------


def test_a_symlinked_state_file_is_written_through_its_link_keeping_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "real" / "state.json"
    real.parent.mkdir()
    with serving("--state", str(real)) as served:
        eks_client(served.url).create_cluster(
            name="c1", roleArn=ROLE, resourcesVpcConfig={"subnetIds": SUBNETS}
        )
        assert served.stop()[0] == 0
    assert stat.S_IMODE(real.stat().st_mode) == 0o666 & ~_umask()
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with serving("--state", str(link)) as served:
        assert all_clusters(served.url) == ["c1"]
        eks_client(served.url).create_cluster(
            name="c2", roleArn=ROLE, resourcesVpcConfig={"subnetIds": SUBNETS}
        )
        assert served.stop(signal.SIGHUP)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert {c["$kind"] for c in json.loads(real.read_text())["objects"]}  # a snapshot, both clusters in it
    assert sorted(os.listdir(real.parent)) == ["state.json"]
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_temporaries_left_by_a_killed_writer_are_removed_at_the_next_start(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    stale = [tmp_path / ".state.json.abc123.tmp", tmp_path / ".state.json.zz_9.tmp"]
    for path in stale:
        path.write_text("x" * 1000)
    other = tmp_path / ".other.json.abc.tmp"
    other.write_text("not ours")
    with serving("--state", str(state)) as served:
        assert not any(path.exists() for path in stale)
        assert other.exists()
        assert served.stop()[0] == 0
    assert sorted(os.listdir(tmp_path)) == [".other.json.abc.tmp", "state.json"]


# -- seeds ------------------------------------------------------------------------------------------------

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def test_an_alias_bomb_seed_is_refused_in_under_a_second(tmp_path: Path) -> None:
    """The "billion laughs" shape: nine levels of nine aliases, 9**10 nodes once expanded."""
    seed = tmp_path / "bomb.yaml"
    seed.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB) < 1024
    began = time.perf_counter()
    with pytest.raises(SeedError, match="aliases") as excinfo:
        mock_eks(seed=str(seed)).start()
    assert time.perf_counter() - began < 1.0
    assert len(str(excinfo.value)) < 1000
    result = run_serve("--seed", str(seed))
    assert result.returncode == 2 and "argument --seed" in result.stderr and len(result.stderr) < 2000


def test_seed_errors_are_bounded_in_length(tmp_path: Path) -> None:
    long_name = "x" * 100_000
    for text in (
        f"- {{operation: {long_name}}}\n",
        f"- [{long_name}]\n",
        "[" * 50_000,
        f"- {long_name}: 1\n",
    ):
        seed = tmp_path / "bad.yaml"
        seed.write_text(text)
        with pytest.raises(SeedError) as excinfo:
            mock_eks(seed=str(seed)).start()
        assert len(str(excinfo.value)) < 1000


def test_a_seed_larger_than_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    from mock_eks.state.seeds import MAX_BYTES

    seed = tmp_path / "big.json"
    with seed.open("w") as file:
        file.write("[" + " " * MAX_BYTES + "]")
    with pytest.raises(SeedError, match="larger than"):
        mock_eks(seed=str(seed)).start()


def test_state_and_seed_restart_replays_the_seed_only_into_a_fresh_state(tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(SEED)
    state, seed = str(tmp_path / "state.json"), str(tmp_path / "seed.yaml")
    for run in range(3):  # the README's command, started every day
        with serving("--state", state, "--seed", seed) as served:
            assert all_clusters(served.url) == ["demo"]
            status, _, err = served.stop()
            assert status == 0, (run, err)
    with mock_eks(state=state, seed=seed):  # in-process, the same rule
        assert all_clusters_in_process() == ["demo"]
    with mock_eks(state=str(tmp_path / "fresh.json"), seed=seed):  # no saved state yet: the seed makes it
        assert all_clusters_in_process() == ["demo"]


def all_clusters_in_process() -> list[str]:
    import boto3

    return list(boto3.client("eks", region_name="us-east-1").list_clusters()["clusters"])


def test_nothing_is_answered_before_the_seed_is_replayed(tmp_path: Path) -> None:
    clusters = 40
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            [
                {
                    "operation": "CreateCluster",
                    "params": {
                        "name": f"c{n}",
                        "roleArn": ROLE,
                        "resourcesVpcConfig": {"subnetIds": SUBNETS},
                    },
                }
                for n in range(clusters)
            ]
        )
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mock_eks", "serve", "--port", str(port), "--seed", str(seed)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        answered = None
        for _ in range(2000):  # until the port takes connections; each miss waits on the process
            try:
                answered = _health_then_count(port)
                break
            except ConnectionRefusedError:
                with pytest.raises(subprocess.TimeoutExpired):
                    process.wait(timeout=0.05)
        assert answered == clusters
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _health_then_count(port: int) -> Any:
    served = type("Served", (), {"host": "127.0.0.1", "port": port})()
    status, _, _ = request(served, "GET", "/_mock_eks/health")
    assert status == 200
    return len(all_clusters(f"http://127.0.0.1:{port}"))
