"""``mock-eks kubeconfig`` and ``mock-eks get-token``: kubectl's way into a running server's clusters.

``kubeconfig`` fetches ``GET /_mock_eks/kubeconfig`` and merges it into a kubeconfig file as
``aws eks update-kubeconfig`` does (entries replaced by name, the cluster's context made current);
``get-token`` is the exec credential plugin that kubeconfig's user runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


def _region(args: argparse.Namespace) -> str:
    return args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def _fetch(args: argparse.Namespace, path: str, query: dict[str, str]) -> Any:
    """The JSON document the server answers at ``path``; OSError/ValueError with a readable reason."""
    endpoint = args.endpoint_url
    url = endpoint.rstrip("/") + "/_mock_eks/" + path + "?" + urllib.parse.urlencode(query)
    headers = {"Accept": "application/json"}
    if args.control_token:
        headers["Authorization"] = f"Bearer {args.control_token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the user's endpoint
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("message", error.reason)
        except ValueError:
            message = error.reason
        raise ValueError(message) from None
    except urllib.error.URLError as error:
        raise OSError(f"cannot reach {endpoint}: {error.reason}") from None


def _query(args: argparse.Namespace, cluster: str) -> dict[str, str]:
    query = {"cluster": cluster, "region": _region(args)}
    if args.account:
        query["account"] = args.account
    return query


def get_token(args: argparse.Namespace) -> int:
    try:
        query = _query(args, args.cluster_name)
        key = os.environ.get("AWS_ACCESS_KEY_ID")
        if key:  # who is calling, as `aws eks get-token` would sign for it (the secret stays here)
            query["accessKeyId"] = key
        document = _fetch(args, "get-token", query)
    except (OSError, ValueError) as error:
        print(f"mock-eks get-token: {error}", file=sys.stderr)
        return 1
    print(json.dumps(document))
    return 0


def kubeconfig(args: argparse.Namespace) -> int:
    try:
        document = _fetch(args, "kubeconfig", _query(args, args.cluster))
    except (OSError, ValueError) as error:
        print(f"mock-eks kubeconfig: {error}", file=sys.stderr)
        return 1
    if args.control_token:  # the exec plugin needs it too: the kubeconfig carries it (the file is 0600)
        for entry in document.get("users", []):
            entry["user"]["exec"]["env"] = [{"name": "MOCK_EKS_CONTROL_TOKEN", "value": args.control_token}]
    path = args.output or _default_path()
    try:
        existed = _merge(document, path)
    except (OSError, ValueError) as error:
        print(f"mock-eks kubeconfig: cannot write {path}: {error}", file=sys.stderr)
        return 1
    context = document["current-context"]
    print(f"{'Updated' if existed else 'Added new'} context {context} {'in' if existed else 'to'} {path}")
    return 0


def _default_path() -> str:
    """Where kubectl looks first: the first file of KUBECONFIG, else ~/.kube/config."""
    paths = [path for path in os.environ.get("KUBECONFIG", "").split(os.pathsep) if path]
    return paths[0] if paths else os.path.join(os.path.expanduser("~"), ".kube", "config")


def _merge(document: dict[str, Any], path: str) -> bool:
    """Write ``document``'s entries into the kubeconfig at ``path`` (replacing same-named ones) and make
    its context current; whether ``path``'s file had this context already."""
    import yaml

    config: dict[str, Any] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            config = yaml.safe_load(file) or {}
        if not isinstance(config, dict):
            raise ValueError("the existing file is not a kubeconfig")
    existed = any(entry.get("name") == document["current-context"] for entry in config.get("contexts") or [])
    merged = {"apiVersion": "v1", "kind": "Config", "preferences": {}, **config}
    for section in ("clusters", "contexts", "users"):
        entries = {entry["name"]: entry for entry in merged.get(section) or []}
        entries.update({entry["name"]: entry for entry in document.get(section, [])})
        merged[section] = list(entries.values())
    merged["current-context"] = document["current-context"]
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    text = yaml.safe_dump(merged, default_flow_style=False, sort_keys=False)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it names a credential
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    return existed
