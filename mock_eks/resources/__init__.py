"""Operation handlers, one module per resource family. Importing this package registers them all, and
plugs the moto link into the resolvers the handlers already use."""

from mock_eks.moto_link import iam, kms
from mock_eks.moto_link import nodegroups as moto_nodegroups
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

encryption.KMS_KEY_RESOLVERS.append(kms.resolve_key)
launch_templates.LAUNCH_TEMPLATE_RESOLVERS.append(moto_nodegroups.resolve_launch_template)
common.ROLE_CHECKS.append(iam.check_role)
