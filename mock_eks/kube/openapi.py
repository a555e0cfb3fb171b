"""``/openapi/v2`` and ``/openapi/v3``: the published Kubernetes OpenAPI documents, which ``kubectl apply``
(to validate and to compute its patch) and ``kubectl explain`` download.

The data is Kubernetes' own ``api/openapi-spec/swagger.json`` of each minor the version catalogue serves, cut
to the groups the mock serves (``data/kube_openapi.json.xz``, built by ``scripts/build_kube_openapi.py``,
provenance per minor inside; a minor without a published document is served its nearest minor's). A
cluster is answered its own minor's document, ``info.version`` set as kube-apiserver sets it (its
``gitVersion`` up to the first ``-``). ``/openapi/v2`` answers it as JSON. ``/openapi/v3`` is the index
kube-apiserver publishes (one ``serverRelativeURL`` per group/version, with a content hash), and
``/openapi/v3/<api/v1 | apis/GROUP/VERSION>`` each group/version's OpenAPI 3.0 document, converted from the
same data as kube-openapi converts it: ``#/definitions/`` become ``#/components/schemas/``, a ``$ref`` with
sibling keys is wrapped in ``allOf``, body parameters become ``requestBody`` and responses carry their
schema per media type.
"""

from __future__ import annotations

import functools
import hashlib
import json
import lzma
from importlib import resources
from typing import Any

from mock_eks.model.protocol import Response

V2 = "/openapi/v2"
V3 = "/openapi/v3"
_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2"
_SCHEMAS = "#/components/schemas/"
_SHARED = ("paths", "parameters", "definitions")  # sections whose values the package stores once


@functools.cache
def _package() -> dict[str, Any]:
    data = resources.files("mock_eks.data").joinpath("kube_openapi.json.xz").read_bytes()
    return json.loads(lzma.decompress(data))


def _number(minor: str) -> int:
    return int(minor.split(".")[1])


def served_minor(minor: str | None) -> str:
    """The minor whose document answers a cluster of ``minor``: its own, the package's fallback for it, or
    (a minor the package does not know; None) the nearest, newest when there is none."""
    package = _package()
    documents = package["documents"]
    if minor in documents:
        return str(minor)
    if minor in package["fallbacks"]:
        return str(package["fallbacks"][minor])
    if minor is None:
        return max(documents, key=_number)
    return min(documents, key=lambda m: (abs(_number(m) - _number(minor)), -_number(m)))


@functools.cache
def _source(minor: str) -> dict[str, Any]:
    package = _package()
    shared = package["shared"]
    return {
        section: {name: shared[key] for name, key in value.items()} if section in _SHARED else value
        for section, value in package["documents"][minor].items()
    }


def answer(
    path: str, accept: str | None = None, minor: str | None = None, git_version: str | None = None
) -> Response | None:
    """The answer for an OpenAPI ``path`` (query already removed) of a cluster of Kubernetes ``minor``
    whose ``/version`` says ``git_version``, or None when ``path`` is not one."""
    served = served_minor(minor)
    # k8s.io/apiserver pkg/server/config.go (completeOpenAPI): Info.Version is the server's version string
    # up to its first "-"; the published documents, generated without a server, say "unversioned"
    version = git_version.split("-")[0] if git_version else None
    path = path.rstrip("/")
    if path == V2:
        if accept and "json" not in accept and "*/*" not in accept and _V2_PROTOBUF in accept:
            return _not_acceptable()
        return _json(_v2_bytes(served, version))
    if path == V3:
        return _json(_index_bytes(served, version))
    if path.startswith(V3 + "/"):
        document = _v3_bytes(path[len(V3) + 1 :], served, version)
        if document is None:
            return None
        response = _json(document)
        # the index links each document by its hash: what it names never changes (kube-openapi does the same)
        response.headers["Cache-Control"] = "public, immutable"
        response.headers["Etag"] = f'"{_hash(document)}"'
        return response
    return None


def group_versions(minor: str | None = None) -> list[str]:
    """``api/v1``, ``apis/apps/v1``, ...: the group/versions the documents cover."""
    found = set()
    for path in _source(served_minor(minor))["paths"]:
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


def _info(source: dict[str, Any], version: str | None) -> dict[str, Any]:
    return {**source["info"], "version": version} if version else source["info"]


@functools.cache
def _v2_bytes(minor: str, version: str | None) -> bytes:
    source = _source(minor)
    document = {key: value for key, value in source.items() if not key.startswith("_")}
    document["info"] = _info(source, version)
    return json.dumps(document, separators=(",", ":")).encode()


@functools.cache
def _index_bytes(minor: str, version: str | None) -> bytes:
    paths = {}
    for gv in group_versions(minor):
        body = _v3_bytes(gv, minor, version)
        assert body is not None
        paths[gv] = {"serverRelativeURL": f"{V3}/{gv}?hash={_hash(body)}"}
    return json.dumps({"paths": paths}, separators=(",", ":")).encode()


@functools.cache
def _v3_bytes(group_version: str, minor: str, version: str | None) -> bytes | None:
    if group_version not in group_versions(minor):
        return None
    return json.dumps(_v3(group_version, _source(minor), version), separators=(",", ":")).encode()


def _v3(group_version: str, source: dict[str, Any], version: str | None) -> dict[str, Any]:
    prefix = "/" + group_version
    paths = {
        path: _path_item(item, source)
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
        "info": _info(source, version),
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


def _parameter(parameter: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in parameter:
        parameter = source["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
    out: dict[str, Any] = {
        key: parameter[key] for key in ("name", "in", "description", "required") if key in parameter
    }
    schema = {
        key: value for key, value in parameter.items() if key in ("type", "uniqueItems", "items", "format")
    }
    out["schema"] = _schema(schema)
    return out


def _path_item(item: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "parameters" in item:
        out["parameters"] = [
            _parameter(p, source) for p in item["parameters"] if _resolved_in(p, source) != "body"
        ]
    for method, operation in item.items():
        if method != "parameters":
            out[method] = _operation(operation, item.get("parameters", []), source)
    return out


def _resolved_in(parameter: dict[str, Any], source: dict[str, Any]) -> str:
    if "$ref" in parameter:
        parameter = source["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
    return str(parameter.get("in", ""))


def _operation(
    operation: dict[str, Any], shared: list[dict[str, Any]], source: dict[str, Any]
) -> dict[str, Any]:
    keep = ("description", "operationId", "tags", "x-kubernetes-action", "x-kubernetes-group-version-kind")
    out = {key: operation[key] for key in keep if key in operation}
    consumes = operation.get("consumes") or ["*/*"]
    produces = operation.get("produces") or ["application/json"]
    parameters = []
    for parameter in [*shared, *operation.get("parameters", [])]:
        if _resolved_in(parameter, source) == "body":
            body = (
                parameter
                if "$ref" not in parameter
                else source["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            )
            out["requestBody"] = {
                "content": {kind: {"schema": _schema(body["schema"])} for kind in consumes},
                "required": bool(body.get("required")),
            }
        elif parameter in operation.get("parameters", []):
            parameters.append(_parameter(parameter, source))
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
