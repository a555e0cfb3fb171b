"""`--state x.db`: the state written through to SQLite in the transaction of each request, so a SIGKILL at
any point loses no acknowledged write, and several `mock-eks serve` processes on one file serve one state.
Real processes, real signals, loopback sockets."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import random
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_eks import mock_eks
from tests.helpers import ROLE, SUBNETS, create_cluster
from tests.serving import Served, eks_client, request, serving, start

BODY = {"roleArn": ROLE, "resourcesVpcConfig": {"subnetIds": SUBNETS}}


def all_clusters(url: str) -> set[str]:
    eks = eks_client(url)
    return {name for page in eks.get_paginator("list_clusters").paginate() for name in page["clusters"]}


def _create_until_refused(served: Served, prefix: str, acknowledged: list[str], limit: int) -> None:
    """Keep-alive CreateCluster calls until ``limit`` or the server is gone; the names answered 2xx."""
    connection = http.client.HTTPConnection(served.host, served.port, timeout=30)
    try:
        for index in range(limit):
            name = f"{prefix}-{index}"
            connection.request("POST", "/clusters", json.dumps({**BODY, "name": name}))
            response = connection.getresponse()
            response.read()
            if 200 <= response.status < 300:
                acknowledged.append(name)
    except (OSError, http.client.HTTPException):
        return
    finally:
        connection.close()


def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    chooser = random.Random(20261205)
    acknowledged: list[str] = []
    for round_ in range(3):
        served = start("--state", state)
        enough = chooser.randrange(5, 80)  # a different point of the load each round
        writers = [
            threading.Thread(
                target=_create_until_refused,
                args=(served, f"r{round_}w{n}", acknowledged, 10_000),
                daemon=True,
            )
            for n in range(4)
        ]
        before = len(acknowledged)
        for writer in writers:
            writer.start()
        for _ in range(100_000):  # until the writers have had `enough` answers, or they stopped
            if len(acknowledged) - before >= enough or not any(w.is_alive() for w in writers):
                break
            writers[0].join(0.005)
        served.process.send_signal(signal.SIGKILL)
        served.process.wait(timeout=60)
        for writer in writers:
            writer.join(60)
            assert not writer.is_alive()
        assert len(acknowledged) - before >= enough
    with serving("--state", state) as served:
        saved = all_clusters(served.url)
    assert [name for name in acknowledged if name not in saved] == []


def test_two_processes_on_one_database_serve_one_state(tmp_path: Path) -> None:
    state = str(tmp_path / "shared.sqlite")
    with serving("--state", state) as one, serving("--state", state) as two:
        create_cluster(eks_client(one.url), "made-on-one")
        assert eks_client(two.url).describe_cluster(name="made-on-one")["cluster"]["status"] == "ACTIVE"
        acknowledged: list[str] = []
        writers = [
            threading.Thread(target=_create_until_refused, args=(served, f"{label}{n}", acknowledged, 25))
            for label, served in (("one", one), ("two", two))
            for n in range(3)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(120)
            assert not writer.is_alive()
        assert len(acknowledged) == 6 * 25
        expected = {"made-on-one", *acknowledged}
        assert all_clusters(one.url) == expected == all_clusters(two.url)
        # control requests are written through too: a reset on one is seen by the other
        assert request(one, "POST", "/_mock_eks/reset?account=123456789012", b"")[0] == 200
        assert all_clusters(two.url) == set()
        assert one.stop()[0] == 0 and two.stop()[0] == 0


def test_in_process_and_server_share_a_database(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    with mock_eks(state=state):
        create_cluster(boto3.client("eks", region_name="us-east-1"), "in-process")
    with serving("--state", state) as served:
        assert all_clusters(served.url) == {"in-process"}
        with mock_eks(state=state):  # while the server runs: one state
            eks = boto3.client("eks", region_name="us-east-1")
            create_cluster(eks, "second")
            assert all_clusters(served.url) == {"in-process", "second"}
            create_cluster(eks_client(served.url), "third")
            assert set(eks.list_clusters()["clusters"]) == {"in-process", "second", "third"}
        assert served.stop()[0] == 0


def test_a_seed_fills_a_fresh_database_once(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([{"operation": "create_cluster", "params": {**BODY, "name": "seeded"}}]))
    state = str(tmp_path / "state.db")
    for _ in range(2):
        with serving("--state", state, "--seed", str(seed)) as served:
            assert all_clusters(served.url) == {"seeded"}
            assert served.stop()[0] == 0


def test_a_store_opened_while_another_process_writes_a_new_file_waits_for_it(tmp_path: Path) -> None:
    """Two servers started at once on a new file (README "Running a shared mock server"): while one holds
    a write transaction on a file not yet in WAL mode, SQLite refuses the other's switch to WAL at once
    ("database is locked", no busy wait); the store waits instead of failing at start."""
    path = tmp_path / "new.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE other (x)")
    writer.execute("BEGIN IMMEDIATE")
    outcome: list[Any] = []

    def open_store() -> None:
        try:
            with mock_eks(state=str(path)):
                outcome.append("opened")
        except Exception as error:  # noqa: BLE001 - the test reports what failed
            outcome.append(error)

    opener = threading.Thread(target=open_store)
    opener.start()
    opener.join(timeout=0.5)  # long enough to reach the switch; a refusal would end the thread at once
    assert opener.is_alive() and outcome == []
    writer.execute("COMMIT")
    opener.join(timeout=60)
    assert outcome == ["opened"]


def test_a_file_that_is_not_a_database_is_refused_at_start(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    state.write_text("this is not SQLite " * 100)
    try:
        start("--state", str(state))
    except AssertionError as error:
        assert "exited 1" in str(error) and "SQLite" in str(error)
    else:  # pragma: no cover - the assertion below says what went wrong
        raise AssertionError("a server started on a file that is not a database")


def test_the_readme_shared_server_example_runs_as_written(tmp_path: Path) -> None:
    """README "Running a shared mock server": the shell block, with free ports in place of 5454/5455."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Running a shared mock server", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    for port in ("5454", "5455"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            script = script.replace(port, str(probe.getsockname()[1]))
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    listings = [json.loads(text) for text in re.findall(r"\{.*?\}", result.stdout, flags=re.S)]
    assert listings[:2] == [{"clusters": ["job-a"]}, {"clusters": []}]
    assert listings[2]["account"] == "111111111111"
    with serving("--state", str(tmp_path / "shared.db")) as served:  # the reset was written through
        assert eks_client(served.url, "111111111111").list_clusters()["clusters"] == []
        assert served.stop()[0] == 0


# -- Kubernetes objects through the CONNECT tunnel ----------------------------------------------------------


def _kube(served: Served, cluster: dict[str, Any]) -> Callable[..., tuple[int, Any]]:
    """A Kubernetes API client for ``cluster`` through ``served``'s CONNECT tunnel (http.client's own
    proxy tunnel), trusting only the cluster's CA, with a token from the server's get-token endpoint."""
    host = cluster["endpoint"].partition("://")[2]
    ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
    status, _, body = request(
        served, "GET", f"/_mock_eks/get-token?cluster={cluster['name']}&accessKeyId=AKIDEXAMPLE"
    )
    assert status == 200, body
    token = json.loads(body)["status"]["token"]

    def call(method: str, path: str, document: Any = None) -> tuple[int, Any]:
        connection = http.client.HTTPSConnection(
            served.host, served.port, timeout=30, context=ssl.create_default_context(cadata=ca)
        )
        connection.set_tunnel(host, 443)
        try:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            connection.request(method, path, json.dumps(document) if document is not None else None, headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    return call


CONFIGMAPS = "/api/v1/namespaces/default/configmaps"


def _watch(
    served: Served, cluster: dict[str, Any], path: str, resource_version: str = ""
) -> tuple[http.client.HTTPSConnection, http.client.HTTPResponse]:
    """A watch of ``path`` (60 s at most; from ``resource_version`` if given) through ``served``'s tunnel
    to ``cluster``: the connection (to close) and the open stream of events."""
    watching = http.client.HTTPSConnection(
        served.host,
        served.port,
        timeout=30,
        context=ssl.create_default_context(
            cadata=base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
        ),
    )
    watching.set_tunnel(cluster["endpoint"].partition("://")[2], 443)
    token = request(served, "GET", f"/_mock_eks/get-token?cluster={cluster['name']}&accessKeyId=AKIDEXAMPLE")
    watching.request(
        "GET",
        f"{path}?watch=true&timeoutSeconds=60&resourceVersion={resource_version}",
        headers={"Authorization": f"Bearer {json.loads(token[2])['status']['token']}"},
    )
    stream = watching.getresponse()
    assert stream.status == 200
    return watching, stream


def _events(served: Served, cluster: dict[str, Any], path: str, since: str, count: int) -> list[Any]:
    """The first ``count`` events of a watch of ``path`` from resourceVersion ``since``."""
    watching, stream = _watch(served, cluster, path, since)
    try:
        return [json.loads(stream.readline()) for _ in range(count)]
    finally:
        watching.close()


def _config_map(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"made": name}}


def test_kubernetes_objects_are_written_to_the_database(tmp_path: Path) -> None:
    """A ConfigMap created through the tunnel is in the state file: a server started anew on it serves it
    (Kubernetes keeps API objects in etcd, so they outlive an API server restart)."""
    state = str(tmp_path / "state.db")
    with serving("--state", state) as served:
        create_cluster(eks_client(served.url), "kept")
        cluster = eks_client(served.url).describe_cluster(name="kept")["cluster"]
        kube = _kube(served, cluster)
        assert kube("POST", CONFIGMAPS, _config_map("settings"))[0] == 201
        assert served.stop()[0] == 0
    with serving("--state", state) as served:
        status, found = _kube(served, cluster)("GET", f"{CONFIGMAPS}/settings")
        assert (status, found.get("data")) == (200, {"made": "settings"})
        assert served.stop()[0] == 0


def test_two_processes_serve_one_clusters_kubernetes_objects(tmp_path: Path) -> None:
    """Kubernetes requests take their turn on the state as EKS requests do: the tunnel opens on a cluster
    the other process created, an object created through one process is read through the other, and a
    watch open on one does not hold the file (the other's writes go on; a held transaction would keep
    them waiting out the busy timeout, past this client's) and ends once one loads the other's write."""
    state = str(tmp_path / "shared.db")
    with serving("--state", state) as one, serving("--state", state) as two:
        create_cluster(eks_client(one.url), "shared")
        cluster = eks_client(two.url).describe_cluster(name="shared")["cluster"]
        on_one, on_two = _kube(one, cluster), _kube(two, cluster)
        assert on_two("POST", CONFIGMAPS, _config_map("from-two"))[0] == 201
        status, found = on_one("GET", f"{CONFIGMAPS}/from-two")
        assert (status, found.get("data")) == (200, {"made": "from-two"})
        watching, stream = _watch(one, cluster, CONFIGMAPS)
        try:
            first = json.loads(stream.readline())
            assert (first["type"], first["object"]["metadata"]["name"]) == ("ADDED", "from-two")
            assert on_two("POST", CONFIGMAPS, _config_map("while-watched"))[0] == 201
            assert on_one("POST", CONFIGMAPS, _config_map("from-one"))[0] == 201
            status, listed = on_two("GET", CONFIGMAPS)
            # one loaded two's write: the copy the watch followed is gone, so the watch ends (before its
            # 60 seconds, or this read times out) and its client lists again
            assert b"while-watched" not in stream.read()
        finally:
            watching.close()
        assert status == 200
        assert {item["metadata"]["name"] for item in listed["items"]} >= {
            "from-two",
            "while-watched",
            "from-one",
        }
        assert one.stop()[0] == 0 and two.stop()[0] == 0


def test_kubernetes_changes_and_the_watch_log_are_one_state_for_every_process(tmp_path: Path) -> None:
    """Updates and deletes through one process are what the other serves, and a watch opened on one from
    a resourceVersion the other answered gets the changes made since, in order, as from one API server
    (kube-apiserver serves watches from etcd's history: "Efficient detection of changes", Kubernetes API
    Concepts); after a restart too."""
    state = str(tmp_path / "shared.db")
    with serving("--state", state) as one, serving("--state", state) as two:
        create_cluster(eks_client(one.url), "shared")
        cluster = eks_client(one.url).describe_cluster(name="shared")["cluster"]
        on_one, on_two = _kube(one, cluster), _kube(two, cluster)
        status, made = on_one("POST", CONFIGMAPS, _config_map("first"))
        assert status == 201
        since = made["metadata"]["resourceVersion"]
        assert on_two("POST", CONFIGMAPS, _config_map("second"))[0] == 201
        changed = {**_config_map("first"), "data": {"made": "changed"}}
        assert on_two("PUT", f"{CONFIGMAPS}/first", changed)[0] == 200
        assert on_one("DELETE", f"{CONFIGMAPS}/second")[0] == 200
        assert on_two("GET", f"{CONFIGMAPS}/second")[0] == 404
        assert on_two("GET", f"{CONFIGMAPS}/first")[1]["data"] == {"made": "changed"}
        expected = [("ADDED", "second"), ("MODIFIED", "first"), ("DELETED", "second")]
        for served in (one, two):
            events = _events(served, cluster, CONFIGMAPS, since, len(expected))
            assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == expected
            assert int(events[0]["object"]["metadata"]["resourceVersion"]) > int(since)
        listed = on_one("GET", CONFIGMAPS)[1]
        assert one.stop()[0] == 0 and two.stop()[0] == 0
    with serving("--state", state) as served:
        again = _kube(served, cluster)
        assert again("GET", CONFIGMAPS)[1]["items"] == listed["items"]
        events = _events(served, cluster, CONFIGMAPS, since, len(expected))
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == expected
        assert served.stop()[0] == 0


def test_a_watch_replays_each_change_as_it_was_made(tmp_path: Path) -> None:
    """A pod the scheduler places is changed (bound, then running) after it was created: a watch from
    before the create shows each version with its own resourceVersion (Kubernetes API Concepts, "Resource
    versions": each event carries the object at that version), in memory and read back from a file."""
    state = str(tmp_path / "state.db")
    with serving("--state", state) as served:
        eks = eks_client(served.url)
        create_cluster(eks, "pods")
        eks.create_nodegroup(clusterName="pods", nodegroupName="ng", nodeRole=ROLE, subnets=SUBNETS)
        assert (
            eks.describe_nodegroup(clusterName="pods", nodegroupName="ng")["nodegroup"]["status"] == "ACTIVE"
        )
        cluster = eks.describe_cluster(name="pods")["cluster"]
        kube = _kube(served, cluster)
        since = kube("GET", "/api/v1/namespaces/default/pods")[1]["metadata"]["resourceVersion"]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "app"},
            "spec": {"containers": [{"name": "app", "image": "nginx"}]},
        }
        assert kube("POST", "/api/v1/namespaces/default/pods", pod)[0] == 201
        assert kube("GET", "/api/v1/namespaces/default/pods/app")[1]["status"]["phase"] == "Running"
        seen = []
        for _ in range(2):  # this process's log, then the one read back from the file
            seen.append(_events(served, cluster, "/api/v1/namespaces/default/pods", since, 2))
            assert served.stop()[0] == 0
            if len(seen) == 1:
                served = start("--state", state)
        for events in seen:
            versions = [int(event["object"]["metadata"]["resourceVersion"]) for event in events]
            assert events[0]["type"] == "ADDED" and versions == sorted(set(versions))
        assert seen[0] == seen[1]


