"""Layer 1, the model: what botocore's service models say (operations, routes, shapes, errors), the
wire protocol, validation, the wording of every message, ARNs, hosts and accounts. Imports nothing
else of mock_eks."""

VERSION = "0.1.0"  # the release (``mock_eks.__version__``), named low so every layer can report it
