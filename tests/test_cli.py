"""The `maps` command: exit statuses, messages, and that refused or failed commands change nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.dataset import store
from tests.support import fake_nominatim


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.setenv("MAPS_GEOCODE_CACHE", str(tmp_path / "geocache.json"))
    monkeypatch.delenv("MAPS_DATA", raising=False)

    def invoke(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


ADD = [
    "--season",
    "3",
    "--episode",
    "3",
    "--note",
    "Nick's surprise birthday party.",
    "--source",
    "https://example.org/zoo",
    "--precision",
    "site",
    "--access",
    "ticketed",
]


def test_validate_ok(run, dataset: Path):
    result = run("validate", str(dataset))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.endswith("5 places, no problems\n")


def test_validate_reports_problems_one_per_line(run, dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["properties"]["access"] = "open"
    data["features"][1]["geometry"]["coordinates"] = [51.3722, 1.1206]
    dataset.write_text(json.dumps(data), encoding="utf-8")
    result = run("validate", str(dataset))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "windsor-bridge: $.features[0].properties.access: "
        "Input should be 'public', 'exterior', 'ticketed', 'private' or 'private-home'",
        "herne-bay-pier: $.features[1].geometry.coordinates: [51.3722, 1.1206] looks like [lat, lon] "
        "order; GeoJSON wants [lon, lat]",
    ]


def test_validate_unreadable(run, tmp_path: Path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{oops", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.exit_code == 2
    assert "is not JSON" in result.stderr
    assert run("validate", str(tmp_path / "missing.geojson")).exit_code == 2


def test_validate_uses_maps_data(run, dataset: Path):
    assert run("validate", env={"MAPS_DATA": str(dataset)}).exit_code == 0


def test_add_by_coordinates(run, dataset: Path):
    result = run(
        "add",
        "--data",
        str(dataset),
        "--name",
        "Zoo",
        "--lat",
        "51.849722",
        "--lon",
        "-0.544167",
        "--id",
        "zoo",
        *ADD,
    )
    assert result.exit_code == 0, result.output
    added = {f["id"]: f for f in store.read_raw(dataset)["features"]}["zoo"]
    assert added["geometry"]["coordinates"] == [-0.544167, 51.849722]
    assert added["properties"]["geocode"]["method"] == "manual"
    assert added["properties"]["scenes"] == [
        {"season": 3, "episode": 3, "note": "Nick's surprise birthday party."}
    ]


def test_add_by_query_geocodes(run, dataset: Path):
    answers = {"Whipsnade Zoo, Dunstable": (51.849722, -0.544167, "ZSL Whipsnade Zoo, Dunstable")}
    with fake_nominatim(answers) as server:
        result = run(
            "add",
            "--data",
            str(dataset),
            "--name",
            "ZSL Whipsnade",
            "--query",
            "Whipsnade Zoo, Dunstable",
            *ADD,
            env={"MAPS_GEOCODER_URL": server["url"], "MAPS_USER_AGENT": "curator-test/2"},
        )
    assert result.exit_code == 0, result.output
    assert "found: ZSL Whipsnade Zoo, Dunstable (51.849722, -0.544167)" in result.stdout
    assert server["agents"] == ["curator-test/2"]
    added = {f["id"]: f for f in store.read_raw(dataset)["features"]}["zsl-whipsnade"]
    geocode = added["properties"]["geocode"]
    assert (geocode["method"], geocode["query"]) == ("nominatim", "Whipsnade Zoo, Dunstable")


def test_add_refuses_duplicate_id_and_place(run, dataset: Path):
    before = dataset.read_bytes()
    taken = run(
        "add",
        "--data",
        str(dataset),
        "--name",
        "New",
        "--lat",
        "51.0",
        "--lon",
        "0.5",
        "--id",
        "louvre",
        *ADD,
    )
    assert taken.exit_code == 1
    assert "id 'louvre' is already taken" in taken.stderr
    near = run(
        "add",
        "--data",
        str(dataset),
        "--name",
        "Herne Bay Pier",
        "--lat",
        "51.3723",
        "--lon",
        "1.1207",
        "--id",
        "pier-again",
        *ADD,
    )
    assert near.exit_code == 1
    assert "herne-bay-pier is the same place" in near.stderr
    assert dataset.read_bytes() == before


def test_add_refuses_invalid_place(run, dataset: Path):
    before = dataset.read_bytes()
    result = run(
        "add",
        "--data",
        str(dataset),
        "--name",
        "X",
        "--lat",
        "51.4",
        "--lon",
        "-0.6",
        "--season",
        "9",
        "--note",
        "n",
        "--source",
        "https://example.org",
    )
    assert result.exit_code == 1
    assert "season 9 is not in episodes.json" in result.stderr
    assert dataset.read_bytes() == before


def test_add_with_unreachable_geocoder_exits_2_and_changes_nothing(run, dataset: Path):
    before = dataset.read_bytes()
    result = run(
        "add",
        "--data",
        str(dataset),
        "--name",
        "Zoo",
        "--query",
        "Whipsnade Zoo",
        *ADD,
        env={"MAPS_GEOCODER_URL": "http://127.0.0.1:9"},
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: geocoder at http://127.0.0.1:9 unavailable")
    assert len(result.stderr.strip().splitlines()) == 1
    assert dataset.read_bytes() == before


def test_add_needs_query_or_coordinates(run, dataset: Path):
    result = run("add", "--data", str(dataset), "--name", "Zoo", *ADD)
    assert result.exit_code == 2
    assert "either --query" in result.output


def test_geocode_fills_in_null_geometries(run, dataset: Path):
    data = store.read_raw(dataset)
    for f in data["features"][:2]:
        f["geometry"] = None
        f["properties"]["geocode"] = {"method": "nominatim", "query": f"{f['id']} query", "date": None}
    dataset.write_text(json.dumps(data), encoding="utf-8")
    answers = {
        "windsor-bridge query": (51.4858, -0.6083, "Windsor Bridge"),
        "herne-bay-pier query": (51.3722, 1.1206, "Herne Bay Pier"),
    }
    with fake_nominatim(answers) as server:
        result = run("geocode", "--data", str(dataset), env={"MAPS_GEOCODER_URL": server["url"]})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2 place(s) to geocode",
        "windsor-bridge: Windsor Bridge (51.4858, -0.6083)",
        "herne-bay-pier: Herne Bay Pier (51.3722, 1.1206)",
    ]
    geoms = [f["geometry"] for f in store.read_raw(dataset)["features"][:2]]
    assert geoms == [
        {"type": "Point", "coordinates": [-0.6083, 51.4858]},
        {"type": "Point", "coordinates": [1.1206, 51.3722]},
    ]


def test_geocode_unreachable_exits_2(run, dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["geometry"] = None
    data["features"][0]["properties"]["geocode"]["query"] = "Windsor Bridge"
    dataset.write_text(json.dumps(data), encoding="utf-8")
    before = dataset.read_bytes()
    result = run("geocode", "--data", str(dataset), env={"MAPS_GEOCODER_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 2
    assert dataset.read_bytes() == before


@pytest.mark.slow
def test_python_dash_m_maps_validates_the_bundled_data():
    result = subprocess.run(
        [sys.executable, "-m", "maps", "validate"],
        capture_output=True,
        text=True,
        cwd="/",
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- terminal output is escaped ----------------------------------------------------------------


def test_validate_escapes_control_characters_in_ids_and_names(run, dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["id"] = "evil\x1b]0;pwned\x07\x1b[2J"
    data["features"][1]["properties"]["name"] = "Pier\r\x1b[1Aok"
    dataset.write_text(json.dumps(data), encoding="utf-8")
    result = run("validate", str(dataset))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\r" not in result.stderr and "\x07" not in result.stderr
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J: $.features[0].id" in result.stderr


def test_route_text_and_json_escape_bidi_and_c1_controls(run, dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["properties"]["name"] = "Bridge \u202eevil\u202c"
    dataset.write_text(json.dumps(data), encoding="utf-8")
    assert run("validate", str(dataset)).exit_code == 0  # bidi marks are legitimate text...
    text = run("route", "--season", "1", "--data", str(dataset))
    assert text.exit_code == 0, text.output
    assert (
        "\u202e" not in text.stdout and "Bridge \\u202eevil\\u202c" in text.stdout
    )  # ...but not raw on a terminal
    as_json = run("route", "--season", "1", "--format", "json", "--data", str(dataset))
    assert "\u202e" not in as_json.stdout
    assert json.loads(as_json.stdout)["stops"][0]["name"].startswith(("Bridge \u202e", "Herne"))


def test_validate_prints_warnings_distinctly_and_passes(run, dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["properties"]["sources"].append(
        {"title": "Copy of Wikipedia", "url": "https://wikimili.com/en/Windsor_Bridge"}
    )
    dataset.write_text(json.dumps(data), encoding="utf-8")
    result = run("validate", str(dataset))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "warning: windsor-bridge: $.features[0].properties.sources[1].url: wikimili.com copies "
        "pages of en.wikipedia.org: cite the original if it can be read",
        f"{dataset}: 5 places, no problems (1 warning)",
    ]


def _home(run, dataset: Path, *extra: str):
    return run(
        "add", "--data", str(dataset), "--lat", "51.5217", "--lon", "-0.7177", "--season", "3",
        "--note", "A family home on this street.", "--source", "https://example.org/street",
        "--access", "private-home", *extra,
    )  # fmt: skip


def test_add_refuses_a_private_home_pinned_on_a_house(run, dataset: Path):
    before = dataset.read_bytes()
    result = _home(run, dataset, "--name", "12 Ashley Park", "--precision", "building")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "refused: 12-ashley-park: $.features[5].properties.precision: a private home must not be "
        "pinned: precision 'building' (allowed: street, area, town)",
        "refused: 12-ashley-park: $.features[5].properties.name: a private home must not name a "
        "house: '12 Ashley Park'",
    ]
    assert dataset.read_bytes() == before


def test_add_a_private_home_at_town_level_with_its_confidence(run, dataset: Path):
    result = _home(run, dataset, "--name", "Ashley Park", "--precision", "town", "--confidence", "reported")
    assert result.exit_code == 0, result.output
    added = {f["id"]: f for f in store.read_raw(dataset)["features"]}["ashley-park"]
    assert added["properties"]["access"] == "private-home"
    assert added["properties"]["scenes"][0]["confidence"] == "reported"


def test_help_loads_no_heavy_module():
    """`maps --help` builds every command's options from light constant modules; the domain
    code (shapely, pydantic, geopy, numpy) and the web stack load only when a command runs."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from maps.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'flask', 'folium', 'shapely', 'pydantic', 'geopy', 'numpy', 'gpxpy', 'simplekml'}\n"
        "assert not heavy & set(sys.modules), sorted(heavy & set(sys.modules))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