# -- what is written is what the writing process holds --------------------------------------------------


def _comparable(value: Any) -> Any:
    """A snapshot with each set's members sorted: a set's order is its process's (string hashes differ)."""
    if isinstance(value, dict):
        if list(value) == ["$set"]:
            return {"$set": sorted(value["$set"], key=json.dumps)}
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def _state_of(served: Served) -> Any:
    status, _, body = request(served, "GET", "/_mock_eks/state")
    assert status == 200, body
    return _comparable(json.loads(body))


def test_every_demo_section_is_written_as_the_process_holds_it(tmp_path: Path) -> None:
    """The demo's walk through every family (clusters, compute, failures and faults, add-ons, access,
    insights and the rest, moto's side) in-process on a `.db` state: after each section, a server that
    reads the file holds exactly the state the writing process holds."""
    from mock_eks.demo import SECTIONS, Demo

    state = str(tmp_path / "state.db")
    with serving("--state", state) as served, mock_eks(state=state) as m:
        demo = Demo(io.StringIO())
        for section in SECTIONS:
            section.run(demo)
            assert _state_of(served) == _comparable(json.loads(json.dumps(m.snapshot()))), section.__name__
        for section in reversed(SECTIONS):
            if hasattr(section, "teardown"):
                section.teardown(demo)
        assert _state_of(served) == _comparable(json.loads(json.dumps(m.snapshot())))
        assert served.stop()[0] == 0


