"""Curator accounts. Passwords are hashed with Argon2id (argon2-cffi's defaults, rehashed when
they change); a login for an unknown name costs the same as a wrong password."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from maps.errors import MapsError
from maps.suggestions.models import Curator, utcnow

PASSWORD_MIN = 12
PASSWORD_MAX = 1024  # bounded before hashing
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# argon2-cffi's default profile (RFC 9106, low memory). Public so the test suite can swap in the
# library's CHEAPEST profile: hundreds of logins at 64 MiB each would dominate its run time.
HASHER = PasswordHasher()
_DUMMY_HASH = HASHER.hash("not a real password, only for timing")


class CuratorRefused(MapsError):
    status = 400
    code = "InvalidParameterValue"
    title = "Refused"


def add_curator(session: Session, username: str, password: str, *, replace: bool = False) -> Curator:
    """Create a curator (or set a new password with `replace`)."""
    if not USERNAME.match(username or ""):
        raise CuratorRefused("a user name is 1-80 letters, digits, '.', '_' or '-'")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise CuratorRefused(f"a password needs {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    existing = session.scalar(select(Curator).where(Curator.username == username))
    if existing is not None and not replace:
        raise CuratorRefused(f"curator {username!r} exists (use --replace to set a new password)")
    curator = existing or Curator(username=username)
    curator.password_hash = HASHER.hash(password)
    session.add(curator)
    session.flush()
    return curator


def authenticate(session: Session, username: str, password: str) -> Curator | None:
    """The curator when the password matches, else None (same work either way)."""
    if len(username) > 80 or len(password) > PASSWORD_MAX:
        return None
    curator = session.scalar(select(Curator).where(Curator.username == username))
    try:
        HASHER.verify(curator.password_hash if curator else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if curator is None:
        return None
    if HASHER.check_needs_rehash(curator.password_hash):
        curator.password_hash = HASHER.hash(password)
    curator.last_login_at = utcnow()
    return curator


def exists(session: Session, username: str) -> bool:
    return session.scalar(select(Curator.id).where(Curator.username == username)) is not None
