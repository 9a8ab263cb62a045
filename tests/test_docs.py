"""Docs and code kept in step: every environment variable the code reads and every `maps` command
is documented in README.md or docs/*.md, and no document points outside the repository.

Both lists are derived from the code (string literals in the sources, the click group's tree),
never typed by hand, so a new setting or command without documentation fails here."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import click
import pytest

from maps.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "maps").rglob("*.py")),
    *sorted((ROOT / "benchmarks").glob("*.py")),
    *sorted(p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_docs.py"),
    ROOT / "gunicorn.conf.py",
]
# Built from parts so that this file's own literals are not mistaken for a setting.
ENV_NAME = re.compile(r"\b" + "MAPS" + r"_[A-Z][A-Z0-9_]*\b")


def documentation() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def env_names_in(source: str) -> set[str]:
    """`MAPS_*` names inside string literals (os.environ.get("MAPS_X"), config tables, f-strings)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= set(ENV_NAME.findall(node.value))
    return names


def environment_variables() -> set[str]:
    """Every `MAPS_*` name in the sources, and every variable the settings module lists."""
    from maps.config import ENVIRONMENT

    names: set[str] = set(ENVIRONMENT)
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if ENV_NAME.search(text):  # parse only the few files that name one at all
            names |= env_names_in(text)
    return names


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command of the click tree as a user types it: "serve", "review list", … (asked the
    way `--help` asks, so lazily listed commands count too)."""
    ctx = click.Context(group, info_name=" ".join(("maps", *prefix)))
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        paths.append(" ".join(path))
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
    return paths


def test_the_scanners_find_what_they_should():
    # The derivations themselves, so an empty scan can never pass the tests below vacuously.
    assert env_names_in('os.environ.get("MAPS_DATA")\nx = f"{y} MAPS_TILES"') == {"MAPS_DATA", "MAPS_TILES"}
    assert env_names_in("# MAPS_IN_A_COMMENT\nMAPS_NAME = 1") == set()
    assert {"MAPS_DATA", "MAPS_TILES", "MAPS_GEOCODER_URL", "MAPS_USER_AGENT"} <= environment_variables()
    assert {"serve", "validate", "add", "export", "route", "freeze"} <= set(command_paths(main))

    @click.group()
    def outer() -> None: ...

    @outer.group("review")
    def review() -> None: ...

    review.command("list")(lambda: None)
    assert command_paths(outer) == ["review", "review list"]


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_documented(name):
    assert re.search(rf"\b{name}\b", documentation()), f"{name} is read by the code but not documented"


@pytest.mark.parametrize("command", command_paths(main))
def test_every_command_is_documented(command):
    assert re.search(rf"\bmaps {re.escape(command)}\b", documentation()), (
        f"`maps {command}` is a command but no document mentions it"
    )


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors_of(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {anchor(m[1]) for m in re.finditer(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def test_anchor_matches_github():
    assert anchor("Downloads: `GET /download/locations.<ext>` and `maps export`") == (
        "downloads-get-downloadlocationsext-and-maps-export"
    )
    assert anchor("OGC API items") == "ogc-api-items"


@pytest.mark.parametrize(
    "page",
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))],
    ids=lambda p: p.name,
)
def test_relative_links_resolve(page):
    """After moving text between pages, every link to a file (and heading) of the repository holds."""
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists() or (
            fragment and resolved.suffix == ".md" and fragment not in anchors_of(resolved)
        ):
            broken.append(target)
    assert broken == []


# A citation of a text that is not in the repository: the design notes the project grew from, or
# the tracker's issues. (Public standards, e.g. "RFC 7946 §11.2", are cited by their own names.)
OUTSIDE_CITATION = re.compile(r"\bGUIDE\b|\bshared/|(?i:\bthe guide\b)|(?i:\bissues? #?\d+\b)")
SKIP_DIRS = {"data", "test-artifacts", "node_modules", "__pycache__"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".js", ".css", ".toml", ".sh", ".yaml", ".yml", ".cfg", ".txt", ""}


def project_text_files() -> list[Path]:
    """The project's own text files: code, tests, templates, docs, scripts (not the data, whose
    source titles may say "guide", nor virtualenvs, caches or scratch folders)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS] + [
            d for d in dirs if d == ".ci"
        ]
        found += [Path(folder, f) for f in files if Path(f).suffix in TEXT_SUFFIXES]
    return sorted(found)


def test_no_file_cites_a_document_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
        for path in project_text_files()
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE_CITATION.search(line)
    ]
    assert offenders == []
