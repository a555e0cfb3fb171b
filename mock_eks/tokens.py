"""``mock_eks.tokens`` is ``mock_eks.identity.tokens``: service account tokens for the mocked clusters (a public path kept where the module moved)."""

import sys

from mock_eks.identity import tokens

sys.modules[__name__] = tokens
