"""maps.config is the one settings source: no other module reads the environment, every
variable the code names is listed there, and every app config key it sets is read somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import maps
from maps import config

PACKAGE = Path(maps.__file__).parent
ROOT = PACKAGE.parent
SOURCES = {p: p.read_text(encoding="utf-8") for p in [*PACKAGE.rglob("*.py"), ROOT / "gunicorn.conf.py"]}


def test_only_config_reads_the_environment():
    readers = [
        str(path.relative_to(ROOT))
        for path, text in SOURCES.items()
        if re.search(r"\bos\.environ|getenv\(|^from os import", text, re.M) and path != PACKAGE / "config.py"
    ]
    assert readers == []


def test_every_variable_named_in_the_code_is_listed():
    named = {m for text in SOURCES.values() for m in re.findall(r"\bMAPS_[A-Z_]+\b", text)}
    assert named <= set(config.ENVIRONMENT)


def test_every_app_config_key_is_read():
    others = "".join(text for path, text in SOURCES.items() if path != PACKAGE / "config.py")
    for key in config.defaults():
        assert f'"{key}"' in others, key


def test_geocoder_and_gunicorn_settings_come_from_the_environment(tmp_path: Path):
    env = {
        "MAPS_GEOCODER_URL": "http://127.0.0.1:9",
        "MAPS_USER_AGENT": "curator/1",
        "XDG_CACHE_HOME": str(tmp_path),
    }
    settings = config.geocoder_settings(env)
    assert (settings.url, settings.user_agent) == ("http://127.0.0.1:9", "curator/1")
    assert settings.cache_path == tmp_path / "maps" / "geocode-cache.json"
    cached = config.geocoder_settings({"MAPS_GEOCODE_CACHE": str(tmp_path / "c.json")})
    assert cached.cache_path == tmp_path / "c.json" and cached.url.startswith("https://nominatim")
    assert config.bind_address({}) == ("127.0.0.1", 8000)
    assert config.bind_address({"MAPS_BIND": "0.0.0.0:9000"}) == ("0.0.0.0", 9000)
    assert config.from_env({"MAPS_TILES": "OpenTopoMap", "MAPS_DATA": ""}) == {"TILES": "OpenTopoMap"}
