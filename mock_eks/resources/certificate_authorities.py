"""Cluster certificate authority rotation: Create/Describe/List/Activate/DeleteCertificateAuthority.

A cluster has at most two CAs: the one signing (IN_USE) and one successor (NOT_USED). The cluster's
initial CA (createdBy EKS) is the one DescribeCluster's certificateAuthority.data shows; it appears in
the list once the cluster is provisioned. A successor is distributed (IN_PROGRESS -> COMPLETE), can be
activated only when COMPLETE (ACTIVATING -> IN_USE, the outgoing CA becomes NOT_USED and the
cluster's certificateAuthority.data becomes the successor's), and the signing CA cannot be deleted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from mock_eks.engine.dispatch import Context, operation
from mock_eks.engine.pagination import paginate
from mock_eks.identity.certificates import cluster_ca
from mock_eks.model import messages
from mock_eks.resources.common import find_cluster
from mock_eks.resources.updates import in_progress, param, start_update
from mock_eks.state import lifecycle
from mock_eks.state.kinds import record_kind

VALIDITY_SECONDS = 3650 * 86400
FIRST_AUTO_ACTIVATION_BEFORE_EXPIRY = 180 * 86400
FINAL_AUTO_ACTIVATION_BEFORE_EXPIRY = 30 * 86400
ROLLBACK_WINDOW = 7 * 86400
MAX_CAS = 2


@record_kind("CertificateAuthority", family="certificate_authorities")
@dataclass(slots=True, eq=False)
class CertificateAuthority:
    id: str
    created_at: float
    created_by: str
    signing_status: str
    distribution_status: str
    data: str
    not_before: float
    not_after: float
    activated_at: float | None = None
    activated_by: str | None = None
    # set while the successor is being promoted: the CA it replaces
    outgoing: CertificateAuthority | None = None

    @property
    def validity(self) -> dict[str, float]:
        return {"notBefore": self.not_before, "notAfter": self.not_after}

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "createdAt": self.created_at,
            "createdBy": self.created_by,
            "activatedAt": self.activated_at,
            "activatedBy": self.activated_by,
            "signingStatus": self.signing_status,
            "distributionStatus": self.distribution_status,
        }


def authorities(cluster: Any) -> Any:
    """The cluster's CA collection, with its initial (EKS-created, signing) CA once it is provisioned."""
    collection = cluster.child("certificate_authorities")
    if not len(collection) and cluster.provisioned and cluster.connector_config is None:
        ca = cluster.certificate_authority
        if ca is not None:
            initial = CertificateAuthority(
                id=str(uuid.uuid4()),
                created_at=cluster.created_at,
                created_by="EKS",
                signing_status="IN_USE",
                distribution_status="COMPLETE",
                data=ca["data"],
                not_before=cluster.created_at,
                not_after=cluster.created_at + VALIDITY_SECONDS,
                activated_at=cluster.created_at,
                activated_by="EKS",
            )
            collection.add(initial.id, initial)
    return collection


def _signing(cluster: Any) -> CertificateAuthority | None:
    return next((ca for ca in authorities(cluster) if ca.signing_status == "IN_USE"), None)


def _find(ctx: Context, cluster: Any, ca_id: str) -> CertificateAuthority:
    record = authorities(cluster).get(ca_id)
    if record is None:
        raise messages.error(
            ctx, "certificate_authority.no_certificate_authority_found", clusterName=cluster.name, ca_id=ca_id
        )
    return record


def _cluster(ctx: Context, name: str) -> Any:
    return find_cluster(ctx, name, include_registered=False)


@operation("CreateCertificateAuthority")
def create_certificate_authority(
    ctx: Context, *, cluster_name: str, client_request_token: str | None = None
) -> dict:
    cluster = _cluster(ctx, cluster_name)
    if cluster.status != "ACTIVE":
        raise messages.error(
            ctx,
            "certificate_authority.cluster_certificate_authority_appended",
            clusterName=cluster_name,
            status=cluster.status,
        )
    collection = authorities(cluster)
    if len(collection) >= MAX_CAS:
        raise messages.error(
            ctx,
            "certificate_authority.cluster_already_has_certificate",
            clusterName=cluster_name,
            MAX_CAS=MAX_CAS,
        )
    record = CertificateAuthority(
        id=str(uuid.uuid4()),
        created_at=ctx.now,
        created_by="CUSTOMER",
        signing_status="NOT_USED",
        distribution_status="IN_PROGRESS",
        data=cluster_ca(ctx.now)[0],
        not_before=ctx.now,
        not_after=ctx.now + VALIDITY_SECONDS,
    )

    distributed = lifecycle.assign(
        record, [(("distribution_status",), "COMPLETE")], only_if=(("distribution_status",), "IN_PROGRESS")
    )
    update = start_update(
        ctx,
        cluster,
        update_type="CertificateAuthorityUpdate",
        params=[
            param("CertificateAuthorityId", record.id),
            param("TrustedCertificateAuthorities", [ca.id for ca in collection] + [record.id]),
        ],
        kind="certificate_authority.create",
        apply=distributed,
    )
    collection.add(record.id, record)
    return {"update": update, "certificateAuthority": record.summary()}


