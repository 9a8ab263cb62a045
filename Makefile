# Everyday commands. Each target uses the project's virtualenv (.venv, made by scripts/test.sh).
# See CONTRIBUTING.md.

PY ?= .venv/bin/python
# The fast loop: no browser, GDAL or multi-process tests, on two processes. The fuzz module (all
# `slow`) is not even collected, and schemathesis' plugin (a second of imports per process) not
# loaded: schemathesis generates its cases at collection time.
FAST ?= -m "not browser and not gdal and not slow" --ignore-glob="*/test_fuzz_api.py" -p no:schemathesis -n 2
# Each benchmark script is stopped after this many seconds.
BENCH_TIMEOUT ?= 600
# Cached bytecode (and pytest's cached assertion rewrites) save seconds at every interpreter
# start, and the tests start many; __pycache__/ is git-ignored.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help test test-all lint fmt typecheck bench

help:
	@echo "make test       the fast loop (no browser, GDAL or slow tests)"
	@echo "make test-all   the whole suite, as CI runs it (bash scripts/test.sh)"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make fmt        ruff check --fix and ruff format"
	@echo "make typecheck  mypy maps"
	@echo "make bench      every benchmark script, short settings, each bounded in time"

test:
	$(PY) -m pytest -q $(FAST)

test-all:
	bash scripts/test.sh -q

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt:
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck:
	.venv/bin/mypy maps

# The benchmark scripts with short settings, separated by ";" (override: make bench BENCHES="route.py").
BENCHES ?= route.py --quick; map_scale.py; cluster_build.py; page_weight.py; \
	ogc_items.py --places 10000 --runs 10 --baseline-runs 3; validate_scale.py 1000 10000; load.py --seconds 5 --runs 1 --no-drills; \
	catalog_scale.py 20000; offline.py 3

# Every script runs even if one fails (no wrk installed, no network for a yardstick's install);
# the target fails at the end if any did.
bench:
	@failed=""; benches='$(BENCHES)'; IFS=';'; for cmd in $$benches; do \
	  IFS=' '; set -- $$cmd; \
	  echo "== benchmarks/$$*"; \
	  timeout $(BENCH_TIMEOUT) $(PY) benchmarks/"$$@" || failed="$$failed $$1"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed or timed out:$$failed"; exit 1; fi
