"""The offline pack's rules (maps/offline.py), with no app: settings, cache names, the pack."""

from __future__ import annotations

import pytest

from maps import offline


def test_tiles_are_kept_when_viewed_by_default_and_never_prefetched():
    assert offline.tile_cache_mode(None, "OpenStreetMap.Mapnik") == "viewed"
    assert offline.tile_cache_mode(" OFF ", "OpenStreetMap.Mapnik") == "off"
    with pytest.raises(offline.OfflineSettingError, match="never downloaded ahead"):
        offline.tile_cache_mode("all", "OpenStreetMap.Mapnik")


@pytest.mark.parametrize("value, expected", [(None, 500), ("", 500), ("20", 20), (20000, 20000)])
def test_the_tile_bound(value, expected):
    assert offline.tile_cache_max(value) == expected


@pytest.mark.parametrize("value", ["0", "-5", "20001", "lots", "1.5"])
def test_an_impossible_tile_bound_is_refused(value):
    with pytest.raises(offline.OfflineSettingError):
        offline.tile_cache_max(value)


def test_one_cache_per_data_version_with_a_safe_name():
    a = offline.cache_name("1a-2b-3c", "abc")
    assert a == "maps-pack-1a-2b-3c-abc"
    assert offline.cache_name("1a-2b-3d", "abc") != a
    assert offline.cache_name("x/y z", "abc") == "maps-pack-x_y_z-abc"


def test_the_pack_is_deduplicated_and_bounded():
    assert offline.bounded_pack(["/", "/a", "/"]) == ["/", "/a"]
    with pytest.raises(offline.OfflineSettingError, match="at most"):
        offline.bounded_pack([f"/{i}" for i in range(offline.MAX_PACK_URLS + 1)])


def test_asset_files_and_their_fingerprint(tmp_path):
    (tmp_path / "images").mkdir()
    for name in ("a.js", "b.css", "sw.js", "images/x.png", ".hidden"):
        (tmp_path / name).write_text(name)
    assert offline.asset_files(tmp_path, skip={"sw.js"}) == ["a.js", "b.css", "images/x.png"]
    assert offline.asset_files(tmp_path, only=("a.js", "images/")) == ["a.js", "images/x.png"]
    before = offline.files_version([tmp_path], skip={"sw.js"})
    (tmp_path / "sw.js").write_text("changed")
    assert offline.files_version([tmp_path], skip={"sw.js"}) == before
    (tmp_path / "a.js").write_text("changed")
    assert offline.files_version([tmp_path], skip={"sw.js"}) != before