def test_what_the_kubernetes_controllers_do_is_written_as_the_process_holds_it(tmp_path: Path) -> None:
    """Workloads in-process on a `.db` state (a Deployment rolled out, scaled, given a new template, its
    nodes scaled away, deleted; a ConfigMap made and deleted): every object the controllers make, change or
    remove is written, so after each step a server that reads the file holds exactly what the writing
    process holds, watch log included."""
    pytest.importorskip("kubernetes")
    from kubernetes import client

    from tests.helpers import create_nodegroup, kube_client

    state = str(tmp_path / "state.db")
    with serving("--state", state) as served, mock_eks(state=state) as m:
        eks = boto3.client("eks", region_name="us-east-1")
        create_cluster(eks)
        create_nodegroup(eks, "ng", scalingConfig={"minSize": 0, "maxSize": 4, "desiredSize": 3})
        api = kube_client(m)
        apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
        web = {
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                },
            },
        }
        new_image = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}}
        steps: list[Callable[[], Any]] = [
            lambda: apps.create_namespaced_deployment("default", web),
            lambda: apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 5}}),
            lambda: apps.patch_namespaced_deployment("web", "default", new_image),
            lambda: eks.update_nodegroup_config(
                clusterName="demo",
                nodegroupName="ng",
                scalingConfig={"minSize": 0, "maxSize": 4, "desiredSize": 1},
            ),
            lambda: core.list_namespaced_pod("default"),  # applies the scaling and runs the controllers
            lambda: core.create_namespaced_config_map("default", _config_map("settings")),
            lambda: core.delete_namespaced_config_map("settings", "default"),
            lambda: apps.delete_namespaced_deployment("web", "default"),
            lambda: core.list_namespaced_pod("default"),
        ]
        for index, step in enumerate(steps):
            step()
            eks.list_clusters()  # here first: what came due is applied (and written) by this process
            assert _state_of(served) == _comparable(json.loads(json.dumps(m.snapshot()))), f"step {index}"
        assert served.stop()[0] == 0


