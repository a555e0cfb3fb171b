"""The package's shape (ARCHITECTURE.md): layers whose imports go down only, no import cycle, no import by
string, a small package root, and the public paths users import (README) unchanged.

The contracts are import-linter's (https://import-linter.readthedocs.io/en/stable/contract_types.html),
configured in setup.cfg; import-linter reads every import statement of a module, function-local ones
included, so a lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

# in the test extra (setup.cfg); a development environment made before it was added skips until reinstalled
grimp = pytest.importorskip("grimp")
use_cases = pytest.importorskip("importlinter.application.use_cases")
configuration = pytest.importorskip("importlinter.configuration")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mock_eks"


def test_the_import_contracts_in_setup_cfg_hold(capsys) -> None:
    configuration.configure()  # what the lint-imports command does first
    kept = use_cases.lint_imports(config_filename=str(ROOT / "setup.cfg"), no_logo=True, cache_dir=None)
    assert kept, capsys.readouterr().out


def _cycles(graph: Any) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_counting_function_local_imports() -> None:
    graph = grimp.build_graph("mock_eks", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_no_module_of_the_package_is_imported_by_string() -> None:
    # importlib.import_module / __import__ hide an import from readers and from the contracts above
    found = []
    for folder in ("mock_eks", "tests", "scripts", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(
                    ("import_module", "__import__")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_the_package_root_holds_entry_points_and_public_paths_only() -> None:
    root_modules = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(root_modules) <= 8, root_modules


def test_the_public_surface_is_where_the_readme_says_after_a_plain_import() -> None:
    code = textwrap.dedent(
        """
        import mock_eks
        from mock_eks import mock_eks as m, MockEKS
        from mock_eks.tokens import make_service_account_token
        from mock_eks.errors import ResourceNotFoundException
        from mock_eks.versions import default_version
        import mock_eks.pytest_plugin, mock_eks.cli

        assert isinstance(m, MockEKS) and mock_eks.mock_eks is m
        assert mock_eks.url_patterns()[0].service in ("eks", "eks-auth")
        assert mock_eks.server.MockEKSServer.__name__ == "MockEKSServer"
        assert mock_eks.tokens.make_service_account_token is make_service_account_token
        assert mock_eks.errors.ResourceNotFoundException is ResourceNotFoundException
        assert mock_eks.versions.default_version is default_version
        assert callable(mock_eks.cli.main) and mock_eks.__version__
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


def test_the_entry_points_load() -> None:
    distribution = importlib.metadata.distribution("mock_eks")
    points = {(point.group, point.name): point for point in distribution.entry_points}
    assert points[("pytest11", "mock_eks")].value == "mock_eks.pytest_plugin"
    assert points[("console_scripts", "mock-eks")].value == "mock_eks.cli:main"
    assert callable(points[("console_scripts", "mock-eks")].load())
    assert points[("pytest11", "mock_eks")].load().__name__ == "mock_eks.pytest_plugin"


def test_mypy_finds_no_error_in_the_package() -> None:
    # the strictness is setup.cfg's [mypy] section (stated in ARCHITECTURE.md)
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(["--config-file", str(ROOT / "setup.cfg"), str(PACKAGE)])
    assert status == 0, out + err


def test_a_function_local_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """One deliberate violation: the model layer importing the behaviour inside a function, in a copy of
    the package. import-linter must see it, so a lazy import cannot hide an upward dependency."""
    for source in PACKAGE.rglob("*.py"):
        target = tmp_path / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text())
    lowest = tmp_path / "mock_eks" / "model" / "arns.py"
    lowest.write_text(
        lowest.read_text() + "\n\ndef _upward():\n    from mock_eks.resources import clusters\n"
    )
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from importlinter import configuration
        from importlinter.application import use_cases
        configuration.configure()
        kept = use_cases.lint_imports(config_filename={str(ROOT / "setup.cfg")!r}, no_logo=True, cache_dir=None)
        sys.exit(0 if kept else 3)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "mock_eks.model.arns -> mock_eks.resources.clusters" in result.stdout
