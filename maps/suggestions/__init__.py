"""Fan suggestions and corrections, reviewed by curators: the moderated queue.

The data file stays the source of truth for places; the database (SQLAlchemy 2, schema by
Alembic migrations shipped in this package) holds the queue, every decision, and the curators.
Plain functions over a SQLAlchemy session: no Flask here (tests/test_layers.py checks it).

- `models`: the tables; `db`: engines, sessions, migrations;
- `fields`: what a fan may send, its limits, and validation with messages a person can act on;
- `queue`: submit, list, look up, export; `review`: accept (through the data store) or reject;
- `curators`: accounts with Argon2 password hashes; `pow`: the proof-of-work challenge (ALTCHA).
"""
