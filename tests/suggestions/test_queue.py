"""The queue on a real database (SQLite here, PostgreSQL when MAPS_DATABASE_URL says so):
migrations from empty, submitting, curators, and decisions written through the data store."""

from __future__ import annotations

import json
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from maps.dataset import store
from maps.dataset.catalog import load_catalog
from maps.dataset.validate import check_collection
from maps.errors import InvalidCollection
from maps.suggestions import curators, db, fields, pow, queue, review
from maps.suggestions.models import Base

pytestmark = pytest.mark.db


def series_of(path):
    return load_catalog(path).series


def queue_place(database, data_path, **changes):
    raw = {
        "name": "Riverside bench",
        "lat": 51.4862,
        "lon": -0.6071,
        "country": "GB",
        "season": 1,
        "episode": 2,
        "note": "Charlie waits on a bench by the river.",
        "evidence": ["https://example.org/bench"],
        **changes,
    }
    cleaned = fields.clean_place(raw, series_of(data_path))
    assert cleaned.ok, cleaned.errors
    with database.session() as session:
        return queue.submit(session, "place", cleaned.payload, credit="A fan", email="fan@example.org").ref


def test_migrations_build_the_schema_from_empty_and_match_the_models(queue_url):
    database = db.open_database(queue_url)
    assert db.current_revision(database.engine) is None
    db.upgrade(database.engine)
    db.upgrade(database.engine)  # a second run is a no-op
    assert db.current_revision(database.engine) == db.head_revision()
    assert {"suggestions", "decisions", "curators"} <= set(inspect(database.engine).get_table_names())
    with database.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.downgrade(database.engine)
    assert "suggestions" not in inspect(database.engine).get_table_names()
    db.upgrade(database.engine)
    database.engine.dispose()


def test_submit_and_look_up(database):
    with database.session() as session:
        s = queue.submit(session, "problem", {"problem": "closed", "details": "<b>x</b>"}, place_id="p")
        ref = s.ref
    assert ref.startswith("S-") and len(ref) == 10
    with database.session() as session:
        found = queue.get(session, ref)
        assert found.payload == {"problem": "closed", "details": "<b>x</b>"} and found.status == "pending"
        assert [s.ref for s in queue.listing(session)] == [ref]
        assert queue.counts(session) == {"pending": 1}
        with pytest.raises(queue.SuggestionNotFound):
            queue.get(session, "S-NOPE")


def test_a_proof_of_work_is_spent_once(database):
    key = "k" * 32
    spent = pow.verify(pow.solve(pow.new_challenge(key, max_number=2000)), key)
    assert spent is not None
    with database.session() as session:
        queue.submit(session, "problem", {"details": "a"}, place_id="p", pow_challenge=spent)
    with pytest.raises(queue.ChallengeSpent), database.session() as session:
        queue.submit(session, "problem", {"details": "b"}, place_id="p", pow_challenge=spent)
    assert pow.verify(pow.solve(pow.new_challenge(key, max_number=2000)), "another key") is None


def test_production_hashing_is_argon2s_default_and_old_hashes_are_upgraded(database, monkeypatch):
    """The suite hashes at the CHEAPEST profile (conftest); the app uses argon2-cffi's default and
    rehashes a weaker stored hash at the next good login."""
    from argon2 import PasswordHasher, extract_parameters, profiles

    with database.session() as session:
        curators.add_curator(session, "alice", "correct horse battery")  # the suite's cheap hash
    monkeypatch.setattr(curators, "HASHER", PasswordHasher())
    assert PasswordHasher().memory_cost == profiles.RFC_9106_LOW_MEMORY.memory_cost
    with database.session() as session:
        assert curators.authenticate(session, "alice", "correct horse battery") is not None
    with database.session() as session:
        stored = session.scalar(__import__("sqlalchemy").select(curators.Curator.password_hash))
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY


