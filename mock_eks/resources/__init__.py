"""Operation handlers, one module per resource family. Importing this package registers them all."""

from mock_eks.moto_link import hooks  # noqa: F401 - the moto link plugs into the resolvers
from mock_eks.resources import (  # noqa: F401
    access,
    addons,
    capabilities,
    certificate_authorities,
    cluster_updates,
    cluster_versions,
    clusters,
    encryption,
    fargate,
    identity_providers,
    insights,
    nodegroups,
    pod_identity,
    registration,
    subscriptions,
    tags,
    updates,
)
