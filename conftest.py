"""Project-wide pytest set-up: pytester, no real credentials, and no network beyond loopback.

The network guard makes an escape a failing test rather than a silent real call: any socket
connection or name lookup for a non-loopback address is refused and recorded, and the test that
made it fails even if the code under test swallowed the error. Server-mode tests (and the AWS CLI
run against them) use loopback, which stays open.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["pytester"]

ESCAPES: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%", 1)[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> OSError:
    ESCAPES.append(what)
    return ConnectionRefusedError(f"network guard: the test suite may not reach {what}")


def _guarded_connect(sock: socket.socket, address: Any) -> Any:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise _refuse(f"{address[0]}:{address[1]}")
    return _real_connect(sock, address)


def _guarded_connect_ex(sock: socket.socket, address: Any) -> Any:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise _refuse(f"{address[0]}:{address[1]}")
    return _real_connect_ex(sock, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        ESCAPES.append(f"name lookup of {host}")
        raise socket.gaierror(socket.EAI_NONAME, f"network guard: the test suite may not look up {host}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo


def pytest_unconfigure(config: pytest.Config) -> None:
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    ESCAPES.clear()
    yield
    if ESCAPES:
        escaped = ", ".join(dict.fromkeys(ESCAPES))
        ESCAPES.clear()
        pytest.fail(f"the test tried to reach the network: {escaped}")


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests must never reach a real account, whatever the machine has configured
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAMOCKEKSTESTING00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mock-eks-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("MOCK_EKS_ACCOUNT_ID", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
