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
