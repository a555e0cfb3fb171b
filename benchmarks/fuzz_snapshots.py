"""The long run of the snapshot value fuzz (the suite runs a bounded one: tests/test_snapshot_values.py).

Run:  python benchmarks/fuzz_snapshots.py [--count 10000] [--seed 1]

Each of ``--count`` mutations replaces one value of a real snapshot (or deletes one key) and restores
it: it must be refused with SnapshotError (the old state kept) or be served by every read without a
5xx. Prints the counts and the first failures; exit status 0 when there are none.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import snapshot_fuzz  # noqa: E402 - the fuzz the suite runs, from the checkout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAMOCKEKSFUZZ00000")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "fuzz")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    began = time.perf_counter()
    snapshot = snapshot_fuzz.base_snapshot()
    outcome = snapshot_fuzz.run(snapshot, args.count, args.seed)
    print(
        f"{args.count} mutated snapshots in {time.perf_counter() - began:.0f} s: {outcome.refused} refused "
        f"(SnapshotError), {outcome.accepted} accepted and read without a 5xx, {len(outcome.failures)} failures"
    )
    for failure in outcome.failures[:20]:
        print("  ", failure)
    return 0 if not outcome.failures else 1


if __name__ == "__main__":
    sys.exit(main())
