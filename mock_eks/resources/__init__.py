"""Operation handlers, one module per resource family. Importing this package registers them all."""

from mock_eks.resources import cluster_updates, clusters, tags, updates  # noqa: F401
from mock_eks.resources import addons, cluster_versions  # noqa: F401
from mock_eks.resources import fargate, nodegroups  # noqa: F401
from mock_eks.resources import capabilities, certificate_authorities, insights, registration, subscriptions  # noqa: F401,E501
from mock_eks.resources import access, encryption, identity_providers, pod_identity  # noqa: F401
