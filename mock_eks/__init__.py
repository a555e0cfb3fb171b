"""mock_eks: a moto-style mock of Amazon EKS and EKS Auth, derived from botocore's models."""

from mock_eks import errors
from mock_eks.mock import MockEKS, mock_eks

# handlers register themselves with the dispatcher on import
from mock_eks import resources  # noqa: E402,F401  isort: skip

__version__ = "0.1.0"
__all__ = ["MockEKS", "errors", "mock_eks", "__version__"]
