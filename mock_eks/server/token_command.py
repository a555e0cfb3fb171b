"""``mock-eks token``: ask a running server to mint a service account token, and print it."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request


def run(args: argparse.Namespace) -> int:
    region = (
        args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
    body: dict[str, object] = {
        "clusterName": args.cluster,
        "namespace": args.namespace,
        "serviceAccount": args.service_account,
        "region": region,
    }
    for name, value in (
        ("accountId", args.account),
        ("podName", args.pod_name),
        ("expiresIn", args.expires_in),
    ):
        if value is not None:
            body[name] = value
    headers = {"Content-Type": "application/json"}
    if args.control_token:
        headers["Authorization"] = f"Bearer {args.control_token}"
    request = urllib.request.Request(
        args.endpoint.rstrip("/") + "/_mock_eks/service-account-token",
        data=json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the user's endpoint
            document = json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("message", error.reason)
        except ValueError:
            message = error.reason
        print(f"mock-eks token: {message}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError) as error:
        print(
            f"mock-eks token: cannot reach {args.endpoint}: {getattr(error, 'reason', error)}",
            file=sys.stderr,
        )
        return 1
    print(document["token"])
    return 0
