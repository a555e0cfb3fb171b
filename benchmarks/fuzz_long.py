"""The long fuzz run: random (not derandomized) hypothesis examples until N requests, failures collected.

    python benchmarks/fuzz_long.py [--requests 100000] [--batch 50] [--seed S]

Every request goes through ``requests`` under the mock (the whole pipeline); the rules are those of
tests/fuzzing.py. Prints requests, failures (grouped), and time; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mock_eks import mock_eks  # noqa: E402
from tests import fuzzing  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    sent = 0
    failures: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    started = time.perf_counter()

    @settings(
        max_examples=-(-args.requests // args.batch),
        deadline=None,
        phases=[Phase.generate],  # explore only: failures are collected, not shrunk
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=st.lists(fuzzing.calls, min_size=args.batch, max_size=args.batch))
    def run(batch: list[fuzzing.Call]) -> None:
        nonlocal sent
        if sent >= args.requests:
            return
        with mock_eks(), requests.Session() as session:
            fuzzing.seed(session)
            for call in batch:
                problem = fuzzing.send(session, call)
                sent += 1
                if problem:
                    key = f"{call.operation}: {problem}"[:160]
                    failures[key] += 1
                    examples.setdefault(key, f"{call.method} {call.url} {call.body[:300]!r}")

    if args.seed is not None:
        run = seed(args.seed)(run)
    run()
    elapsed = time.perf_counter() - started
    print(f"requests: {sent}  failures: {sum(failures.values())}  time: {elapsed:.0f} s")
    for key, count in failures.most_common(40):
        print(f"{count:6d}  {key}\n        e.g. {examples[key]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
