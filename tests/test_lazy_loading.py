"""Importing mock_eks or its pytest plugin does no model work; the first use does it (in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_plugin_imports_nothing_of_the_mock() -> None:
    out = run(
        """
        import sys
        import mock_eks.pytest_plugin
        heavy = ("botocore", "boto3", "cryptography", "jsonschema", "yaml", "mock_eks.model.spec", "mock_eks.mock")
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy))
        """
    )
    assert out.strip() == "[]"


def test_import_loads_no_model_and_the_first_call_does() -> None:
    out = run(
        """
        import sys
        import boto3
        from mock_eks import errors
        from mock_eks import mock_eks
        from mock_eks.model import spec
        from mock_eks.engine.dispatch import HANDLERS
        print(sorted(m for m in ("cryptography", "jsonschema", "yaml", "mock_eks.resources") if m in sys.modules))
        print(spec.MODELS._built, spec.OPERATIONS._built, spec.ROUTES._built, errors.BY_SERVICE._built)
        with mock_eks:
            client = boto3.client("eks", region_name="us-east-1")
            try:
                client.describe_cluster(name="missing")
            except errors.ResourceNotFoundException:
                pass
            except client.exceptions.ResourceNotFoundException:
                print("caught by the client's class")
        print(sorted(spec.OPERATIONS["eks"]._built))
        print(("eks", "DescribeCluster") in HANDLERS, errors.auth.InvalidTokenException.status)
        """
    )
    lines = out.splitlines()
    assert lines[0] == "[]"
    assert lines[1] == "{} {} {} {}"
    assert lines[2] == "caught by the client's class"
    # only the operation that was called was built
    assert lines[3] == "['DescribeCluster']"
    assert lines[4] == "True 400"


def test_first_certificate_under_a_frozen_clock_leaves_real_clocks_working() -> None:
    out = run(
        """
        import base64
        import boto3
        from cryptography import x509
        from freezegun import freeze_time
        from mock_eks import mock_eks

        def ca(client, name):
            client.create_cluster(
                name=name, roleArn="arn:aws:iam::123456789012:role/r",
                resourcesVpcConfig={"subnetIds": ["subnet-a", "subnet-b"]},
            )
            data = client.describe_cluster(name=name)["cluster"]["certificateAuthority"]["data"]
            return x509.load_pem_x509_certificate(base64.b64decode(data)).not_valid_before_utc.year

        with mock_eks:
            client = boto3.client("eks", region_name="us-east-1")
            with freeze_time("2024-05-01"):
                print(ca(client, "frozen"))
            print(ca(client, "real") >= 2025)
        """
    )
    assert out.split() == ["2024", "True"]


def test_every_dotted_path_the_readme_names_works_after_import_mock_eks() -> None:
    """The README's `with mock_eks.server.MockEKSServer() as server:` (and every other `mock_eks.x.y` it names)
    works after a bare `import mock_eks`, loading the module on first access, not at import."""
    import pathlib
    import re

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    # mock_eks.start() / mock_eks.stop() are the decorator object's (`from mock_eks import mock_eks`)
    paths = sorted(set(re.findall(r"\bmock_eks((?:\.[A-Za-z_]\w*)+)", readme)) - {".start", ".stop"})
    assert ".server.MockEKSServer" in paths
    out = run(
        f"""
        import functools, sys
        import mock_eks
        print("mock_eks.server" in sys.modules)
        for path in {paths!r}:
            functools.reduce(getattr, path.split(".")[1:], mock_eks)
        with mock_eks.server.MockEKSServer() as server:
            print(server.url.startswith("http://127.0.0.1:"))
        """
    )
    assert out.split() == ["False", "True"]
