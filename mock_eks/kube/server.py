"""Routing of Kubernetes API paths: health, version, discovery, and the verbs on every served resource.

Paths, verbs and answers follow kube-apiserver's (k8s.io/apiserver ``endpoints``): ``/api/v1/...`` and
``/apis/<group>/<version>/...``, namespaced resources under ``namespaces/<ns>/``, subresources ``status`` and
``scale``; lists with ``labelSelector``, ``fieldSelector``, ``limit``/``continue``; ``?watch=true`` streams
watch events; failures are ``Status`` objects with Kubernetes' reasons and wording.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from mock_eks.catalogue import versions
from mock_eks.kube import auth, controllers, patching, selectors, store, tables
from mock_eks.kube.responses import JSON, json_response, status
from mock_eks.model import documents
from mock_eks.model.protocol import Request, Response

NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# kinds whose ``status`` only their status subresource (or the controllers) changes
STATUS_KINDS = frozenset(
    {"Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Namespace", "Service", "Node"}
)
GENERATION_KINDS = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"})
DEFAULT_WATCH_SECONDS = 1800
BOOKMARK_SECONDS = (
    1.0  # how long a watch that asked for bookmarks stays silent (kube-apiserver: about a minute)
)


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    verbs: tuple[str, ...]
    short_names: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.plural + (f".{self.group}" if self.group else "")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        return self.key


_RESOURCES: dict[tuple[str, str, str], Resource] = {}


def resources() -> dict[tuple[str, str, str], Resource]:
    if not _RESOURCES:
        for entry in auth.catalogue()["resources"]:
            found = Resource(
                entry["group"],
                entry["version"],
                entry["kind"],
                entry["plural"],
                entry["singular"],
                entry["namespaced"],
                tuple(entry["verbs"]),
                tuple(entry.get("shortNames") or ()),
                tuple(entry.get("categories") or ()),
            )
            _RESOURCES[(found.group, found.version, found.plural)] = found
    return _RESOURCES


def by_key(key: str) -> Resource | None:
    return next((r for r in resources().values() if r.key == key), None)


def version_document(cluster: Any) -> dict[str, Any]:
    """``/version`` as EKS answers it: the catalogue's patch release with an ``-eks-<commit>`` suffix."""
    minor_version = cluster.version or versions.DEFAULT_VERSION
    entry = versions.get(minor_version)
    patch = entry.patch if entry is not None else minor_version + ".0"
    major, minor = minor_version.split(".")[:2]
    commit = hashlib.sha1(f"{patch}/{cluster.platform_version}".encode(), usedforsecurity=False).hexdigest()
    return {
        "major": major,
        "minor": f"{minor}+",
        "gitVersion": f"v{patch}-eks-{commit[:7]}",
        "gitCommit": commit,
        "gitTreeState": "clean",
        "buildDate": "2024-01-01T00:00:00Z",
        "goVersion": "go1.22.8",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


# -- errors ------------------------------------------------------------------------------------------------


class KubeError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.response = status(code, reason, message, details)


def _details(resource: Resource, name: str) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "kind": resource.plural}
    if resource.group:
        found["group"] = resource.group
    return found


def not_found(resource: Resource, name: str) -> KubeError:
    return KubeError(404, "NotFound", f'{resource.qualified} "{name}" not found', _details(resource, name))


def invalid(resource: Resource, name: str, causes: list[tuple[str, str]]) -> KubeError:
    text = ", ".join(f"{field}: {message}" for field, message in causes)
    details = {
        **_details(resource, name),
        "kind": resource.kind,
        "causes": [{"reason": "FieldValueInvalid", "message": m, "field": f} for f, m in causes],
    }
    qualified = resource.kind + (f".{resource.group}" if resource.group else "")
    return KubeError(422, "Invalid", f'{qualified} "{name}" is invalid: {text}', details)


def bad_request(message: str) -> KubeError:
    return KubeError(400, "BadRequest", message)


