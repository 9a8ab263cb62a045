"""HTML pages and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..catalog import parse_filters, select
from .state import catalog, data_state

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    cat = catalog()
    filters = parse_filters(request.args, cat.series)
    places = select(cat.locations, filters)
    return render_template("index.html", series=cat.series, places=places, filters=filters)


@bp.get("/healthz")
def healthz():
    state = data_state()
    try:
        cat = state.current()
    except Exception as exc:  # no good version at all
        return {"status": "error", "problem": str(exc)}, 503
    if state.problem:
        return {"status": "degraded", "problem": state.problem, "serving": cat.version}, 503
    return {"status": "ok", "places": len(cat.locations), "version": cat.version}
