"""Server mode: the shared dispatcher over HTTP, its control endpoints, bad HTTP, concurrency, the CLI."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.parse

import pytest
from botocore.exceptions import ClientError

from mock_eks.server import MAX_BODY, MockEKSServer, serve_forever
from tests import serving
from tests.helpers import cluster_params, create_cluster, error_of
from tests.serving import eks_client

AUTH_HEADER = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/eks/aws4_request, SignedHeaders=host"
)


def raw(server: MockEKSServer, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; (status, headers, body) of the one response."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def request(
    server: MockEKSServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """tests/serving.py's request signed like an SDK call; header names in lower case."""
    signed = {"Authorization": AUTH_HEADER, **(headers or {})}
    status, answer_headers, answer = serving.request(server, method, path, body, signed)
    return status, {k.lower(): v for k, v in answer_headers.items()}, answer


def aws_error(status: int, headers: dict[str, str], body: bytes) -> tuple[int, str, str]:
    """An AWS-style JSON error: (status, x-amzn-ErrorType, message); fails on anything else."""
    assert headers["content-type"] == "application/json"
    document = json.loads(body)
    assert set(document) == {"message"}
    return status, headers["x-amzn-errortype"], document["message"]


# -- the API over HTTP -----------------------------------------------------------------------------------


def test_cluster_lifecycle_through_boto3(server: MockEKSServer) -> None:
    eks = eks_client(server.url)
    created = create_cluster(eks, "web")
    assert created["status"] == "CREATING"
    described = eks.describe_cluster(name="web")["cluster"]
    assert described["status"] == "ACTIVE"
    assert described["endpoint"].startswith("https://")
    assert described["certificateAuthority"]["data"]
    assert eks.list_clusters()["clusters"] == ["web"]
    assert eks.delete_cluster(name="web")["cluster"]["status"] == "DELETING"
    assert eks.list_clusters()["clusters"] == []


def test_region_and_account_come_from_the_signature(server: MockEKSServer) -> None:
    in_account = eks_client(server.url, region="eu-west-1", access_key="210987654321")
    arn = create_cluster(in_account, "x")["arn"]
    assert arn == "arn:aws:eks:eu-west-1:210987654321:cluster/x"
    # another account and another region see nothing of it
    assert eks_client(server.url, region="eu-west-1").list_clusters()["clusters"] == []
    assert (
        eks_client(server.url, region="us-east-1", access_key="210987654321").list_clusters()["clusters"]
        == []
    )
    default_account = create_cluster(eks_client(server.url, region="ap-southeast-2"), "y")["arn"]
    assert default_account == "arn:aws:eks:ap-southeast-2:123456789012:cluster/y"


def test_percent_encoded_arn_survives_the_path(server: MockEKSServer) -> None:
    eks = eks_client(server.url)
    arn = create_cluster(eks, "tagged")["arn"]
    # botocore sends the ARN label percent-encoded (':' and '/' as %3A and %2F)
    eks.tag_resource(resourceArn=arn, tags={"team": "platform"})
    assert eks.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "platform"}
    status, _, body = request(server, "GET", "/tags/" + urllib.parse.quote(arn, safe=""))
    assert status == 200
    assert json.loads(body) == {"tags": {"team": "platform"}}


def test_service_errors_reach_the_sdk(server: MockEKSServer) -> None:
    with pytest.raises(ClientError) as excinfo:
        eks_client(server.url).describe_cluster(name="missing")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert "missing" in message


def test_eks_auth_is_served_on_the_same_port(server: MockEKSServer) -> None:
    auth = eks_client(server.url, service="eks-auth")
    # the token pattern is EKS Auth's model; the EKS model has no operation at this path at all
    with pytest.raises(ClientError) as excinfo:
        auth.assume_role_for_pod_identity(clusterName="web", token="not-a-jwt")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "token" in message


# -- control endpoints -----------------------------------------------------------------------------------


def test_health(server: MockEKSServer) -> None:
    status, headers, body = request(server, "GET", "/_mock_eks/health")
    assert status == 200
    assert headers["content-type"] == "application/json"
    health = json.loads(body)
    assert health["status"] == "ok"
    assert health["timing"] == "instant"
    status, headers, body = request(server, "HEAD", "/_mock_eks/health")
    assert (status, body) == (200, b"")


def test_reset_empties_every_region(server: MockEKSServer) -> None:
    create_cluster(eks_client(server.url), "a")
    create_cluster(eks_client(server.url, region="eu-central-1"), "b")
    status, _, body = request(server, "POST", "/_mock_eks/reset")
    assert (status, json.loads(body)) == (200, {"status": "reset"})
    assert eks_client(server.url).list_clusters()["clusters"] == []
    assert eks_client(server.url, region="eu-central-1").list_clusters()["clusters"] == []


