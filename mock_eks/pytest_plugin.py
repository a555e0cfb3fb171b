"""pytest fixtures, registered through the ``pytest11`` entry point.

- ``eks_mock``: an active mock_eks (instant timing), empty at the start of each test.
- ``eks_client``: a boto3 EKS client in us-east-1 inside it.
- ``eks_auth_client``: a boto3 EKS Auth client in us-east-1 inside it.

pytest loads this plugin in every run wherever mock_eks is installed, so it
imports nothing of the mock (nor boto3) until a fixture is used.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mock_eks.mock import MockEKS


@pytest.fixture
def eks_mock() -> Iterator[MockEKS]:
    from mock_eks.mock import MockEKS

    mock = MockEKS()
    with mock:
        yield mock


@functools.cache
def _model_loader() -> Any:
    import botocore.session

    return botocore.session.get_session().get_component("data_loader")


def _client(service: str) -> Any:
    """A client from a fresh botocore session (credentials resolved inside the mock, as boto3.client's
    would be) that shares one model loader: reading botocore's JSON models again for every test's
    new session cost about 0.1 s a test."""
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", _model_loader())
    return session.create_client(service, region_name="us-east-1")


@pytest.fixture
def eks_client(eks_mock: MockEKS) -> Any:
    return _client("eks")


@pytest.fixture
def eks_auth_client(eks_mock: MockEKS) -> Any:
    return _client("eks-auth")
