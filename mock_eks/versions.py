"""``mock_eks.versions`` is ``mock_eks.catalogue.versions``: the Kubernetes version catalogue (a public path kept where the module moved)."""

import sys

from mock_eks.catalogue import versions

sys.modules[__name__] = versions
