"""`GET /download/locations.<ext>`: the places the map's filters select (or the one place
`id=` names), in one registered format, streamed (the GeoJSON writer yields feature by feature)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from maps.dataset.filters import parse_filters, select, single
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
    name = file_name(cat.series, filters, ext)
    place_id = single(request.args, "id")
    if place_id is not None:  # one place (its page's download links); 404 for an unknown id
        wanted = cat.get(place_id).id
        places = [p for p in places if p.id == wanted]
        name = f"{name.rsplit('.', 1)[0]}-{wanted}.{ext}"
    ctx = ExportContext(
        series=cat.series,
        base_url=public_root().rstrip("/"),
        title=export_title(cat.series.title, [cat.series.label(s) for s in filters.seasons]),
    )
    # The writers are plain generators over an immutable catalog: safe to run after the view returns.
    response = Response(exporter.write(places, ctx), mimetype=exporter.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
