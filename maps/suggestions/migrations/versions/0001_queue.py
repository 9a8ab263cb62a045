"""The suggestion queue: suggestions, decisions (the audit), curators.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("place_id", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("credit", sa.String(80), nullable=True),
        sa.Column("pow_verified", sa.Boolean(), nullable=False),
        sa.Column("pow_challenge", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(80), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("feature_id", sa.String(200), nullable=True),
        sa.UniqueConstraint("pow_challenge", name="uq_suggestions_pow_challenge"),
    )
    op.create_index("ix_suggestions_ref", "suggestions", ["ref"], unique=True)
    op.create_index("ix_suggestions_place_id", "suggestions", ["place_id"])
    op.create_index("ix_suggestions_status", "suggestions", ["status"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suggestion_id", sa.Integer(), sa.ForeignKey("suggestions.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("curator", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
    )
    op.create_index("ix_decisions_suggestion_id", "decisions", ["suggestion_id"])
    op.create_table(
        "curators",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("username", name="uq_curators_username"),
    )


def downgrade() -> None:
    op.drop_table("curators")
    op.drop_index("ix_decisions_suggestion_id", table_name="decisions")
    op.drop_table("decisions")
    op.drop_index("ix_suggestions_status", table_name="suggestions")
    op.drop_index("ix_suggestions_place_id", table_name="suggestions")
    op.drop_index("ix_suggestions_ref", table_name="suggestions")
    op.drop_table("suggestions")
