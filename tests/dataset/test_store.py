"""Writes never lose data: validation first, a lock, an atomic replace, stable bytes."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maps.dataset import curate, store
from maps.dataset.validate import check_collection
from maps.errors import DataUnreadable, InvalidCollection
from tests.builders import feature, sample


def test_round_trip_gives_identical_bytes(dataset: Path):
    store.save_collection(dataset, store.read_raw(dataset))
    first = dataset.read_bytes()
    store.save_collection(dataset, store.read_raw(dataset))
    assert dataset.read_bytes() == first
    text = first.decode("utf-8")
    assert text.startswith('{\n  "type": "FeatureCollection",\n')
    assert text.endswith("}\n")


def test_output_is_utf8_with_fixed_key_order(dataset: Path):
    data = store.read_raw(dataset)
    data["features"][0]["properties"]["name"] = "Café Sacré-Cœur"
    props = data["features"][0]["properties"]
    data["features"][0]["properties"] = dict(reversed(list(props.items())))
    store.save_collection(dataset, data)
    text = dataset.read_text(encoding="utf-8")
    assert "Café Sacré-Cœur" in text
    saved = json.loads(text)["features"][0]
    assert list(saved) == ["type", "id", "geometry", "properties"]
    assert list(saved["properties"])[:5] == ["name", "locality", "country", "precision", "access"]


def test_refuses_to_write_an_invalid_collection(dataset: Path):
    before = dataset.read_bytes()
    data = store.read_raw(dataset)
    data["features"][0]["properties"]["access"] = "open"
    with pytest.raises(InvalidCollection, match="access"):
        store.save_collection(dataset, data)
    assert dataset.read_bytes() == before
    assert [p.name for p in dataset.parent.iterdir() if p.suffix == ".tmp"] == []


def test_failed_write_leaves_no_temp_file(dataset: Path, monkeypatch):
    before = dataset.read_bytes()

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        store.save_collection(dataset, store.read_raw(dataset))
    assert dataset.read_bytes() == before
    assert not any(p.name.endswith(".tmp") for p in dataset.parent.iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not JSON"),
        (b'{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        (b"\xff\xfe\x00", "is not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "locations.geojson"
    path.write_bytes(content)
    with pytest.raises(DataUnreadable, match=message):
        store.read_raw(path)


def _add_many(path: str, worker: int, count: int) -> None:
    for i in range(count):
        # Spread places on a grid around Windsor so none is a duplicate of another.
        lon = round(-0.9 + 0.01 * worker, 6)
        lat = round(51.2 + 0.01 * i, 6)
        curate.add_place(Path(path), feature(f"w{worker}-p{i}", lon, lat, name=f"Place {worker}-{i}"))


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(dataset: Path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(str(dataset), w, 25)) for w in range(8)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=240)
        assert proc.exitcode == 0
    data = store.read_raw(dataset)
    ids = {f["id"] for f in data["features"]}
    assert {f"w{w}-p{i}" for w in range(8) for i in range(25)} <= ids
    assert len(data["features"]) == len(sample()["features"]) + 200
    assert check_collection(data, episodes_for=dataset) == []


WRITER = """
import sys
from pathlib import Path
from maps.dataset import curate
from tests.builders import feature
path, run = Path(sys.argv[1]), int(sys.argv[2])
i = 0
while True:
    lon, lat = round(-0.9 + 0.001 * (i % 500), 6), round(51.2 + 0.01 * run + 0.001 * (i // 500), 6)
    curate.add_place(path, feature(f"k{run}-{i}", lon, lat, name=f"K {run}-{i}"))
    i += 1
"""


@pytest.mark.slow
def test_writer_killed_at_a_random_moment_leaves_a_whole_file(dataset: Path):
    rng = random.Random(20261127)
    root = Path(__file__).resolve().parents[2]
    for run in range(5):
        before = store.file_version(dataset)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(dataset), str(run)], cwd=root)
        deadline = time.monotonic() + 60
        while store.file_version(dataset) == before and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until it is writing, then kill it mid-stream
        time.sleep(rng.uniform(0.0, 0.5))
        assert proc.poll() is None, "the writer died by itself"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = store.read_raw(dataset)  # parses: never half a file
        assert check_collection(data, episodes_for=dataset) == []
    assert len(data["features"]) > len(sample()["features"])  # the writers did write


def test_a_clockwise_polygon_is_rewound_on_write(dataset: Path):
    """RFC 7946 §3.1.6: what a curator pastes from a tool that winds rings the other way is
    fixed by the store, and the file then validates."""
    from maps.dataset.validate import check_collection

    data = store.read_raw(dataset)
    clockwise = [[-0.61, 51.48], [-0.61, 51.49], [-0.60, 51.49], [-0.60, 51.48], [-0.61, 51.48]]
    hole = [[-0.608, 51.482], [-0.602, 51.482], [-0.602, 51.488], [-0.608, 51.488], [-0.608, 51.482]]
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [clockwise, hole]}
    data["features"][0]["properties"]["precision"] = "area"
    store.save_collection(dataset, data)
    rings = store.read_raw(dataset)["features"][0]["geometry"]["coordinates"]
    assert rings == [clockwise[::-1], hole[::-1]]
    assert check_collection(store.read_raw(dataset), episodes_for=dataset) == []
