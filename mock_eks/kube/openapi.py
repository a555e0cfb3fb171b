"""``/openapi/v2`` and ``/openapi/v3``: the published Kubernetes OpenAPI documents, which ``kubectl apply``
(to validate and to compute its patch) and ``kubectl explain`` download.

The data is Kubernetes' own ``api/openapi-spec/swagger.json`` cut to the groups the mock serves
(``data/kube_openapi.json.gz``, built by ``scripts/build_kube_openapi.py``, provenance inside). ``/openapi/v2``
answers it as JSON. ``/openapi/v3`` is the index kube-apiserver publishes (one ``serverRelativeURL`` per
group/version, with a content hash), and ``/openapi/v3/<api/v1 | apis/GROUP/VERSION>`` each group/version's
OpenAPI 3.0 document, converted from the same data as kube-openapi converts it: ``#/definitions/`` become
``#/components/schemas/``, a ``$ref`` with sibling keys is wrapped in ``allOf``, body parameters become
``requestBody`` and responses carry their schema per media type.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from importlib import resources
from typing import Any

from mock_eks.model.protocol import Response

V2 = "/openapi/v2"
V3 = "/openapi/v3"
_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2"
_SCHEMAS = "#/components/schemas/"


@functools.cache
def _source() -> dict[str, Any]:
    data = resources.files("mock_eks.data").joinpath("kube_openapi.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


def answer(path: str, accept: str | None = None) -> Response | None:
    """The answer for an OpenAPI ``path`` (query already removed), or None when ``path`` is not one."""
    path = path.rstrip("/")
    if path == V2:
        if accept and "json" not in accept and "*/*" not in accept and _V2_PROTOBUF in accept:
            return _not_acceptable()
        return _json(_v2_bytes())
    if path == V3:
        return _json(_index_bytes())
    if path.startswith(V3 + "/"):
        document = _v3_bytes(path[len(V3) + 1 :])
        if document is None:
            return None
        response = _json(document)
        # the index links each document by its hash: what it names never changes (kube-openapi does the same)
        response.headers["Cache-Control"] = "public, immutable"
        response.headers["Etag"] = f'"{_hash(document)}"'
        return response
    return None


def group_versions() -> list[str]:
    """``api/v1``, ``apis/apps/v1``, ...: the group/versions the documents cover."""
    found = set()
    for path in _source()["paths"]:
        parts = path.strip("/").split("/")
        if parts[0] == "api" and len(parts) >= 2:
            found.add("/".join(parts[:2]))
        elif parts[0] == "apis" and len(parts) >= 3:
            found.add("/".join(parts[:3]))
    return sorted(found)


def _json(body: bytes) -> Response:
    return Response(200, {"Content-Type": "application/json"}, body)


def _not_acceptable() -> Response:
    status = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "only application/json is served for /openapi/v2",
        "reason": "NotAcceptable",
        "code": 406,
    }
    return Response(406, {"Content-Type": "application/json"}, json.dumps(status).encode())


def _hash(body: bytes) -> str:
    return hashlib.sha512(body).hexdigest().upper()


@functools.cache
def _v2_bytes() -> bytes:
    document = {key: value for key, value in _source().items() if not key.startswith("_")}
    return json.dumps(document, separators=(",", ":")).encode()


@functools.cache
def _index_bytes() -> bytes:
    paths = {}
    for gv in group_versions():
        body = _v3_bytes(gv)
        assert body is not None
        paths[gv] = {"serverRelativeURL": f"{V3}/{gv}?hash={_hash(body)}"}
    return json.dumps({"paths": paths}, separators=(",", ":")).encode()


@functools.cache
def _v3_bytes(group_version: str) -> bytes | None:
    if group_version not in group_versions():
        return None
    return json.dumps(_v3(group_version), separators=(",", ":")).encode()


def _v3(group_version: str) -> dict[str, Any]:
    source = _source()
    prefix = "/" + group_version
    paths = {
        path: _path_item(item)
        for path, item in source["paths"].items()
        if path.rstrip("/") == prefix or path.startswith(prefix + "/")
    }
    schemas: dict[str, Any] = {}
    todo = list(references(paths, _SCHEMAS))
    while todo:
        name = todo.pop()
        if name in schemas:
            continue
        schemas[name] = _schema(source["definitions"][name])
        todo.extend(references(schemas[name], _SCHEMAS))
    return {
        "openapi": "3.0.0",
        "info": source["info"],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"BearerToken": {"type": "apiKey", "name": "authorization", "in": "header"}},
        },
    }


def references(node: Any, prefix: str, found: set[str] | None = None) -> set[str]:
    """The names of every ``$ref`` under ``node`` that starts with ``prefix`` (``#/definitions/``, ...)."""
    found = set() if found is None else found
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix):
            found.add(ref[len(prefix) :])
        for value in node.values():
            references(value, prefix, found)
    elif isinstance(node, list):
        for value in node:
            references(value, prefix, found)
    return found


def _schema(node: Any) -> Any:
    """A v2 schema as OpenAPI 3.0 writes it."""
    if isinstance(node, list):
        return [_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _schema(value) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = {"$ref": ref.replace("#/definitions/", "#/components/schemas/")}
        if not converted:
            return target
        converted["allOf"] = [target]  # a $ref's siblings are ignored in 3.0: kube-openapi wraps it
    return converted


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in parameter:
        parameter = _source()["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
    out: dict[str, Any] = {
        key: parameter[key] for key in ("name", "in", "description", "required") if key in parameter
    }
    schema = {
        key: value for key, value in parameter.items() if key in ("type", "uniqueItems", "items", "format")
    }
    out["schema"] = _schema(schema)
    return out


def _path_item(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "parameters" in item:
        out["parameters"] = [_parameter(p) for p in item["parameters"] if _resolved_in(p) != "body"]
    for method, operation in item.items():
        if method != "parameters":
            out[method] = _operation(operation, item.get("parameters", []))
    return out


def _resolved_in(parameter: dict[str, Any]) -> str:
    if "$ref" in parameter:
        parameter = _source()["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
    return str(parameter.get("in", ""))


def _operation(operation: dict[str, Any], shared: list[dict[str, Any]]) -> dict[str, Any]:
    keep = ("description", "operationId", "tags", "x-kubernetes-action", "x-kubernetes-group-version-kind")
    out = {key: operation[key] for key in keep if key in operation}
    consumes = operation.get("consumes") or ["*/*"]
    produces = operation.get("produces") or ["application/json"]
    parameters = []
    for parameter in [*shared, *operation.get("parameters", [])]:
        if _resolved_in(parameter) == "body":
            body = (
                parameter
                if "$ref" not in parameter
                else _source()["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            )
            out["requestBody"] = {
                "content": {kind: {"schema": _schema(body["schema"])} for kind in consumes},
                "required": bool(body.get("required")),
            }
        elif parameter in operation.get("parameters", []):
            parameters.append(_parameter(parameter))
    if parameters:
        out["parameters"] = parameters
    responses = {}
    for code, response in operation.get("responses", {}).items():
        entry: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            entry["content"] = {kind: {"schema": _schema(response["schema"])} for kind in produces}
        responses[code] = entry
    out["responses"] = responses
    return out
