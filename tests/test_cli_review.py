"""`maps curator add`, `maps review list|show|accept|reject`, `maps review --export` and
`maps db upgrade`, on a real database selected by MAPS_DATABASE_URL."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.dataset import store
from maps.suggestions import fields, queue

pytestmark = pytest.mark.db


@pytest.fixture
def run(queue_url, real_data, monkeypatch):
    monkeypatch.setenv("MAPS_DATABASE_URL", queue_url)
    monkeypatch.setenv("MAPS_DATA", str(real_data))

    def invoke(*args: str, input: str | None = None, env: dict | None = None):
        return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def ref(run, database, real_data) -> str:
    from maps.dataset.catalog import load_catalog

    raw = {
        "name": "Riverside bench",
        "lat": "51.4862",
        "lon": "-0.6071",
        "country": "GB",
        "season": "1",
        "note": "Charlie waits.",
        "evidence": "https://example.org/bench",
    }
    payload = fields.clean_place(raw, load_catalog(real_data).series).payload
    with database.session() as session:
        return queue.submit(session, "place", payload, credit="Sam", email="sam@example.org").ref


def test_db_upgrade_from_empty(run):
    result = run("db", "upgrade")
    assert result.exit_code == 0 and "at revision 0001" in result.output


def test_curator_add(run):
    result = run("curator", "add", "alice", "--password-stdin", input="correct horse battery\n")
    assert result.exit_code == 0 and "curator alice added" in result.output
    again = run("curator", "add", "alice", "--password-stdin", input="correct horse battery\n")
    assert again.exit_code == 1 and "exists" in again.output
    short = run("curator", "add", "bob", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "12" in short.output
    prompted = run("curator", "add", "carol", input="correct horse battery\ncorrect horse battery\n")
    assert prompted.exit_code == 0


def test_list_and_show(run, ref):
    listed = run("review", "list")
    assert listed.exit_code == 0 and ref in listed.output and "Riverside bench" in listed.output
    assert ref in run("review").output  # no command: the pending queue
    shown = json.loads(run("review", "show", ref).output)
    assert shown["payload"]["name"] == "Riverside bench" and shown["contact_email"] == "sam@example.org"
    missing = run("review", "show", "S-ABCDEFGH")
    assert missing.exit_code == 1 and "no suggestion" in missing.output


def test_accept_with_edits(run, ref, real_data):
    result = run(
        "review", "accept", ref, "--set", "precision=street", "--set", "name=Windsor bench", "--as", "alice"
    )
    assert result.exit_code == 0 and "accepted" in result.output and "windsor-bench" in result.output
    feature = next(f for f in store.read_raw(real_data)["features"] if f["id"] == "windsor-bench")
    assert feature["properties"]["precision"] == "street"
    assert feature["properties"]["history"][0] == {
        "date": feature["properties"]["history"][0]["date"],
        "change": "added from a fan suggestion",
        "suggestion": ref,
        "credit": "Sam",
    }
    again = run("review", "accept", ref)
    assert again.exit_code == 1 and "accepted: nothing to do" in again.output
    assert ref in run("review", "list", "--status", "accepted").output


def test_accept_edited_in_an_editor(run, ref, real_data, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import json, sys\np = sys.argv[1]\nd = json.load(open(p))\nd['name'] = 'Edited bench'\n"
        "d.pop('episode', None)\njson.dump(d, open(p, 'w'))\n"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = run("review", "accept", ref, "--edit", env={"EDITOR": f"{sys.executable} {editor}"})
    assert result.exit_code == 0, result.output
    assert any(f["id"] == "edited-bench" for f in store.read_raw(real_data)["features"])


def test_an_invalid_accept_is_refused_with_the_validators_message(run, ref, real_data):
    before = real_data.read_bytes()
    result = run("review", "accept", ref, "--set", "lat=48.8584", "--set", "lon=2.2945")
    assert result.exit_code == 1 and "refused:" in result.output and "GB" in result.output
    assert real_data.read_bytes() == before
    bad = run("review", "accept", ref, "--set", "evidence=ftp://x")
    assert bad.exit_code == 1 and "http(s)" in bad.output
    assert run("review", "accept", ref, "--set", "oops").exit_code == 2


def test_reject_and_export(run, ref, tmp_path):
    assert run("review", "reject", ref).exit_code == 2  # --reason is required
    result = run("review", "reject", ref, "--reason", "No source shows a scene there.", "--as", "bob")
    assert result.exit_code == 0 and f"rejected {ref}" in result.output
    out = tmp_path / "queue.json"
    assert run("review", "--export", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    (row,) = doc["suggestions"]
    assert row["status"] == "rejected" and row["decisions"][0]["curator"] == "bob"
    assert json.loads(run("review", "--export").output)["suggestions"][0]["ref"] == ref


def test_serve_makes_the_schema_before_serving(run, queue_url, monkeypatch):
    import flask

    from maps.suggestions import db

    served = []
    monkeypatch.setattr(flask.Flask, "run", lambda self, **kw: served.append(kw))
    result = run("serve", "--port", "5099")
    assert result.exit_code == 0 and served == [{"host": "127.0.0.1", "port": 5099}]
    engine = db.make_engine(queue_url)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()
