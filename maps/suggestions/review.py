"""Curators' decisions. Accepting turns a suggestion into a change of the data file through the
dataset's one write path (`store.update_collection`: validated, locked, atomic), so a change
that would make the data invalid is refused with the validator's message and nothing is written.
Every decision is kept in the audit table with who, when, the edits and the change.

A suggestion is claimed (pending -> accepting) before the data file is touched, so two curators
accepting the same one cannot both apply it; different suggestions accepted at once queue on the
data file's lock and both land.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import or_, update

from maps.dataset import store
from maps.dataset.curate import Refused, slugify, today
from maps.dataset.episodes import Series
from maps.errors import MapsError
from maps.suggestions import fields, queue
from maps.suggestions.db import Database
from maps.suggestions.models import Decision, Suggestion, utcnow

STALE_CLAIM = dt.timedelta(minutes=10)  # a crashed accept frees its claim after this
REASON_MAX = 2000
PRIVATE_DECIMALS = 3  # about 100 m: a private home is never pinned exactly
COARSE = {"building": "street", "site": "street"}


class AlreadyDecided(MapsError):
    status = 409
    code = "Conflict"
    title = "Already decided"


class InvalidEdit(MapsError):
    status = 400
    code = "InvalidParameterValue"
    title = "Cannot accept as it is"

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def cleaned(suggestion: Suggestion, edits: Mapping[str, Any] | None, series: Series) -> fields.Cleaned:
    merged = {**suggestion.payload, **(edits or {})}
    if suggestion.kind == "place":
        return fields.clean_place(merged, series)
    return fields.clean_problem(merged)


def _claim(db: Database, ref: str) -> None:
    now = utcnow()
    with db.session() as session:
        queue.get(session, ref)  # SuggestionNotFound (404) first
        result = session.execute(
            update(Suggestion)
            .where(Suggestion.ref == ref)
            .where(
                or_(
                    Suggestion.status == "pending",
                    (Suggestion.status == "accepting") & (Suggestion.claimed_at < now - STALE_CLAIM),
                )
            )
            .values(status="accepting", claimed_at=now)
        )
        if result.rowcount != 1:
            status = queue.get(session, ref).status
            raise AlreadyDecided(f"{ref} is {status}: nothing to do")


def _release(db: Database, ref: str) -> None:
    with db.session() as session:
        session.execute(
            update(Suggestion)
            .where(Suggestion.ref == ref, Suggestion.status == "accepting")
            .values(status="pending", claimed_at=None)
        )


def _sources(urls: list[str], ref: str, existing: list[dict]) -> list[dict]:
    have = {s.get("url") for s in existing if isinstance(s, dict)}
    title = f"Evidence sent with fan suggestion {ref}"
    return [{"title": title, "url": u} for u in urls if u not in have]


def _history(ref: str, change: str, credit: str | None) -> dict[str, Any]:
    entry = {"date": today(), "change": change, "suggestion": ref}
    if credit:
        entry["credit"] = credit
    return entry


def _protect_private(feature: dict[str, Any]) -> None:
    """A private place is shown no finer than its street: coarse precision, rounded point."""
    props, geometry = feature["properties"], feature.get("geometry")
    if props.get("access") != "private":
        return
    props["precision"] = COARSE.get(props.get("precision"), props.get("precision"))
    if geometry and geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"]
        geometry["coordinates"] = [round(lon, PRIVATE_DECIMALS), round(lat, PRIVATE_DECIMALS)]
        geocode = props.setdefault("geocode", {"method": "manual", "query": None, "date": today()})
        geocode["note"] = "rounded to about 100 m: a private place is never pinned exactly"


def _free_id(wanted: str, collection: dict[str, Any]) -> str:
    taken = {f.get("id") for f in collection.get("features", [])}
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def new_feature(payload: dict[str, Any], ref: str, credit: str | None, collection: dict) -> dict:
    """The feature a new-place suggestion becomes (id made free in `collection`)."""
    point = "lat" in payload
    if point:
        geometry = {"type": "Point", "coordinates": [payload["lon"], payload["lat"]]}
        geocode = {"method": "manual", "query": None, "date": today(), "note": f"point sent by a fan ({ref})"}
    else:  # words only: `maps geocode` fills the point in from the query
        geometry = None
        geocode = {"method": "nominatim", "query": payload["where"], "date": None}
    scene = {"season": payload["season"], "episode": payload.get("episode"), "note": payload["note"]}
    feature = {
        "type": "Feature",
        "id": _free_id(payload.get("id") or slugify(payload["name"]), collection),
        "geometry": geometry,
        "properties": {
            "name": payload["name"],
            "locality": payload.get("locality", ""),
            "country": payload["country"],
            "precision": payload.get("precision", "site" if point else "town"),
            "access": payload.get("access", "exterior"),
            "story_place": payload.get("story_place"),
            "scenes": [scene],
            "sources": _sources(payload["evidence"], ref, []),
            "geocode": geocode,
            "history": [_history(ref, "added from a fan suggestion", credit)],
        },
    }
    _protect_private(feature)
    return feature


PATCHABLE = ("name", "locality", "story_place", "access", "precision")


def apply_problem(payload: dict[str, Any], ref: str, credit: str | None, feature: dict) -> list[str]:
    """Apply a report's corrections to `feature` in place; returns what changed."""
    props = feature["properties"]
    changed = [key for key in PATCHABLE if key in payload and props.get(key) != payload[key]]
    for key in changed:
        props[key] = payload[key]
    if "lat" in payload:
        geometry = feature.get("geometry")
        if geometry is not None and geometry.get("type") != "Point":
            raise Refused(
                f"{feature['id']} is a {geometry['type']}: correct its shape in the data file by hand"
            )
        feature["geometry"] = {"type": "Point", "coordinates": [payload["lon"], payload["lat"]]}
        props["geocode"] = {
            "method": "manual",
            "query": None,
            "date": today(),
            "note": f"point corrected ({ref})",
        }
        changed.append("position")
    _protect_private(feature)
    props["sources"] = [
        *props.get("sources", []),
        *_sources(payload.get("evidence", []), ref, props.get("sources", [])),
    ]
    label = fields.PROBLEMS.get(payload.get("problem", "other"), "report").lower()
    what = ", ".join(changed) if changed else "no field changed"
    props["history"] = [*props.get("history", []), _history(ref, f"fan report ({label}): {what}", credit)]
    return changed