# -- entry point -------------------------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: Any
    body: bytes
    resource: Resource | None = None
    namespace: str = ""
    name: str = ""
    subresource: str = ""

    @property
    def verb(self) -> str:
        method = self.method
        if method in ("GET", "HEAD"):
            if (self.query.get("watch") or "").lower() in ("true", "1"):
                return "watch"
            return "get" if self.name or not self.resource else "list"
        if method == "POST":
            return "create"
        if method == "PUT":
            return "update"
        if method == "PATCH":
            return "patch"
        if method == "DELETE":
            return "delete" if self.name else "deletecollection"
        return method.lower()


def _header(headers: Any, name: str) -> str | None:
    value = headers.get(name) if hasattr(headers, "get") else None
    if value is None and hasattr(headers, "items"):
        for key, item in headers.items():
            if str(key).lower() == name.lower():
                value = item
                break
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value


def handle(backend: Any, cluster: Any, request: Request) -> Response:
    rest = request.url.partition("://")[2]
    target = "/" + rest.partition("/")[2]
    path, _, query_text = target.partition("?")
    path = path.rstrip("/") or "/"
    query = {k: v[-1] for k, v in parse_qs(query_text, keep_blank_values=True).items()}
    call = Call(request.method.upper(), path, query, request.headers, request.body or b"")
    with backend.lock:
        backend.lifecycle.apply_due(backend.now())
        state = controllers.ensure_state(backend, cluster)
        try:
            user = auth.authenticate(backend, cluster, state, _header(request.headers, "Authorization"))
        except auth.Unauthorized:
            return status(401, "Unauthorized", "Unauthorized")
        try:
            _route(call)
            attributes = auth.Attributes(
                verb=call.verb if call.resource else call.method.lower().replace("head", "get"),
                group=call.resource.group if call.resource else "",
                resource=call.resource.plural if call.resource else "",
                subresource=call.subresource,
                namespace=call.namespace,
                name=call.name,
                path="" if call.resource else path,
            )
            if not auth.authorize(cluster, state, user, attributes):
                details: dict[str, Any] = {}
                if call.resource:
                    details = {"kind": call.resource.plural}
                    if call.name:
                        details["name"] = call.name
                    if call.resource.group:
                        details["group"] = call.resource.group
                return status(403, "Forbidden", auth.forbidden_message(user, attributes), details)
            if call.resource is None:
                return _non_resource(cluster, call)
            return _resource(backend, cluster, state, user, call)
        except KubeError as error:
            return error.response


def _route(call: Call) -> None:
    parts = [p for p in call.path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api" and parts[1] == "v1" and len(parts) > 2:
        group, version, rest = "", "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis" and len(parts) > 3:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return
    if rest[0] == "namespaces" and len(rest) >= 3 and (group, version, rest[2]) in resources():
        call.namespace = rest[1]
        rest = rest[2:]
    found = resources().get((group, version, rest[0]))
    if found is None:
        raise KubeError(404, "NotFound", "the server could not find the requested resource", {})
    call.resource = found
    if len(rest) > 1:
        call.name = rest[1]
    if len(rest) > 2:
        call.subresource = "/".join(rest[2:])
        if call.subresource not in ("status", "scale", "finalize") and (found.kind, call.subresource) != (
            "Pod",
            "log",
        ):
            raise KubeError(404, "NotFound", "the server could not find the requested resource", {})
    if found.namespaced is False and call.namespace:
        raise KubeError(404, "NotFound", "the server could not find the requested resource", {})


# -- non-resource paths ------------------------------------------------------------------------------------


def _non_resource(cluster: Any, call: Call) -> Response:
    path = call.path
    if path.startswith("/openapi/"):
        from mock_eks.kube import openapi

        found = openapi.answer(
            path, _header(call.headers, "Accept"), cluster.version, version_document(cluster)["gitVersion"]
        )
        if found is not None:
            return found
    if path == "/version":
        return json_response(200, version_document(cluster))
    if path in ("/healthz", "/livez", "/readyz"):
        return Response(200, {"Content-Type": "text/plain; charset=utf-8"}, b"ok")
    if path == "/api":
        return json_response(
            200,
            {
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.10:443"}],
            },
        )
    if path == "/api/v1":
        return json_response(200, _resource_list("", "v1"))
    if path == "/apis":
        return json_response(
            200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(name) for name in _groups()]}
        )
    parts = path.split("/")
    if len(parts) == 3 and parts[1] == "apis" and parts[2] in _groups():
        return json_response(200, {"kind": "APIGroup", "apiVersion": "v1", **_group(parts[2])})
    if (
        len(parts) == 4
        and parts[1] == "apis"
        and (parts[2], parts[3]) in {(r.group, r.version) for r in resources().values()}
    ):
        return json_response(200, _resource_list(parts[2], parts[3]))
    return status(404, "NotFound", "the server could not find the requested resource", {})


