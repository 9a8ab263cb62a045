"""The one registry of filter parameters: every reader (parsing, links, the OpenAPI document,
the OGC API, `maps export`) lists the same parameters."""

from __future__ import annotations

from click.testing import CliRunner

from maps.cli import main
from maps.dataset.episodes import parse_series
from maps.dataset.filters import DERIVED_FIELDS, FILTER_NAMES, FILTER_PARAMS, parse_filters
from maps.ogc import openapi
from maps.ogc.core import ITEMS_PARAMS
from tests.builders import EPISODES

QUERY = {"season": ["1", "3"], "episode": "S1E2", "character": "Nick", "q": "pier", "watched": "S3E1"}


def test_every_filter_round_trips_through_a_query():
    filters = parse_filters(QUERY, parse_series(EPISODES))
    assert [name for name, _ in filters.as_query()] == ["season", "season", *FILTER_NAMES[1:]]
    assert parse_filters(_multi(filters.as_query()), parse_series(EPISODES)) == filters
    assert {p.field for p in FILTER_PARAMS} | set(DERIVED_FIELDS) == set(filters.__dataclass_fields__)


def _multi(pairs):
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def test_the_openapi_document_and_the_ogc_api_list_every_filter():
    doc = openapi.document("Testshow")
    items = doc["paths"]["/ogc/collections/{collectionId}/items"]["get"]["parameters"]
    listed = {p["$ref"].rsplit("/", 1)[1] for p in items if "$ref" in p}
    assert set(FILTER_NAMES) <= listed and set(FILTER_NAMES) <= ITEMS_PARAMS
    route = {p["name"] for p in doc["paths"]["/api/route"]["get"]["parameters"]}
    assert set(FILTER_NAMES) <= route
    for name in FILTER_NAMES:
        download = doc["paths"]["/download/locations.gpx"]["get"]["parameters"]
        assert {"$ref": f"#/components/parameters/{name}"} in download


def test_maps_export_has_an_option_per_filter():
    help_text = CliRunner().invoke(main, ["export", "--help"]).output
    for param in FILTER_PARAMS:
        assert param.cli_flags[-1] in help_text and param.cli_help.split(" (")[0] in help_text
