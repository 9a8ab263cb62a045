"""The everyday commands CONTRIBUTING.md promises exist and say what they do: the Makefile's
targets, the fast loop's marker expression, and the pre-commit hooks (checked offline)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("test", "test-all", "lint", "fmt", "typecheck", "bench")


def dry_run(target: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is missing (scripts/test.sh installs it)")
    done = subprocess.run([make, "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("target", TARGETS)
def test_makefile_has_the_target(target):
    assert dry_run(target).strip()


def test_make_test_is_the_fast_loop_and_make_test_all_what_ci_runs():
    fast = dry_run("test")
    assert '-m "not browser and not gdal and not slow"' in fast
    assert "bash scripts/test.sh" in dry_run("test-all")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_fast_loop_leaves_out_only_declared_markers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {m.split(":")[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]}
    expression = re.search(r'-m "([^"]+)"', dry_run("test"))[1]
    assert set(re.findall(r"not (\w+)", expression)) <= declared


def test_lint_runs_ruff_check_and_format_check_and_ci_runs_them_and_mypy():
    lint = dry_run("lint")
    assert "ruff check" in lint and "ruff format --check" in lint
    assert "mypy" in dry_run("typecheck")
    full_suite = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "ruff check" in full_suite and "ruff format --check" in full_suite and "mypy" in full_suite


def test_pre_commit_runs_ruff_and_ruff_format_without_network():
    path = ROOT / ".pre-commit-config.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    repos = yaml.safe_load(path.read_text(encoding="utf-8"))["repos"]
    hooks = {hook["id"]: hook for repo in repos for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format"}
    # Local hooks on the installed ruff: nothing to clone or download when they run.
    assert {repo["repo"] for repo in repos} == {"local"}
    assert "ruff check" in hooks["ruff"]["entry"] and "ruff format" in hooks["ruff-format"]["entry"]


def test_a_fake_geocoder_left_running_does_not_hold_the_interpreter_at_exit():
    """The fuzz module keeps a local geocoder for the life of the process. Kept open as a
    context manager, its shutdown ran at interpreter exit and waited forever (CI hung after the
    test summary until its time limit): a process that starts one and ends must end."""
    code = (
        "import urllib.request; from tests.support import start_fake_nominatim; "
        "state, _ = start_fake_nominatim({'x': (1.0, 2.0, 'X')}); "
        "assert b'X' in urllib.request.urlopen(state['url'] + '/search?q=x', timeout=10).read()"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, timeout=60)
