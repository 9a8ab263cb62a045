"""maps.mapview without Flask: season layers, colours, the places payload, escaping, assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest

from maps import mapview
from maps.dataset.catalog import location_from_feature
from maps.dataset.episodes import parse_series
from tests.builders import EPISODES, feature, sample

XSS = "<img src=x onerror=alert(1)>"


def places(features=None):
    return [location_from_feature(f) for f in (features or sample()["features"])]


def build(locs, series=None, **kw):
    series = series or parse_series(EPISODES)
    return mapview.build_map(
        locs,
        series,
        bbox=(-1, 48, 3, 52),
        tiles="OpenStreetMap.Mapnik",
        asset_url=lambda p: "/static/" + p,
        place_url="/locations/",
        **kw,
    )


def payload_of(fmap) -> dict:
    layer = next(c for c in fmap._children.values() if isinstance(c, mapview.PlacesLayer))
    return json.loads(layer.payload)


def expand(data: dict) -> list[dict]:
    """The compact rows read back through their tables, as mapview.js's popups read them."""
    out = []
    for row in data["places"]:
        row = row + [0] * (len(data["fields"]) - len(row))
        place = dict(zip(data["fields"], row, strict=True))
        flat = place["scenes"]
        place["scenes"] = [
            [*data["episodes"][flat[k]], flat[k + 1], data["casts"][flat[k + 2]]]
            for k in range(0, len(flat), 3)
        ]
        for key in ("story", "locality", "access"):
            place[key] = data["strings"][place[key]]
        place["sources"] = [data["sources"][n] for n in place["sources"] or []]
        out.append(place)
    return out


def test_payload_names_its_row_fields_and_the_script_reads_them_from_it():
    """The row layout is described once (ROW_FIELDS): the payload carries the names and
    mapview.js looks every column up by name, with no numeric copy of its own."""
    data = payload_of(build(places()))
    assert data["fields"] == list(mapview.ROW_FIELDS)
    script = (Path(mapview.__file__).parent / "static" / "mapview.js").read_text()
    assert "columns(data.fields)" in script
    assert not re.search(r"\b(ID|NAME|LAT|LON|SCENES|GEO)\s*=\s*\d", script)
    for name in mapview.ROW_FIELDS:
        assert f"F.{name}]" in script, name


def test_one_layer_per_season_and_one_seasons_control_named_by_label():
    fmap = build(places())
    groups = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == ["season-1", "season-2", "season-3"]
    # The seasons control of controls.js is the legend and the switch: no Folium LayerControl.
    assert not [c for c in fmap._children.values() if isinstance(c, folium.LayerControl)]
    legend = payload_of(fmap)["legend"]
    assert [(e["season"], e["label"]) for e in legend] == [(1, "Season 1"), (2, "Season 2"), (3, "Season 3")]


def test_seasons_on_at_first_are_the_filters():
    fmap = build(places(), seasons_on=(2,))
    shown = {g.layer_name: g.show for g in fmap._children.values() if isinstance(g, folium.FeatureGroup)}
    assert shown == {"season-1": False, "season-2": True, "season-3": False}


