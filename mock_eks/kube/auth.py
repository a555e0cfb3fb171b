"""Who is calling and what they may do: EKS's authentication and authorization in front of the API.

Authentication (as on EKS): a bearer token of ``aws eks get-token``'s form is checked as aws-iam-authenticator
checks it (``sts_token``); its IAM principal is the one the mock records for those credentials (see
``identity.principals``) and is mapped to a Kubernetes user by the cluster's
``authenticationMode``: access entries (API), the ``aws-auth`` ConfigMap in ``kube-system`` (CONFIG_MAP), or
both. An unmapped principal is not authenticated (401). The cluster's own service account tokens (RS256
JWTs of its OIDC issuer) are ``system:serviceaccount:<namespace>:<name>``. No token is ``system:anonymous``.

Authorization: ``system:masters`` may do anything; then the access policies associated with the caller's
access entry (cluster-wide or in their namespaces), then RBAC (ClusterRoleBindings and RoleBindings to the
user, its groups or its service account). kube-apiserver's bootstrap policy lets everyone read the health
and version paths, and authenticated users discovery and self-reviews.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mock_eks import moto_link
from mock_eks.identity import principals
from mock_eks.kube import store, sts_token
from mock_eks.model import accounts
from mock_eks.moto_link import iam as moto_iam

ANONYMOUS = "system:anonymous"
MASTERS = "system:masters"
# kube-apiserver bootstrap policy: system:public-info-viewer (everyone), system:discovery and
# system:basic-user (system:authenticated), plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go
PUBLIC_PATHS = ("/healthz", "/livez", "/readyz", "/version", "/version/")
DISCOVERY_PATHS = (
    "/api",
    "/api/*",
    "/apis",
    "/apis/*",
    "/openapi",
    "/openapi/*",
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/version/",
)
SELF_REVIEWS = ("selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews")


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...]
    uid: str = ""
    principal: str | None = None  # the IAM principal ARN, for EKS callers
    extra: dict[str, list[str]] = field(default_factory=dict)


class Unauthorized(Exception):
    """The request's credentials name nobody the cluster knows (401)."""


@dataclass(frozen=True)
class Attributes:
    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""

    @property
    def is_resource(self) -> bool:
        return bool(self.resource)


def catalogue() -> dict[str, Any]:
    return _CATALOGUE or _load()


_CATALOGUE: dict[str, Any] = {}


def _load() -> dict[str, Any]:
    _CATALOGUE.update(
        json.loads(resources.files("mock_eks.data").joinpath("kube_resources.json").read_text())
    )
    return _CATALOGUE


# -- authentication ----------------------------------------------------------------------------------------


def _secret_for(backend: Any) -> Any:
    """The secrets the mock knows: its own fake key's, and (linked to moto) those of the keys moto issued."""

    def secret(access_key: str) -> str | None:
        if access_key == accounts.FAKE_ACCESS_KEY_ID:
            return accounts.FAKE_SECRET_ACCESS_KEY
        if backend.moto != "off":
            found = moto_iam.principal_of_key(access_key)
            return found[1] if found is not None else None
        return None

    return secret


def principals_for(backend: Any, cluster: Any, caller: sts_token.Caller) -> list[str]:
    """The IAM principals the credentials of ``caller`` stand for, most specific first: the IAM user or
    assumed role moto records for a key it issued (the moto link), then the principal the mock records
    for the key itself (as for the creator at CreateCluster), each with an assumed role's role."""
    partition = cluster.arn.split(":")[1]
    account = accounts.account_for(caller.access_key)
    found: list[str] = []
    if backend.moto != "off":
        account = moto_link.account_for(backend, {}, caller.access_key, account)
        known = moto_iam.principal_of_key(caller.access_key)
        if known is not None:
            found.append(known[0])
    found.append(principals.principal_for_key(partition, account, caller.access_key))
    return found