def test_curators(database):
    with database.session() as session:
        curators.add_curator(session, "alice", "correct horse battery")
    with database.session() as session:
        assert curators.authenticate(session, "alice", "correct horse battery").username == "alice"
        assert curators.authenticate(session, "alice", "wrong password!!") is None
        assert curators.authenticate(session, "nobody", "correct horse battery") is None
        stored = session.scalar(__import__("sqlalchemy").select(curators.Curator.password_hash))
        assert stored.startswith("$argon2id$") and "correct" not in stored
    with pytest.raises(curators.CuratorRefused, match="exists"), database.session() as session:
        curators.add_curator(session, "alice", "another long password")
    with pytest.raises(curators.CuratorRefused, match="12"), database.session() as session:
        curators.add_curator(session, "bob", "short")


def test_accepting_a_place_writes_a_valid_feature_with_its_reference_and_credit(database, real_data):
    before = len(store.read_raw(real_data)["features"])
    ref = queue_place(database, real_data)
    done = review.accept(database, ref, curator="alice", data_path=real_data, series=series_of(real_data))
    data = store.read_raw(real_data)
    assert len(data["features"]) == before + 1 and check_collection(data, episodes_for=real_data) == []
    feature = next(f for f in data["features"] if f["id"] == done.feature_id == "riverside-bench")
    props = feature["properties"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-0.6071, 51.4862]}
    assert props["sources"] == [
        {"title": f"Evidence sent with fan suggestion {ref}", "url": "https://example.org/bench"}
    ]
    assert props["history"] == [
        {
            "date": props["history"][0]["date"],
            "change": "added from a fan suggestion",
            "suggestion": ref,
            "credit": "A fan",
        }
    ]
    assert "fan@example.org" not in json.dumps(data)
    with database.session() as session:
        s = queue.get(session, ref)
        assert (s.status, s.decided_by, s.feature_id) == ("accepted", "alice", "riverside-bench")
        assert [d.action for d in s.decisions] == ["accepted"] and s.decisions[0].change[
            "feature_id"
        ] == "riverside-bench"
    with pytest.raises(review.AlreadyDecided):
        review.accept(database, ref, curator="bob", data_path=real_data, series=series_of(real_data))


def test_edit_before_accepting_is_audited(database, real_data):
    ref = queue_place(database, real_data)
    edits = {"name": "Windsor riverside bench", "precision": "street", "id": "windsor-bench"}
    review.accept(
        database, ref, curator="alice", data_path=real_data, series=series_of(real_data), edits=edits
    )
    feature = next(f for f in store.read_raw(real_data)["features"] if f["id"] == "windsor-bench")
    assert (
        feature["properties"]["name"] == "Windsor riverside bench"
        and feature["properties"]["precision"] == "street"
    )
    with database.session() as session:
        decision = queue.get(session, ref).decisions[0]
        assert decision.edits["name"] == ["Riverside bench", "Windsor riverside bench"]
        assert set(decision.edits) == {"name", "precision", "id"}


def test_an_invalid_result_is_refused_with_the_validators_message(database, real_data):
    before = real_data.read_bytes()
    ref = queue_place(database, real_data, lat=48.8584, lon=2.2945)  # Paris, but country GB
    with pytest.raises(InvalidCollection) as exc:
        review.accept(database, ref, curator="alice", data_path=real_data, series=series_of(real_data))
    assert "GB" in str(exc.value)
    assert real_data.read_bytes() == before
    with database.session() as session:
        assert queue.get(session, ref).status == "pending"  # the claim was released
    bad_edit = {"evidence": ["ftp://example.org/x"]}
    with pytest.raises(review.InvalidEdit, match="http"):
        review.accept(
            database, ref, curator="a", data_path=real_data, series=series_of(real_data), edits=bad_edit
        )


