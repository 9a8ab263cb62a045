"""Schemathesis fuzzes every JSON route described in /openapi.json (bounded, in CI): no 5xx,
every response conforms to its documented schema, status code and content type."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from maps import create_app
from maps.dataset.geocode import GeocoderSettings
from tests.builders import EPISODES, sample, write_json
from tests.support import start_fake_nominatim

# Hundreds of generated requests per operation: in the full suite, not the fast loop (`make test`).
pytestmark = pytest.mark.slow

# Semantic rules the schema cannot state (a stop id must exist, a season must be in the data)
# make some schema-valid requests a 400/404; every other check applies.
CHECKS = (
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
)
EXAMPLES = int(os.environ.get("MAPS_FUZZ_EXAMPLES", "200" if os.environ.get("CI") else "30"))


def _app():
    folder = Path(tempfile.mkdtemp(prefix="maps-fuzz-"))
    write_json(folder / "episodes.json", EPISODES)
    data = write_json(folder / "locations.geojson", sample())
    # Fuzzed starts that are neither a place nor a town go to a local Nominatim that finds nothing
    # (a 400 with a suggestion): nothing generated here ever reaches a public geocoder.
    geocoder, _stop = start_fake_nominatim({})  # never stopped: it serves for the life of the process
    settings = GeocoderSettings(url=geocoder["url"], cache_path=folder / "geocache.json", min_delay_s=0.0)
    return create_app({"TESTING": True, "DATA_PATH": str(data), "GEOCODER_SETTINGS": settings})


schema = schemathesis.openapi.from_wsgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_and_never_fails(case):
    response = case.call(headers={"Accept-Encoding": "identity"})  # the WSGI client does not gunzip
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    case.validate_response(response, checks=CHECKS)
