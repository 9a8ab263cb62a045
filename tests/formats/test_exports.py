"""The download writers, without the web app: each format well-formed and complete, untrusted
text escaped, spreadsheets safe, GeoJSON per RFC 7946, GPX valid against the GPX 1.1 schema."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from maps.dataset.catalog import catalog_of, load_catalog
from maps.dataset.episodes import parse_series
from maps.dataset.filters import Filters, parse_filters, select
from maps.formats import EXPORTERS
from maps.formats.registry import ExportContext, FormatNotSupported, file_name, get_exporter
from tests.builders import EPISODES, feature, sample, write_json
from tests.support import official_gpx_schema

HOSTILE = "Nick <img src=x onerror=alert(1)> & <script>alert(\"x\")</script> ]]> 'quoted' <![CDATA[ raw"
GPX_NS = "{http://www.topografix.com/GPX/1/1}"
KML_NS = "{http://www.opengis.net/kml/2.2}"
GPX_SCHEMA = Path(__file__).parent.parent / "data" / "gpx11-waypoints.xsd"


def hostile_collection() -> dict:
    data = sample()
    data["features"].append(
        feature(
            "evil-cafe",
            -0.1234567,
            51.5,
            name='Café "<b>Evil</b>" & Co',
            season=2,
            episode=3,
            note=HOSTILE + "\x01\x0b",
            characters=["=cmd|' /C calc'!A0"],
            locality="@SUM(1+1)",
        )
    )
    walk = feature("river-walk", 0, 0, season=1, episode=None, note="-2+3 walk")
    walk["geometry"] = {"type": "LineString", "coordinates": [[-0.61, 51.48], [-0.6, 51.49], [-0.59, 51.5]]}
    area = feature("old-town", 0, 0, season=3, episode=2, note="+area")
    area["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[-0.5, 51.0], [-0.4, 51.0], [-0.4, 51.1], [-0.5, 51.1], [-0.5, 51.0]]],
    }
    pending = feature("not-yet-located", 0, 0, season=1, note="Waiting for coordinates.")
    pending["geometry"] = None
    data["features"] += [walk, area, pending]
    return data


@pytest.fixture
def catalog():
    """Built in memory: the control characters in it are what the writers must survive, though a
    data file holding them would not validate (so the server would never serve it)."""
    return catalog_of(hostile_collection(), parse_series(EPISODES))


def render(catalog, ext: str, places=None, base_url: str = "https://maps.example") -> str:
    ctx = ExportContext(catalog.series, base_url, "Testshow filming locations")
    return "".join(EXPORTERS[ext].write(catalog.locations if places is None else places, ctx))


def test_registry_has_the_four_formats_with_media_types():
    assert {e: EXPORTERS[e].media_type for e in EXPORTERS} == {
        "geojson": "application/geo+json",
        "csv": "text/csv",
        "gpx": "application/gpx+xml",
        "kml": "application/vnd.google-earth.kml+xml",
    }
    with pytest.raises(FormatNotSupported, match="available: csv, geojson, gpx, kml"):
        get_exporter("shp")


def test_file_name_says_what_is_inside():
    series = parse_series(EPISODES)
    assert file_name(series, Filters(), "gpx") == "testshow-locations.gpx"
    assert file_name(series, parse_filters({"season": ["2"]}, series), "gpx") == "testshow-season-2.gpx"
    two = parse_filters({"season": ["1", "3"], "character": "Nick"}, series)
    assert file_name(series, two, "csv") == "testshow-season-1-3-character-nick.csv"


def test_geojson_is_rfc7946_and_keeps_every_property(catalog):
    doc = json.loads(render(catalog, "geojson"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == len(catalog.locations)
    by_id = {f["id"]: f for f in doc["features"]}
    evil = by_id["evil-cafe"]
    assert evil["geometry"] == {"type": "Point", "coordinates": [-0.123457, 51.5]}  # <= 6 decimals
    assert evil["properties"]["scenes"][0]["note"].startswith(HOSTILE)
    for key in ("name", "locality", "country", "precision", "access", "sources", "geocode"):
        assert key in evil["properties"]
    assert (evil["properties"]["first_season"], evil["properties"]["seasons"]) == (2, [2])
    assert "season" not in evil["properties"]  # one place, several seasons: no single season
    assert by_id["river-walk"]["geometry"]["type"] == "LineString"
    assert by_id["old-town"]["geometry"]["type"] == "Polygon"
    assert by_id["not-yet-located"]["geometry"] is None


def test_geojson_season_property_follows_the_filter(tmp_path):
    data = sample()
    data["features"][0]["properties"]["scenes"].append({"season": 3, "episode": 1, "note": "Again."})
    write_json(tmp_path / "episodes.json", EPISODES)
    cat = load_catalog(write_json(tmp_path / "locations.geojson", data))
    everything = json.loads(render(cat, "geojson"))["features"][0]["properties"]
    assert (everything["first_season"], everything["seasons"]) == (1, [1, 3])
    only_three = select(cat.locations, parse_filters({"season": ["3"]}, cat.series))
    props = json.loads(render(cat, "geojson", only_three))["features"][0]["properties"]
    assert (props["first_season"], props["seasons"], len(props["scenes"])) == (3, [3], 1)


def test_gpx_is_valid_gpx_11_with_escaped_text(catalog):
    text = render(catalog, "gpx")
    schema = etree.XMLSchema(etree.parse(str(GPX_SCHEMA)))
    doc = etree.fromstring(text.encode())
    assert schema.validate(doc), schema.error_log
    official = official_gpx_schema()
    assert official.validate(doc), official.error_log
    waypoints = {w.findtext(f"{GPX_NS}name"): w for w in doc.iter(f"{GPX_NS}wpt")}
    # one waypoint per located place; the line and the area export a point on them
    assert len(waypoints) == len(catalog.locations) - 1
    evil = waypoints['Café "<b>Evil</b>" & Co']
    desc = evil.findtext(f"{GPX_NS}desc")
    assert HOSTILE in desc and "Exterior only" not in desc and "Public place" in desc
    assert "S2E3 · Two-3" in desc and "https://example.org/source" not in desc  # sources: on the page
    assert desc.endswith("More and sources: https://maps.example/locations/evil-cafe")
    assert evil.findtext(f"{GPX_NS}type") == "Season 2"
    assert evil.find(f"{GPX_NS}link").get("href") == "https://maps.example/locations/evil-cafe"
    assert "<script>" not in text and "&lt;script&gt;" in text
    walk = waypoints["River Walk"]
    assert (float(walk.get("lat")), float(walk.get("lon"))) == (51.49, -0.6)


def test_kml_has_one_placemark_per_place_in_its_first_seasons_folder(tmp_path, catalog):
    text = render(catalog, "kml")
    root = ET.fromstring(text)  # well-formed despite the hostile note
    doc = root.find(f"{KML_NS}Document")
    folders = {f.findtext(f"{KML_NS}name"): f for f in doc.findall(f"{KML_NS}Folder")}
    assert list(folders) == ["Season 1", "Season 2", "Season 3"]
    styles = {s.get("id"): s for s in doc.findall(f"{KML_NS}Style")}
    for number, folder in enumerate(folders.values(), start=1):
        colour = EPISODES["seasons"][number - 1]["colour"].lstrip("#").lower()
        kml_colour = "ff" + colour[4:6] + colour[2:4] + colour[0:2]  # aabbggrr
        for placemark in folder.findall(f"{KML_NS}Placemark"):
            style = styles[placemark.findtext(f"{KML_NS}styleUrl").lstrip("#")]
            assert style.findtext(f"{KML_NS}IconStyle/{KML_NS}color") == kml_colour
    placemarks = list(doc.iter(f"{KML_NS}Placemark"))
    assert len(placemarks) == sum(1 for loc in catalog.locations if loc.geometry is not None)
    season2 = {p.findtext(f"{KML_NS}name"): p for p in folders["Season 2"].findall(f"{KML_NS}Placemark")}
    evil = season2['Café "<b>Evil</b>" & Co']
    assert HOSTILE in evil.findtext(f"{KML_NS}description")
    assert evil.findtext(f"{KML_NS}description").startswith("Seasons: Season 2")
    assert "<![CDATA[" not in text and "<script>" not in text and "<img" not in text
    season1 = {p.findtext(f"{KML_NS}name"): p for p in folders["Season 1"].findall(f"{KML_NS}Placemark")}
    assert season1["River Walk"].find(f"{KML_NS}LineString") is not None
    assert "Not Yet Located" not in season1  # nothing to show on a map yet
    season3 = {p.findtext(f"{KML_NS}name"): p for p in folders["Season 3"].findall(f"{KML_NS}Placemark")}
    assert season3["Old Town"].find(f"{KML_NS}Polygon") is not None
    # A place filmed in two seasons: one placemark, in its first season's folder, both seasons named.
    data = sample()
    data["features"][0]["properties"]["scenes"].append({"season": 3, "episode": 1, "note": "Again."})
    write_json(tmp_path / "episodes.json", EPISODES)
    twice = load_catalog(write_json(tmp_path / "locations.geojson", data))
    doc = ET.fromstring(render(twice, "kml")).find(f"{KML_NS}Document")
    marks = [p for p in doc.iter(f"{KML_NS}Placemark") if p.findtext(f"{KML_NS}name") == "Windsor Bridge"]
    assert len(marks) == 1 and marks[0].findtext(f"{KML_NS}description").startswith(
        "Seasons: Season 1, Season 3"
    )


def test_descriptions_are_short_with_one_link_back():
    from maps.formats.text import short_note

    long = "A very long note " * 30 + ". Second sentence."
    assert len(short_note(long)) <= 160 and short_note(long).endswith("…")
    assert short_note("First. Second.") == "First."


def test_csv_has_a_row_per_scene_and_neutralises_formulas(catalog):
    text = render(catalog, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == sum(len(loc.scenes) for loc in catalog.locations)
    assert list(rows[0])[:11] == [
        "id",
        "name",
        "lat",
        "lon",
        "season",
        "episode",
        "episode_title",
        "note",
        "characters",
        "access",
        "locality",
    ]
    evil = next(r for r in rows if r["id"] == "evil-cafe")
    assert evil["note"] == HOSTILE  # control characters dropped, text otherwise intact
    assert evil["characters"] == "'=cmd|' /C calc'!A0"
    assert evil["locality"] == "'@SUM(1+1)"
    assert (evil["episode"], evil["episode_title"], evil["lon"]) == ("3", "Two-3", "-0.123457")
    walk = next(r for r in rows if r["id"] == "river-walk")
    assert walk["note"] == "'-2+3 walk" and walk["episode"] == ""
    assert next(r for r in rows if r["id"] == "old-town")["note"] == "'+area"
    assert next(r for r in rows if r["id"] == "not-yet-located")["lat"] == ""
    assert all(r["source_url"] == "https://example.org/source" for r in rows)


@pytest.fixture
def trust_catalog(tmp_path):
    """A private home whose scene is only reported, and the finale film as its own entry."""
    episodes = json.loads(json.dumps(EPISODES))
    episodes["seasons"].append(
        {
            "season": 4,
            "label": "Testshow Forever",
            "kind": "film",
            "episodes": [{"episode": 1, "title": "Testshow Forever"}],
        }
    )
    home = feature(
        "family-street",
        -0.7177,
        51.5217,
        name="A residential street",
        season=3,
        episode=None,
        note="A family home on this street.",
        precision="town",
        access="private-home",
    )
    home["properties"]["scenes"][0]["confidence"] = "reported"
    film = feature("station", -1.547, 53.794, name="Station", season=4, episode=1, note="A reunion.")
    write_json(tmp_path / "episodes.json", episodes)
    return load_catalog(
        write_json(tmp_path / "locations.geojson", {"type": "FeatureCollection", "features": [home, film]})
    )


def test_downloads_carry_confidence_private_home_advice_and_call_the_film_a_film(trust_catalog):
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render(trust_catalog, "csv").lstrip("\ufeff")))}
    home, film = rows["family-street"], rows["station"]
    assert (home["confidence"], home["access"]) == ("reported", "private-home")
    assert home["access_advice"].startswith(
        "Private homes: view from the street only, do not disturb residents."
    )
    assert (film["season_label"], film["episode"], film["confidence"]) == ("Testshow Forever (film)", "", "")
    gpx = render(trust_catalog, "gpx")
    kml = render(trust_catalog, "kml")
    for text in (gpx, kml):
        assert "Season 3, episode unknown: Reported: A family home on this street." in text
        assert "Private homes: view from the street only, do not disturb residents." in text
        assert "Testshow Forever (film): A reunion." in text
        assert "S4E1" not in text and "Season 4" not in text


# --- KML 2.2 schema, stable ids -----------------------------------------------------------------


def test_every_kml_download_is_valid_against_the_ogc_kml_22_schema(catalog):
    from tests.support import assert_valid_kml

    assert_valid_kml(render(catalog, "kml"))
    for season in (1, 2, 3):
        places = select(catalog.locations, Filters(seasons=(season,)))
        assert_valid_kml(render(catalog, "kml", places))


def test_bundled_kml_download_is_valid_and_the_same_bytes_every_time():
    from maps.resources import bundled_data_path
    from tests.support import assert_valid_kml

    cat = load_catalog(bundled_data_path())
    first, second = render(cat, "kml"), render(cat, "kml")
    assert first == second
    assert_valid_kml(first)
    ids = [el.get("id") for el in ET.fromstring(first).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) and all(i[0].isalpha() for i in ids)
    assert "place-hampton-court-house" in ids and "season-1" in ids


@pytest.mark.parametrize(
    "cell",
    [" =1+1", "\n=1+1", "\r\n@SUM(A1)", "\u3000=1", '\uff1dHYPERLINK("x")', "\uff0b1", "\u00a0-2", "\t=x"],
)
def test_csv_neutralises_formulas_behind_spaces_line_breaks_and_fullwidth_signs(cell):
    from maps.formats.csv import csv_cell

    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Nick = Charlie", "a-b", "2 + 2", "e-mail@x"])
def test_csv_leaves_ordinary_text_alone(cell):
    from maps.formats.csv import csv_cell

    assert csv_cell(cell) == cell
