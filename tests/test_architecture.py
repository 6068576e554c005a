"""The arrows of the architecture (DESIGN.md): ``ledmot`` core ← ``goals`` ←
``followup``, ``priorities`` ← ``demo``. Every module of the apps is parsed and its
imports (at the top or inside a function, absolute or relative) are checked."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("ledmot", "goals", "followup", "priorities", "economy", "demo")

# What each app may not import (tests/ and bench/ may import anything).
FORBIDDEN = {
    "ledmot": {"goals", "followup", "priorities", "economy", "demo"},
    "goals": {"followup", "priorities", "economy", "demo"},
    "followup": {"priorities", "economy", "demo"},
    "priorities": {"followup", "economy", "demo"},
    "economy": {"priorities", "demo"},
    "demo": set(),
}


def modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's own package
                base = package[: len(package) - node.level + 1]
                found.add((base or (node.module or "").split("."))[0])
            elif node.module:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", APPS)
def test_imports_point_one_way(app):
    paths = modules(app)
    assert paths, app
    wrong = {str(path.relative_to(ROOT)): sorted(imported(path) & FORBIDDEN[app]) for path in paths}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_checker_sees_absolute_relative_and_nested_imports(tmp_path, monkeypatch):
    package = tmp_path / "goals" / "views"
    package.mkdir(parents=True)
    module = package / "screen.py"
    module.write_text(
        "from ..models import Goal\n"
        "import followup.models\n"
        "def f():\n"
        "    from demo.seed import seed_demo\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert imported(module) == {"goals", "followup", "demo"}


def test_nothing_outside_demo_tests_and_bench_imports_demo():
    outside = list(ROOT.glob("*.py")) + [p for app in APPS if app != "demo" for p in modules(app)]
    assert [str(p.relative_to(ROOT)) for p in outside if "demo" in imported(p)] == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_patches_with_unittest(app):
    """Test tools stay in the tests: the demo tells its story through
    ``ledmot.clock.recorded_at``, never by patching ``timezone.now`` with
    ``unittest.mock`` (which every other thread would see)."""
    found = [str(p.relative_to(ROOT)) for p in modules(app) if "unittest" in imported(p)]
    assert found == []


def test_the_checker_sees_a_mock_import(tmp_path, monkeypatch):
    module = tmp_path / "demo" / "clock.py"
    module.parent.mkdir()
    module.write_text("from unittest import mock\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert imported(module) == {"unittest"}
