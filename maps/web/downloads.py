"""`GET /download/locations.<ext>`: the places the map's filters select, in one registered format,
streamed (the GeoJSON writer yields feature by feature)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from maps.dataset.filters import parse_filters, select
from maps.formats.registry import ExportContext, export_title, file_name, get_exporter
from maps.web import caching, http
from maps.web.state import catalog
from maps.web.staticsite import public_root

bp = Blueprint("downloads", __name__)
caching.install(bp)
http.allow_cross_origin(bp)


@bp.get("/download/locations.<ext>")
def download(ext: str):
    exporter = get_exporter(ext)
    cat = catalog()
    filters = parse_filters(request.args, cat.series)
    places = select(cat.locations, filters)
    ctx = ExportContext(
        series=cat.series,
        base_url=public_root().rstrip("/"),
        title=export_title(cat.series.title, [cat.series.label(s) for s in filters.seasons]),
    )
    name = file_name(cat.series, filters, ext)
    # The writers are plain generators over an immutable catalog: safe to run after the view returns.
    response = Response(exporter.write(places, ctx), mimetype=exporter.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
