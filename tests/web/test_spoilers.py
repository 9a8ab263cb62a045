"""maps.web.spoilers: the spoiler setting is remembered, carried by every fan page and download,
and never shows what lies beyond it."""

from __future__ import annotations

import re

import pytest

from maps.web.spoilers import COOKIE


def test_setting_is_remembered_and_added_to_every_fan_page(client):
    resp = client.get("/locations?watched=S1E8")
    assert resp.status_code == 200 and f"{COOKIE}=S1E8" in resp.headers["Set-Cookie"]
    assert "HttpOnly" in resp.headers["Set-Cookie"] and "SameSite=Lax" in resp.headers["Set-Cookie"]
    for path in ("/", "/locations", "/about", "/route", "/seasons/1/", "/download/locations.gpx"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        assert resp.headers["Location"].endswith("watched=S1E8"), path
        assert "Cookie" in resp.headers["Vary"]
    # The API answers what its URL says.
    assert client.get("/ogc/collections/locations/items").status_code == 200


def test_header_control_and_links_carry_the_setting(client):
    html = client.get("/locations?watched=S1E8").get_data(as_text=True)
    assert "Spoilers: up to Season 1 · episode 8 · change" in html
    assert 'href="/?watched=S1E8">Map</a>' in html and 'href="/route?watched=S1E8"' in html
    assert "One-8" not in html.split("<main")[0]  # the header's choices name no episode title


def test_everything_clears_the_setting(client):
    client.get("/?watched=S1E8")
    resp = client.get("/?watched=all")
    assert resp.status_code == 200 and f"{COOKIE}=;" in resp.headers["Set-Cookie"]
    assert client.get("/locations").status_code == 200  # no redirect: nothing remembered


def test_empty_query_arguments_are_dropped(client):
    resp = client.get("/locations?q=&episode=&season=2")
    assert resp.status_code == 302 and resp.headers["Location"] == "/locations?season=2"


@pytest.mark.parametrize("path", ["/", "/locations", "/route"])
def test_nothing_after_the_watched_point_is_named(client, path):
    html = client.get(f"{path}?watched=S1E8").get_data(as_text=True)
    for later in ("Eiffel", "Louvre", "Whipsnade", "Two-5", "Three-3", "Nick &lt;3"):
        assert later not in html, (path, later)


def test_list_says_how_many_places_are_hidden_and_why(client):
    html = client.get("/locations?watched=S1E8").get_data(as_text=True)
    assert re.search(r"3 places from later episodes hidden", html)
    assert "The Eiffel" not in html


def test_bad_cookie_is_ignored(client):
    client.set_cookie(COOKIE, "<script>")
    assert client.get("/locations").status_code == 200