def authenticate(backend: Any, cluster: Any, state: store.KubeState, authorization: str | None) -> User:
    """The user a request's ``Authorization`` header stands for (``Unauthorized`` if it names nobody)."""
    if not authorization:
        return User(ANONYMOUS, ("system:unauthenticated",))
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("not a bearer token")
    if token.startswith(sts_token.PREFIX):
        partition = cluster.arn.split(":")[1]
        try:
            caller = sts_token.check(
                token, cluster.name, accounts.dns_suffix(partition), backend.now(), _secret_for(backend)
            )
        except sts_token.TokenRejected as problem:
            raise Unauthorized(str(problem)) from None
        names = principals_for(backend, cluster, caller)
        user = map_principal(cluster, state, names, caller)
        if user is None:
            raise Unauthorized(f"{names[0]} is not mapped to a Kubernetes user")
        return user
    return _service_account(backend, cluster, token)


def _service_account(backend: Any, cluster: Any, token: str) -> User:
    from mock_eks.identity import tokens

    try:
        claims = tokens.verify(token, cluster.signing_key)
    except tokens.TokenError as problem:
        raise Unauthorized(str(problem)) from None
    subject = str(claims.get("sub", ""))
    parts = subject.split(":")
    expires = claims.get("exp")
    if (
        claims.get("iss") != cluster.oidc_issuer
        or len(parts) != 4
        or parts[:2] != ["system", "serviceaccount"]
        or not isinstance(expires, int | float)
        or expires <= backend.now()
    ):
        raise Unauthorized("not a valid service account token of this cluster")
    namespace = parts[2]
    return User(
        subject,
        ("system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"),
    )


def _mode(cluster: Any) -> str:
    return (cluster.access_config or {}).get("authenticationMode", "CONFIG_MAP")


def _role_of(principal: str) -> str | None:
    """The IAM role ARN of an assumed-role session ARN (access entries and aws-auth name the role)."""
    head, _, rest = principal.partition(":assumed-role/")
    if not rest:
        return None
    return head.replace(":sts:", ":iam:") + ":role/" + rest.split("/")[0]


def _fill(template: str, principal: str, caller: sts_token.Caller | None) -> str:
    session = principal.rsplit("/", 1)[-1] if ":assumed-role/" in principal else ""
    return (
        template.replace("{{SessionName}}", session)
        .replace("{{AccessKeyID}}", caller.access_key if caller else "")
        .replace("{{EC2PrivateDNSName}}", "")
    )


def map_principal(
    cluster: Any, state: store.KubeState, principals_: list[str], caller: sts_token.Caller | None = None
) -> User | None:
    """The Kubernetes user the first mapped of ``principals_`` is (None: none is mapped)."""
    mode = _mode(cluster)
    principal = principals_[0]
    names: list[str] = []
    for name in principals_:
        names += [name] + [role for role in [_role_of(name)] if role]
    if mode in ("API", "API_AND_CONFIG_MAP"):
        entries = cluster.child("access_entries")
        for name in names:
            entry = entries.get(name)
            if entry is not None:
                groups = tuple(entry.kubernetes_groups) + ("system:authenticated",)
                return User(_fill(entry.username, principal, caller), groups, principal=name)
    if mode in ("CONFIG_MAP", "API_AND_CONFIG_MAP"):
        pending = cluster.children.get("access_bootstrap")
        if pending is not None and pending.get("creator") in names:
            # EKS: the cluster creator has system:masters without appearing in aws-auth
            return User(principal, (MASTERS, "system:authenticated"), principal=principal)
        found = _aws_auth(state, names)
        if found is not None:
            username, mapped_groups = found
            return User(
                _fill(username, principal, caller),
                (*mapped_groups, "system:authenticated"),
                principal=principal,
            )
    return None


