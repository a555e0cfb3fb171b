"""mock_eks: a moto-style mock of Amazon EKS and EKS Auth, derived from botocore's models.

The package imports its parts on first use (PEP 562), so the pytest plugin and
``import mock_eks`` cost almost nothing until a mock is created or used. The layers and
where each module lives: ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_eks.model import VERSION as __version__

if TYPE_CHECKING:
    from mock_eks import errors
    from mock_eks.mock import MockEKS, mock_eks
    from mock_eks.model.spec import url_patterns
    from mock_eks.state.seeds import SeedError
    from mock_eks.state.snapshot import SnapshotError

__all__ = ["MockEKS", "SeedError", "SnapshotError", "errors", "mock_eks", "url_patterns", "__version__"]


def __getattr__(name: str) -> Any:
    # every import here is lazy for import cost: the pytest plugin loads this package in every pytest run
    if name in ("MockEKS", "mock_eks"):
        from mock_eks import mock

        value = getattr(mock, name)
    elif name == "url_patterns":
        from mock_eks.model.spec import url_patterns

        value = url_patterns
    elif name == "SnapshotError":  # what a restore refuses a snapshot with
        from mock_eks.state.snapshot import SnapshotError

        value = SnapshotError
    elif name == "SeedError":  # what a failing seed stops the start with
        from mock_eks.state.seeds import SeedError

        value = SeedError
    # public modules, so that ``import mock_eks`` alone reaches them as attributes
    elif name == "errors":
        import mock_eks.errors  # noqa: F401
    elif name == "tokens":
        import mock_eks.tokens  # noqa: F401
    elif name == "versions":
        import mock_eks.versions  # noqa: F401
    elif name == "server":
        import mock_eks.server  # noqa: F401
    elif name == "cli":
        import mock_eks.cli  # noqa: F401
    elif name == "pytest_plugin":
        import mock_eks.pytest_plugin  # noqa: F401
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in globals():  # a submodule import bound it
        return globals()[name]
    globals()[name] = value
    return value
