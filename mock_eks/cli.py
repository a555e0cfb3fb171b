"""The `mock-eks` command: `demo` (offline walk-through) and `serve` (HTTP server)."""

from __future__ import annotations

import argparse
import sys


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"seconds must be between 0 and 3600, not {text}")
    return value


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
    serve.add_argument("--port", type=int, default=5454)
    serve.add_argument("--timing", choices=("instant", "realistic"), default="instant")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from mock_eks.demo import run

        return run(sys.stdout, pause=args.pause)
    try:
        from mock_eks.server import serve_forever
    except ImportError:  # pragma: no cover - until server mode lands
        parser.error("server mode is not available in this build")
    return serve_forever(args.host, args.port, args.timing)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