def test_control_endpoint_errors(server: MockEKSServer) -> None:
    assert aws_error(*request(server, "GET", "/_mock_eks/reset"))[:2] == (405, "MethodNotAllowedException")
    assert aws_error(*request(server, "POST", "/_mock_eks/health"))[:2] == (405, "MethodNotAllowedException")
    assert aws_error(*request(server, "GET", "/_mock_eks/nothing"))[:2] == (404, "UnknownOperationException")


# -- bad HTTP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [(b'{"name": "x", ', "parse"), (b"\xff\xfe not utf-8", "parse"), (b'["a list"]', "JSON object")],
)
def test_malformed_json_is_an_invalid_parameter_error(
    server: MockEKSServer, body: bytes, fragment: str
) -> None:
    status, code, message = aws_error(
        *request(server, "POST", "/clusters", body, {"Content-Type": "text/plain"})
    )
    assert (status, code) == (400, "InvalidParameterException")
    assert fragment in message


def test_unknown_path_and_method(server: MockEKSServer) -> None:
    assert aws_error(*request(server, "GET", "/no/such/thing"))[:2] == (404, "UnknownOperationException")
    assert aws_error(*request(server, "PATCH", "/clusters"))[:2] == (404, "UnknownOperationException")
    # HTTP-level refusals are the Reference's common errors with their documented statuses
    assert aws_error(*request(server, "BREW", "/clusters"))[:2] == (404, "UnknownOperationException")
    status, code, _ = aws_error(*raw(server, b"THIS IS NOT HTTP\r\n\r\n"))
    assert (status, code) == (400, "MalformedHttpRequestException")


def test_oversized_body_is_refused_with_413(server: MockEKSServer) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("POST", "/clusters", body=b" " * (MAX_BODY + 1))
        response = connection.getresponse()
        status, code, message = aws_error(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
        assert (status, code) == (413, "RequestEntityTooLargeException")
        assert str(MAX_BODY) in message
        # the body was read and dropped: the same connection carries the next request
        connection.request("GET", "/_mock_eks/health")
        assert connection.getresponse().status == 200
    finally:
        connection.close()
    # a declared length far beyond the limit is refused without reading it
    head = b"POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n"
    assert aws_error(*raw(server, head))[:2] == (413, "RequestEntityTooLargeException")


def test_bad_framing(server: MockEKSServer) -> None:
    bad_length = b"POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n"
    assert aws_error(*raw(server, bad_length))[:2] == (400, "MalformedHttpRequestException")
    both = b"POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"
    assert aws_error(*raw(server, both))[:2] == (400, "MalformedHttpRequestException")
    # no Content-Length: the body is empty (RFC 9112), the request fails validation, the connection closes
    unframed = f"POST /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n".encode()
    status, headers, body = raw(server, unframed + b'{"name": "x"}')
    assert aws_error(status, headers, body)[:2] == (400, "InvalidParameterException")
    assert headers["connection"] == "close"


def test_chunked_body_is_read(server: MockEKSServer) -> None:
    document = json.dumps(cluster_params("chunky")).encode()
    chunks = (
        b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (document[:10], document[10:]))
        + b"0\r\n\r\n"
    )
    head = f"POST /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\nTransfer-Encoding: chunked\r\n\r\n"
    status, _, body = raw(server, head.encode() + chunks)
    assert status == 200
    assert json.loads(body)["cluster"]["name"] == "chunky"


# -- concurrency -----------------------------------------------------------------------------------------


def test_concurrent_clients_lose_no_writes(server: MockEKSServer) -> None:
    threads, per_thread = 6, 8
    failures: list[BaseException] = []
    shared = create_cluster(eks_client(server.url), "shared")["arn"]

    def work(index: int) -> None:
        try:
            eks = eks_client(server.url)
            for n in range(per_thread):
                create_cluster(eks, f"c-{index}-{n}")
                eks.tag_resource(resourceArn=shared, tags={f"t-{index}-{n}": "x"})
            for n in range(0, per_thread, 2):
                eks.delete_cluster(name=f"c-{index}-{n}")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    eks = eks_client(server.url)
    names = set(eks.get_paginator("list_clusters").paginate().build_full_result()["clusters"])
    expected = {f"c-{i}-{n}" for i in range(threads) for n in range(1, per_thread, 2)} | {"shared"}
    assert names == expected
    assert len(eks.list_tags_for_resource(resourceArn=shared)["tags"]) == threads * per_thread


# -- timing and the command line -------------------------------------------------------------------------


def test_realistic_timing_keeps_a_cluster_creating() -> None:
    with MockEKSServer(timing="realistic") as slow:
        eks = eks_client(slow.url)
        create_cluster(eks, "slow")
        assert eks.describe_cluster(name="slow")["cluster"]["status"] == "CREATING"
        status, _, body = request(slow, "GET", "/_mock_eks/health")
        assert json.loads(body)["timing"] == "realistic"