def test_a_second_process_loads_what_the_first_wrote_request_by_request(tmp_path: Path) -> None:
    """Two servers on one file, every kind of write through the first (EKS with realistic timing, the
    clock, faults, Kubernetes objects through the tunnel, a per-account reset): after each, the second
    (which reads the file) holds exactly what the first holds."""
    state = str(tmp_path / "shared.db")
    with (
        serving("--state", state, "--timing", "realistic") as one,
        serving("--state", state, "--timing", "realistic") as two,
    ):
        eks, other = eks_client(one.url), eks_client(one.url, "111111111111")

        def control(path: str, body: Any) -> None:
            status, _, answer = request(one, "POST", f"/_mock_eks/{path}", json.dumps(body).encode())
            assert status == 200, answer

        def kube(method: str, path: str, document: Any = None) -> None:
            cluster = eks.describe_cluster(name="c1")["cluster"]
            assert _kube(one, cluster)(method, path, document)[0] in (200, 201)

        nodegroup = {"clusterName": "c1", "nodeRole": ROLE, "subnets": SUBNETS}
        steps: list[Callable[[], Any]] = [
            lambda: eks.create_cluster(
                name="c1", tags={"team": "a"}, accessConfig={"authenticationMode": "API"}, **BODY
            ),
            lambda: control("clock/advance", {"seconds": 3600}),
            lambda: eks.list_clusters(),  # a read that applies due transitions
            lambda: eks.create_nodegroup(nodegroupName="ng", **nodegroup),
            lambda: eks.create_fargate_profile(
                clusterName="c1",
                fargateProfileName="fp",
                podExecutionRoleArn=ROLE,
                selectors=[{"namespace": "a"}],
            ),
            lambda: eks.create_access_entry(
                clusterName="c1", principalArn="arn:aws:iam::123456789012:role/app"
            ),
            lambda: control("clock/advance", {"seconds": 3600}),
            lambda: eks.describe_nodegroup(clusterName="c1", nodegroupName="ng"),
            lambda: eks.update_nodegroup_config(
                clusterName="c1",
                nodegroupName="ng",
                scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 3},
            ),
            lambda: eks.tag_resource(
                resourceArn=eks.describe_cluster(name="c1")["cluster"]["arn"], tags={"more": "tags"}
            ),
            lambda: eks.untag_resource(
                resourceArn=eks.describe_cluster(name="c1")["cluster"]["arn"], tagKeys=["team"]
            ),
            lambda: control(
                "faults/calls", {"operation": "DescribeAddon", "code": "ServerException", "times": 1}
            ),
            lambda: control("faults/lifecycle", {"kind": "nodegroup.delete", "code": "AccessDenied"}),
            lambda: kube("POST", CONFIGMAPS, _config_map("settings")),
            lambda: kube(
                "PUT", f"{CONFIGMAPS}/settings", {**_config_map("settings"), "data": {"made": "again"}}
            ),
            lambda: control("clock/advance", {"seconds": 3600}),
            lambda: eks.delete_nodegroup(clusterName="c1", nodegroupName="ng"),
            lambda: control("clock/advance", {"seconds": 3600}),
            lambda: eks.list_nodegroups(clusterName="c1"),
            lambda: other.create_cluster(name="elsewhere", **BODY),
            lambda: control("reset?account=111111111111", {}),
            lambda: other.create_cluster(name="again", **BODY),
            lambda: eks.delete_fargate_profile(clusterName="c1", fargateProfileName="fp"),
        ]
        for index, step in enumerate(steps):
            step()
            assert _state_of(two) == _state_of(one), f"step {index}"
        assert one.stop()[0] == 0 and two.stop()[0] == 0


