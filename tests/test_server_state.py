"""Server mode state: GET/PUT /_mock_eks/state, and `mock-eks serve --state/--seed/--durations` across a
restart (real processes, stopped with signals)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from mock_eks.server import MockEKSServer
from tests.helpers import NODE_ROLE, ROLE, SUBNETS, create_cluster
from tests.serving import control, eks_client, serving


def test_get_and_put_state() -> None:
    with MockEKSServer("127.0.0.1", 0) as server:
        eks = eks_client(server.url)
        create_cluster(eks, "c1")
        status, snapshot = control(server, "GET", "/_mock_eks/state")
        assert status == 200 and snapshot["version"] == 3
        server.reset()
        assert eks.list_clusters()["clusters"] == []
        status, _ = control(server, "PUT", "/_mock_eks/state", snapshot)
        assert status == 200
        assert eks.describe_cluster(name="c1")["cluster"]["status"] == "ACTIVE"
        status, error = control(server, "PUT", "/_mock_eks/state", {**snapshot, "version": 7})
        assert status == 400 and "upgrade mock_eks" in error["message"]
        assert control(server, "PUT", "/_mock_eks/state", b"not json")[0] == 400
        assert eks.list_clusters()["clusters"] == ["c1"]


def test_pending_faults_travel_in_the_state() -> None:
    with MockEKSServer("127.0.0.1", 0) as server:
        eks = eks_client(server.url)  # sends each call once: the one failure is seen, not retried
        fault = {"operation": "ListClusters", "code": "ServiceUnavailable", "times": 1, "message": "later"}
        assert control(server, "POST", "/_mock_eks/faults/calls", fault)[0] == 200
        status, snapshot = control(server, "GET", "/_mock_eks/state")
        assert status == 200 and snapshot["faults"]["calls"] == [fault]
        assert control(server, "DELETE", "/_mock_eks/faults")[0] == 200
        assert eks.list_clusters()["clusters"] == []
        assert control(server, "PUT", "/_mock_eks/state", snapshot)[0] == 200
        try:
            eks.list_clusters()
            raise AssertionError("the restored fault did not fire")
        except eks.exceptions.ClientError as error:
            assert error.response["Error"] == {"Code": "ServiceUnavailable", "Message": "later"}
        assert eks.list_clusters()["clusters"] == []  # it was for one call


def test_state_survives_a_restart_and_seeds_are_replayed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "- operation: create_cluster\n"
        f"  params: {{name: seeded, roleArn: '{ROLE}', resourcesVpcConfig: {{subnetIds: {SUBNETS}}}}}\n"
        "- operation: CreateNodegroup\n"
        f"  params: {{clusterName: seeded, nodegroupName: ng, nodeRole: '{NODE_ROLE}', subnets: {SUBNETS}}}\n"
    )
    timing = ["--timing", "realistic", "--durations", "cluster.create=0,nodegroup.create=0"]
    with serving("--state", str(state), "--seed", str(seed), *timing) as served:
        eks = eks_client(served.url)
        assert eks.describe_cluster(name="seeded")["cluster"]["status"] == "ACTIVE"
        assert eks.list_nodegroups(clusterName="seeded")["nodegroups"] == ["ng"]
        create_cluster(eks, "added")
        assert eks.describe_cluster(name="added")["cluster"]["status"] == "ACTIVE"  # cluster.create=0
        update = eks.update_cluster_config(
            name="added", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
        )
        eks.delete_nodegroup(clusterName="seeded", nodegroupName="ng")  # pending: 240 s of realistic time
        status, out, err = served.stop(signal.SIGTERM)
        assert status == 0, err
    assert "state written" in out
    snapshot = json.loads(state.read_text())
    assert snapshot["format"] == "mock_eks.snapshot"
    assert not list(tmp_path.glob(".state.json.*"))  # no temporary file left behind

    with serving("--state", str(state), "--timing", "realistic") as served:
        eks = eks_client(served.url)
        assert eks.list_clusters()["clusters"] == ["added", "seeded"]  # by name, as real EKS lists them
        assert (
            eks.describe_nodegroup(clusterName="seeded", nodegroupName="ng")["nodegroup"]["status"]
            == "DELETING"
        )
        described = eks.describe_update(name="added", updateId=update["update"]["id"])["update"]
        assert described["status"] == "InProgress"
        control(served, "POST", "/_mock_eks/clock/advance", b'{"seconds": 900}')
        assert eks.list_nodegroups(clusterName="seeded")["nodegroups"] == []
        described = eks.describe_update(name="added", updateId=update["update"]["id"])["update"]
        assert described["status"] == "Successful"
        assert (
            eks.describe_cluster(name="added")["cluster"]["logging"]["clusterLogging"][0]["enabled"] is True
        )
        status, _, err = served.stop(signal.SIGINT)
        assert status == 0, err
    assert json.loads(state.read_text())["regions"]


def test_a_failing_seed_stops_start_up(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([{"operation": "describe_cluster", "params": {"name": "ghost"}}]))
    command = [sys.executable, "-m", "mock_eks", "serve", "--port", "0", "--seed", str(seed)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert (
        "seed item 0 (describe_cluster) failed" in result.stderr
        and "ResourceNotFoundException" in result.stderr
    )
    assert "Traceback" not in result.stderr
