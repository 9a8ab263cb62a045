"""The site's public address, for every absolute link the app writes (OGC API links, the
OpenAPI `servers`, place links inside downloads).

By default it is the request's own root, which comes from the Host header: fine on a laptop,
wrong behind a proxy that rewrites it, and a host-dependent body under one ETag is a cache
poisoning risk. `MAPS_PUBLIC_URL` (config `PUBLIC_URL`, e.g. https://maps.example/heartstopper/)
fixes the address whatever the request says; `link_base()` is what every ETag then includes."""

from __future__ import annotations

from flask import current_app, request, url_for


def configured() -> str | None:
    """The configured public root (ending with "/"), or None; never in a static copy, whose
    address is `maps freeze --base-url`'s business."""
    from maps.web.staticsite import active  # staticsite -> http -> caching -> here

    value = current_app.config.get("PUBLIC_URL")
    return value.rstrip("/") + "/" if value and not active() else None


def site_root() -> str:
    """The public root URL, ending with "/"."""
    return configured() or request.url_root


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for `endpoint` under the public root."""
    root = configured()
    if root is None:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return root.rstrip("/") + path


def link_base() -> str:
    """What absolute links in a body depend on: part of every ETag of such a body."""
    return configured() or request.host_url + request.script_root.lstrip("/")