@operation("DescribeCertificateAuthority")
def describe_certificate_authority(ctx: Context, *, cluster_name: str, certificate_authority_id: str) -> dict:
    cluster = _cluster(ctx, cluster_name)
    record = _find(ctx, cluster, certificate_authority_id)
    described = record.summary()
    described["validity"] = record.validity
    described["data"] = record.data
    described["rollbackAvailable"] = bool(
        record.signing_status == "IN_USE"
        and record.created_by == "CUSTOMER"
        and record.activated_at is not None
        and ctx.now < record.activated_at + ROLLBACK_WINDOW
    )
    signer = _signing(cluster)
    if record.signing_status == "NOT_USED" and record.activated_at is None and signer is not None:
        described["scheduledEvents"] = {
            "firstAutoActivation": signer.not_after - FIRST_AUTO_ACTIVATION_BEFORE_EXPIRY,
            "finalAutoActivation": signer.not_after - FINAL_AUTO_ACTIVATION_BEFORE_EXPIRY,
        }
    return {"certificateAuthority": described}


@operation("ListCertificateAuthorities")
def list_certificate_authorities(
    ctx: Context, *, cluster_name: str, max_results: int | None = None, next_token: str | None = None
) -> dict:
    cluster = _cluster(ctx, cluster_name)
    page, token = paginate(ctx, authorities(cluster), max_results, next_token, scope=cluster_name)
    return {"certificateAuthorities": [ca.summary() for ca in page], "nextToken": token}


@operation("ActivateCertificateAuthority")
def activate_certificate_authority(
    ctx: Context, *, cluster_name: str, certificate_authority_id: str, client_request_token: str | None = None
) -> dict:
    cluster = _cluster(ctx, cluster_name)
    record = _find(ctx, cluster, certificate_authority_id)
    if record.signing_status != "NOT_USED":
        raise messages.error(
            ctx,
            "certificate_authority.certificate_authority_only_used",
            clusterName=cluster_name,
            certificate_authority_id=certificate_authority_id,
            signing_status=record.signing_status,
        )
    if record.distribution_status != "COMPLETE":
        raise messages.error(
            ctx,
            "certificate_authority.certificate_authority_has_distributionstatus",
            clusterName=cluster_name,
            certificate_authority_id=certificate_authority_id,
            distribution_status=record.distribution_status,
        )
    if cluster.status != "ACTIVE":
        raise messages.error(
            ctx, "certificate_authority.cluster_active", clusterName=cluster_name, status=cluster.status
        )
    running = in_progress(cluster, None)
    if running is not None:
        # ActivateCertificateAuthority's error list has no ResourceInUseException
        raise messages.error(
            ctx,
            "certificate_authority.update_type_progress_cluster",
            clusterName=cluster_name,
            id=running.id,
            type=running.type,
        )
    outgoing = _signing(cluster)

    promote = lifecycle.step(
        "certificate_authority.promote", record=record, outgoing=outgoing, cluster=cluster
    )
    update = start_update(
        ctx,
        cluster,
        update_type="CertificateAuthorityUpdate",
        params=[param("ActiveCertificateAuthority", record.id), param("SigningStatus", "IN_USE")],
        kind="certificate_authority.activate",
        apply=promote,
    )
    record.signing_status = "ACTIVATING"
    record.outgoing = outgoing
    return {"update": update, "certificateAuthority": record.summary()}


@lifecycle.action("certificate_authority.promote")
def _promote(backend: Any, due: float, *, record: Any, outgoing: Any, cluster: Any) -> None:
    """ActivateCertificateAuthority completes: the successor signs, the outgoing authority no longer does."""
    if record.signing_status != "ACTIVATING":
        return
    if outgoing is not None and outgoing.signing_status == "IN_USE":
        outgoing.signing_status = "NOT_USED"
    record.signing_status = "IN_USE"
    record.activated_at = due
    record.activated_by = "CUSTOMER"
    cluster.ca_data = record.data


@operation("DeleteCertificateAuthority")
def delete_certificate_authority(
    ctx: Context, *, cluster_name: str, certificate_authority_id: str, client_request_token: str | None = None
) -> dict:
    cluster = _cluster(ctx, cluster_name)
    collection = authorities(cluster)
    record = _find(ctx, cluster, certificate_authority_id)
    if record.signing_status in ("IN_USE", "ACTIVATING"):
        raise messages.error(
            ctx,
            "certificate_authority.certificate_authority_signing_certificate",
            clusterName=cluster_name,
            certificate_authority_id=certificate_authority_id,
            signing_status=record.signing_status,
        )
    if record.distribution_status == "DELETING":
        raise messages.error(
            ctx,
            "certificate_authority.certificate_authority_already_being",
            clusterName=cluster_name,
            certificate_authority_id=certificate_authority_id,
        )
    if record.created_by == "EKS" and record.activated_at is None and len(collection) <= MAX_CAS:
        raise messages.error(
            ctx,
            "certificate_authority.certificate_authority_was_appended",
            clusterName=cluster_name,
            certificate_authority_id=certificate_authority_id,
        )

    remove = lifecycle.step("remove", collection=collection, key=record.id, record=record)
    update = start_update(
        ctx,
        cluster,
        update_type="CertificateAuthorityUpdate",
        params=[
            param("CertificateAuthorityId", record.id),
            param("TrustedCertificateAuthorities", [ca.id for ca in collection if ca is not record]),
        ],
        kind="certificate_authority.delete",
        apply=remove,
    )
    record.distribution_status = "DELETING"
    return {"update": update, "certificateAuthority": record.summary()}
