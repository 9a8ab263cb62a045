"""The process-wide template bytecode: a second app reuses the first one's compiled templates,
and an edited template is compiled afresh, never served stale."""

from __future__ import annotations

import os

from jinja2 import Environment, FileSystemLoader

from maps.web import templatecache
from maps.web.templatecache import ProcessBytecodeCache


def env(folder, cache) -> Environment:
    return Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache)


def test_an_edited_template_is_compiled_again(tmp_path):
    cache = ProcessBytecodeCache()
    page = tmp_path / "page.html"
    page.write_text("one {{ x }}")
    assert env(tmp_path, cache).get_template("page.html").render(x=1) == "one 1"
    page.write_text("two {{ x }}")
    os.utime(page, (1, 1))  # even with an older modification time: the checksum decides
    assert env(tmp_path, cache).get_template("page.html").render(x=2) == "two 2"


def test_a_second_environment_loads_instead_of_compiling(tmp_path, monkeypatch):
    cache = ProcessBytecodeCache()
    (tmp_path / "page.html").write_text("{% for i in range(3) %}{{ i }}{% endfor %}")
    assert env(tmp_path, cache).get_template("page.html").render() == "012"
    compiled = []
    original = Environment.compile
    monkeypatch.setattr(
        Environment, "compile", lambda self, *a, **k: compiled.append(a) or original(self, *a, **k)
    )
    assert env(tmp_path, cache).get_template("page.html").render() == "012"
    assert compiled == []


def test_the_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(templatecache, "MAX_TEMPLATES", 3)
    cache = ProcessBytecodeCache()
    for n in range(10):
        (tmp_path / f"t{n}.html").write_text(f"page {n}")
        assert env(tmp_path, cache).get_template(f"t{n}.html").render() == f"page {n}"
    assert len(cache._code) == 3


def test_apps_share_the_cache(app):
    assert app.jinja_env.bytecode_cache is templatecache.SHARED
