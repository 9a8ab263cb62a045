"""The offline pack's routes with the Flask test client: /sw.js (headers, the data version in
its cache name, the pack), the CSP that allows it, /trips, the manifest, the printable guide."""

from __future__ import annotations

import json
import os

import pytest

from maps import create_app
from maps.dataset import store
from maps.offline import OfflineSettingError
from tests.builders import XSS, feature


def worker_config(client) -> dict:
    head = client.get("/sw.js").get_data(as_text=True).split("\n", 1)[0]
    assert head.startswith("self.OFFLINE_PACK = ") and head.endswith(";")
    return json.loads(head[len("self.OFFLINE_PACK = ") : -1])


def test_the_service_worker_is_served_from_the_root_and_revalidated(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/"
    assert resp.headers["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in resp.get_data(as_text=True)
    again = client.get("/sw.js", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_every_page_allows_the_worker_and_the_manifest_in_its_csp(client):
    for path in ("/", "/locations", "/trips", "/route"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy, path
    page = client.get("/").get_data(as_text=True)
    assert 'data-sw="/sw.js"' in page and 'rel="manifest"' in page


def test_the_cache_is_named_after_the_data_version_and_changes_with_it(app, client, dataset):
    first = worker_config(client)
    version = client.get("/").headers["X-Data-Version"]
    assert first["data"] == version and version.replace("-", "_") in first["cache"].replace("-", "_")
    assert first["cache"].startswith(first["prefix"])
    collection = store.read_raw(dataset)
    added = feature("added-place", -0.1, 51.5, name="Added place")
    store.save_collection(dataset, {**collection, "features": [*collection["features"], added]})
    os.utime(dataset, ns=(1, 10**18))  # a new version even within the file system's time step
    second = worker_config(client)
    assert second["data"] != first["data"] and second["cache"] != first["cache"]
    assert "added-place" in second["ids"] and "added-place" not in first["ids"]
    assert "/locations/added-place" in second["pack"]


def test_two_hosts_with_copies_of_the_same_data_agree_on_its_version(dataset, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("locations.geojson", "episodes.json"):
        (copy / name).write_bytes((dataset.parent / name).read_bytes())
    versions = [
        worker_config(create_app({"TESTING": True, "DATA_PATH": str(path)}).test_client())["data"]
        for path in (dataset, copy / "locations.geojson")
    ]
    assert versions[0] == versions[1]


def test_the_pack_holds_every_page_the_data_and_the_assets_and_they_all_answer(client):
    config = worker_config(client)
    pack = config["pack"]
    ids = config["ids"]
    assert {"/", "/locations", "/route", "/trips", "/about", "/manifest.webmanifest"} <= set(pack)
    assert {f"/locations/{i}" for i in ids} <= set(pack)
    assert "/download/locations.geojson" in pack
    assert {"/static/offline.js", "/static/mapview.js", "/static/vendor/leaflet/leaflet.js"} <= set(pack)
    assert "/static/sw.js" not in pack and len(pack) == len(set(pack))
    for url in pack:
        assert client.get(url).status_code == 200, url


def test_tiles_are_kept_only_when_viewed_and_bounded(client):
    tiles = worker_config(client)["tiles"]
    assert tiles == {
        "mode": "viewed",
        "max": 500,
        "hosts": ["https://tile.openstreetmap.org"],
        "cache": "maps-tiles",
    }


def test_an_operator_may_turn_tile_keeping_off_or_raise_the_bound(dataset):
    app = create_app(
        {"TESTING": True, "DATA_PATH": str(dataset), "TILE_CACHE": "off", "TILE_CACHE_MAX": "2000"}
    )
    tiles = worker_config(app.test_client())["tiles"]
    assert tiles["mode"] == "off" and tiles["max"] == 2000


@pytest.mark.parametrize(
    "settings", [{"TILE_CACHE": "prefetch"}, {"TILE_CACHE_MAX": "many"}, {"TILE_CACHE_MAX": "0"}]
)
def test_a_bad_tile_setting_stops_the_app_at_start_up(dataset, settings):
    with pytest.raises(OfflineSettingError, match="MAPS_TILE_CACHE"):
        create_app({"TESTING": True, "DATA_PATH": str(dataset), **settings})


def test_the_trips_page_is_a_frame_the_browser_fills(client):
    resp = client.get("/trips")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert 'id="trip-list"' in page and 'id="visited-list"' in page
    assert 'data-place-url="/locations/"' in page


def test_the_manifest_has_what_chromium_needs_to_install_it(client):
    resp = client.get("/manifest.webmanifest")
    assert resp.mimetype == "application/manifest+json"
    body = resp.get_json()
    assert body["name"] == "Testshow filming locations" and body["short_name"] == "Testshow"
    assert body["start_url"] == body["scope"] == body["id"] == "/"
    assert body["display"] == "standalone"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in body["icons"] if i["type"] == "image/png"}


def test_the_printable_guide_escapes_names_and_notes(client, dataset):
    collection = store.read_raw(dataset)
    hostile = feature("hostile", -0.55, 51.6, season=1, episode=2, note=XSS, name=XSS)
    store.save_collection(dataset, {**collection, "features": [*collection["features"], hostile]})
    page = client.get("/route?stops=hostile,whipsnade-zoo").get_data(as_text=True)
    guide = page[page.index('class="print-guide"') :]
    assert XSS not in guide
    assert "&lt;img src=x" in guide
    assert "Day 1" in guide


def test_a_place_page_offers_the_visited_tick_and_the_list_marks_rows(client):
    page = client.get("/locations/louvre").get_data(as_text=True)
    assert 'data-visited-place="louvre"' in page and 'data-visited-name="Louvre"' in page
    assert 'data-place-id="louvre"' in client.get("/locations").get_data(as_text=True)