def _groups() -> list[str]:
    return list(dict.fromkeys(r.group for r in resources().values() if r.group))


def _group(name: str) -> dict[str, Any]:
    version = next(r.version for r in resources().values() if r.group == name)
    entry = {"groupVersion": f"{name}/{version}", "version": version}
    return {"name": name, "versions": [entry], "preferredVersion": entry}


def _resource_list(group: str, version: str) -> dict[str, Any]:
    listed = []
    for resource in resources().values():
        if (resource.group, resource.version) != (group, version):
            continue
        entry: dict[str, Any] = {
            "name": resource.plural,
            "singularName": resource.singular,
            "namespaced": resource.namespaced,
            "kind": resource.kind,
            "verbs": list(resource.verbs),
        }
        if resource.short_names:
            entry["shortNames"] = list(resource.short_names)
        if resource.categories:
            entry["categories"] = list(resource.categories)
        entry["storageVersionHash"] = base64.b64encode(
            hashlib.sha256(resource.key.encode()).digest()[:8]
        ).decode()
        listed.append(entry)
        if resource.kind in STATUS_KINDS:
            listed.append(
                {
                    "name": f"{resource.plural}/status",
                    "singularName": "",
                    "namespaced": resource.namespaced,
                    "kind": resource.kind,
                    "verbs": ["get", "patch", "update"],
                }
            )
        if resource.kind in ("Deployment", "ReplicaSet", "StatefulSet"):
            listed.append(
                {
                    "name": f"{resource.plural}/scale",
                    "singularName": "",
                    "namespaced": True,
                    "group": "autoscaling",
                    "version": "v1",
                    "kind": "Scale",
                    "verbs": ["get", "patch", "update"],
                }
            )
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}" if group else version,
        "resources": listed,
    }


# -- resources ---------------------------------------------------------------------------------------------