def test_a_value_made_on_first_read_is_the_same_in_every_process(tmp_path: Path) -> None:
    """A cluster's CA is made the first time it is read (here by a kubeconfig, a GET): the other process
    serves the same one, so a kubeconfig from either verifies the cluster endpoint of both."""
    state = str(tmp_path / "shared.db")
    with serving("--state", state) as one, serving("--state", state) as two:
        create_cluster(eks_client(one.url), "ca")
        eks_client(two.url).list_clusters()  # reads first: what came due since the create is written
        assert all_clusters(one.url) == {"ca"}
        status, _, body = request(one, "GET", "/_mock_eks/kubeconfig?cluster=ca")
        assert status == 200, body
        first = json.loads(body)["clusters"][0]["cluster"]["certificate-authority-data"]
        served = eks_client(two.url).describe_cluster(name="ca")["cluster"]["certificateAuthority"]
        assert served["data"] == first
        assert one.stop()[0] == 0 and two.stop()[0] == 0


def test_in_process_faults_and_clock_moves_are_written_at_once(tmp_path: Path) -> None:
    """With `mock_eks(state="x.db")`, `m.faults.*`, `m.advance()` and a waiter's sleep in mock time change
    the stored state when they are made: a server on the same file sees them before any other request."""
    state = str(tmp_path / "state.db")
    with serving("--state", state) as served, mock_eks(state=state, timing="realistic") as m:
        on_server = eks_client(served.url)
        m.faults.fail_calls("ListClusters", "ServerException", times=1)
        with pytest.raises(ClientError) as failed:
            on_server.list_clusters()
        assert failed.value.response["Error"]["Code"] == "ServerException"
        assert on_server.list_clusters()["clusters"] == []  # times=1: used up, in the file too

        offset = json.loads(request(served, "GET", "/_mock_eks/state")[2])["clock_offset"]
        m.advance(600)
        assert json.loads(request(served, "GET", "/_mock_eks/state")[2])["clock_offset"] == offset + 600

        eks = boto3.client("eks", region_name="us-east-1")
        eks.create_cluster(name="waited", **BODY)
        eks.get_waiter("cluster_active").wait(name="waited")  # sleeps in mock time: the clock moves
        assert on_server.describe_cluster(name="waited")["cluster"]["status"] == "ACTIVE"

        arn = eks.describe_cluster(name="waited")["cluster"]["arn"]
        m.faults.degrade(arn, "VpcNotFound")
        issues = on_server.describe_cluster(name="waited")["cluster"]["health"]["issues"]
        assert [issue["code"] for issue in issues] == ["VpcNotFound"]
        assert served.stop()[0] == 0