def accept(
    db: Database,
    ref: str,
    *,
    curator: str,
    data_path: Path,
    series: Series,
    edits: Mapping[str, Any] | None = None,
) -> Suggestion:
    """Accept `ref` (optionally edited first): change the data file, then record the decision.
    Raises AlreadyDecided, InvalidEdit, Refused or InvalidCollection; nothing is written then."""
    _claim(db, ref)
    try:
        with db.session() as session:
            suggestion = queue.get(session, ref)
            result = cleaned(suggestion, edits, series)
            if not result.ok:
                raise InvalidEdit(result.errors)
            payload, credit = result.payload, suggestion.credit
            if suggestion.kind == "problem" and not payload.get("evidence"):
                raise InvalidEdit({"evidence": "a correction needs a source: add a link to the evidence"})
            outcome: dict[str, Any] = {}

            def change(collection: dict[str, Any]) -> dict[str, Any]:
                if suggestion.kind == "place":
                    feature = new_feature(payload, ref, credit, collection)
                    outcome.update(feature_id=feature["id"], added=feature)
                    return {**collection, "features": [*collection["features"], feature]}
                for feature in collection["features"]:
                    if feature.get("id") == suggestion.place_id:
                        changed = apply_problem(payload, ref, credit, feature)
                        outcome.update(feature_id=feature["id"], changed=changed, now=feature)
                        return collection
                raise Refused(f"{suggestion.place_id} is no longer in the data file")

            store.update_collection(data_path, change)
            sent = suggestion.payload
            diff = {
                k: [sent.get(k), payload.get(k)]
                for k in sorted({*sent, *payload})
                if sent.get(k) != payload.get(k)
            }
            suggestion.status, suggestion.decided_at, suggestion.decided_by = "accepted", utcnow(), curator
            suggestion.feature_id, suggestion.claimed_at = outcome["feature_id"], None
            session.add(
                Decision(
                    suggestion=suggestion, action="accepted", curator=curator, edits=diff, change=outcome
                )
            )
            return suggestion
    except BaseException:
        _release(db, ref)
        raise


def reject(db: Database, ref: str, *, curator: str, reason: str) -> Suggestion:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidEdit({"reason": "say why, so the audit explains the decision"})
    if len(reason) > REASON_MAX:
        raise InvalidEdit({"reason": f"at most {REASON_MAX} characters"})
    _claim(db, ref)
    try:
        with db.session() as session:
            suggestion = queue.get(session, ref)
            suggestion.status, suggestion.decided_at, suggestion.decided_by = "rejected", utcnow(), curator
            suggestion.reason, suggestion.claimed_at = reason, None
            session.add(Decision(suggestion=suggestion, action="rejected", curator=curator, reason=reason))
            return suggestion
    except BaseException:
        _release(db, ref)
        raise
