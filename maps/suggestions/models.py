"""The queue's tables. JSON columns hold what the fan sent exactly as given (it is escaped on
output, never here); the audit table keeps every decision with who, when and what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

KINDS = ("place", "problem")  # a new place; a report about an existing one
STATUSES = ("pending", "accepting", "accepted", "rejected")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("pow_challenge", name="uq_suggestions_pow_challenge"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    place_id: Mapped[str | None] = mapped_column(String(200), index=True)  # for a problem report
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    contact_email: Mapped[str | None] = mapped_column(String(254))  # never shown to fans
    credit: Mapped[str | None] = mapped_column(String(80))  # the name to credit, if asked
    pow_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    pow_challenge: Mapped[str | None] = mapped_column(String(128))  # unique: spent once
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    feature_id: Mapped[str | None] = mapped_column(String(200))  # the place it became or changed

    decisions: Mapped[list[Decision]] = relationship(
        back_populates="suggestion", order_by="Decision.id", cascade="all, delete-orphan"
    )


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # accepted | rejected
    curator: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    edits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [sent, used]
    change: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what the data file got

    suggestion: Mapped[Suggestion] = relationship(back_populates="decisions")


class Curator(Base):
    __tablename__ = "curators"
    __table_args__ = (UniqueConstraint("username", name="uq_curators_username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
