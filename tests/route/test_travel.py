"""The travel-time provider without an engine: the straight-line estimate, and the fallback (said
on the page) when tiles are configured but cannot be used."""

from __future__ import annotations

import numpy as np
import pytest

from maps import create_app
from maps.route.request import MODES
from maps.route.travel import StraightLine, travel_times


def test_no_tiles_means_the_estimate():
    provider = travel_times(None)
    assert isinstance(provider, StraightLine) and provider.estimate
    m = provider.matrix([(51.5, -0.1), (51.5, -0.1 + 0.0144)], "walk")  # about 1 km apart
    assert m.seconds[0, 1] == pytest.approx(m.metres[0, 1] / 1000 / MODES["walk"].kmh * 3600)
    assert np.allclose(m.seconds, m.seconds.T) and m.seconds[0, 0] == 0
    assert provider.path((51.5, -0.1), (51.6, -0.1), "walk") is None


def test_unusable_tiles_fall_back_and_say_why(tmp_path, dataset):
    provider = travel_times(str(tmp_path))  # an empty folder: no tiles built there
    assert isinstance(provider, StraightLine) and provider.reason
    client = create_app(
        {"TESTING": True, "DATA_PATH": str(dataset), "ROUTING_TILES": str(tmp_path)}
    ).test_client()
    html = client.get("/route?stops=louvre,eiffel-tower").get_data(as_text=True)
    assert 'data-times="estimate"' in html and "Estimates only" in html and provider.reason in html
    doc = client.get("/api/route?stops=louvre,eiffel-tower").get_json()
    assert doc["travel_times"]["estimate"] is True and provider.reason in doc["travel_times"]["note"]
