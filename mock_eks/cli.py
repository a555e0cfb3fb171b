"""The `mock-eks` command: `demo` (offline walk-through), `serve` (HTTP server), `token` (mint one),
`kubeconfig` / `get-token` (kubectl against a server's cluster), `routes` (what is intercepted)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:5454"  # `serve`'s default --host and --port


def _bounded(cast: Callable[[str], float], noun: str, low: float, high: float) -> Callable[[str], Any]:
    """An argparse type: ``cast(text)`` between ``low`` and ``high``, else an error naming ``noun``."""

    def convert(text: str) -> Any:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {noun}: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"a {noun} is between {low} and {high}, not {text}")
        return value

    return convert


_seconds = _bounded(float, "number of seconds", 0, 3600)
_port = _bounded(int, "port number (0: any free one)", 0, 65535)


def _public_url(text: str) -> str:
    from mock_eks.server import check_public_url

    try:
        return check_public_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# Every mock_eks import below is inside the function that needs it, for import cost: ``mock-eks routes``
# or ``token`` need not load the server, the demo or the state.


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mock-eks", description="A mock of Amazon EKS and EKS Auth.")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="walk a cluster through its life, offline, and print each step")
    demo.add_argument(
        "--pause",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="let each status transition take this long, for a presenter (default: a few seconds in all)",
    )
    serve = commands.add_parser("serve", help="serve the EKS and EKS Auth APIs over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=5454, help="0 picks a free port (default: 5454)")
    serve.add_argument("--timing", choices=("instant", "realistic"), default="instant")
    serve.add_argument(
        "--durations",
        default="",
        metavar="KIND=SECONDS,...",
        help="per-kind transition durations, e.g. cluster.create=30,nodegroup.create=10 (kinds: data/durations.json)",
    )
    serve.add_argument(
        "--state",
        default=None,
        metavar="FILE",
        help="load FILE at start if it exists; write it on Ctrl-C/SIGTERM/SIGHUP",
    )
    serve.add_argument(
        "--seed", default=None, metavar="FILE", help="replay a YAML/JSON list of {operation, params} at start"
    )
    serve.add_argument(
        "--moto",
        choices=("link", "strict", "off"),
        default="link",
        help="with moto installed: run moto in the server's process, serve its services on the same port, "
        "and link EKS to its EC2, Auto Scaling, KMS and IAM (default: link)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name the control endpoints (/_mock_eks/*) answer to, besides the bound address and "
        "localhost (repeatable)",
    )
    serve.add_argument(
        "--control-token",
        default=os.environ.get("MOCK_EKS_CONTROL_TOKEN") or None,
        metavar="TOKEN",
        help="require Authorization: Bearer TOKEN on /_mock_eks/* except health and the OIDC documents "
        "(default: MOCK_EKS_CONTROL_TOKEN)",
    )
    serve.add_argument(
        "--public-url",
        type=_public_url,
        default=None,
        metavar="URL",
        help="the server's URL in documents it builds (OIDC discovery); its host is an allowed name",
    )
    token = commands.add_parser("token", help="print a service account token minted by a running server")
    token.add_argument("--endpoint", required=True, help="the server's URL, e.g. http://127.0.0.1:5454")
    token.add_argument("--cluster", required=True)
    token.add_argument("--namespace", required=True)
    token.add_argument("--service-account", required=True)
    token.add_argument("--region", default=None, help="default: AWS_REGION, AWS_DEFAULT_REGION or us-east-1")
    token.add_argument("--account", default=None, help="the cluster's account id (default: the server's)")
    token.add_argument("--pod-name", default=None)
    token.add_argument("--expires-in", type=int, default=None, help="seconds (default: 86400)")
    kubeconfig = commands.add_parser(
        "kubeconfig",
        help="write a kubeconfig for a running server's cluster that kubectl uses as it is (proxy-url set)",
    )
    kubeconfig.add_argument("--cluster", required=True, help="the cluster's name")
    kubeconfig.add_argument(
        "--output",
        default=None,
        metavar="FILE",
        help="the kubeconfig to update (default: KUBECONFIG or ~/.kube/config)",
    )
    get_token = commands.add_parser(
        "get-token",
        help="print an ExecCredential for a server's cluster (the exec plugin of `kubeconfig`'s user)",
    )
    get_token.add_argument("--cluster-name", required=True)
    for command in (kubeconfig, get_token):
        command.add_argument(
            "--region", default=None, help="default: AWS_REGION, AWS_DEFAULT_REGION or us-east-1"
        )
        command.add_argument(
            "--account", default=None, help="the cluster's account id (default: the server's)"
        )
        command.add_argument(
            "--endpoint-url", default=DEFAULT_ENDPOINT, help=f"the server (default: {DEFAULT_ENDPOINT})"
        )
    for command in (token, kubeconfig, get_token):
        command.add_argument(
            "--control-token",
            default=os.environ.get("MOCK_EKS_CONTROL_TOKEN") or None,
            metavar="TOKEN",
            help="the server's control token (default: MOCK_EKS_CONTROL_TOKEN)",
        )
    commands.add_parser(
        "routes", help="print every intercepted operation: method, path pattern, service, operation"
    )
    args = parser.parse_args(argv)
    if args.command == "routes":
        return print_routes(sys.stdout)
    if args.command == "token":
        from mock_eks.server.token_command import run as print_token

        return print_token(args)
    if args.command in ("kubeconfig", "get-token"):
        from mock_eks.server import kubeconfig_command

        return (
            kubeconfig_command.kubeconfig(args)
            if args.command == "kubeconfig"
            else kubeconfig_command.get_token(args)
        )
    if args.command == "demo":
        from mock_eks.demo import run

        return run(sys.stdout, pause=args.pause)
    try:
        from mock_eks.server import serve_forever
    except ImportError:  # pragma: no cover - until server mode lands
        parser.error("server mode is not available in this build")
    from mock_eks.state import seeds, snapshot
    from mock_eks.state.clock import parse_durations
    from mock_eks.state.lifecycle import Timing

    try:
        timing = Timing(args.timing, parse_durations(args.durations))
    except ValueError as error:
        serve.error(f"argument --durations: {error}")
    problem = None if args.state is None else snapshot.check_path(args.state)
    if problem is not None:
        serve.error(f"argument --state: {problem}")
    seed = None
    if args.seed is not None:
        try:
            seed = seeds.read(args.seed)
        except seeds.SeedError as error:
            serve.error(f"argument --seed: {error}")
    return serve_forever(
        args.host,
        args.port,
        timing,
        state=args.state,
        seed=seed,
        moto=args.moto,
        allow_hosts=args.allow_host,
        control_token=args.control_token,
        public_url=args.public_url,
    )


def print_routes(out: Any) -> int:
    """``mock-eks routes``: the hosts, then one line per operation of ``mock_eks.url_patterns()``."""
    from mock_eks.model.accounts import host_pattern
    from mock_eks.model.spec import url_patterns

    rows = url_patterns()
    out.write(f"# hosts (any partition, FIPS, dual-stack): {host_pattern()}\n")
    width_method = max(len(row.method) for row in rows)
    width_pattern = max(len(row.pattern) for row in rows)
    width_service = max(len(row.service) for row in rows)
    for row in rows:
        out.write(
            f"{row.method:<{width_method}}  {row.pattern:<{width_pattern}}  "
            f"{row.service:<{width_service}}  {row.operation}\n"
        )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
