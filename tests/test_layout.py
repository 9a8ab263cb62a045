"""The tests' own layout, checked: folders mirror the packages (plus browser/ for the journey
tests), and test helpers have one home each, imported one way: fixtures come from conftest.py
by pytest itself, builders from tests.builders, helpers from tests.support; no test module
imports another."""

from __future__ import annotations

import ast
from pathlib import Path

import maps

TESTS = Path(__file__).resolve().parent
PACKAGES = {p.name for p in Path(maps.__file__).parent.iterdir() if (p / "__init__.py").is_file()}
HELPERS = {"tests.builders", "tests.support"}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_folders_mirror_the_packages():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders - {"browser"} <= PACKAGES


def test_test_modules_import_only_the_two_helper_modules():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        local = {m for m in _imported(path) if m == "tests" or m.startswith("tests.")}
        local |= {
            m for m in _imported(path) if m in {"conftest", "support", "builders"} or m.startswith("test_")
        }
        if local - HELPERS:
            offenders[str(path.relative_to(TESTS))] = sorted(local - HELPERS)
    assert offenders == {}
