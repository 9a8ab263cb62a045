"""The Flask adapter of the OGC API - Features (`maps/ogc/core.py` holds the logic) and
`/openapi.json`. Each view: parse, call the domain, answer JSON or the HTML twin (`?f=html`
or an Accept header that prefers HTML, as the standard expects)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request

from maps.ogc import core as ogc
from maps.ogc import openapi
from maps.web import caching, http
from maps.web.state import catalog
from maps.web.urls import external_url, site_root

bp = Blueprint("ogc", __name__)
caching.install(bp)
http.allow_cross_origin(bp)
bp.add_app_template_global(external_url, "external_url")


def wanted_format() -> str:
    f = ogc.parse_format(request.args)
    if f:
        return f
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", ogc.OPENAPI_TYPE, "text/html"]
    )
    return "html" if best == "text/html" else "json"


def api_base() -> str:
    return external_url("ogc.landing").rstrip("/")


def json_response(doc: dict[str, Any], media_type: str = ogc.JSON) -> Response:
    return Response(json.dumps(doc, ensure_ascii=False), mimetype=media_type)


def respond(doc: dict[str, Any], template: str, media_type: str = ogc.JSON, **context: Any) -> Response:
    if wanted_format() == "html":
        cat = catalog()
        return Response(
            render_template(template, doc=doc, series=cat.series, **context), mimetype="text/html"
        )
    return json_response(doc, media_type)


@bp.get("/ogc/", strict_slashes=False)
def landing():
    ogc.check_only_f(request.args)
    doc = ogc.landing(api_base(), catalog().series.title)
    return respond(doc, "ogc/landing.html")


@bp.get("/ogc/api")
def service_desc():
    ogc.check_only_f(request.args)
    doc = openapi.ogc_document(catalog().series.title, api_base())
    return respond(doc, "ogc/api.html", ogc.OPENAPI_TYPE)


@bp.get("/ogc/conformance")
def conformance():
    ogc.check_only_f(request.args)
    return respond(ogc.conformance(api_base()), "ogc/conformance.html")


@bp.get("/ogc/collections")
def collections():
    ogc.check_only_f(request.args)
    doc = ogc.collections(catalog(), api_base())
    return respond(doc, "ogc/collections.html", collections=doc["collections"])


@bp.get("/ogc/collections/<collectionId>")
def collection(collectionId: str):  # the standard's parameter names
    ogc.check_only_f(request.args)
    ogc.check_collection(collectionId)
    doc = ogc.collection(catalog(), api_base())
    return respond(doc, "ogc/collections.html", collections=[doc])


@bp.get("/ogc/collections/<collectionId>/items")
def items(collectionId: str):
    ogc.check_collection(collectionId)
    cat = catalog()
    query = ogc.parse_items_query(request.args, cat)
    wanted_format()  # a bad `f` is a 400 before any work
    page = ogc.select_page(cat, query)
    return respond(ogc.items(page, query, api_base()), "ogc/items.html", ogc.GEOJSON, query=query)


@bp.get("/ogc/collections/<collectionId>/items/<featureId>")
def item(collectionId: str, featureId: str):
    ogc.check_only_f(request.args)
    loc = ogc.get_item(catalog(), collectionId, featureId)
    return respond(ogc.item(loc, api_base()), "ogc/item.html", ogc.GEOJSON)


@bp.get("/openapi.json")
def openapi_json():
    server = site_root().rstrip("/") or "/"
    return json_response(openapi.document(catalog().series.title, server), ogc.OPENAPI_TYPE)