def _aws_auth(state: store.KubeState, names: list[str]) -> tuple[str, list[str]] | None:
    import yaml

    config = store.get(state, "configmaps", "kube-system", "aws-auth")
    data = (config or {}).get("data") or {}
    for field_name, arn_key in (("mapRoles", "rolearn"), ("mapUsers", "userarn")):
        try:
            entries = yaml.safe_load(data.get(field_name) or "[]") or []
        except yaml.YAMLError:
            continue
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get(arn_key) in names:
                return str(entry.get("username") or names[0]), [str(g) for g in entry.get("groups") or []]
    return None


# -- authorization -----------------------------------------------------------------------------------------


def _matches(values: list[str] | None, value: str) -> bool:
    return bool(values) and ("*" in values or value in values)  # type: ignore[operator]


def rule_allows(rule: dict[str, Any], attributes: Attributes) -> bool:
    if not _matches(rule.get("verbs"), attributes.verb):
        return False
    if not attributes.is_resource:
        return any(
            pattern == attributes.path or (pattern.endswith("*") and attributes.path.startswith(pattern[:-1]))
            for pattern in rule.get("nonResourceURLs") or []
        )
    if not _matches(rule.get("apiGroups"), attributes.group):
        return False
    resource = attributes.resource + (f"/{attributes.subresource}" if attributes.subresource else "")
    resources_ = rule.get("resources") or []
    if not ("*" in resources_ or resource in resources_ or f"*/{attributes.subresource}" in resources_):
        return False
    names = rule.get("resourceNames")
    return not names or attributes.name in names


def _policy_rules(policy_arn: str, state: store.KubeState) -> list[dict[str, Any]]:
    entry = catalogue()["accessPolicies"].get(policy_arn.rsplit("/", 1)[-1])
    if entry is None:
        return []
    rules = list(entry.get("rules") or [])
    role = entry.get("clusterRole")
    if role:
        rules += catalogue()["clusterRoles"].get(role, [])
    return rules + list(entry.get("extra") or [])


def _in_scope(scope: dict[str, Any], namespace: str) -> bool:
    if scope.get("type") == "cluster":
        return True
    return bool(namespace) and any(
        fnmatch.fnmatchcase(namespace, pattern) for pattern in scope.get("namespaces") or []
    )


def _subject_matches(subject: dict[str, Any], user: User, binding_namespace: str) -> bool:
    kind = subject.get("kind")
    if kind == "User":
        return subject.get("name") == user.name
    if kind == "Group":
        return subject.get("name") in user.groups
    if kind == "ServiceAccount":
        namespace = subject.get("namespace") or binding_namespace
        return user.name == f"system:serviceaccount:{namespace}:{subject.get('name')}"
    return False


def _role_rules(state: store.KubeState, ref: dict[str, Any], namespace: str) -> list[dict[str, Any]]:
    if ref.get("kind") == "ClusterRole":
        role = store.get(state, "clusterroles.rbac.authorization.k8s.io", None, ref.get("name", ""))
    else:
        role = store.get(state, "roles.rbac.authorization.k8s.io", namespace, ref.get("name", ""))
    return list((role or {}).get("rules") or [])


def authorize(cluster: Any, state: store.KubeState, user: User, attributes: Attributes) -> bool:
    if MASTERS in user.groups:
        return True
    if not attributes.is_resource:
        if attributes.verb in ("get", "head") and attributes.path in PUBLIC_PATHS:
            return True
        if "system:authenticated" in user.groups and any(
            rule_allows({"verbs": ["get"], "nonResourceURLs": [p]}, attributes) for p in DISCOVERY_PATHS
        ):
            return True
    elif (
        "system:authenticated" in user.groups
        and attributes.verb == "create"
        and attributes.resource in SELF_REVIEWS
    ):
        return True
    if user.principal is not None and _mode(cluster) in ("API", "API_AND_CONFIG_MAP"):
        entry = cluster.child("access_entries").get(user.principal)
        for association in entry.policies if entry is not None else []:
            if _in_scope(association.get("accessScope") or {}, attributes.namespace) and any(
                rule_allows(rule, attributes) for rule in _policy_rules(association["policyArn"], state)
            ):
                return True
    for binding in state.objects.get("clusterrolebindings.rbac.authorization.k8s.io", {}).values():
        if any(_subject_matches(s, user, "") for s in binding.get("subjects") or []) and any(
            rule_allows(rule, attributes) for rule in _role_rules(state, binding.get("roleRef") or {}, "")
        ):
            return True
    if attributes.namespace:
        bindings = state.objects.get("rolebindings.rbac.authorization.k8s.io", {})
        prefix = attributes.namespace + "/"
        for key, binding in bindings.items():
            if not key.startswith(prefix):
                continue
            if any(
                _subject_matches(s, user, attributes.namespace) for s in binding.get("subjects") or []
            ) and any(
                rule_allows(rule, attributes)
                for rule in _role_rules(state, binding.get("roleRef") or {}, attributes.namespace)
            ):
                return True
    return False


