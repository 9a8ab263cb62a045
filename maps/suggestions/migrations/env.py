"""Alembic environment: migrations run on the connection `maps.suggestions.db.upgrade` passes
in (there is no alembic.ini; the package finds its own scripts)."""

from alembic import context

from maps.suggestions.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through maps.suggestions.db.upgrade (or `maps db upgrade`)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
