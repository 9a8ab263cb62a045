"""`maps freeze OUTDIR`: the whole public site as static files, written by Frozen-Flask.

Frozen-Flask requests every URL from the app (in static-site mode, `staticsite.py`) and writes
the response where `staticsite.file_for` says; it also follows every `url_for` call a page
makes, so assets and links a page uses are frozen without a list here. The generators below
name the pages no link reaches by itself: every place, season page, download and OGC document.

The OGC API's JSON carries absolute links (the standard's `links` arrays, built from the
request's root). One post-processing step (`rewrite_links`) points each one at the frozen file,
relative to the document, or under `--base-url` when the public address is known, and drops
links a static host cannot answer (`?f=html` twins, further pages).
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from flask_frozen import Freezer, MissingURLGeneratorWarning

from maps.formats import EXPORTERS
from maps.web.assets import OWN_STATIC, VENDOR
from maps.web.state import catalog
from maps.web.staticsite import file_for, install

MARKER = ".maps-freeze"  # marks a folder `maps freeze` wrote, so a re-freeze may clean it
OGC_PATHS = ("/ogc/", "/ogc/api", "/ogc/conformance", "/ogc/collections", "/ogc/collections/locations")
ITEMS = "/ogc/collections/locations/items"


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
    yield from OGC_PATHS
    yield ITEMS
    for loc in cat.locations:
        yield f"{ITEMS}/{loc.id}"
    yield "/openapi.json"


def asset_urls() -> Iterator[str]:
    """Our own static files, and Leaflet's images (named only inside leaflet.css)."""
    for path in sorted(OWN_STATIC.rglob("*")):
        if path.is_file():
            yield "/static/" + path.relative_to(OWN_STATIC).as_posix()
    images = VENDOR["leaflet"] / "images"
    for path in sorted(images.glob("*")):
        yield "/static/vendor/leaflet/images/" + path.name


def rewrite_links(doc: Any, *, doc_file: str, root: str, base_url: str | None, exists) -> Any:
    """Point every link under the live `root` (e.g. "http://localhost/") at its frozen file:
    relative to `doc_file`, or absolute under `base_url`. Links with a query (other than f=json)
    or to a file that was not frozen are dropped; external links stay as they are."""
    if isinstance(doc, list):
        return [rewrite_links(v, doc_file=doc_file, root=root, base_url=base_url, exists=exists) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for key, value in doc.items():
        if key == "servers" and isinstance(value, list):  # OpenAPI: the API's root
            out[key] = [_server(server, doc_file, root, base_url) for server in value]
        elif key == "links" and isinstance(value, list):
            out[key] = [
                new for link in value if (new := _link(link, doc_file, root, base_url, exists)) is not None
            ]
        else:
            out[key] = rewrite_links(value, doc_file=doc_file, root=root, base_url=base_url, exists=exists)
    return out


def _server(server: Any, doc_file: str, root: str, base_url: str | None) -> Any:
    url = server.get("url") if isinstance(server, dict) else None
    if not isinstance(url, str) or not (url + "/").startswith(root):
        return server
    folder = (url + "/")[len(root) :].strip("/")
    if base_url:
        return {**server, "url": base_url + folder}
    return {**server, "url": posixpath.relpath(folder or ".", posixpath.dirname(doc_file) or ".")}


def _link(link: Any, doc_file: str, root: str, base_url: str | None, exists) -> Any:
    href = link.get("href") if isinstance(link, dict) else None
    if not isinstance(href, str) or not href.startswith(root):
        return link
    parts = urlsplit(href)
    if any(pair != ("f", "json") for pair in parse_qsl(parts.query)):
        return None
    target = file_for("/" + unquote(parts.path)[len(urlsplit(root).path) :].lstrip("/"))
    if not exists(target):
        return None
    if base_url:
        new = base_url.rstrip("/") + "/" + target
    else:
        new = posixpath.relpath(target, posixpath.dirname(doc_file) or ".")
    return {**link, "href": new}


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
    written = set(files)
    root = base_url or "http://localhost/"
    for name in files:
        if name == "openapi.json" or (name.startswith("ogc/") and name.endswith(".json")):
            path = outdir / name
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc = rewrite_links(doc, doc_file=name, root=root, base_url=base_url, exists=written.__contains__)
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return files
