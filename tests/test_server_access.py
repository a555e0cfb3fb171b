"""Who the control plane (`/_mock_eks/*`) lets in, tested against real `mock-eks serve` processes.

Why these checks: a web page the user visits can reach a loopback port. With DNS rebinding the browser
sends the page's own name as ``Host`` (RFC 9110 section 7.2: Host names the target's authority); a
cross-origin ``POST`` with a CORS-safelisted content type (``text/plain``,
``application/x-www-form-urlencoded``, ``multipart/form-data``) is sent without a preflight, and the
browser adds ``Origin`` to every such request (Fetch Standard, "CORS-safelisted request-header" and
"append a request `Origin` header"). SDKs and curl send no ``Origin``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.helpers import create_cluster
from tests.serving import Served, document, eks_client, request, serving

TOKEN = "s3cret-control-token"


@pytest.fixture(scope="module")
def open_server() -> Iterator[Served]:
    with serving("--allow-host", "mock.internal", "--allow-host", "Other.Example:8080") as served:
        yield served


def _with_cluster(served: Served, name: str) -> str:
    eks = eks_client(served.url)
    if name not in eks.list_clusters()["clusters"]:
        create_cluster(eks, name)
    return str(eks.describe_cluster(name=name)["cluster"]["identity"]["oidc"]["issuer"])


def test_a_foreign_host_is_refused_on_every_control_endpoint(open_server: Served) -> None:
    _with_cluster(open_server, "kept")
    port = open_server.port
    for path in ("/_mock_eks/state", "/_mock_eks/health", "/_mock_eks/no-such-endpoint"):
        status, _, body = request(open_server, "GET", path, headers={"Host": f"attacker.example:{port}"})
        assert status == 403, path
        assert b"kept" not in body and b"PRIVATE KEY" not in body
    status, _, _ = request(open_server, "POST", "/_mock_eks/reset", b"", {"Host": "attacker.example"})
    assert status == 403
    assert eks_client(open_server.url).list_clusters()["clusters"] == ["kept"]


def test_the_servers_own_names_and_allowed_ones_are_let_in(open_server: Served) -> None:
    port = open_server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST", "mock.internal:1"):
        assert request(open_server, "GET", "/_mock_eks/health", headers={"Host": host})[0] == 200, host
    # --allow-host takes a name with or without a port; the port of a Host header is not compared
    assert request(open_server, "GET", "/_mock_eks/health", headers={"Host": "other.example"})[0] == 200
    assert request(open_server, "GET", "/_mock_eks/health", headers={"Host": "mock.internal.evil"})[0] == 403


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/_mock_eks/reset", "text/plain", b"x"),
        ("/_mock_eks/faults/calls", "application/x-www-form-urlencoded", b"operation=ListClusters"),
        ("/_mock_eks/clock/advance", "application/json", b'{"seconds": 3600}'),
        ("/_mock_eks/state", "text/plain", b"{}"),
    ],
)
def test_a_cross_origin_request_is_refused_whatever_its_content_type(
    open_server: Served, path: str, content_type: str, body: bytes
) -> None:
    _with_cluster(open_server, "kept")
    method = "PUT" if path.endswith("/state") else "POST"
    for origin in ("http://attacker.example", "null", "http://127.0.0.1.attacker.example"):
        headers = {"Origin": origin, "Content-Type": content_type}
        status, _, _ = request(open_server, method, path, body, headers)
        assert status == 403, (path, origin)
    assert eks_client(open_server.url).list_clusters()["clusters"] == ["kept"]
    offset = document(request(open_server, "GET", "/_mock_eks/state"))["clock_offset"]
    assert offset == 0


def test_same_origin_and_no_origin_are_let_in(open_server: Served) -> None:
    own = f"http://127.0.0.1:{open_server.port}"
    assert request(open_server, "GET", "/_mock_eks/health", headers={"Origin": own})[0] == 200
    # no Origin, no body, no Content-Type: curl -X POST
    assert request(open_server, "DELETE", "/_mock_eks/faults")[0] == 200


def test_the_oidc_documents_name_the_servers_own_url_not_the_host_header(open_server: Served) -> None:
    issuer = _with_cluster(open_server, "kept")
    base = "/_mock_eks/oidc/" + issuer.removeprefix("https://")
    status, _, body = request(
        open_server, "GET", base + "/.well-known/openid-configuration", headers={"Host": "mock.internal"}
    )
    assert status == 200
    assert json.loads(body)["jwks_uri"] == f"{open_server.url}{base}/keys"


def test_control_token_is_required_except_for_health_and_oidc_documents() -> None:
    with serving(env={"MOCK_EKS_CONTROL_TOKEN": TOKEN}) as served:
        issuer = _with_cluster(served, "c1")  # EKS calls are signed with SigV4, not the control token
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            status, response_headers, _ = request(served, "GET", "/_mock_eks/state", headers=headers)
            assert status == 401, headers
            assert response_headers["WWW-Authenticate"].startswith("Bearer")
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert request(served, "GET", "/_mock_eks/state", headers=bearer)[0] == 200
        assert request(served, "POST", "/_mock_eks/reset", b"", {})[0] == 401
        assert request(served, "GET", "/_mock_eks/health")[0] == 200
        base = "/_mock_eks/oidc/" + issuer.removeprefix("https://")
        assert request(served, "GET", base + "/.well-known/openid-configuration")[0] == 200
        assert request(served, "GET", base + "/keys")[0] == 200
        # the token does not lift the Host check
        assert (
            request(served, "GET", "/_mock_eks/state", headers={**bearer, "Host": "evil.example"})[0] == 403
        )
        mint = [sys.executable, "-m", "mock_eks", "token", "--endpoint", served.url, "--cluster", "c1"]
        mint += ["--namespace", "default", "--service-account", "app"]
        refused = subprocess.run(mint, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1 and "Bearer" in refused.stderr
        minted = subprocess.run([*mint, "--control-token", TOKEN], capture_output=True, text=True, timeout=60)
        assert minted.returncode == 0, minted.stderr
        assert minted.stdout.count(".") == 2
        assert served.stop()[0] == 0


def test_public_url_names_the_documents_and_is_an_allowed_host() -> None:
    with serving("--public-url", "http://eks-mock.test:9999/") as served:
        issuer = _with_cluster(served, "c1")
        base = "/_mock_eks/oidc/" + issuer.removeprefix("https://")
        headers = {"Host": "eks-mock.test:9999"}
        status, _, body = request(served, "GET", base + "/.well-known/openid-configuration", headers=headers)
        assert status == 200
        assert json.loads(body)["jwks_uri"] == f"http://eks-mock.test:9999{base}/keys"


def test_binding_every_interface_without_a_token_warns_and_shows_the_bound_address() -> None:
    with serving("--host", "0.0.0.0") as served:
        assert served.banner[0].split(" on ", 1)[1].startswith("http://0.0.0.0:")
        status, out, err = served.stop()
        assert status == 0
        assert "warning" in err and "--control-token" in err
    with serving("--host", "0.0.0.0", "--control-token", TOKEN) as served:
        assert served.stop()[2].count("warning") == 0
    with serving() as served:
        assert served.banner[0].split(" on ", 1)[1].startswith("http://127.0.0.1:")
        assert "warning" not in served.stop()[2]
