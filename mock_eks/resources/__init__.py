"""Operation handlers, one module per resource family. Importing this package registers them all."""

from mock_eks.resources import (  # noqa: F401
    access,
    addons,
    capabilities,
    certificate_authorities,
    cluster_updates,
    cluster_versions,
    clusters,
    common,
    encryption,
    fargate,
    identity_providers,
    insights,
    launch_templates,
    nodegroups,
    pod_identity,
    registration,
    subscriptions,
    tags,
    updates,
)
