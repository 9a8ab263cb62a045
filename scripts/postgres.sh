#!/usr/bin/env bash
# Start a PostgreSQL server for the queue's tests and print its URL (on stdout, nothing else).
# Installs Debian's postgresql when missing, starts the first cluster (making one if there is
# none), and creates the role and database `maps_test` (password `maps_test`). Idempotent.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  as_root apt-get update >&2 && as_root apt-get install -y postgresql >&2
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$status" != "online" ]; then as_root pg_ctlcluster "$version" "$cluster" start >&2; fi
psql_admin() { as_root su postgres -c "psql -p $port -d ${2:-postgres} -v ON_ERROR_STOP=1 -qtA -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='maps_test'")" != "1" ]; then
  psql_admin "CREATE ROLE maps_test LOGIN PASSWORD 'maps_test'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='maps_test'")" != "1" ]; then
  psql_admin "CREATE DATABASE maps_test OWNER maps_test" >&2
fi
# The tests make and drop a schema of their own per run: the test role owns the database.
psql_admin "ALTER DATABASE maps_test OWNER TO maps_test" >&2
echo "postgresql+psycopg://maps_test:maps_test@127.0.0.1:${port}/maps_test"
