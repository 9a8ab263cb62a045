"""Proof of work with ALTCHA's scheme (the `altcha` package; no third-party service): the form
carries a signed challenge, the browser finds the number whose SHA-256 matches, the server checks
the signature and the hash. Each solved challenge is spent once (a unique column in the queue).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any, cast

import altcha

PAYLOAD_MAX = 2000  # characters of the base64 payload accepted before any decoding
TTL = dt.timedelta(minutes=30)


def new_challenge(key: str, *, max_number: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """A signed challenge for the form, valid for TTL (`maxNumber` bounds the client's work)."""
    expires = (now or dt.datetime.now(dt.UTC)) + TTL
    options = altcha.ChallengeOptionsV1(hmac_key=key, max_number=max_number, expires=expires)
    challenge = altcha.create_challenge_v1(options)
    return challenge.to_dict()


def verify(payload: str | None, key: str) -> str | None:
    """The challenge a valid, unexpired solution answers (to be spent), else None."""
    if not payload or len(payload) > PAYLOAD_MAX:
        return None
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("challenge", "salt")):
        return None
    if not isinstance(data.get("number"), int):
        return None
    ok, _error = altcha.verify_solution_v1(cast(Any, data), key, check_expires=True)
    return data["challenge"] if ok else None


def solve(challenge: dict[str, Any]) -> str:
    """The payload a browser would send (for tests and benchmarks: the same search in Python)."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    if solution is None:
        raise ValueError("no solution in range")
    body = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(body).encode()).decode()
