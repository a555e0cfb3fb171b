"""pytest fixtures, registered through the ``pytest11`` entry point.

- ``eks_mock``: an active mock_eks (instant timing), empty at the start of each test. The ``mock_eks``
  marker passes it MockEKS's arguments: ``@pytest.mark.mock_eks(timing="realistic", durations={...})``
  on a test, a class or a module (``pytestmark``); the closest marker wins.
- ``eks_client``: a boto3 EKS client in us-east-1 inside it.
- ``eks_auth_client``: a boto3 EKS Auth client in us-east-1 inside it.

pytest loads this plugin in every run wherever mock_eks is installed, so it
imports nothing of the mock (nor boto3) until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mock_eks.mock import MockEKS


def pytest_configure(config: pytest.Config) -> None:
    # registered, so --strict-markers accepts it
    config.addinivalue_line(
        "markers",
        "mock_eks(timing='instant', durations=None, **options): how the eks_mock fixture's mock runs "
        "(mock_eks.MockEKS's arguments)",
    )


@pytest.fixture
def eks_mock(request: pytest.FixtureRequest) -> Iterator[MockEKS]:
    from mock_eks.mock import MockEKS

    marker = request.node.get_closest_marker("mock_eks")
    mock = MockEKS(*marker.args, **marker.kwargs) if marker is not None else MockEKS()
    with mock:
        yield mock


def _client(service: str) -> Any:
    """A client from a fresh botocore session (credentials resolved inside the mock, as boto3.client's
    would be) that shares the mock's one model loader."""
    from mock_eks.model.sessions import fresh_botocore_session  # lazy for import cost (as above)

    return fresh_botocore_session().create_client(service, region_name="us-east-1")


@pytest.fixture
def eks_client(eks_mock: MockEKS) -> Any:
    return _client("eks")


@pytest.fixture
def eks_auth_client(eks_mock: MockEKS) -> Any:
    return _client("eks-auth")
