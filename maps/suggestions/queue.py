"""The queue: submit a suggestion, look it up, list and export. Nothing here shows a fan's text
to other fans: the public site reads only the data file, which changes only on acceptance."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from maps.errors import MapsError, NotFound
from maps.suggestions.models import KINDS, STATUSES, Suggestion

REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read out
LIST_MAX = 500


class SuggestionNotFound(NotFound):
    pass


class ChallengeSpent(MapsError):
    status = 400
    code = "InvalidParameterValue"
    title = "Already used"


def new_ref() -> str:
    return "S-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(8))


def submit(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    place_id: str | None = None,
    email: str | None = None,
    credit: str | None = None,
    pow_challenge: str | None = None,
) -> Suggestion:
    """Queue a validated payload; ChallengeSpent when its proof of work was used before."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    suggestion = Suggestion(
        ref=new_ref(),
        kind=kind,
        place_id=place_id,
        status="pending",
        payload=payload,
        contact_email=email,
        credit=credit,
        pow_verified=pow_challenge is not None,
        pow_challenge=pow_challenge,
    )
    try:
        with session.begin_nested():
            session.add(suggestion)
    except IntegrityError:
        raise ChallengeSpent("this check was already used; reload the form and send it again") from None
    return suggestion


def get(session: Session, ref: str) -> Suggestion:
    found = session.scalar(
        select(Suggestion).where(Suggestion.ref == ref[:16]).options(selectinload(Suggestion.decisions))
    )
    if found is None:
        raise SuggestionNotFound(f"no suggestion {ref[:16]!r}")
    return found


def listing(session: Session, status: str | None = "pending", limit: int = 200) -> list[Suggestion]:
    """Oldest first, so the queue is worked in order."""
    query = select(Suggestion).order_by(Suggestion.created_at, Suggestion.id).limit(min(limit, LIST_MAX))
    if status:
        if status not in STATUSES:
            raise ValueError(f"status is one of {', '.join(STATUSES)}")
        query = query.where(Suggestion.status == status)
    return list(session.scalars(query))


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Suggestion.status, func.count()).group_by(Suggestion.status))
    return {status: n for status, n in rows}


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives naive datetimes back; they were stored in UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def as_dict(s: Suggestion, *, private: bool = True) -> dict[str, Any]:
    """One suggestion with its decisions; `private` includes the contact e-mail (backups only)."""
    out = {
        "ref": s.ref,
        "kind": s.kind,
        "place_id": s.place_id,
        "status": s.status,
        "payload": s.payload,
        "credit": s.credit,
        "pow_verified": s.pow_verified,
        "created_at": _iso(s.created_at),
        "decided_at": _iso(s.decided_at),
        "decided_by": s.decided_by,
        "reason": s.reason,
        "feature_id": s.feature_id,
        "decisions": [
            {
                "action": d.action,
                "curator": d.curator,
                "at": _iso(d.at),
                "reason": d.reason,
                "edits": d.edits,
                "change": d.change,
            }
            for d in s.decisions
        ],
    }
    if private:
        out["contact_email"] = s.contact_email
    return out


def export(session: Session) -> dict[str, Any]:
    """The whole queue and its history as one JSON document, for backup (includes e-mails)."""
    rows = session.scalars(
        select(Suggestion).order_by(Suggestion.id).options(selectinload(Suggestion.decisions))
    )
    return {
        "format": "heartstopper-maps suggestion queue",
        "version": 1,
        "exported_at": _iso(dt.datetime.now(dt.UTC)),
        "suggestions": [as_dict(s) for s in rows],
    }
