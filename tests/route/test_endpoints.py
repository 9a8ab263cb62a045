"""Start and end as a person gives them: a place (id or name), LAT,LON, a town (offline), a station
or address (the geocoder: the local fake Nominatim, for real over HTTP), "my location"; one error
wording with a suggestion, the same in the API and the CLI; one rate limit per process."""

from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner

from maps import create_app
from maps.cli import main
from maps.config import data_path
from maps.dataset.catalog import load_catalog
from maps.dataset.geocode import GeocoderSettings, GeocoderUnavailable, make_geocoder
from maps.errors import InvalidQuery
from maps.route.endpoints import find_town, resolve_endpoint
from maps.route.request import parse_endpoint
from tests.support import fake_nominatim

GARE = {"Gare du Nord, Paris": (48.880931, 2.355323, "Gare du Nord, Rue de Dunkerque, Paris, France")}


@pytest.fixture(scope="module")
def bundled():
    return load_catalog(data_path())


@pytest.mark.parametrize(
    ("text", "country", "near"),
    [
        ("London", "GB", (51.51, -0.13)),
        ("Paris", "FR", (48.85, 2.35)),
        ("Windsor", "GB", (51.48, -0.60)),  # Berkshire, near the places, not Windsor, Ontario
        ("paris, france", "FR", (48.85, 2.35)),
        ("Windsor, UK", "GB", (51.48, -0.60)),
        ("Herne Bay", "GB", (51.37, 1.13)),
    ],
)
def test_towns_resolve_offline(bundled, text, country, near):
    town = find_town(text, bundled)
    assert town is not None and town.country == country
    assert (town.lat, town.lon) == (pytest.approx(near[0], abs=0.03), pytest.approx(near[1], abs=0.03))


def resolve(text, catalog, geocode=None):
    return resolve_endpoint("start", parse_endpoint("start", text), catalog, geocode)


def test_place_by_id_or_name_then_town_then_geocoder(bundled):
    asked = []

    def geocode(query):
        asked.append(query)
        raise AssertionError("no geocoder call expected")

    assert resolve("louvre", bundled, geocode).place_id == "louvre"
    assert resolve("Louvre Museum", bundled, geocode).place_id == "louvre"
    london = resolve("London", bundled, geocode)
    assert london.how == "town" and london.label == "London, United Kingdom" and london.as_text() == "London"
    assert resolve("51.5,-0.12", bundled, geocode).latlon == (51.5, -0.12)
    assert asked == []


def test_station_through_the_geocoder_once_then_from_cache(bundled, tmp_path):
    with fake_nominatim(GARE) as server:
        settings = GeocoderSettings(url=server["url"], cache_path=tmp_path / "cache.json")
        geocode = make_geocoder(settings)
        gare = resolve("Gare du Nord, Paris", bundled, geocode)
        again = resolve("Gare du Nord,   Paris", bundled, make_geocoder(settings))
    assert gare.how == "address" and gare.latlon == (48.880931, 2.355323)
    assert gare.label == "Gare du Nord, Rue de Dunkerque, Paris" and again.latlon == gare.latlon
    assert server["requests"] == ["Gare du Nord, Paris"]  # the second answer came from the disk cache


def test_one_wording_with_a_suggestion(bundled, tmp_path):
    with fake_nominatim({}) as server:
        geocode = make_geocoder(GeocoderSettings(url=server["url"], cache_path=tmp_path / "c.json"))
        with pytest.raises(InvalidQuery) as caught:
            resolve("Londn", bundled, geocode)
    message = str(caught.value)
    assert message.startswith("start: 'Londn' is not a place of the map, a town or an address we could find")
    assert "did you mean 'London'" in message and "try a place of the map, a town name or LAT,LON" in message
    with pytest.raises(InvalidQuery, match="did you mean 'Eiffel Tower'"):
        resolve("Eifel Tower", bundled, None)
    with pytest.raises(InvalidQuery, match="needs your browser to share its position"):
        resolve("my location", bundled, None)


def test_unreachable_geocoder_says_so_and_what_to_try(bundled, tmp_path):
    geocode = make_geocoder(GeocoderSettings(url="http://127.0.0.1:9", cache_path=tmp_path / "c.json"))
    with pytest.raises(GeocoderUnavailable) as caught:
        resolve("10 Downing Street", bundled, geocode)
    assert "address search is unreachable" in str(caught.value) and "LAT,LON" in str(caught.value)


def test_process_wide_rate_limit_whatever_the_traffic(tmp_path):
    """Two geocoders on the same URL (two requests, two threads) still send one query a second."""
    answers = {f"street {n}": (51.5, -0.1, f"Street {n}") for n in range(3)}
    with fake_nominatim(answers) as server:
        geocoders = [
            make_geocoder(GeocoderSettings(url=server["url"], cache_path=tmp_path / f"{n}.json"))
            for n in range(3)
        ]
        threads = [threading.Thread(target=g, args=(f"street {n}",)) for n, g in enumerate(geocoders)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        elapsed = time.monotonic() - began
    assert sorted(server["requests"]) == ["street 0", "street 1", "street 2"]
    assert elapsed >= 1.9  # the first at once, then one a second: never three at the same time


def test_api_and_cli_say_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPS_GEOCODE_CACHE", str(tmp_path / "cache.json"))
    with fake_nominatim(GARE) as server:
        monkeypatch.setenv("MAPS_GEOCODER_URL", server["url"])
        app = create_app({"TESTING": True})
        client = app.test_client()
        ok = client.get("/api/route?region=paris&start=Gare du Nord, Paris").get_json()
        assert ok["start"]["found_as"] == "address" and ok["start"]["query"] == "Gare du Nord, Paris"
        assert ok["stops"][0]["leg_km"] < 5  # the first stop is near the station, in Paris
        bad = client.get("/api/route?region=paris&start=Pariss")
        cli = CliRunner().invoke(main, ["route", "--region", "paris", "--start", "Pariss"])
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"
    assert cli.exit_code == 2
    assert bad.get_json()["detail"] in cli.output
    assert "did you mean 'Paris'" in bad.get_json()["detail"]


def test_unreachable_geocoder_is_503_on_the_api_and_exit_3(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPS_GEOCODER_URL", "http://127.0.0.1:9")
    client = create_app({"TESTING": True}).test_client()
    resp = client.get("/api/route?region=paris&start=Gare du Nord, Paris")
    assert resp.status_code == 503 and "unreachable" in resp.get_json()["detail"]
    page = client.get("/route?region=paris&start=Gare du Nord, Paris")
    assert page.status_code == 503 and "unreachable" in page.get_data(as_text=True)
    cli = CliRunner().invoke(main, ["route", "--region", "paris", "--start", "Gare du Nord, Paris"])
    assert cli.exit_code == 3 and "unreachable" in cli.output
