"""OWSLib, a real OGC client, against the running app: landing page, conformance, collections,
items with `datetime_` (Part 1 Core requires the parameter), `bbox` and paging, one item."""

from __future__ import annotations

import pytest
from owslib.ogcapi.features import Features

from maps import create_app
from tests.builders import EPISODES, sample, write_json
from tests.support import live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("owslib")
    write_json(folder / "episodes.json", EPISODES)
    path = write_json(folder / "locations.geojson", sample())
    with live_server(create_app({"TESTING": True, "DATA_PATH": str(path)})) as url:
        yield url


def test_owslib_reads_the_api_with_datetime_bbox_and_items(server):
    api = Features(f"{server}/ogc/")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    assert [c["id"] for c in api.collections()["collections"]] == ["locations"]
    everything = api.collection_items("locations", datetime_="2022-01-01T00:00:00Z/..", limit=100)
    assert everything["numberMatched"] == 5 and len(everything["features"]) == 5
    paris = api.collection_items("locations", bbox=[2, 48, 3, 49])
    assert sorted(f["id"] for f in paris["features"]) == ["eiffel-tower", "louvre"]
    assert api.collection_item("locations", "louvre")["properties"]["seasons"] == [2]