def test_serve_command_prints_its_url_and_stops_on_signals() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "mock_eks", "serve", "--port", "0", "--timing", "realistic"]
    processes = {
        signum: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        for signum, process in processes.items():
            assert process.stdout is not None
            first = process.stdout.readline()
            url = first.split(" on ", 1)[1].split()[0]
            assert url.startswith("http://127.0.0.1:")
            parsed = urllib.parse.urlsplit(url)
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            connection.request("GET", "/_mock_eks/health")
            assert json.loads(connection.getresponse().read())["timing"] == "realistic"
            connection.close()
            process.send_signal(signum)
        for process in processes.values():
            out, err = process.communicate(timeout=15)
            assert process.returncode == 0, err
            assert "stopped" in out
            assert "Traceback" not in err
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def test_serve_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert serve_forever("127.0.0.1", taken.getsockname()[1], "instant") == 1
    assert "cannot listen" in capsys.readouterr().err


# -- HTTP edge cases and keep-alive -----------------------------------------------------------


def raw_exchange(server: MockEKSServer, data: bytes) -> bytes:
    """Send bytes as they are and read until the server closes the connection."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_a_request_line_of_another_http_major_version_is_a_505(server: MockEKSServer) -> None:
    # RFC 9110 15.6.6: 505 refuses the request's major version; HTTP/2 is not spoken in HTTP/1 syntax
    head = f"GET /clusters HTTP/2.0\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n".encode()
    status, headers, body = raw(server, head)
    assert (status, headers["x-amzn-errortype"]) == (505, "MalformedHttpRequestException")
    assert "HTTP/2.0" in json.loads(body)["message"]
    ok = f"GET /clusters HTTP/1.0\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n".encode()
    assert raw(server, ok)[0] == 200


def test_methods_are_case_sensitive(server: MockEKSServer) -> None:
    # RFC 9110 9.1: "The method token is case-sensitive"; a lower-case get is not GET
    head = f"get /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n".encode()
    status, headers, body = raw(server, head)
    assert (status, headers["x-amzn-errortype"]) == (400, "MalformedHttpRequestException")
    assert "case-sensitive" in json.loads(body)["message"]


def test_request_headers_beyond_64_kib_are_a_431_however_they_arrive(server: MockEKSServer) -> None:
    # RFC 6585 5: 431 Request Header Fields Too Large; the limit holds for a head sent in one write too
    filler = "".join(f"X-Filler-{i}: {'a' * 1000}\r\n" for i in range(130))
    head = f"GET /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n{filler}\r\n".encode()
    status, headers, body = raw(server, head)
    assert (status, headers["x-amzn-errortype"]) == (431, "MalformedHttpRequestException")
    assert "65536 bytes" in json.loads(body)["message"]
    fits = "".join(f"X-Filler-{i}: {'a' * 1000}\r\n" for i in range(60))
    head = f"GET /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n{fits}\r\n".encode()
    assert raw(server, head)[0] == 200


def test_request_line_without_version_gets_a_status_line(server: MockEKSServer) -> None:
    answer = raw_exchange(server, b"GET /clusters\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"x-amzn-ErrorType: MalformedHttpRequestException" in head
    assert "request line" in json.loads(body)["message"]


def test_blank_lines_before_the_request_line_are_ignored(server: MockEKSServer) -> None:
    head = f"\r\n\r\nGET /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n".encode()
    status, _, body = raw(server, head)
    assert (status, json.loads(body)) == (200, {"clusters": []})


def test_pipelined_requests_are_answered_in_order(server: MockEKSServer) -> None:
    one = f"GET /clusters HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH_HEADER}\r\n\r\n"
    last = "GET /clusters/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(server, (one + "\r\n" + last).encode())
    assert answer.count(b"HTTP/1.1 ") == 2
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"HTTP/1.1 404 " in answer


def test_concurrent_keep_alive_clients_reuse_their_connections(server: MockEKSServer) -> None:
    create_cluster(eks_client(server.url), "kept")
    threads, calls = 4, 30
    results: list[tuple[int, int]] = []
    failures: list[BaseException] = []

    def work() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        try:
            ok = 0
            sockets = set()
            for _ in range(calls):
                connection.request("GET", "/clusters/kept", headers={"Authorization": AUTH_HEADER})
                response = connection.getresponse()
                body = json.loads(response.read())
                ok += response.status == 200 and body["cluster"]["name"] == "kept"
                sockets.add(id(connection.sock))
            results.append((ok, len(sockets)))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    # every call answered, each client on the one connection it opened
    assert results == [(calls, 1)] * threads
