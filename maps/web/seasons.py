"""`GET /seasons/<n>/`: the map with one season's places, at a path of its own (the same page
as `/?season=<n>`), so a static copy of the site (`maps freeze`) has one file per season filter.
A static copy's map page links every season page from its season bar; the live map has one
season control instead (its seasons control, kept in the URL as `?season=`)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, request

from maps.dataset.filters import parse_filters
from maps.errors import NotFound
from maps.web.pages import map_page
from maps.web.state import catalog

bp = Blueprint("seasons", __name__)


@bp.get("/seasons/<int:number>/")
def season(number: int):
    cat = catalog()
    if number not in {s.number for s in cat.series.seasons}:
        raise NotFound(f"no season {number}")
    # Other filters (episode, character, q, watched) still apply; the path fixes the season.
    filters = replace(parse_filters(request.args, cat.series), seasons=(number,))
    return map_page(cat, filters)
