"""The real AWS CLI (awscli from PyPI) against `mock_eks` in server mode.

Each `aws` run is a subprocess (about a second each), so one test walks a cluster through its life and
runs the read-only commands side by side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mock_eks.server import MockEKSServer
from tests.helpers import ROLE, SUBNETS

pytest.importorskip("awscli")
yaml = pytest.importorskip("yaml")  # an awscli dependency


@pytest.fixture
def aws_env(tmp_path: Path) -> dict[str, str]:
    """Credentials and region only: no user config, profile, endpoint or proxy setting leaks in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(key, None)
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        NO_PROXY="*",
    )
    return env


def start(server: MockEKSServer, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "awscli", *args, "--endpoint-url", server.url, "--output", "json"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def aws(server: MockEKSServer, env: dict[str, str], *args: str) -> str:
    code, out, err = finish(start(server, env, *args))
    assert code == 0, f"aws {' '.join(args)} exited {code}: {err}"
    return out


def test_cluster_life_through_the_aws_cli(
    server: MockEKSServer, aws_env: dict[str, str], tmp_path: Path
) -> None:
    vpc = "subnetIds=" + ",".join(SUBNETS)
    created = json.loads(
        aws(
            server,
            aws_env,
            "eks",
            "create-cluster",
            "--name",
            "cli",
            "--role-arn",
            ROLE,
            "--resources-vpc-config",
            vpc,
        )
    )["cluster"]
    assert created["name"] == "cli"
    assert created["status"] == "CREATING"
    assert created["arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/cli"

    assert aws(server, aws_env, "eks", "wait", "cluster-active", "--name", "cli") == ""

    kubeconfig = tmp_path / "kubeconfig"
    running = [
        start(server, aws_env, "eks", "describe-cluster", "--name", "cli"),
        start(server, aws_env, "eks", "list-clusters"),
        start(server, aws_env, "eks", "update-kubeconfig", "--name", "cli", "--kubeconfig", str(kubeconfig)),
    ]
    results = [finish(process) for process in running]
    for code, _, err in results:
        assert code == 0, err
    cluster = json.loads(results[0][1])["cluster"]
    assert cluster["status"] == "ACTIVE"
    assert json.loads(results[1][1])["clusters"] == ["cli"]
    assert str(kubeconfig) in results[2][1]

    config = yaml.safe_load(kubeconfig.read_text())
    (entry,) = config["clusters"]
    assert entry["name"] == cluster["arn"]
    assert entry["cluster"]["server"] == cluster["endpoint"]
    assert entry["cluster"]["certificate-authority-data"] == cluster["certificateAuthority"]["data"]
    assert config["current-context"] == cluster["arn"]
    (user,) = config["users"]
    exec_args = user["user"]["exec"]["args"]
    assert exec_args[exec_args.index("--cluster-name") + 1] == "cli"

    deleted = json.loads(aws(server, aws_env, "eks", "delete-cluster", "--name", "cli"))["cluster"]
    assert deleted["status"] == "DELETING"

    # the CLI parses the service's error response: "An error occurred (<code>) when calling <op>: <message>"
    code, _, err = finish(start(server, aws_env, "eks", "describe-cluster", "--name", "cli"))
    assert code == 255  # AWS CLI v1's exit status for a service error
    assert "An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation" in err
    assert "cli" in err.rsplit(":", 1)[1]
