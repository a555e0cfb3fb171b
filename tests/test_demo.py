"""`mock-eks demo` runs every section end to end (instant timing here, so no waiting)."""

from __future__ import annotations

import io

from mock_eks import demo


def test_demo_walks_every_section_and_cleans_up():
    out = io.StringIO()
    assert demo.run(out, instant=True) == 0
    text = out.getvalue()
    headers = [line for line in text.splitlines() if line.startswith("=== ")]
    for title in ("Clusters", "Compute", "Failures", "add-ons", "Access", "Insights"):
        assert any(title in header for header in headers), (title, headers)
    assert "create_cluster" in text and "ACTIVE" in text
    assert '"status": "CREATE_FAILED"' in text and "NodeCreationFailure" in text
    assert "delete_cluster" in text and "cluster deletion: deleted" in text


def test_demo_command_takes_a_pause_flag(capsys):
    from mock_eks.cli import main

    assert main(["demo", "--pause", "0"]) == 0
    text = capsys.readouterr().out
    assert "cluster: ACTIVE" in text and "Done:" in text


def test_demo_pause_must_be_seconds(capsys):
    import pytest

    from mock_eks.cli import main

    for bad in ("soon", "-1"):
        with pytest.raises(SystemExit) as excinfo:
            main(["demo", "--pause", bad])
        assert excinfo.value.code == 2
    assert "seconds" in capsys.readouterr().err


def test_the_failures_section_survives_a_deletion_completing_between_two_calls():
    """The node group's deletion may complete between any two calls (the demo's realistic durations are
    short): the section must read it as deleted, never fail on it (ResourceNotFoundException)."""
    from mock_eks.demo import failures
    from mock_eks.mock import MockEKS
    from tests.helpers import create_cluster

    with MockEKS(timing="realistic", durations={"nodegroup.create": 2, "nodegroup.delete": 2}) as m:
        walk = demo.Demo(io.StringIO())
        create_cluster(walk.eks, walk.cluster)
        m.advance(3600)
        # every call lets a second pass: the deletion (2 s) comes due between the two calls after it
        walk.eks.meta.events.register("after-call.eks", lambda **_: m.advance(1))
        failures.run(walk)
    assert "failed node group deletion: deleted" in walk.out.getvalue()


def test_the_demo_runs_a_hundred_times_without_a_failure(monkeypatch):
    # in-process, instant durations; the moto section (a second of moto's own set-up per run) runs in
    # test_demo_walks_every_section_and_cleans_up
    monkeypatch.setattr(demo, "SECTIONS", tuple(s for s in demo.SECTIONS if s is not demo.moto))
    for _ in range(100):
        assert demo.run(io.StringIO(), instant=True) == 0