# -- the file: layouts, hand edits --------------------------------------------------------------------------


def test_a_file_of_the_first_layout_is_migrated(tmp_path: Path) -> None:
    """mock_eks 0.x's first SQLite layout (the whole snapshot in one row of `mock_eks_state`) still opens:
    its state is served, and written on in the current layout."""
    with mock_eks() as m:
        create_cluster(boto3.client("eks", region_name="us-east-1"), "old")
        saved = json.dumps(m.snapshot())
    state = tmp_path / "state.db"
    with sqlite3.connect(state) as db:
        db.execute(
            "CREATE TABLE mock_eks_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL,"
            " snapshot TEXT NOT NULL)"
        )
        db.execute("INSERT INTO mock_eks_state VALUES (1, 7, ?)", (saved,))
    db.close()
    with serving("--state", str(state)) as served:
        assert all_clusters(served.url) == {"old"}
        create_cluster(eks_client(served.url), "new")
        assert served.stop()[0] == 0
    with serving("--state", str(state)) as served:
        assert all_clusters(served.url) == {"old", "new"}
        assert served.stop()[0] == 0


def test_a_file_of_the_second_layout_is_migrated(tmp_path: Path) -> None:
    """mock_eks 0.x's second SQLite layout (a row per record, a cluster's Kubernetes objects and watch
    log inside its one record) still opens: its Kubernetes objects are served, and written on in the
    current layout (a row per object) without losing the others."""
    with serving() as served:
        create_cluster(eks_client(served.url), "old")
        cluster = eks_client(served.url).describe_cluster(name="old")["cluster"]
        assert _kube(served, cluster)("POST", CONFIGMAPS, _config_map("before"))[0] == 201
        saved = json.loads(request(served, "GET", "/_mock_eks/state")[2])
        assert served.stop()[0] == 0
    state = tmp_path / "state.db"
    with sqlite3.connect(state) as db:
        db.execute("CREATE TABLE mock_eks_root (id INTEGER PRIMARY KEY, generation INTEGER, root TEXT)")
        db.execute("CREATE TABLE mock_eks_objects (number INTEGER PRIMARY KEY, entry TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE mock_eks_idempotency"
            " (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, entry TEXT NOT NULL)"
        )
        db.executemany(
            "INSERT INTO mock_eks_objects VALUES (?, ?)",
            [(number, json.dumps(entry)) for number, entry in enumerate(saved.pop("objects"))],
        )
        db.execute("INSERT INTO mock_eks_root VALUES (1, 3, ?)", (json.dumps(saved),))
        db.execute("PRAGMA user_version = 2")
    db.close()
    with serving("--state", str(state)) as served:
        kube = _kube(served, cluster)
        assert kube("GET", f"{CONFIGMAPS}/before")[1]["data"] == {"made": "before"}
        assert kube("POST", CONFIGMAPS, _config_map("after"))[0] == 201
        assert served.stop()[0] == 0
    with serving("--state", str(state)) as served:
        names = {item["metadata"]["name"] for item in _kube(served, cluster)("GET", CONFIGMAPS)[1]["items"]}
        assert {"before", "after"} <= names
        assert served.stop()[0] == 0


