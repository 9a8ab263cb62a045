"""The fans' side of the queue: "suggest a place" (`/suggest`) and "report a problem"
(`/locations/<id>/report`), plain HTML forms that work without script (CSRF by Flask-WTF,
validation by `maps.suggestions.fields`), then a thank-you page with a reference number.

Against abuse: per-client rate limits (`ratelimit`), a honeypot field, the size limits of the
fields and the request, and a proof-of-work challenge that the page's own script solves
(`static/pow.js`). A form sent without a solved challenge (no script) is accepted under a
stricter limit and flagged for the curators, unless `SUGGEST_REQUIRE_POW` is set."""

from __future__ import annotations

import re
from collections import Counter

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from maps.suggestions import fields, pow, queue
from maps.web import ratelimit
from maps.web.queuedb import queue_db
from maps.web.state import catalog
from maps.web.suggestforms import PlaceForm, ProblemForm, season_choices

bp = Blueprint("suggestions", __name__)
REF = re.compile(r"^S-[2-9A-Z]{8}$")
PLACE_FIELDS = (
    "name",
    "where",
    "lat",
    "lon",
    "locality",
    "country",
    "season",
    "episode",
    "note",
    "story_place",
    "access",
    "evidence",
)
PROBLEM_FIELDS = ("problem", "details", "lat", "lon", "access", "evidence")


def solved_challenge() -> str | None:
    """The challenge this request's proof of work answers, checked once per request."""
    if "maps_pow" not in g:
        g.maps_pow = pow.verify(request.form.get("altcha"), str(current_app.secret_key))
    return g.maps_pow


def _has_pow() -> bool:
    return solved_challenge() is not None


for _endpoint in ("suggestions.suggest", "suggestions.report"):
    ratelimit.limit(_endpoint, "SUGGEST_LIMIT", "suggest")
    ratelimit.limit(_endpoint, "SUGGEST_LIMIT_WITHOUT_POW", "suggest-without-pow", exempt_when=_has_pow)


def _challenge() -> dict:
    return pow.new_challenge(str(current_app.secret_key), max_number=current_app.config["POW_MAX_NUMBER"])


def _common_country() -> str:
    counts = Counter(p.country for p in catalog().locations if p.country)
    return counts.most_common(1)[0][0] if counts else ""


def _guard(form) -> dict[str, str]:
    """Honeypot and proof of work; messages for the form's top."""
    if form.website.data:
        abort(400, "This form looks automated: the field 'Leave this field empty' must stay empty.")
    if current_app.config["SUGGEST_REQUIRE_POW"] and not _has_pow():
        return {
            "altcha": "the automatic check did not finish: allow the page's script, wait a moment, then send"
        }
    return {}


def _submit(kind: str, cleaned: fields.Cleaned, form, place_id: str | None = None):
    email, credit, contact_errors = fields.clean_contact(form.email.data, form.credit.data)
    errors = {**cleaned.errors, **contact_errors, **_guard(form)}
    if errors:
        return None, errors
    with queue_db().session() as session:
        suggestion = queue.submit(
            session,
            kind,
            cleaned.payload,
            place_id=place_id,
            email=email,
            credit=credit,
            pow_challenge=solved_challenge(),
        )
        ref = suggestion.ref
    current_app.logger.info("suggestion %s queued (%s)", ref, kind)
    return redirect(url_for("suggestions.thanks", ref=ref), code=303), {}


def _error_summary(errors: dict[str, str], labels: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(name, labels.get(name, name), message) for name, message in errors.items()]


@bp.route("/suggest", methods=["GET", "POST"])
def suggest():
    cat = catalog()
    form = PlaceForm()
    season_choices(form, cat.series)
    errors: dict[str, str] = {}
    if request.method == "GET":
        form.country.data = form.country.data or _common_country()
        for key in ("lat", "lon"):  # "suggest a place here" from the map
            if request.args.get(key):
                form[key].data = request.args[key][:20]
    elif form.validate_on_submit():
        raw = {name: form[name].data for name in PLACE_FIELDS}
        response, errors = _submit("place", fields.clean_place(raw, cat.series), form)
        if response is not None:
            return response
    else:
        errors = {k: "; ".join(v) for k, v in form.errors.items()}
    labels = {name: form[name].label.text for name in PLACE_FIELDS if name in form}
    status = 400 if errors else 200
    return render_template(
        "suggest.html",
        series=cat.series,
        form=form,
        errors=errors,
        summary=_error_summary(errors, labels),
        challenge=_challenge(),
        pick=_pick_map(),
    ), status


@bp.route("/locations/<location_id>/report", methods=["GET", "POST"])
def report(location_id: str):
    cat = catalog()
    place = cat.get(location_id)  # 404 for an unknown id
    form = ProblemForm()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if form.validate_on_submit():
            raw = {name: form[name].data for name in PROBLEM_FIELDS}
            response, errors = _submit("problem", fields.clean_problem(raw), form, place_id=place.id)
            if response is not None:
                return response
        else:
            errors = {k: "; ".join(v) for k, v in form.errors.items()}
    labels = {name: form[name].label.text for name in PROBLEM_FIELDS}
    return render_template(
        "report.html",
        series=cat.series,
        place=place,
        form=form,
        errors=errors,
        summary=_error_summary(errors, labels),
        challenge=_challenge(),
        pick=_pick_map(place),
    ), (400 if errors else 200)


@bp.get("/suggest/thanks/<ref>")
def thanks(ref: str):
    if not REF.match(ref):
        abort(404)
    return render_template("suggest_thanks.html", series=catalog().series, ref=ref)


def _pick_map(place=None) -> dict:
    """What the optional point picker (static/suggest.js) needs: tiles and a starting view."""
    from maps.mapview import tile_provider

    provider = tile_provider(current_app.config["TILES"])
    cat = catalog()
    if place is not None and place.latlon:
        centre, zoom = place.latlon, 16
    elif cat.bbox is not None:
        west, south, east, north = cat.bbox
        centre, zoom = ((south + north) / 2, (west + east) / 2), 6
    else:
        centre, zoom = (0.0, 0.0), 2
    return {
        "tiles": provider.build_url(),
        "attribution": provider.html_attribution,
        "lat": round(centre[0], 5),
        "lon": round(centre[1], 5),
        "zoom": zoom,
    }
