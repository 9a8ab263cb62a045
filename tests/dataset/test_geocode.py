"""geopy against a real local HTTP server: rate limit, cache, clear errors."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from maps.dataset.geocode import GeocoderSettings, GeocoderUnavailable, NoGeocodeResult, make_geocoder
from tests.support import fake_nominatim

WHIPSNADE = ("Whipsnade Zoo, Dunstable", (51.849722, -0.544167, "ZSL Whipsnade Zoo, Dunstable, England"))


def settings(url: str, tmp_path: Path, delay: float = 1.0) -> GeocoderSettings:
    return GeocoderSettings(
        url=url, user_agent="maps-tests/1.0", cache_path=tmp_path / "cache.json", min_delay_s=delay
    )


def test_geocodes_with_user_agent_and_caches_on_disk(tmp_path: Path):
    with fake_nominatim(dict([WHIPSNADE])) as server:
        geocode = make_geocoder(settings(server["url"], tmp_path))
        result = geocode("Whipsnade Zoo,   Dunstable")
        assert (result.lat, result.lon) == (51.849722, -0.544167)
        assert result.display_name.startswith("ZSL Whipsnade Zoo")
        assert server["agents"] == ["maps-tests/1.0"]
        # A new geocoder (a new process, say) reads the disk cache: nothing is sent twice.
        again = make_geocoder(settings(server["url"], tmp_path))("Whipsnade Zoo, Dunstable")
        assert again == result
        assert server["requests"] == ["Whipsnade Zoo, Dunstable"]


def test_at_most_one_request_per_second(tmp_path: Path):
    with fake_nominatim({}) as server:
        geocode = make_geocoder(settings(server["url"], tmp_path, delay=1.0))
        start = time.monotonic()
        for query in ("nowhere one", "nowhere two", "nowhere three"):
            with pytest.raises(NoGeocodeResult):
                geocode(query)
        assert time.monotonic() - start >= 2.0
        assert len(server["requests"]) == 3


def test_no_result_is_a_clear_error(tmp_path: Path):
    with fake_nominatim({}) as server, pytest.raises(NoGeocodeResult, match="for 'Atlantis'"):
        make_geocoder(settings(server["url"], tmp_path))("Atlantis")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_geocoder_is_a_clear_error(tmp_path: Path):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(GeocoderUnavailable, match=f"geocoder at {url} unavailable"):
        make_geocoder(settings(url, tmp_path))("Windsor")


def test_bad_geocoder_url(tmp_path: Path):
    with pytest.raises(GeocoderUnavailable, match="not an http"):
        make_geocoder(settings("ftp://example.org", tmp_path))


def test_silent_geocoder_times_out(tmp_path: Path):
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        quick = GeocoderSettings(url=url, cache_path=tmp_path / "c.json", timeout_s=0.5)
        with pytest.raises(GeocoderUnavailable, match="unavailable"):
            make_geocoder(quick)("Windsor")
