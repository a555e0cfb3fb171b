"""Wire formats of the Kubernetes API that kubectl uses: protobuf request bodies and the OpenAPI documents.

The protobuf bodies below are what kubectl 1.37 sent (recorded off the wire through ``mock-eks serve``) for
``kubectl create deployment web --image=nginx --replicas=0 --port=80``, ``kubectl create secret generic s
--from-literal=k=v``, ``kubectl auth can-i list pods`` and ``kubectl create service nodeport s --tcp=80:http``;
the JSON each stands for is what kubectl sends with ``-o json --dry-run=client`` for the same command.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from mock_eks.kube import openapi, protobuf

DEPLOYMENT = (
    "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEoYBCAASDAoK"
    "CgNhcHASA3dlYhpsChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkwSLgoFbmdpbngSBW5naW54KgAyCgoAEAAYUCIA"
    "KgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoA"
    "IgA="
)
SECRET = "azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWsSAXYaABoAIgA="
ACCESS_REVIEW = (
    "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPQoQCgASABoAIgAqADIA"
    "OABCABIfCh0KB2RlZmF1bHQSBGxpc3QaACIAKgRwb2RzMgA6ABoICAASABoAIAAaACIA"
)
SERVICE = (
    "azhzAAoNCgJ2MRIHU2VydmljZRJlChsKAXMSABoAIgAqADIAOABCAFoICgNhcHASAXMSQgoeCgc4MC1odHRwEgNUQ1AYUCIK"
    "CAEQABoEaHR0cCgAEggKA2FwcBIBcxoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA"
)


def decoded(body: str) -> dict[str, Any]:
    return protobuf.decode(base64.b64decode(body))


def test_a_deployment_reads_as_its_json() -> None:
    """replicas 0 is kept (a pointer field set to 0), zero values JSON omits are left out."""
    assert decoded(DEPLOYMENT) == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}], "resources": {}}
                    ]
                },
            },
            "strategy": {},
        },
        "status": {},
    }


def test_secret_data_is_base64_as_in_json() -> None:
    assert decoded(SECRET) == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"k": base64.b64encode(b"v").decode()},
    }


def test_a_self_subject_access_review() -> None:
    review = decoded(ACCESS_REVIEW)
    assert review["kind"] == "SelfSubjectAccessReview"
    assert review["spec"] == {
        "resourceAttributes": {"namespace": "default", "verb": "list", "resource": "pods"}
    }


def test_int_or_string_reads_as_a_string_or_a_number() -> None:
    port = decoded(SERVICE)["spec"]["ports"][0]
    assert port == {"name": "80-http", "protocol": "TCP", "port": 80, "targetPort": "http"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"kind": "ConfigMap"}', "magic"),
        (b"k8s\x00\n\x0f\n\x02v1\x12\tConfigMap\x12\xff", "malformed"),
        (b"k8s\x00\n\x0f\n\x02v9\x12\tSomething", "no protobuf message is known"),
    ],
)
def test_what_is_not_a_known_protobuf_object_is_refused(body: bytes, reason: str) -> None:
    with pytest.raises(protobuf.ProtobufError, match=reason):
        protobuf.decode(body)


def test_is_protobuf_reads_the_media_type() -> None:
    assert protobuf.is_protobuf("application/vnd.kubernetes.protobuf")
    assert protobuf.is_protobuf("application/vnd.kubernetes.protobuf; charset=utf-8")
    assert not protobuf.is_protobuf("application/json")
    assert not protobuf.is_protobuf(None)


def _json(path: str, accept: str | None = None) -> Any:
    response = openapi.answer(path, accept)
    assert response is not None
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    return json.loads(response.body)


def test_openapi_v3_index_links_every_group_version_by_hash() -> None:
    """kube-apiserver's /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}
    (Kubernetes API concepts, "OpenAPI V3")."""
    index = _json("/openapi/v3")
    assert {"api/v1", "apis/apps/v1", "apis/rbac.authorization.k8s.io/v1"} <= set(index["paths"])
    for group_version, entry in index["paths"].items():
        url = entry["serverRelativeURL"]
        assert re.fullmatch(rf"/openapi/v3/{re.escape(group_version)}\?hash=[0-9A-F]{{128}}", url)
        document = _json(url.partition("?")[0])
        assert document["openapi"].startswith("3.0")
        schemas = document["components"]["schemas"]
        refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
        assert refs <= set(schemas), refs - set(schemas)


def test_openapi_v3_config_map_can_be_validated_on_the_server() -> None:
    """kubectl validates on the server when the create operation takes ``fieldValidation``."""
    document = _json("/openapi/v3/api/v1")
    schema = document["components"]["schemas"]["io.k8s.api.core.v1.ConfigMap"]
    assert schema["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "ConfigMap", "version": "v1"}]
    create = document["paths"]["/api/v1/namespaces/{namespace}/configmaps"]["post"]
    assert "fieldValidation" in {parameter["name"] for parameter in create["parameters"]}
    assert create["requestBody"]["content"]["*/*"]["schema"] == {
        "$ref": "#/components/schemas/io.k8s.api.core.v1.ConfigMap"
    }


def test_openapi_v2_is_json_only() -> None:
    assert "io.k8s.api.apps.v1.Deployment" in _json("/openapi/v2", "application/json")["definitions"]
    refused = openapi.answer("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
    assert refused is not None and refused.status == 406
    assert openapi.answer("/openapi/v3/apis/batch/v9") is None
    assert openapi.answer("/api/v1") is None
