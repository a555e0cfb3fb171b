"""mock_eks: a moto-style mock of Amazon EKS and EKS Auth, derived from botocore's models.

The package imports its parts on first use (PEP 562), so the pytest plugin and
``import mock_eks`` cost almost nothing until a mock is created or used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_eks import errors
    from mock_eks.mock import MockEKS, mock_eks
    from mock_eks.spec import url_patterns

__version__ = "0.1.0"
__all__ = ["MockEKS", "errors", "mock_eks", "url_patterns", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("MockEKS", "mock_eks"):
        from mock_eks import mock

        value = getattr(mock, name)
    elif name == "url_patterns":
        from mock_eks.spec import url_patterns

        value = url_patterns
    elif name == "errors":
        import importlib

        value = importlib.import_module("mock_eks.errors")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