def _refused_at_start(state: Path) -> str:
    try:
        start("--state", str(state))
    except AssertionError as error:
        assert "exited 1" in str(error)
        return str(error)
    raise AssertionError("the server started")  # pragma: no cover - the message says what went wrong


def test_a_bad_value_in_a_hand_edited_file_is_refused_naming_it(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with serving("--state", str(state)) as served:
        create_cluster(eks_client(served.url), "edited")
        assert served.stop()[0] == 0
    with sqlite3.connect(state) as db:
        (number,) = db.execute(
            """SELECT number FROM mock_eks_objects WHERE json_extract(entry, '$."$kind"') = 'Cluster'"""
        ).fetchone()
        db.execute(
            "UPDATE mock_eks_objects SET entry = json_set(entry, '$.fields.tags', 'x') WHERE number = ?",
            (number,),
        )
    db.close()
    message = _refused_at_start(state)
    assert f"objects[{number}] (Cluster).tags" in message and "Traceback" not in message


def test_a_bad_kubernetes_object_in_a_hand_edited_file_is_refused_naming_it(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with serving("--state", str(state)) as served:
        create_cluster(eks_client(served.url), "edited")
        cluster = eks_client(served.url).describe_cluster(name="edited")["cluster"]
        assert _kube(served, cluster)("POST", CONFIGMAPS, _config_map("settings"))[0] == 201
        assert served.stop()[0] == 0
    with sqlite3.connect(state) as db:
        assert db.execute(
            """UPDATE mock_eks_parts SET value = '"x"' WHERE key = '["configmaps","default/settings"]'"""
        ).rowcount
    db.close()
    message = _refused_at_start(state)
    assert "(KubeState).objects['configmaps']['default/settings']" in message and "Traceback" not in message


def test_a_file_of_a_newer_layout_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with sqlite3.connect(state) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    assert "upgrade mock_eks" in _refused_at_start(state)


def test_a_transition_a_watch_applies_between_turns_is_written(tmp_path: Path) -> None:
    """A watch's stream applies due transitions and runs the controllers between its reads, outside any
    request's turn: what they change is written with the process's next write, so the other process
    sees the node group ACTIVE (and its nodes), not CREATING with no transition left to finish it."""
    state = str(tmp_path / "shared.db")
    with (
        serving("--state", state, "--timing", "realistic") as one,
        serving("--state", state, "--timing", "realistic") as two,
    ):
        eks = eks_client(one.url)
        eks.create_cluster(name="c1", **BODY)
        assert request(one, "POST", "/_mock_eks/clock/advance", b'{"seconds": 3600}')[0] == 200
        cluster = eks.describe_cluster(name="c1")["cluster"]
        assert cluster["status"] == "ACTIVE"
        eks.create_nodegroup(clusterName="c1", nodegroupName="ng", nodeRole=ROLE, subnets=SUBNETS)
        watching, stream = _watch(one, cluster, "/api/v1/nodes")
        try:
            assert request(one, "POST", "/_mock_eks/clock/advance", b'{"seconds": 3600}')[0] == 200
            # the stream applies the node group's transition itself: its nodes come as ADDED events
            event = json.loads(stream.readline())
            assert (event["type"], event["object"]["kind"]) == ("ADDED", "Node")
        finally:
            watching.close()
        create_cluster(eks, "unrelated")  # the next write of `one`
        assert (
            eks_client(two.url).describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"][
                "status"
            ]
            == "ACTIVE"
        )
        assert _state_of(two) == _state_of(one)
        assert one.stop()[0] == 0 and two.stop()[0] == 0


def _rows(state: Path) -> int:
    with sqlite3.connect(state) as db:
        (count,) = db.execute("SELECT count(*) FROM mock_eks_objects").fetchone()
    db.close()
    return int(count)


def test_rows_nothing_refers_to_any_more_are_deleted_at_the_next_start(tmp_path: Path) -> None:
    """Each create leaves a lifecycle step that has run by the next request: its row goes at the next
    start, and the state served is the same (twice: nothing still referred to went)."""
    state = tmp_path / "state.db"
    with serving("--state", str(state)) as served:
        for n in range(5):
            create_cluster(eks_client(served.url), f"c{n}")
        before = _state_of(served)
        assert served.stop()[0] == 0
    rows = _rows(state)
    for _ in range(2):
        with serving("--state", str(state)) as served:
            assert _state_of(served) == before
            assert served.stop()[0] == 0
        assert _rows(state) < rows
