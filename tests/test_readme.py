"""Every Python example in README.md runs as written (the faults section's are run by test_faults.py).

A user copies these blocks into a file and runs them, so they are executed here in a fresh namespace,
from an empty working directory (the snapshot example writes `state.json` there).
"""

from __future__ import annotations

import pathlib
import re
import textwrap

import pytest

README = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
FAULTS = README.split("## Testing failures", 1)[1].split("\n## ", 1)[0]
BLOCKS = [
    textwrap.dedent(block)
    for block in re.findall(r"```python\n(.*?)```", README.replace(FAULTS, ""), flags=re.S)
]


def _name(block: str) -> str:
    for line in block.splitlines():
        if line.startswith(("with ", "@", "def ")):
            return line[:40]
    return block.splitlines()[0][:40]


@pytest.mark.parametrize("block", BLOCKS, ids=[_name(block) for block in BLOCKS])
def test_python_example_runs_as_written(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    for name, value in namespace.items():  # a block that defines a test: run it, as pytest would
        if name.startswith("test_") and callable(value):
            value()


def test_every_python_example_is_run():
    assert len(BLOCKS) >= 5
    assert any("freeze_time" in block for block in BLOCKS)


def test_the_seed_example_loads(tmp_path):
    import boto3

    from mock_eks import mock_eks

    [seed] = re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
    (tmp_path / "seed.yaml").write_text(seed)
    with mock_eks(seed=str(tmp_path / "seed.yaml")):
        eks = boto3.client("eks", region_name="us-east-1")
        assert eks.list_clusters()["clusters"] == ["demo"]
        assert eks.list_nodegroups(clusterName="demo")["nodegroups"] == ["ng"]
