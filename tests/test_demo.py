"""`mock-eks demo` runs every section end to end (instant timing here, so no waiting)."""

from __future__ import annotations

import io

from mock_eks import demo


def test_demo_walks_every_section_and_cleans_up():
    out = io.StringIO()
    assert demo.run(out, instant=True) == 0
    text = out.getvalue()
    headers = [line for line in text.splitlines() if line.startswith("=== ")]
    for title in ("Clusters", "Compute", "add-ons", "Access", "Insights"):
        assert any(title in header for header in headers), (title, headers)
    assert "create_cluster" in text and "ACTIVE" in text
    assert "delete_cluster" in text and "cluster deletion: deleted" in text
