"""The one download registry: places and route plans share it, every writer it names exists,
and the CLI's choices come from it."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.formats import EXPORTERS, FORMATS, PLAN_FORMATS
from maps.formats.registry import FormatNotSupported, _load


def test_one_registry_for_places_and_plans():
    assert {ext: f.media_type for ext, f in PLAN_FORMATS.items()} == {
        "json": "application/json",
        "geojson": "application/geo+json",
        "gpx": "application/gpx+xml",
        "kml": "application/vnd.google-earth.kml+xml",
    }
    assert set(EXPORTERS) | set(PLAN_FORMATS) == set(FORMATS)
    assert all(f.places or f.plan for f in FORMATS.values())


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_every_named_writer_exists(ext):
    fmt = FORMATS[ext]
    if fmt.places:  # (places, context)
        assert callable(_load(fmt.places)) and len(inspect.signature(_load(fmt.places)).parameters) == 2
    if fmt.plan:  # (plan, series, base_url): the place pages the export links to
        assert (
            callable(_load(fmt.plan)) and list(inspect.signature(_load(fmt.plan)).parameters)[2] == "base_url"
        )


def test_a_format_without_a_writer_says_so():
    with pytest.raises(FormatNotSupported, match="csv is not an export format for route plans"):
        FORMATS["csv"].render(None, None)  # type: ignore[arg-type]
    with pytest.raises(FormatNotSupported, match="json is not a download format for places"):
        FORMATS["json"].write([], None)  # type: ignore[arg-type]


def test_cli_choices_come_from_the_registry():
    runner = CliRunner()
    export_help = runner.invoke(main, ["export", "--help"]).output
    route_help = runner.invoke(main, ["route", "--help"]).output
    assert "[" + "|".join(EXPORTERS) + "]" in export_help.replace("\n", "").replace(" ", "")
    assert "[" + "|".join(["text", *PLAN_FORMATS]) + "]" in route_help.replace("\n", "").replace(" ", "")


def test_reading_the_registry_loads_no_writer():
    code = (
        "import sys, maps.formats; "
        "assert not {'gpxpy', 'simplekml', 'maps.route.formats', 'maps.formats.kml'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
