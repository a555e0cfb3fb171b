"""`python -m mock_eks ...` is `mock-eks ...`."""

import sys

from mock_eks.cli import main

sys.exit(main())
