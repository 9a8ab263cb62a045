"""maps.dataset.visit: directions links and the position as text."""

from __future__ import annotations

from maps.dataset.visit import directions, position_text


def test_directions_to_a_place_in_three_apps():
    links = directions(51.40817, -0.3423)
    assert [d.label for d in links] == ["Google Maps", "Apple Maps", "OpenStreetMap"]
    assert links[0].url == "https://www.google.com/maps/dir/?api=1&destination=51.408170%2C-0.342300"
    assert links[1].url == "https://maps.apple.com/?daddr=51.408170%2C-0.342300"
    assert links[2].url == "https://www.openstreetmap.org/directions?to=51.408170%2C-0.342300"


def test_position_says_when_it_is_approximate():
    assert position_text(51.40817, -0.3423, "building") == "51.40817, -0.34230"
    assert (
        position_text(51.40817, -0.3423, "street") == "51.408, -0.342 (approximate: the street, not a house)"
    )