def test_only_seasons_in_view_get_a_layer():
    only_two = [p for p in places() if 2 in p.seasons]
    groups = [c for c in build(only_two)._children.values() if isinstance(c, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == ["season-2"]


def test_legend_colours_come_from_episodes_and_bad_colours_are_replaced():
    raw = json.loads(json.dumps(EPISODES))
    raw["seasons"][1]["colour"] = "red;background:url(https://evil)"
    series = parse_series(raw)
    fmap = build(places(), series)
    legend = {e["season"]: e for e in payload_of(fmap)["legend"]}
    assert legend[1]["colour"] == "#0072B2" and legend[3]["colour"] == "#009E73"
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", legend[2]["colour"])
    assert legend[1]["count"] == 2 and legend[2]["count"] == 2


def test_payload_carries_scenes_with_episode_titles_access_and_sources():
    data = payload_of(build(places(), query="season=2"))
    eiffel = next(p for p in expand(data) if p["id"] == "eiffel-tower")
    assert [eiffel["lat"], eiffel["lon"]] == [48.8584, 2.2945]  # numbers, lat first for Leaflet
    assert eiffel["scenes"] == [[2, "S2E5 · Two-5", "Nick <3 Charlie at dawn.", ["Nick", "Charlie"]]]
    assert eiffel["access"] == "public" and "public" in data["access"]
    every = {(s.note, c) for loc in places() for s in loc.scenes for c in s.characters}
    assert every == {(s[2], c) for p in expand(data) for s in p["scenes"] for c in s[3]}
    assert eiffel["sources"] == [["A source", "https://example.org/source"]]
    assert data["placeUrl"] == "/locations/" and data["query"] == "season=2"
    assert data["seasons"]["2"] == {"label": "Season 2", "colour": "#E69F00"}


def test_lines_polygons_and_town_level_places():
    walk = feature("walk", 0, 51, precision="street")
    walk["geometry"] = {"type": "LineString", "coordinates": [[0, 51], [0.01, 51.01]]}
    area = feature("district", 1, 50, precision="area")
    area["geometry"] = {"type": "Polygon", "coordinates": [[[1, 50], [1.01, 50], [1.01, 50.01], [1, 50]]]}
    town = feature("town", 2, 49, precision="town")
    missing = feature("nowhere", 0, 0)
    missing["geometry"] = None
    data = payload_of(build(places([walk, area, town, missing])))
    by_id = {p["id"]: p for p in expand(data)}
    assert set(by_id) == {"walk", "district", "town"}  # no coordinates, nothing to draw
    assert by_id["walk"]["geo"]["type"] == "LineString"
    assert by_id["district"]["geo"]["type"] == "Polygon"
    assert by_id["town"]["geo"] == mapview.EXTENT_METRES["town"]


def test_rendered_map_escapes_data_and_loads_no_remote_asset():
    hostile = feature("bad", 0, 51, name=XSS, note="</script><script>alert(1)</script>", story_place=XSS)
    parts = mapview.render_parts(build(places([hostile])))
    page = parts.header + parts.html + parts.script
    assert "<img" not in page and "<script>alert" not in page and "</script><script>" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in parts.html
    assert not re.search(r"""(src|href)=["']?https?://""", page)
    assert "https://tile.openstreetmap.org" in parts.script  # tiles are the one external resource
    assert "<script" not in parts.script  # one inline block, wrapped (with a nonce) by the page


def test_season_labels_reach_the_page_only_as_json_data():
    """No label goes through Leaflet's layer control (innerHTML): the seasons control reads them
    from the JSON payload and writes text nodes."""
    raw = json.loads(json.dumps(EPISODES))
    raw["seasons"][0]["label"] = XSS
    fmap = build(places(), parse_series(raw))
    parts = mapview.render_parts(fmap)
    assert XSS not in parts.script and XSS not in parts.html
    assert payload_of(fmap)["legend"][0]["label"] == XSS  # as data, escaped for <script> by json


def test_base_map_is_reusable_and_per_instance():
    one = mapview.base_map(None, tiles="OpenTopoMap", asset_url=lambda p: "/s/" + p)
    two = folium.Map()
    assert one.default_js == [] and any("jsdelivr" in url for _, url in two.default_js)
    parts = mapview.render_parts(one)
    assert '<script src="/s/vendor/leaflet/leaflet.js">' in parts.header
    assert "tile.opentopomap.org" in parts.script


@pytest.mark.parametrize(
    ("name", "origin"),
    [
        ("OpenStreetMap.Mapnik", "https://tile.openstreetmap.org"),
        ("OpenTopoMap", "https://*.tile.opentopomap.org"),
    ],
)
def test_tile_origins_for_csp(name, origin):
    assert mapview.tile_origins(name) == [origin]


def test_unknown_tile_provider_is_a_clear_error():
    with pytest.raises(ValueError, match="MAPS_TILES"):
        mapview.tile_provider("No.Such.Tiles")


def test_popups_say_reported_or_inferred_and_private_homes_are_rings_not_pins():
    confirmed = feature("a", -0.6, 51.5, note="Seen on screen.", precision="building")
    reported = feature("b", -0.61, 51.5, note="One blog says so.", precision="building")
    reported["properties"]["scenes"][0]["confidence"] = "reported"
    inferred = feature("c", -0.62, 51.5, note="Order of the list.", precision="building")
    inferred["properties"]["scenes"][0]["confidence"] = "inferred"
    home = feature("d", -0.63, 51.5, note="A family home.", precision="street", access="private-home")
    town_home = feature("e", -0.64, 51.5, note="A family home.", precision="town", access="private-home")
    rows = {
        p["id"]: p
        for p in expand(payload_of(build(places([confirmed, reported, inferred, home, town_home]))))
    }
    assert rows["a"]["scenes"][0][2] == "Seen on screen."
    assert rows["b"]["scenes"][0][2] == "Reported: One blog says so."
    assert rows["c"]["scenes"][0][2] == "Inferred: Order of the list."
    assert rows["a"]["geo"] == 0  # a building: a pin
    assert rows["d"]["geo"] == mapview.PRIVATE_HOME_METRES  # a street with homes: a ring
    assert rows["e"]["geo"] == mapview.EXTENT_METRES["town"]
    data = payload_of(build(places([home])))
    assert data["access"]["private-home"].startswith("Private homes: view from the street only")
