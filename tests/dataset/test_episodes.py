"""Labels of seasons, episodes and the finale film (maps.dataset.episodes)."""

from __future__ import annotations

from maps.dataset.episodes import load_series, parse_series
from maps.resources import bundled_episodes_path

RAW = {
    "series": {"title": "Show"},
    "seasons": [
        {"season": 1, "label": "Season 1", "episodes": [{"episode": 4, "title": "Heat"}]},
        {
            "season": 4,
            "label": "Show Forever",
            "kind": "film",
            "episodes": [{"episode": 1, "title": "Show Forever"}],
        },
    ],
}


def test_series_episodes_keep_their_codes():
    series = parse_series(RAW)
    assert series.episode_label(1, 4) == "S1E4 · Heat"
    assert series.episode_label(1, None) == "episode unknown"  # after "Season 1 · " in a popup
    assert series.scene_label(1, None) == "Season 1, episode unknown"  # on its own
    assert series.scene_label(1, 4) == "S1E4 · Heat"
    assert series.episode_choice_label(1, 4) == "Season 1 · E4 · Heat"


def test_the_film_is_called_a_film_never_season_4():
    series = parse_series(RAW)
    labels = [
        series.episode_label(4, 1),
        series.episode_label(4, None),
        series.scene_label(4, 1),
        series.scene_label(4, None),
        series.episode_choice_label(4, 1),
    ]
    assert labels == ["Film", "Film", "Show Forever (film)", "Show Forever (film)", "Show Forever (film)"]
    assert not any("4" in label or "season" in label.casefold() for label in labels)


def test_bundled_finale_is_a_film_and_s2e6_has_one_spelling():
    series = load_series(bundled_episodes_path())
    assert series.is_film(4) and series.scene_label(4, 1) == "Heartstopper Forever (film)"
    assert series.episode(2, 6).title == "Truth / Dare"
