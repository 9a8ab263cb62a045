"""`maps freeze OUTDIR`: the whole public site as static files, written by Frozen-Flask.

Frozen-Flask requests every URL from the app (in static-site mode, `staticsite.py`) and writes
the response where `staticsite.file_for` says; it also follows every `url_for` call a page
makes, so assets and links a page uses are frozen without a list here. The generators below
name the pages no link reaches by itself: every place, season page, download and OGC document.

The OGC API is not part of the static copy. Its clients need a server: OWSLib builds URLs
such as `/ogc/conformance` itself, GDAL's OAPIF driver sends `limit`, `bbox` and filters as query
strings and pages with `next` links, QGIS does both; a static host answers none of that (a folder
listing, a 404 or every feature regardless of the query). A GIS user of a static copy opens the
downloads (`download/locations.geojson`, `.gpx`, `.kml`, `.csv`), which GDAL and QGIS read as
files; the live server (`maps serve`) offers the API. `--base-url` makes the place links inside
the downloads absolute.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from flask_frozen import Freezer, MissingURLGeneratorWarning

from maps.formats import EXPORTERS
from maps.web.assets import OWN_STATIC, VENDOR
from maps.web.state import catalog
from maps.web.staticsite import file_for, install

MARKER = ".maps-freeze"  # marks a folder `maps freeze` wrote, so a re-freeze may clean it


class RefusedDestination(Exception):
    """OUTDIR holds files that a previous `maps freeze` did not write."""


class SiteFreezer(Freezer):
    def urlpath_to_filepath(self, path: str) -> str:
        return file_for(path)


def site_urls() -> Iterator[str]:
    """Every URL of the static site that no frozen page's url_for reaches by itself."""
    cat = catalog()
    yield "/"
    for season in cat.series.seasons:
        yield f"/seasons/{season.number}/"
    yield "/locations"
    for loc in cat.locations:
        yield f"/locations/{loc.id}"
    for ext in sorted(EXPORTERS):
        yield f"/download/locations.{ext}"


def asset_urls() -> Iterator[str]:
    """Our own static files, and Leaflet's images (named only inside leaflet.css)."""
    for path in sorted(OWN_STATIC.rglob("*")):
        if path.is_file():
            yield "/static/" + path.relative_to(OWN_STATIC).as_posix()
    images = VENDOR["leaflet"] / "images"
    for path in sorted(images.glob("*")):
        yield "/static/vendor/leaflet/images/" + path.name


def check_destination(outdir: Path) -> None:
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise RefusedDestination(
            f"{outdir} is not empty and was not written by `maps freeze`: choose an empty folder"
        )


def freeze_site(outdir: Path, *, data: Path | None = None, base_url: str | None = None) -> list[str]:
    """Write the site into `outdir`; return the files written (relative paths, sorted).

    The data is validated first (a file `maps validate` rejects raises DataUnreadable before
    anything is written). The site is written into a temporary folder beside `outdir` and swapped
    in only when complete, so a failure leaves `outdir` as it was; a folder from an earlier freeze
    is replaced as a whole."""
    from maps import config
    from maps.dataset.catalog import load_catalog

    outdir = outdir.resolve()
    check_destination(outdir)
    load_catalog(config.data_path(data))  # validates, or raises DataUnreadable with the first problem
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".tmp"))
    try:
        files = _freeze_into(staging, data=data, base_url=base_url)
        _swap(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def _swap(staging: Path, outdir: Path) -> None:
    """Put the finished `staging` folder where `outdir` is (two renames: the old copy is moved
    aside, then removed)."""
    os.chmod(staging, 0o755)
    if not outdir.exists():
        os.replace(staging, outdir)
        return
    old = outdir.with_name(f".{outdir.name}.old-{os.getpid()}")
    os.replace(outdir, old)
    os.replace(staging, outdir)
    shutil.rmtree(old, ignore_errors=True)


def _freeze_into(outdir: Path, *, data: Path | None, base_url: str | None) -> list[str]:
    from maps import create_app

    app = create_app({"DATA_PATH": str(data.resolve())} if data else {})
    install(app)
    app.config.update(
        FREEZER_DESTINATION=str(outdir),
        FREEZER_DESTINATION_IGNORE=[MARKER],
        FREEZER_BASE_URL=base_url,
        FREEZER_REMOVE_EXTRA_FILES=True,
        # Content types come from file names on a static host (see the README for .json/.geojson).
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
    )
    freezer = SiteFreezer(app, with_static_files=False, with_no_argument_rules=False)
    freezer.register_generator(site_urls)
    freezer.register_generator(asset_urls)
    (outdir / MARKER).write_text("written by `maps freeze`; a re-freeze replaces this folder\n")
    with warnings.catch_warnings():
        # The route planner, /api/route and /healthz need the live server: left out on purpose.
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        files = sorted(str(page.path) for page in freezer.freeze_yield())
    return files
