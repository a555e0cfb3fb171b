"""Every operation of the installed ``eks`` and ``eks-auth`` models has a handler.

The operation list comes from the installed botocore, so a newer botocore that adds an operation
makes these tests fail, naming the operation, until it is implemented.
"""

from __future__ import annotations

import botocore.session
import pytest

import mock_eks.resources  # noqa: F401 - registers every handler
from mock_eks.engine.dispatch import HANDLERS
from mock_eks.model.spec import OPERATIONS, SERVICE_NAMES

INSTALLED = sorted((service, name) for service in SERVICE_NAMES for name in OPERATIONS[service])


def test_spec_lists_every_operation_of_the_installed_models():
    session = botocore.session.get_session()
    for service in ("eks", "eks-auth"):
        model = session.get_service_model(service)
        assert set(OPERATIONS[service]) == set(model.operation_names), service


def test_every_installed_operation_has_a_handler():
    missing = [f"{service}:{name}" for service, name in INSTALLED if (service, name) not in HANDLERS]
    assert not missing, (
        f"{len(missing)} of {len(INSTALLED)} operations of the installed botocore "
        f"({botocore.__version__}) have no mock_eks handler: {', '.join(missing)}"
    )


@pytest.mark.parametrize(("service", "name"), INSTALLED, ids=[f"{s}:{n}" for s, n in INSTALLED])
def test_operation_is_implemented(service, name):
    assert (service, name) in HANDLERS, f"{service}:{name} has no handler (botocore {botocore.__version__})"


def test_handlers_only_for_modelled_operations():
    extra = sorted(f"{s}:{n}" for s, n in HANDLERS if n not in OPERATIONS.get(s, {}))
    assert not extra, f"handlers registered for operations the installed models lack: {extra}"
