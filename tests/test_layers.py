"""The layering rule, checked rather than promised: domain code (everything outside the web layer
and the two Folium map builders) imports neither Flask nor Folium, and no module reaches into
another module's private names."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import maps

PACKAGE_DIR = Path(maps.__file__).parent
# Presentation: the web layer, the Folium map builders, and the two ways of running the app
# (gunicorn, the static freeze), which import the app itself.
PRESENTATION = ("maps.web", "maps.mapview", "maps.route.map", "maps.serving", "maps.freeze", "maps.__main__")


def _all_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="maps.")
        if not info.name.startswith("maps._bundled")
    )


DOMAIN_MODULES = [
    name for name in _all_modules() if not any(name == p or name.startswith(p + ".") for p in PRESENTATION)
]


def test_the_tree_has_the_domain_packages():
    assert {"maps.dataset.catalog", "maps.route.tsp", "maps.ogc.core", "maps.formats.gpx"} <= set(
        DOMAIN_MODULES
    )


def test_domain_code_loads_no_web_stack_all_at_once():
    """The fast loop's version: one fresh interpreter imports every domain module (the same
    verdict as one interpreter per module, which names the culprit and runs in the full suite)."""
    code = f"import sys, {', '.join(DOMAIN_MODULES)}; loaded = {{'flask', 'folium'}} & set(sys.modules); assert not loaded, loaded"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.slow  # one interpreter per module: dozens of processes
@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_code_loads_no_web_stack(module):
    code = (
        f"import sys, {module}; loaded = {{'flask', 'folium'}} & set(sys.modules); assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maps"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_module_imports_another_modules_private_names():
    offenders = {
        str(path.relative_to(PACKAGE_DIR.parent)): names
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (names := _private_imports(path))
    }
    assert offenders == {}


def test_the_cli_takes_nothing_from_the_web_layer():
    tree = ast.parse((PACKAGE_DIR / "cli.py").read_text(encoding="utf-8"))
    web = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maps.web")
    ]
    assert web == []
