"""A place no longer there as filmed (`closure`): the notice comes first on its page, in the
list, in the map's popup data and in the downloads, and the route planner leaves it out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maps import create_app
from maps.dataset.catalog import CLOSURE_NOTICE, load_catalog
from maps.route.visits import not_visitable
from tests.builders import EPISODES, sample, write_json


@pytest.fixture
def closed_data(tmp_path: Path) -> Path:
    data = sample()
    props = {f["id"]: f["properties"] for f in data["features"]}
    props["windsor-bridge"]["closure"] = "demolished"
    props["herne-bay-pier"].update(closure="closed", access="exterior")
    write_json(tmp_path / "episodes.json", EPISODES)
    return write_json(tmp_path / "locations.geojson", data)


@pytest.fixture
def closed_client(closed_data: Path):
    return create_app({"TESTING": True, "DATA_PATH": str(closed_data)}).test_client()


def test_the_place_page_says_it_first(closed_client):
    page = closed_client.get("/locations/herne-bay-pier").get_data(as_text=True)
    card = page.split('class="trip-card"', 1)[1]
    assert card.index(CLOSURE_NOTICE["closed"]) < card.index("Exterior only")
    assert '<p class="visit-notice closure-notice" role="note"><strong>Closed for good' in card
    gone = closed_client.get("/locations/windsor-bridge").get_data(as_text=True)
    assert "<strong>No longer stands: the sources say it was demolished" in gone
    plain = closed_client.get("/locations/louvre").get_data(as_text=True)
    assert "closure-notice" not in plain


def test_the_list_and_the_map_data_show_it(closed_client):
    listing = closed_client.get("/locations").get_data(as_text=True)
    assert listing.count('class="closure-notice"') == 2
    index = closed_client.get("/").get_data(as_text=True)
    assert CLOSURE_NOTICE["demolished"] in index and '"demolished-public"' in index
    assert CLOSURE_NOTICE["closed"] in index and '"closed-exterior"' in index


def test_an_open_map_carries_no_closure_advice(client):
    assert CLOSURE_NOTICE["closed"] not in client.get("/").get_data(as_text=True)


def test_downloads_carry_the_notice(closed_client):
    doc = json.loads(closed_client.get("/download/locations.geojson").get_data(as_text=True))
    windsor = next(f for f in doc["features"] if f["id"] == "windsor-bridge")
    assert windsor["properties"]["closure"] == "demolished"
    gpx = closed_client.get("/download/locations.gpx").get_data(as_text=True)
    assert CLOSURE_NOTICE["closed"] in gpx


def test_the_route_planner_leaves_it_out(closed_data: Path):
    cat = load_catalog(closed_data)
    assert not_visitable(cat.get("windsor-bridge")) == "demolished: nothing left to see"
    assert not_visitable(cat.get("herne-bay-pier")) == "closed for good"
    assert not_visitable(cat.get("louvre")) is None
