"""``mock_eks.errors`` is ``mock_eks.model.errors``: the model's errors (one class per modelled error code) (a public path kept where the module moved)."""

import sys

from mock_eks.model import errors

sys.modules[__name__] = errors