def _resource(backend: Any, cluster: Any, state: store.KubeState, user: auth.User, call: Call) -> Response:
    resource = call.resource
    assert resource is not None
    verb = call.verb
    if resource.group in ("authorization.k8s.io", "authentication.k8s.io"):
        if verb != "create":
            raise KubeError(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
            )
        return _review(cluster, state, user, resource, _body(call))
    if (
        call.namespace
        and resource.namespaced
        and verb in ("create",)
        and store.get(state, "namespaces", None, call.namespace) is None
    ):
        raise not_found(by_key("namespaces"), call.namespace)  # type: ignore[arg-type]
    now = backend.now()
    if verb == "get":
        obj = _existing(state, resource, call)
        if call.subresource == "scale":
            return json_response(200, _scale(resource, obj))
        if call.subresource == "log":  # no container runs: a pod's log is empty, as a quiet one's is
            return Response(200, {"Content-Type": "text/plain"}, b"")
        return _one(state, resource, obj, call)
    if verb == "list":
        return _list(state, resource, call)
    if verb == "watch":
        return _watch(backend, cluster, state, resource, call)
    if verb == "create":
        return _create(cluster, state, resource, call, _body(call), now)
    if verb in ("update", "patch"):
        return _update(cluster, state, resource, call, now)
    if verb == "delete":
        return _delete(cluster, state, resource, call, now)
    if verb == "deletecollection":
        keep = selectors.matcher(call.query.get("labelSelector"), call.query.get("fieldSelector"))
        objects, _ = store.page(state, resource.key, call.namespace or None, None, None, keep)
        for obj in objects:
            _remove(cluster, state, resource, obj["metadata"].get("namespace"), obj["metadata"]["name"])
        controllers.reconcile(backend, cluster, state)
        return json_response(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"})
    raise KubeError(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
    )


def _body(call: Call) -> Any:
    from mock_eks.kube import protobuf

    content_type = (_header(call.headers, "Content-Type") or "").split(";")[0].strip().lower()
    if protobuf.is_protobuf(content_type):  # kubectl 1.32+ sends typed objects this way, never falling back
        try:
            return protobuf.decode(call.body)
        except protobuf.ProtobufError as problem:
            raise bad_request(str(problem)) from None
    if content_type in ("application/apply-patch+yaml", "application/yaml"):
        import yaml

        try:
            return yaml.safe_load(call.body.decode() or "null")
        except (yaml.YAMLError, UnicodeError) as problem:
            raise bad_request(f"error decoding YAML: {problem}") from None
    try:
        return json.loads(call.body.decode() or "null")
    except (ValueError, UnicodeError) as problem:
        raise bad_request(
            f"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf ({problem})"
        ) from None


def _existing(state: store.KubeState, resource: Resource, call: Call) -> dict[str, Any]:
    obj = store.get(state, resource.key, call.namespace or None, call.name)
    if obj is None:
        raise not_found(resource, call.name)
    return obj


def _wants_table(call: Call) -> bool:
    accept = _header(call.headers, "Accept") or ""
    return "as=Table" in accept


def _one(state: store.KubeState, resource: Resource, obj: dict[str, Any], call: Call) -> Response:
    if _wants_table(call):
        return json_response(
            200,
            tables.table(resource, [obj], str(state.rv), None),
            "application/json;as=Table;v=v1;g=meta.k8s.io",
        )
    return Response(200, {"Content-Type": JSON}, store.encoded(state, obj))


def _continue_token(rv: str, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"rv": rv, "start": key}).encode()).decode().rstrip("=")


def _list(state: store.KubeState, resource: Resource, call: Call) -> Response:
    keep = selectors.matcher(call.query.get("labelSelector"), call.query.get("fieldSelector"))
    after = None
    list_rv = str(state.rv)
    token = call.query.get("continue")
    if token:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            after, list_rv = decoded["start"], decoded["rv"]
        except (ValueError, KeyError, TypeError):
            raise bad_request(
                "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
            ) from None
    try:
        limit = int(call.query.get("limit") or 0)
    except ValueError:
        raise bad_request(f"invalid limit {call.query.get('limit')!r}") from None
    if keep is None and not _wants_table(call):
        blobs, last = store.encoded_page(state, resource.key, call.namespace or None, after, limit or None)
        objects: list[dict[str, Any]] = []
    else:
        objects, last = store.page(state, resource.key, call.namespace or None, after, limit or None, keep)
        blobs = [store.encoded(state, o) for o in objects]
    next_token = _continue_token(list_rv, last) if last is not None else None
    if _wants_table(call):
        return json_response(
            200,
            tables.table(resource, objects, list_rv, next_token),
            "application/json;as=Table;v=v1;g=meta.k8s.io",
        )
    metadata: dict[str, Any] = {"resourceVersion": list_rv}
    if next_token:
        metadata["continue"] = next_token
    head = json.dumps(
        {"kind": f"{resource.kind}List", "apiVersion": resource.api_version, "metadata": metadata},
        separators=(",", ":"),
    )
    body = head[:-1].encode() + b',"items":[' + b",".join(blobs) + b"]}"
    return Response(200, {"Content-Type": JSON}, body)


def _scale(resource: Resource, obj: dict[str, Any]) -> dict[str, Any]:
    selector = obj.get("spec", {}).get("selector", {}).get("matchLabels") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: obj["metadata"][k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in obj["metadata"]
        },
        "spec": {"replicas": obj.get("spec", {}).get("replicas", 0)},
        "status": {
            "replicas": obj.get("status", {}).get("replicas", 0),
            "selector": ",".join(f"{k}={v}" for k, v in selector.items()),
        },
    }


# -- writes ------------------------------------------------------------------------------------------------


