"""Absolute links and the public address: from `MAPS_PUBLIC_URL` when it is set (whatever the
Host header says), else from the request; an ETag never covers two different link bases."""

from __future__ import annotations

from pathlib import Path

from maps import create_app

URLS = (
    "/ogc/",
    "/ogc/collections",
    "/ogc/collections/locations/items",
    "/openapi.json",
    "/download/locations.gpx",
)


def test_without_a_public_url_links_follow_the_host_and_etags_differ(client):
    for url in URLS:
        a = client.get(url, headers={"Host": "a.example"})
        b = client.get(url, headers={"Host": "evil.example"})
        assert b"a.example" in a.data and b"evil.example" in b.data, url
        assert a.headers["ETag"] != b.headers["ETag"], url
        # a validator from one host never earns a 304 (and stale links) on another
        again = client.get(url, headers={"Host": "evil.example", "If-None-Match": a.headers["ETag"]})
        assert again.status_code == 200, url


def test_public_url_fixes_every_absolute_link(dataset: Path, monkeypatch):
    monkeypatch.setenv("MAPS_PUBLIC_URL", "https://maps.example/heartstopper")
    client = create_app({"TESTING": True, "DATA_PATH": str(dataset)}).test_client()
    tags = set()
    for host in ("localhost", "evil.example"):
        for url in URLS:
            resp = client.get(url, headers={"Host": host})
            assert resp.status_code == 200
            body = resp.get_data(as_text=True)
            assert "evil.example" not in body and "localhost" not in body, (url, body[:300])
            assert "https://maps.example/heartstopper" in body, url
        tags.add(client.get("/ogc/collections", headers={"Host": host}).headers["ETag"])
    assert len(tags) == 1  # same body, same ETag
    landing = client.get("/ogc/").get_json()
    assert landing["links"][0]["href"].startswith("https://maps.example/heartstopper/ogc/")
    html = client.get("/ogc/?f=html").get_data(as_text=True)
    assert "OAPIF:https://maps.example/heartstopper/ogc/" in html
