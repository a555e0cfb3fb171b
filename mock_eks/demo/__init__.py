"""`mock-eks demo`: an offline walk-through of the mock, printed step by step.

The demo runs under ``timing="realistic"`` with every duration shortened to
``FAST_SECONDS``, so statuses visibly move (CREATING -> ACTIVE) and the whole
walk takes a few seconds. ``pause`` (``mock-eks demo --pause SECONDS``) makes
each transition take that long instead, for a presenter who talks over it.

Sections live in ``mock_eks/demo/<family>.py``, listed in ``SECTIONS``; each defines
``TITLE`` and ``run(demo: Demo) -> None`` and uses only the Demo methods below.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from mock_eks.demo import access, addons, clusters, compute, failures, more, moto
from mock_eks.mock import MockEKS
from mock_eks.model.sessions import fresh_botocore_session
from mock_eks.state.lifecycle import REALISTIC_SECONDS

# the sections, in the order they run (torn down in reverse)
SECTIONS = (clusters, compute, failures, addons, access, more, moto)
FAST_SECONDS = 0.02  # long enough to see CREATING, short enough to keep the whole walk within a few seconds
POLL_SECONDS = 0.005


def demo_seconds(pause: float) -> dict[str, float]:
    """Every lifecycle duration shortened to ``pause`` seconds (never longer than the realistic one)."""
    return {kind: min(pause, seconds) for kind, seconds in REALISTIC_SECONDS.items()}


class Demo:
    """What a demo section may use: clients, a call printer and a waiter with a progress display."""

    def __init__(self, out: TextIO, region: str = "us-east-1") -> None:
        self.out = out
        self.eks = self.client("eks", region)
        self.auth = self.client("eks-auth", region)
        self.cluster = "demo-cluster"
        self.step = 0

    @staticmethod
    def client(service: str, region: str = "us-east-1") -> Any:
        """A client as boto3.client makes it, from a session that shares one model loader (a new boto3
        session reads botocore's JSON models again: most of a demo run's time otherwise)."""
        return fresh_botocore_session().create_client(service, region_name=region)

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def call(
        self, client: Any, operation: str, show: Callable[[dict], Any] | None = None, **params: Any
    ) -> dict:
        """Call ``operation`` (snake_case), print the call and what came back (or ``show(response)``)."""
        self.step += 1
        shown = ", ".join(f"{k}={_short(v)}" for k, v in params.items())
        self.say(f"\n[{self.step}] {client.meta.service_model.service_id}.{operation}({shown})")
        response = getattr(client, operation)(**params)
        response.pop("ResponseMetadata", None)
        summary = show(response) if show is not None else response
        self.say("    -> " + _short(summary, limit=600).replace("\n", "\n       "))
        return response

    def wait(
        self, description: str, status: Callable[[], str], done: Callable[[str], bool], timeout: float = 30
    ) -> str:
        """Poll ``status()`` until ``done(status)``, drawing a progress line."""
        start = time.monotonic()
        spinner = "|/-\\"
        tick = 0
        interactive = hasattr(self.out, "isatty") and self.out.isatty()
        current = status()
        while not done(current):
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"{description}: still {current} after {timeout}s")
            elapsed = time.monotonic() - start
            if interactive:
                self.out.write(f"\r    {spinner[tick % 4]} {description}: {current} ({elapsed:4.1f}s)")
                self.out.flush()
            elif tick == 0:
                self.out.write(f"    ... {description}: {current}\n")
            tick += 1
            time.sleep(POLL_SECONDS)
            current = status()
        prefix = "\r" if interactive else ""
        self.out.write(f"{prefix}    ✓ {description}: {current} ({time.monotonic() - start:4.1f}s)\n")
        return current


def _default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=_default)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run(out: TextIO = sys.stdout, *, instant: bool = False, pause: float | None = None) -> int:
    """Run every available section in order; returns a process exit code.

    ``instant`` skips the waits; ``pause`` is how long each status transition takes (seconds).
    """
    out.write(
        "mock_eks demo: Amazon EKS, offline. Every call below is a real boto3 call served by mock_eks.\n"
    )
    seconds = demo_seconds(FAST_SECONDS if pause is None else pause)
    mock = MockEKS() if instant else MockEKS(timing="realistic", durations=seconds)
    with mock:
        demo = Demo(out)
        sections: tuple[Any, ...] = SECTIONS
        for section in sections:
            demo.say(f"\n=== {section.TITLE} ===")
            section.run(demo)
        for section in reversed(sections):
            if hasattr(section, "teardown"):
                section.teardown(demo)
    out.write("\nDone: every resource above lived only in memory.\n")
    return 0
