"""What every request passes on its way in and out: the query-string and body limits, the
engine opened before a view runs, the security headers, and redirects that stay on the site.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import abort, current_app, redirect, request

from . import helpers

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def open_engine() -> None:
    """Refuse a bad query string or an oversized body, then open (or refresh) the engine, so
    a missing or damaged index answers 503 before any view runs."""
    helpers.check_query_string()
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and limit and request.content_length > limit:
        abort(413)
    if request.endpoint and request.endpoint != "static":
        helpers.engine()


def security_headers(response):
    if response.location and relative_location(response.location) != response.location:
        # The body of Werkzeug's redirect repeats the absolute URL: make a new one.
        response = redirect(relative_location(response.location), response.status_code)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def relative_location(location: str) -> str:
    """A redirect never names a host. Werkzeug builds its slash-merging redirects from the
    Host header (``//api//search`` with ``Host: evil.example`` went to ``http://evil.example/``);
    every redirect of this site stays on it, so the Location is cut to its path (one leading
    slash: ``//x`` would name a host again)."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc or parts.path.startswith("//")):
        return location
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def init_app(app) -> None:
    app.before_request(open_engine)
    app.after_request(security_headers)