def test_a_private_place_is_never_pinned_exactly(database, real_data):
    ref = queue_place(
        database,
        real_data,
        name="Someone's house",
        access="private",
        precision="building",
        lat=51.486234,
        lon=-0.607111,
    )
    done = review.accept(database, ref, curator="a", data_path=real_data, series=series_of(real_data))
    feature = next(f for f in store.read_raw(real_data)["features"] if f["id"] == done.feature_id)
    assert feature["geometry"]["coordinates"] == [-0.607, 51.486]
    assert feature["properties"]["precision"] == "street"
    assert "never pinned exactly" in feature["properties"]["geocode"]["note"]


def test_accepting_a_report_corrects_the_place(database, real_data):
    target = store.read_raw(real_data)["features"][0]
    payload = fields.clean_problem(
        {
            "problem": "access_changed",
            "details": "Now open days.",
            "access": "ticketed",
            "evidence": "https://example.org/open-days",
        }
    ).payload
    with database.session() as session:
        ref = queue.submit(session, "problem", payload, place_id=target["id"], credit="Sam").ref
    review.accept(database, ref, curator="alice", data_path=real_data, series=series_of(real_data))
    after = next(f for f in store.read_raw(real_data)["features"] if f["id"] == target["id"])
    assert after["properties"]["access"] == "ticketed"
    assert after["properties"]["sources"][-1]["url"] == "https://example.org/open-days"
    assert (
        after["properties"]["history"][-1]["suggestion"] == ref
        and after["properties"]["history"][-1]["credit"] == "Sam"
    )


def test_a_report_without_a_source_needs_one_before_accepting(database, real_data):
    target = store.read_raw(real_data)["features"][0]["id"]
    with database.session() as session:
        ref = queue.submit(session, "problem", {"problem": "closed", "details": "Gone."}, place_id=target).ref
    with pytest.raises(review.InvalidEdit, match="source"):
        review.accept(database, ref, curator="a", data_path=real_data, series=series_of(real_data))


def test_reject_needs_a_reason(database, real_data):
    ref = queue_place(database, real_data)
    with pytest.raises(review.InvalidEdit, match="why"):
        review.reject(database, ref, curator="alice", reason="  ")
    review.reject(database, ref, curator="alice", reason="No source shows a scene there.")
    with database.session() as session:
        s = queue.get(session, ref)
        assert (s.status, s.reason, s.decisions[0].action) == (
            "rejected",
            "No source shows a scene there.",
            "rejected",
        )


def test_two_curators_accepting_different_suggestions_at_once_both_land(database, real_data):
    refs = [queue_place(database, real_data, name=f"Bench {i}", lat=51.48 + i / 100) for i in range(4)]
    series, errors = series_of(real_data), []

    def accept(ref):
        try:
            review.accept(database, ref, curator="c", data_path=real_data, series=series)
        except Exception as exc:  # collected: a lost write would show as a missing place below
            errors.append(exc)

    threads = [threading.Thread(target=accept, args=(ref,)) for ref in refs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    ids = {f["id"] for f in store.read_raw(real_data)["features"]}
    assert {f"bench-{i}" for i in range(4)} <= ids


def test_the_same_suggestion_accepted_twice_at_once_lands_once(database, real_data):
    ref = queue_place(database, real_data)
    series, outcomes = series_of(real_data), []

    def accept():
        try:
            review.accept(database, ref, curator="c", data_path=real_data, series=series)
            outcomes.append("ok")
        except review.AlreadyDecided:
            outcomes.append("already")

    threads = [threading.Thread(target=accept) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["already", "already", "ok"]
    assert sum(f["id"].startswith("riverside-bench") for f in store.read_raw(real_data)["features"]) == 1


def test_export_is_the_whole_queue_as_json(database, real_data):
    ref = queue_place(database, real_data)
    review.reject(database, ref, curator="alice", reason="dup")
    with database.session() as session:
        doc = json.loads(json.dumps(queue.export(session)))
    (row,) = doc["suggestions"]
    assert row["ref"] == ref and row["contact_email"] == "fan@example.org"
    assert row["decisions"][0]["curator"] == "alice" and row["decisions"][0]["at"].endswith("+00:00")
