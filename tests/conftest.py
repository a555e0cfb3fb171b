"""Fixtures the test modules share: one in-process ``MockEKSServer`` per module, emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def _module_server() -> Iterator[Any]:
    from mock_eks.server import MockEKSServer

    with MockEKSServer("127.0.0.1", 0) as running:
        yield running


@pytest.fixture
def server(_module_server: Any) -> Any:
    """A running ``MockEKSServer`` on a free loopback port, with a fresh backend for this test."""
    _module_server.reset()
    return _module_server