def rules_for(
    cluster: Any, state: store.KubeState, user: User, namespace: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What ``user`` may do in ``namespace`` (resource rules) and anywhere (non-resource rules), as a
    SelfSubjectRulesReview lists it: the rules of every grant ``authorize`` consults."""
    rules: list[dict[str, Any]] = []
    if MASTERS in user.groups:
        rules += catalogue()["clusterRoles"]["cluster-admin"]
    if "system:authenticated" in user.groups:
        rules.append(
            {"verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": list(SELF_REVIEWS[:2])}
        )
        rules.append(
            {"verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": [SELF_REVIEWS[2]]}
        )
        rules.append({"verbs": ["get"], "nonResourceURLs": list(DISCOVERY_PATHS)})
    rules.append({"verbs": ["get"], "nonResourceURLs": list(PUBLIC_PATHS)})
    if user.principal is not None and _mode(cluster) in ("API", "API_AND_CONFIG_MAP"):
        entry = cluster.child("access_entries").get(user.principal)
        for association in entry.policies if entry is not None else []:
            scope = association.get("accessScope") or {}
            if scope.get("type") == "cluster" or _in_scope(scope, namespace):
                rules += _policy_rules(association["policyArn"], state)
    for binding in state.objects.get("clusterrolebindings.rbac.authorization.k8s.io", {}).values():
        if any(_subject_matches(s, user, "") for s in binding.get("subjects") or []):
            rules += _role_rules(state, binding.get("roleRef") or {}, "")
    if namespace:
        prefix = namespace + "/"
        for key, binding in state.objects.get("rolebindings.rbac.authorization.k8s.io", {}).items():
            if key.startswith(prefix) and any(
                _subject_matches(s, user, namespace) for s in binding.get("subjects") or []
            ):
                rules += _role_rules(state, binding.get("roleRef") or {}, namespace)
    resource_rules = [r for r in rules if "nonResourceURLs" not in r]
    non_resource_rules = [r for r in rules if "nonResourceURLs" in r]
    return resource_rules, non_resource_rules


def forbidden_message(user: User, attributes: Attributes) -> str:
    """kube-apiserver's wording (k8s.io/apiserver endpoints/handlers/responsewriters ``forbiddenMessage``,
    wrapped by apimachinery's ``NewForbidden``)."""
    if not attributes.is_resource:
        return f'forbidden: User "{user.name}" cannot {attributes.verb} path "{attributes.path}"'
    resource = attributes.resource + (f"/{attributes.subresource}" if attributes.subresource else "")
    if attributes.namespace:
        scope = f'in the namespace "{attributes.namespace}"'
    else:
        scope = "at the cluster scope"
    reason = (
        f'User "{user.name}" cannot {attributes.verb} resource "{resource}" in API group '
        f'"{attributes.group}" {scope}'
    )
    qualified = attributes.resource + (f".{attributes.group}" if attributes.group else "")
    if attributes.name:
        return f'{qualified} "{attributes.name}" is forbidden: {reason}'
    return f"{qualified} is forbidden: {reason}"
