"""The spoiler setting, remembered: a fan who says "I have watched up to S1E8" once keeps that
setting on every page, link, form and download until they change it.

How: a `watched` query argument on a fan's page is stored in a cookie; a request for such a page
without `watched` is redirected to the same URL with the remembered value added, before anything
is rendered. So the setting is always in the URL (a shared link says what it shows, and the page
cache and ETags key on the URL as before), and no page ever shows what lies beyond it, not even
for a moment. `watched=all` ("I have seen everything") clears it. The same redirect drops empty
query arguments (`?q=&episode=` from a plain form), so every address is the canonical one.

`?reveal=1` on a place page shows it once without the guard, without changing the setting.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, redirect, request

from maps.dataset.filters import EPISODE_CODE, WATCHED_ALL

COOKIE = "maps_watched"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
# Pages a fan browses (and the downloads they start there): the setting applies to them.
# The APIs (OGC, /api/route) answer exactly what their URL asks for.
FAN_ENDPOINTS = {
    "pages.index",
    "pages.locations",
    "pages.location",
    "pages.about",
    "seasons.season",
    "route.planner",
    "downloads.download",
}
DOWNLOADS = {"downloads.download"}


def remembered() -> str | None:
    """The remembered episode code, if the cookie holds a well-formed one."""
    value = request.cookies.get(COOKIE, "")
    return value.upper() if EPISODE_CODE.match(value) else None


def _canonical_args() -> list[tuple[str, str]] | None:
    """The query this request should have, or None when it already has it. (A download keeps
    its empty arguments, which the filters read as absent: its URL is an API, and answers
    what it is asked without a redirect.)"""
    every = list(request.args.items(multi=True))
    pairs = every if request.endpoint in DOWNLOADS else [(k, v) for k, v in every if v.strip() != ""]
    changed = len(pairs) != len(every)
    keys = {k for k, _ in pairs}
    code = remembered()
    if code and "watched" not in keys and "reveal" not in keys:
        pairs.append(("watched", code))
        changed = True
    return pairs if changed else None


def init_app(app: Flask) -> None:
    @app.before_request
    def _carry_spoiler_setting():
        if request.method != "GET" or request.endpoint not in FAN_ENDPOINTS:
            return None
        pairs = _canonical_args()
        if pairs is None:
            return None
        target = request.script_root + request.path + ("?" + urlencode(pairs) if pairs else "")
        response = redirect(target, code=302)
        response.vary.add("Cookie")
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def _remember_spoiler_setting(response: Response) -> Response:
        if request.endpoint not in FAN_ENDPOINTS:
            return response
        response.vary.add("Cookie")
        value = request.args.get("watched", "").strip()
        if response.status_code >= 400 or not value:
            return response
        path, secure = request.script_root or "/", request.is_secure
        if value.lower() == WATCHED_ALL:
            if request.cookies.get(COOKIE):
                response.delete_cookie(COOKIE, path=path, samesite="Lax", secure=secure)
        elif EPISODE_CODE.match(value) and value.upper() != remembered():
            response.set_cookie(
                COOKIE,
                value.upper(),
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                path=path,
                samesite="Lax",
                secure=secure,
            )
        return response

    @app.context_processor
    def _spoiler_context() -> dict:
        return {"spoiler_control": spoiler_control}


def spoiler_control(series) -> dict:
    """What the header's "Spoilers: up to S1E8 · change" control shows: the current setting and
    the choices, named by season and episode number only (an episode's title can be a spoiler)."""
    value = request.args.get("watched", "").strip().upper() or remembered() or ""
    current = value if EPISODE_CODE.match(value) else ""
    choices = [(WATCHED_ALL, "Everything (no spoiler guard)")]
    for season in series.seasons if series else ():
        for episode in season.episodes:
            label = season.label
            if len(season.episodes) > 1:
                label += f" · episode {episode.number}"
            choices.append((f"S{season.number}E{episode.number}", label))
    keep = [(k, v) for k, v in request.args.items(multi=True) if k not in ("watched", "reveal") and v.strip()]
    label = dict(choices).get(current, current)
    return {"current": current, "label": label, "choices": choices, "keep": keep}
