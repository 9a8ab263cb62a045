"""The curators' review pages, behind a login: the queue, one suggestion with its edit form,
accept or reject. The decisions themselves are `maps.suggestions.review`, shared with
`maps review`.

Sessions are Flask's signed cookies (Secure, HttpOnly, SameSite=Lax; see config). A login
clears whatever session the browser had, so a session planted before the login (fixation)
carries nothing over; `next=` may only name a path on this site (no open redirect)."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from maps.errors import InvalidCollection, MapsError
from maps.suggestions import curators, fields, queue, review
from maps.suggestions.models import STATUSES
from maps.web import ratelimit
from maps.web.queuedb import queue_db
from maps.web.state import catalog, data_state
from maps.web.suggestforms import LoginForm, PlaceEditForm, ProblemEditForm, RejectForm

bp = Blueprint("review", __name__, url_prefix="/review")
ratelimit.limit("review.login", "LOGIN_LIMIT", "login")


SAFE_SESSION = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def init_app(app) -> None:
    """Curator sessions last PERMANENT_SESSION_LIFETIME seconds; a cookie setting weaker than the
    defaults (say, Secure off for plain-HTTP development) is said once at start-up."""
    app.permanent_session_lifetime = dt.timedelta(seconds=int(app.config["PERMANENT_SESSION_LIFETIME"]))
    weaker = [key for key, value in SAFE_SESSION.items() if app.config[key] != value]
    if weaker:
        app.logger.warning("curator session cookies are weaker than the defaults: %s", ", ".join(weaker))


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the queue: never another host."""
    default = url_for("review.queue_page")
    if not target or len(target) > 2000 or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def current_curator() -> str | None:
    return session.get("curator")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_curator() is None:
            return redirect(url_for("review.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


@bp.app_context_processor
def _curator_context() -> dict:
    return {"curator": current_curator()}


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    elif form.validate_on_submit():
        username, password = (form.username.data or "").strip(), form.password.data or ""
        with queue_db().session() as db_session:
            curator = curators.authenticate(db_session, username, password)
            name = curator.username if curator else None
        if name:
            session.clear()  # drop everything from before the login: no session fixation
            session.permanent = True
            session["curator"] = name
            session["sid"] = secrets.token_urlsafe(16)
            current_app.logger.info("curator %s logged in", name)
            return redirect(safe_next(form.next.data), code=303)
        error = "Wrong user name or password."
    else:
        error = "; ".join(m for v in form.errors.values() for m in v)
    status = 401 if error and request.method == "POST" else 200
    return render_template("review_login.html", form=form, error=error, series=catalog().series), status


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("review.login"), code=303)


@bp.get("/")
@login_required
def queue_page():
    status = request.args.get("status", "pending")
    if status not in (*STATUSES, "all"):
        abort(400, f"status is one of {', '.join(STATUSES)} or all")
    with queue_db().session() as db_session:
        rows = queue.listing(db_session, None if status == "all" else status)
        counts = queue.counts(db_session)
    return render_template(
        "review_list.html",
        rows=rows,
        status=status,
        counts=counts,
        statuses=STATUSES,
        series=catalog().series,
        problems=fields.PROBLEMS,
    )


def _edit_form(suggestion):
    form_class = PlaceEditForm if suggestion.kind == "place" else ProblemEditForm
    form = form_class()
    if request.method == "GET":
        for name, value in suggestion.payload.items():
            if name in form:
                form[name].data = "\n".join(value) if isinstance(value, list) else str(value)
    return form


def _detail(ref: str, *, message: str | None = None, status: int = 200, form=None, reject_form=None):
    cat = catalog()
    with queue_db().session() as db_session:
        suggestion = queue.get(db_session, ref)
    place = None
    if suggestion.place_id:
        place = next((p for p in cat.locations if p.id == suggestion.place_id), None)
    return render_template(
        "review_detail.html",
        s=suggestion,
        place=place,
        series=cat.series,
        message=message,
        form=form or _edit_form(suggestion),
        reject_form=reject_form or RejectForm(),
        problems=fields.PROBLEMS,
    ), status


@bp.get("/<ref>")
@login_required
def detail(ref: str):
    return _detail(ref)


@bp.post("/<ref>/accept")
@login_required
def accept(ref: str):
    with queue_db().session() as db_session:
        suggestion = queue.get(db_session, ref)
    form = _edit_form(suggestion)
    if not form.validate_on_submit():
        abort(400, "; ".join(m for v in form.errors.values() for m in v))
    edits = {name: form[name].data for name in form._fields if name != "csrf_token"}
    cat = catalog()
    try:
        done = review.accept(
            queue_db(),
            ref,
            curator=current_curator() or "?",
            data_path=data_state().path,
            series=cat.series,
            edits=edits,
        )
    except InvalidCollection as exc:
        lines = "; ".join(str(p) for p in exc.problems[:5])
        return _detail(
            ref, message=f"Not accepted: the data would be invalid: {lines}", status=400, form=form
        )
    except MapsError as exc:
        return _detail(ref, message=f"Not accepted: {exc}", status=exc.status, form=form)
    flash(f"Accepted {ref}: {done.feature_id} is in the data file.")
    return redirect(url_for("review.queue_page"), code=303)


@bp.post("/<ref>/reject")
@login_required
def reject(ref: str):
    form = RejectForm()
    if not form.validate_on_submit():
        abort(400, "; ".join(m for v in form.errors.values() for m in v))
    try:
        review.reject(queue_db(), ref, curator=current_curator() or "?", reason=form.reason.data or "")
    except MapsError as exc:
        return _detail(ref, message=f"Not rejected: {exc}", status=exc.status, reject_form=form)
    flash(f"Rejected {ref}.")
    return redirect(url_for("review.queue_page"), code=303)
