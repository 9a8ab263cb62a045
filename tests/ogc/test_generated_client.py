"""A client generated from /openapi.json by openapi-python-client calls the API as declared:
items (with bbox, season and datetime), one item, every download and every route format."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maps import create_app
from tests.builders import EPISODES, sample, write_json
from tests.support import live_server

# Generating the client runs a code generator and a formatter in a subprocess: seconds, so the
# module runs in the full suite, not the fast loop.
pytestmark = pytest.mark.slow

CONFIG = Path(__file__).resolve().parent.parent / "data" / "openapi-client.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    write_json(folder / "episodes.json", EPISODES)
    app = create_app({"TESTING": True, "DATA_PATH": str(write_json(folder / "locations.geojson", sample()))})
    (folder / "openapi.json").write_text(json.dumps(app.test_client().get("/openapi.json").get_json()))
    tool = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert tool, "openapi-python-client is in the test extra: pip install -e '.[test]'"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            tool,
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            "maps_client",
            "--meta",
            "none",
            "--config",
            str(CONFIG),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        with live_server(app) as url:
            yield importlib.import_module("maps_client"), url
    finally:
        sys.path.remove(str(folder))


def _call(module, name, client, **kwargs):
    return importlib.import_module(f"maps_client.api.{module}.{name}").sync_detailed(client=client, **kwargs)


def test_generated_client_reads_items_one_item_and_every_download(generated):
    package, url = generated
    client = package.Client(base_url=url)
    items = _call(
        "default",
        "get_ogc_collections_collection_id_items",
        client,
        collection_id="locations",
        bbox=[2.0, 48.0, 3.0, 49.0],
        season=[2],
        datetime_="2022-01-01T00:00:00Z/..",
    )
    assert items.status_code == 200, items.content
    assert sorted(f["id"] for f in json.loads(items.content)["features"]) == ["eiffel-tower", "louvre"]
    one = _call(
        "default",
        "get_ogc_collections_collection_id_items_feature_id",
        client,
        collection_id="locations",
        feature_id="louvre",
    )
    assert one.status_code == 200 and json.loads(one.content)["id"] == "louvre"
    for ext in ("geojson", "gpx", "kml", "csv"):
        download = _call("default", f"get_download_locations_{ext}", client, season=[1])
        assert download.status_code == 200 and download.content, ext
        assert b"Windsor Bridge" in download.content, ext


def test_generated_client_plans_a_route_in_every_format(generated):
    package, url = generated
    client = package.Client(base_url=url)
    plan = _call("route", "plan_route", client, season=[1, 2])
    assert plan.status_code == 200 and plan.parsed is not None and len(plan.parsed.stops) == 4
    for ext in ("gpx", "kml", "geojson"):
        answer = _call("route", f"plan_route_{ext}", client, stops="eiffel-tower,louvre,windsor-bridge")
        assert answer.status_code == 200, (ext, answer.content[:200])
        assert b"Louvre" in answer.content, ext
    bad = _call("route", "plan_route", client, stops="no-such-place,louvre")
    assert bad.status_code == 404