def _check_kind(resource: Resource, body: Any, name: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("the object provided is unrecognized (must be of type " + resource.kind + ")")
    kind = body.get("kind")
    if kind not in (None, "", resource.kind):
        raise bad_request(
            f"the API version in the data ({body.get('apiVersion')}) does not match the expected API version ({resource.api_version})"
            if body.get("apiVersion") not in (None, resource.api_version)
            else f'{kind} in version "{resource.version}" cannot be handled as a {resource.kind}'
        )
    return body


def _create(
    cluster: Any, state: store.KubeState, resource: Resource, call: Call, body: Any, now: float
) -> Response:
    obj = copy.deepcopy(_check_kind(resource, body, ""))
    obj["kind"] = resource.kind
    obj["apiVersion"] = resource.api_version
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = meta["generateName"] + "".join(
            secrets.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5)
        )
    name = meta.get("name") or ""
    if not name:
        raise invalid(resource, "", [("metadata.name", "Required value: name or generateName is required")])
    pattern = DNS_LABEL if resource.kind in ("Namespace", "Service") else NAME
    if not pattern.match(name) or len(name) > 253:
        raise invalid(
            resource,
            name,
            [
                (
                    "metadata.name",
                    f"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                )
            ],
        )
    if resource.namespaced:
        namespace = call.namespace or meta.get("namespace") or "default"
        if meta.get("namespace") not in (None, "", namespace):
            raise bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = namespace
        if store.get(state, "namespaces", None, namespace) is None:
            raise not_found(by_key("namespaces"), namespace)  # type: ignore[arg-type]
    else:
        meta.pop("namespace", None)
    if store.get(state, resource.key, meta.get("namespace"), name) is not None:
        raise KubeError(
            409, "AlreadyExists", f'{resource.qualified} "{name}" already exists', _details(resource, name)
        )
    for key in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation"):
        meta.pop(key, None)
    _defaults_on_create(cluster, state, resource, obj, now)
    if call.query.get("dryRun"):
        return json_response(201, obj)
    stored = store.put(state, resource.key, obj, now)
    if resource.kind == "Namespace":
        controllers.new_namespace_objects(state, cluster, name, now)
    controllers.reconcile_workloads(cluster, state, now)
    stored = store.get(state, resource.key, meta.get("namespace"), name) or stored
    return Response(201, {"Content-Type": JSON}, store.encoded(state, stored))


def _defaults_on_create(
    cluster: Any, state: store.KubeState, resource: Resource, obj: dict[str, Any], now: float
) -> None:
    kind = resource.kind
    if kind in GENERATION_KINDS:
        obj["metadata"]["generation"] = 1
        if not (obj.get("spec") or {}).get("selector"):
            raise invalid(resource, obj["metadata"]["name"], [("spec.selector", "Required value")])
        controllers.workload_defaults(obj)
        obj.pop("status", None)
    elif kind == "Pod":
        obj.pop("status", None)
        controllers.pod_defaults(obj, now)
        if not (obj.get("spec") or {}).get("containers"):
            raise invalid(resource, obj["metadata"]["name"], [("spec.containers", "Required value")])
    elif kind == "Namespace":
        obj.setdefault("metadata", {}).setdefault("labels", {})["kubernetes.io/metadata.name"] = obj[
            "metadata"
        ]["name"]
        obj["spec"] = {"finalizers": ["kubernetes"]}
        obj["status"] = {"phase": "Active"}
    elif kind == "Service":
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("internalTrafficPolicy", "Cluster")
        if spec.get("clusterIP") != "None":
            number = int(
                hashlib.sha1(obj["metadata"]["name"].encode(), usedforsecurity=False).hexdigest()[:4], 16
            )
            spec.setdefault("clusterIP", f"10.100.{number // 256 % 256}.{number % 254 + 1}")
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
        obj["status"] = {"loadBalancer": {}}
    elif kind == "Secret":
        obj.setdefault("type", "Opaque")
        for key, value in (obj.pop("stringData", None) or {}).items():
            obj.setdefault("data", {})[key] = base64.b64encode(str(value).encode()).decode()
    elif kind == "Event":
        obj.setdefault("count", 1)


def _update(cluster: Any, state: store.KubeState, resource: Resource, call: Call, now: float) -> Response:
    existing = store.get(state, resource.key, call.namespace or None, call.name)
    content_type = (_header(call.headers, "Content-Type") or "").split(";")[0].strip().lower()
    body = _body(call)
    if call.method == "PATCH":
        if existing is None:
            if content_type != "application/apply-patch+yaml":
                raise not_found(resource, call.name)
            created = copy.deepcopy(body or {})
            created.setdefault("metadata", {})["name"] = call.name
            return _create(cluster, state, resource, call, created, now)
        base = existing
        if call.subresource == "scale":
            base = _scale(resource, base)
        try:
            if content_type == "application/json-patch+json":
                updated = patching.json_patch(base, body)
            elif content_type == "application/merge-patch+json":
                updated = documents.merge_patch(base, body)
            elif content_type in ("application/strategic-merge-patch+json", "application/apply-patch+yaml"):
                updated = patching.strategic_merge_patch(base, body)
            else:
                raise KubeError(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                )
        except patching.PatchError as problem:
            raise KubeError(422, "Invalid", str(problem)) from None
        if call.subresource == "scale":
            replicas = (updated.get("spec") or {}).get("replicas")
            updated = copy.deepcopy(existing)
            updated.setdefault("spec", {})["replicas"] = replicas
        if not isinstance(updated, dict):
            raise bad_request("the patch does not give an object")
        # a patch's result shares what it left alone with the stored object, which is changed below
        updated = copy.deepcopy(updated)
    else:
        if existing is None:
            raise not_found(resource, call.name)
        updated = copy.deepcopy(_check_kind(resource, body, call.name))
        if call.subresource == "scale":
            replicas = (updated.get("spec") or {}).get("replicas")
            updated = copy.deepcopy(existing)
            updated.setdefault("spec", {})["replicas"] = replicas
    meta = updated.setdefault("metadata", {})
    if meta.get("name", call.name) != call.name:
        raise bad_request(
            f"the name of the object ({meta.get('name')}) does not match the name on the URL ({call.name})"
        )
    sent_rv = meta.get("resourceVersion")
    current_rv = existing["metadata"]["resourceVersion"]
    if sent_rv and sent_rv != current_rv and call.method == "PUT":
        raise KubeError(
            409,
            "Conflict",
            f'Operation cannot be fulfilled on {resource.qualified} "{call.name}": the object has been modified; please apply your changes to the latest version and try again',
            _details(resource, call.name),
        )
    updated["kind"] = resource.kind
    updated["apiVersion"] = resource.api_version
    meta["name"] = call.name
    for key in ("uid", "creationTimestamp", "namespace"):
        if key in existing["metadata"]:
            meta[key] = existing["metadata"][key]
        else:
            meta.pop(key, None)
    if resource.kind in STATUS_KINDS:
        if call.subresource == "status":
            updated = {**copy.deepcopy(existing), "status": updated.get("status", {})}
        else:
            if "status" in existing:
                updated["status"] = copy.deepcopy(existing["status"])
            else:
                updated.pop("status", None)
    if resource.kind in GENERATION_KINDS:
        controllers.workload_defaults(updated)
        generation = existing["metadata"].get("generation", 1)
        changed = updated.get("spec") != existing.get("spec")
        updated["metadata"]["generation"] = generation + 1 if changed else generation
    elif resource.kind == "Pod":
        controllers.pod_defaults(updated, now)
    if resource.kind == "Secret":
        for key, value in (updated.pop("stringData", None) or {}).items():
            updated.setdefault("data", {})[key] = base64.b64encode(str(value).encode()).decode()
    comparable = copy.deepcopy(updated)
    comparable["metadata"]["resourceVersion"] = current_rv
    if comparable == existing:
        return Response(200, {"Content-Type": JSON}, store.encoded(state, existing))
    if call.query.get("dryRun"):
        return json_response(200, updated)
    store.put(state, resource.key, updated, now)
    controllers.reconcile_workloads(cluster, state, now)
    stored = store.get(state, resource.key, call.namespace or None, call.name) or updated
    if call.subresource == "scale":
        return json_response(200, _scale(resource, stored))
    return Response(200, {"Content-Type": JSON}, store.encoded(state, stored))


def _remove(
    cluster: Any, state: store.KubeState, resource: Resource, namespace: str | None, name: str
) -> dict[str, Any] | None:
    gone = store.remove(state, resource.key, namespace, name)
    if gone is not None and resource.kind == "Namespace":
        prefix = name + "/"
        for key in list(state.objects):
            for object_key in [k for k in state.objects[key] if k.startswith(prefix)]:
                found = state.objects[key][object_key]
                store.remove(state, key, name, found["metadata"]["name"])
    if gone is not None and resource.kind == "Pod":
        node = gone.get("spec", {}).get("nodeName") or ""
        if node.startswith("fargate-"):
            store.remove(state, "nodes", None, node)
    return gone


def _delete(cluster: Any, state: store.KubeState, resource: Resource, call: Call, now: float) -> Response:
    if resource.kind == "Namespace" and call.name in controllers.SYSTEM_NAMESPACES:
        raise KubeError(
            403,
            "Forbidden",
            f'namespaces "{call.name}" is forbidden: this namespace may not be deleted',
            _details(resource, call.name),
        )
    existing = _existing(state, resource, call)
    if call.query.get("dryRun"):
        return Response(200, {"Content-Type": JSON}, store.encoded(state, existing))
    gone = _remove(cluster, state, resource, call.namespace or None, call.name)
    controllers.reconcile_workloads(cluster, state, now)
    if resource.kind in ("Pod", "Namespace"):
        return json_response(200, gone)
    return json_response(
        200,
        {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {**_details(resource, call.name), "uid": existing["metadata"].get("uid")},
        },
    )


# -- reviews -----------------------------------------------------------------------------------------------


def _review(cluster: Any, state: store.KubeState, user: auth.User, resource: Resource, body: Any) -> Response:
    body = body if isinstance(body, dict) else {}
    spec = body.get("spec") or {}
    answer = {
        "kind": resource.kind,
        "apiVersion": resource.api_version,
        "metadata": {"creationTimestamp": None},
        "spec": spec,
    }
    if resource.kind == "SelfSubjectReview":
        info: dict[str, Any] = {"username": user.name, "groups": list(user.groups)}
        if user.uid:
            info["uid"] = user.uid
        if user.principal:
            info["extra"] = {"arn": [user.principal]}
        answer["status"] = {"userInfo": info}
        answer.pop("spec")
        return json_response(201, answer)
    if resource.kind == "SelfSubjectRulesReview":
        resource_rules, non_resource_rules = auth.rules_for(cluster, state, user, spec.get("namespace") or "")
        answer["status"] = {
            "resourceRules": resource_rules,
            "nonResourceRules": non_resource_rules,
            "incomplete": False,
        }
        return json_response(201, answer)
    attributes_in = spec.get("resourceAttributes")
    if attributes_in:
        attributes = auth.Attributes(
            verb=attributes_in.get("verb", ""),
            group=attributes_in.get("group", ""),
            resource=attributes_in.get("resource", ""),
            subresource=attributes_in.get("subresource", ""),
            namespace=attributes_in.get("namespace", ""),
            name=attributes_in.get("name", ""),
        )
    else:
        non_resource = spec.get("nonResourceAttributes") or {}
        attributes = auth.Attributes(verb=non_resource.get("verb", ""), path=non_resource.get("path", ""))
    allowed = auth.authorize(cluster, state, user, attributes)
    answer["status"] = {"allowed": allowed}
    return json_response(201, answer)


# -- watch -------------------------------------------------------------------------------------------------


def _real_monotonic() -> Any:
    import sys

    freezegun = sys.modules.get("freezegun.api")
    return getattr(freezegun, "real_monotonic", time.monotonic)


def _watch(backend: Any, cluster: Any, state: store.KubeState, resource: Resource, call: Call) -> Response:
    keep = selectors.matcher(call.query.get("labelSelector"), call.query.get("fieldSelector"))
    namespace = call.namespace or None
    name = call.name or None
    field_selector = call.query.get("fieldSelector") or ""
    if name is None and field_selector.startswith("metadata.name="):
        name = field_selector.split("=", 1)[1].split(",")[0]
    try:
        timeout = float(call.query.get("timeoutSeconds") or DEFAULT_WATCH_SECONDS)
    except ValueError:
        raise bad_request("invalid timeoutSeconds") from None
    requested = call.query.get("resourceVersion") or ""
    initial: list[bytes] = []
    send_initial = (call.query.get("sendInitialEvents") or "").lower() == "true"
    if requested in ("", "0") or send_initial:
        objects, _ = store.page(state, resource.key, namespace, None, None, keep)
        initial = [
            _event("ADDED", store.encoded(state, o))
            for o in objects
            if name is None or o["metadata"]["name"] == name
        ]
        cursor = state.rv
        if send_initial:
            # a watch list (client-go's WatchListClient): a bookmark marks the end of the initial events
            # (KEP-3157 "watch-list": the ``k8s.io/initial-events-end`` annotation)
            bookmark = {
                "kind": resource.kind,
                "apiVersion": resource.api_version,
                "metadata": {
                    "resourceVersion": str(cursor),
                    "annotations": {"k8s.io/initial-events-end": "true"},
                },
            }
            initial.append(_event("BOOKMARK", json.dumps(bookmark, separators=(",", ":")).encode()))
    else:
        try:
            cursor = int(requested)
        except ValueError:
            raise bad_request(f"invalid resource version {requested!r}") from None
        if store.events_after(state, cursor) is None:
            gone = {
                "type": "ERROR",
                "object": {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "metadata": {},
                    "status": "Failure",
                    "message": f"too old resource version: {cursor} ({state.events[0][0]})",
                    "reason": "Expired",
                    "code": 410,
                },
            }
            return Response(
                200,
                {"Content-Type": JSON, "Transfer-Encoding": "chunked"},
                iter([json.dumps(gone).encode() + b"\n"]),
            )
    monotonic = _real_monotonic()
    deadline = monotonic() + timeout
    mock_deadline = backend.now() + timeout

    bookmarks = (call.query.get("allowWatchBookmarks") or "").lower() == "true"

    def stream() -> Iterator[bytes]:
        position = cursor
        quiet_since = monotonic()
        yield from initial
        while True:
            with backend.lock:
                backend.lifecycle.apply_due(backend.now())
                if store.state_of(cluster) is not state or cluster.status not in ("ACTIVE", "UPDATING"):
                    return
                controllers.reconcile(backend, cluster, state)
                events = store.events_after(state, position) or []
                out = []
                for rv, kind, key, obj in events:
                    position = rv
                    meta = obj["metadata"]
                    if (
                        key != resource.key
                        or (namespace and meta.get("namespace") != namespace)
                        or (name and meta["name"] != name)
                    ):
                        continue
                    if kind != "DELETED" and keep is not None and not keep(obj):
                        continue
                    out.append(_event(kind, store.encoded(state, obj)))
                over = backend.now() >= mock_deadline
            yield from out
            if over or monotonic() >= deadline:
                return
            if out:
                quiet_since = monotonic()
            elif bookmarks and monotonic() - quiet_since >= BOOKMARK_SECONDS:
                # a quiet watch still writes now and then: a client that went away is noticed (a write
                # fails) instead of holding the stream until its timeout
                quiet_since = monotonic()
                mark: dict[str, Any] = {"kind": resource.kind, "apiVersion": resource.api_version}
                mark["metadata"] = {"resourceVersion": str(position)}
                yield _event("BOOKMARK", json.dumps(mark, separators=(",", ":")).encode())
            with store.CHANGED:
                store.CHANGED.wait(min(0.05, max(0.0, deadline - monotonic())))
            yield b""  # nothing yet: the transport gets control back (and may see its client has gone)

    return Response(200, {"Content-Type": JSON, "Transfer-Encoding": "chunked"}, stream())


def _event(kind: str, data: bytes) -> bytes:
    return b'{"type":"' + kind.encode() + b'","object":' + data + b"}\n"
