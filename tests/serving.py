"""Real `mock-eks serve` processes for the tests that need one: started on a free loopback port, read until
the banner names the URL, stopped with a real signal; every wait is bounded."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

START_TIMEOUT = 60.0


@dataclass
class Served:
    process: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    url: str = ""
    banner: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return str(urllib.parse.urlsplit(self.url).hostname)

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.url).port or 80)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> tuple[int, str, str]:
        """Send ``signum`` and wait for the exit: (status, the rest of stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        out = []
        while True:
            line = self.lines.get(timeout=timeout)
            if line is None:
                break
            out.append(line)
        return status, "".join(out), self.stderr()

    def stderr(self) -> str:
        return "".join(self.err)


def _pump(stream: Any, sink: queue.Queue[str | None] | list[str]) -> None:
    for line in stream:
        sink.put(line) if isinstance(sink, queue.Queue) else sink.append(line)
    if isinstance(sink, queue.Queue):
        sink.put(None)


def start(
    *args: str,
    env: Mapping[str, str] | None = None,
    port: str = "0",
    inherit_env: bool = True,
    program: Sequence[str] = (sys.executable, "-m", "mock_eks"),
) -> Served:
    """``mock-eks serve --port 0 ARGS`` running and answering, or AssertionError with its stderr.

    ``env`` is added to this process's environment, or is the whole of it with ``inherit_env=False``;
    ``program`` is how ``mock-eks`` is run (the installed console script, say)."""
    environment = {**(os.environ if inherit_env else {}), "PYTHONUNBUFFERED": "1", **(env or {})}
    command = [*program, "serve", "--port", port, *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    served = Served(process, queue.Queue())
    threading.Thread(target=_pump, args=(process.stdout, served.lines), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, served.err), daemon=True).start()
    try:
        while not served.url:
            line = served.lines.get(timeout=START_TIMEOUT)
            if line is None:
                process.wait(timeout=START_TIMEOUT)
                raise AssertionError(f"mock-eks serve exited {process.returncode}: {served.stderr()}")
            served.banner.append(line)
            if " on http" in line:  # the bound address; a wildcard one is reached on loopback
                bound = line.split(" on ", 1)[1].split()[0]
                served.url = bound.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:")
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait()
        raise
    return served


@contextmanager
def serving(*args: str, env: Mapping[str, str] | None = None) -> Iterator[Served]:
    served = start(*args, env=env)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()


def request(
    served: Any,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request over a fresh loopback connection; headers as given (a Host here replaces the default)."""
    connection = http.client.HTTPConnection(served.host, served.port, timeout=30)
    try:
        given = dict(headers or {})
        connection.putrequest(method, path, skip_host="Host" in given, skip_accept_encoding=True)
        for name, value in given.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def document(response: tuple[int, dict[str, str], bytes]) -> Any:
    return json.loads(response[2])


def control(served: Any, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """(status, JSON answer) of one request to a server's ``/_mock_eks/*`` endpoint; a ``body`` other than
    bytes is sent as JSON."""
    payload = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    headers = {} if payload is None else {"Content-Type": "application/json"}
    status, _, answer = request(served, method, path, payload, headers)
    return status, json.loads(answer or b"{}")


def eks_client(
    url: str,
    access_key: str = "AKIDEXAMPLE",
    region: str = "us-east-1",
    *,
    service: str = "eks",
    secret_key: str = "secret",
    retries: Mapping[str, Any] | None = None,
) -> Any:
    """A boto3 client of ``service`` ("eks" or "eks-auth") for the server at ``url``; by default it sends
    each call once, so a test sees the server's first answer (``retries`` is botocore's retry config)."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(retries=dict(retries or {"total_max_attempts": 1})),
    )
