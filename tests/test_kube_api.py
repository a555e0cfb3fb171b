"""The Kubernetes API behind a mocked cluster's endpoint, through the official ``kubernetes`` client.

What a real EKS cluster answers: ``/version`` carries the EKS build suffix (``v1.31.2-eks-…``, minor ``31+``,
as ``kubectl version`` shows against EKS in the EKS User Guide's "Update existing cluster to new Kubernetes
version"); kubeconfig as ``aws eks update-kubeconfig`` writes it (aws/aws-cli
``awscli/customizations/eks/update_kubeconfig.py``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.helpers import create_cluster

kubernetes = pytest.importorskip("kubernetes")


def api_client(eks_mock: Any, name: str = "demo", region: str | None = None) -> Any:
    from kubernetes import client, config

    configuration = client.Configuration()
    config.load_kube_config_from_dict(eks_mock.kubeconfig(name, region), client_configuration=configuration)
    return client.ApiClient(configuration)


def test_version_is_the_clusters_as_eks_reports_it(eks_mock: Any, eks_client: Any) -> None:
    version = create_cluster(eks_client)["version"]
    from kubernetes import client

    info = client.VersionApi(api_client(eks_mock)).get_code()
    major, minor = version.split(".")
    assert (info.major, info.minor) == (major, minor + "+")
    assert info.git_version.startswith(f"v{version}.") and "-eks-" in info.git_version


def test_kubeconfig_is_what_update_kubeconfig_writes(eks_mock: Any, eks_client: Any) -> None:
    create_cluster(eks_client)
    described = eks_client.describe_cluster(name="demo")["cluster"]
    document = eks_mock.kubeconfig("demo")
    (entry,) = document["clusters"]
    assert entry["name"] == described["arn"] == document["current-context"]
    assert entry["cluster"]["server"] == described["endpoint"]
    assert entry["cluster"]["certificate-authority-data"] == described["certificateAuthority"]["data"]
    token = document["users"][0]["user"]["token"]
    assert token.startswith("k8s-aws-v1.")
    url = base64.urlsafe_b64decode(token[11:] + "=" * (-len(token[11:]) % 4)).decode()
    assert url.startswith("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&")
    assert "X-Amz-SignedHeaders=host%3Bx-k8s-aws-id" in url


def test_kubeconfig_of_an_unknown_cluster_is_a_value_error(eks_mock: Any) -> None:
    with pytest.raises(ValueError, match="'nowhere'"):
        eks_mock.kubeconfig("nowhere")


def test_the_endpoint_refuses_connections_until_the_cluster_is_active() -> None:
    import boto3
    import requests
    from freezegun import freeze_time

    from mock_eks import mock_eks

    with mock_eks(timing="realistic"), freeze_time("2026-01-01") as clock:
        eks = boto3.client("eks", region_name="us-east-1")
        endpoint = create_cluster(eks).get("endpoint", "")
        # CREATING: DescribeCluster shows no endpoint yet; the one it will show does not answer
        assert endpoint == ""
        clock.tick(3600)
        endpoint = eks.describe_cluster(name="demo")["cluster"]["endpoint"]
        assert requests.get(endpoint + "/version", timeout=5).status_code == 200
        eks.delete_cluster(name="demo")
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(endpoint + "/version", timeout=5)


def test_a_version_update_changes_version(eks_mock: Any, eks_client: Any) -> None:
    """UpdateClusterVersion moves the API server to the next minor once the update completes."""
    import time

    from mock_eks.catalogue import versions

    first = next(v for v in versions.available_versions(time.time()) if versions.next_minor(v))
    create_cluster(eks_client, version=first)
    target = versions.next_minor(first)
    eks_client.update_cluster_version(name="demo", version=target)
    eks_client.describe_cluster(name="demo")  # the update completes (instant timing)
    from kubernetes import client

    info = client.VersionApi(api_client(eks_mock)).get_code()
    assert info.minor == target.split(".")[1] + "+"


def _openapi_v2(mock: Any, cluster: str) -> dict[str, Any]:
    api = api_client(mock, cluster)
    answer = api.call_api(
        "/openapi/v2",
        "GET",
        auth_settings=["BearerToken"],
        _preload_content=False,
        _return_http_data_only=True,
    )
    return json.loads(answer.data)


def test_openapi_is_the_clusters_own_minors_document(eks_mock: Any, eks_client: Any) -> None:
    """kube-apiserver serves the OpenAPI document of its own release, ``info.version`` its version up to the
    first "-" (k8s.io/apiserver pkg/server/config.go); Kubernetes 1.34 added the container restart rules
    (io.k8s.api.core.v1.ContainerRestartRule, kubernetes api/openapi-spec/swagger.json of release-1.34),
    which a 1.33 cluster's document does not have."""
    create_cluster(eks_client, "old", version="1.33")
    create_cluster(eks_client, "new", version="1.36")
    old, new = _openapi_v2(eks_mock, "old"), _openapi_v2(eks_mock, "new")
    from kubernetes import client

    old_version = client.VersionApi(api_client(eks_mock, "old")).get_code().git_version
    assert old["info"]["version"] == old_version.split("-")[0]
    assert old["info"]["version"].startswith("v1.33.")
    assert new["info"]["version"].startswith("v1.36.")
    assert "io.k8s.api.core.v1.ContainerRestartRule" in new["definitions"]
    assert "io.k8s.api.core.v1.ContainerRestartRule" not in old["definitions"]
    assert "io.k8s.api.apps.v1.Deployment" in old["definitions"]
