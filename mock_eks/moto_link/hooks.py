"""Plug the link into the resolvers the handlers already use (imported by ``mock_eks.resources``)."""

from __future__ import annotations

from mock_eks.moto_link import iam, kms, nodegroups
from mock_eks.resources import common, encryption, launch_templates

encryption.KMS_KEY_RESOLVERS.append(kms.resolve_key)
launch_templates.LAUNCH_TEMPLATE_RESOLVERS.append(nodegroups.resolve_launch_template)
common.ROLE_CHECKS.append(iam.check_role)
