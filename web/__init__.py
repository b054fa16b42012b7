"""The govsearch web front end: a Flask application factory (flaskr style).

Every page is rendered on the server from the same dict its JSON twin returns
(``/search`` ↔ ``/api/search``, ``/report/<id>`` ↔ ``/api/report/<id>`` …), see
:func:`web.helpers.render_or_json`. One :class:`search.engine.Engine` is opened lazily per
app and refreshed at most once per second, so an index rebuilt by the CLI is served
without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, abort, redirect, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.errors import (
    GovsearchError,
    IndexDamagedError,
    IndexMissingError,
    InvalidTextError,
    QueryError,
    UnknownReportError,
)
from search.params import ParamError
from search.query import MAX_QUERY_LENGTH

log = logging.getLogger(__name__)

DEFAULTS = {
    "INDEX": "index",
    "MAX_QUERY_LENGTH": MAX_QUERY_LENGTH,
    "MAX_FILTER_LENGTH": 100,
    "MAX_CONTENT_LENGTH": 16 * 1024,
    "REFRESH_INTERVAL": 1.0,
    "DEFAULT_LIMIT": 20,
    "JSON_AS_ASCII": False,
}

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


class EngineHolder:
    """The app's one engine: opened on first use, refreshed at most once per interval."""

    def __init__(self, index: str, interval: float):
        self.index = index
        self.interval = interval
        self.engine = None
        self.checked = 0.0
        self.open_lock = threading.Lock()
        self.refresh_lock = threading.Lock()

    def get(self):
        engine = self.engine
        if engine is None:
            with self.open_lock:
                if self.engine is None:
                    from search.engine import Engine

                    self.engine = Engine(self.index)
                    self.checked = time.monotonic()
                return self.engine
        self.maybe_refresh(engine)
        return engine

    def maybe_refresh(self, engine) -> None:
        now = time.monotonic()
        if now - self.checked < self.interval:
            return
        # One thread refreshes; the others go on with the current snapshot meanwhile.
        if not self.refresh_lock.acquire(blocking=False):
            return
        try:
            if now - self.checked >= self.interval:
                self.checked = now
                try:
                    if engine.refresh():
                        log.info("switched to index generation %s", engine.generation)
                except Exception:  # a half-written generation must not take the site down
                    log.exception("index refresh failed; still serving %s", engine.generation)
        finally:
            self.refresh_lock.release()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    app.debug = False  # never: the Werkzeug debugger would run code for anyone
    app.json.ensure_ascii = app.config["JSON_AS_ASCII"]
    app.json.sort_keys = False
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["govsearch"] = EngineHolder(
        str(app.config["INDEX"]), float(app.config["REFRESH_INTERVAL"])
    )

    from . import (
        audit,
        concordance,
        helpers,
        maps,
        pages,
        report,
        reuse,
        stats,
        targets,
        trends,
        vocabulary,
        workbench,
    )

    helpers.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(trends.bp)
    app.register_blueprint(maps.bp)
    app.register_blueprint(workbench.bp)
    app.register_blueprint(concordance.bp)
    app.register_blueprint(targets.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(vocabulary.bp)
    app.register_blueprint(reuse.bp)

    @app.before_request
    def open_engine():
        helpers.check_query_string()
        limit = app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and limit and request.content_length > limit:
            abort(413)
        if request.endpoint and request.endpoint != "static":
            helpers.engine()

    @app.after_request
    def security_headers(response):
        if response.location and relative_location(response.location) != response.location:
            # The body of Werkzeug's redirect repeats the absolute URL: make a new one.
            response = redirect(relative_location(response.location), response.status_code)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(QueryError)
    def bad_query(error):
        # The core writes each message in English (the CLI's) and Chinese (``zh``, ours).
        if isinstance(error, ParamError):
            return helpers.render_error(400, error.zh)
        return helpers.render_error(400, f"查询有误：{error.zh}")

    @app.errorhandler(InvalidTextError)
    def invalid_text(error):
        return helpers.render_error(400, f"查询有误（不是有效的 UTF-8 文字）：{error}")

    @app.errorhandler(UnknownReportError)
    def unknown_report(error):
        return helpers.render_error(404, "没有这份报告：" + _report_id_from_path())

    from search.trends import TrendsError, UnknownCityError, UnknownYearError

    @app.errorhandler(TrendsError)
    def trends_error(error):
        # No such city / no report of that year: 404, and the message (the core's Chinese
        # text) lists what exists. Anything else the trends core refuses is malformed.
        status = 404 if isinstance(error, (UnknownCityError, UnknownYearError)) else 400
        return helpers.render_error(status, error.zh)

    @app.errorhandler(IndexMissingError)
    def no_index(error):
        log.error("%s", error)
        return helpers.render_error(
            503,
            "索引尚未建立或暂时不可用，请先运行 "
            "`python -m search build --corpus 语料目录 --index 索引目录`。",
        )

    @app.errorhandler(IndexDamagedError)
    def damaged_index(error):
        log.error("%s", error)
        return helpers.render_error(
            503,
            "索引文件已损坏，暂时无法查询；请运行 "
            "`python -m search check --index 索引目录` 查看原因，"
            "并重新建立索引。",
        )

    @app.errorhandler(GovsearchError)
    def core_error(error):
        log.error("%s", error)
        return helpers.render_error(500, "服务器内部错误。")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if isinstance(error, InternalServerError):
            return internal_error(error)
        custom = error.description != type(error).description  # a message we wrote
        message = error.description if custom else helpers.HTTP_MESSAGES.get(error.code, error.name)
        return helpers.render_error(error.code or 500, message)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled error on %s", request.path, exc_info=original)
        return helpers.render_error(500, "服务器内部错误，请稍后再试。")

    return app


def relative_location(location: str) -> str:
    """A redirect never names a host. Werkzeug builds its slash-merging redirects from the
    Host header (``//api//search`` with ``Host: evil.example`` went to ``http://evil.example/``);
    every redirect of this site stays on it, so the Location is cut to its path (one leading
    slash: ``//x`` would name a host again)."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc or parts.path.startswith("//")):
        return location
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def _report_id_from_path() -> str:
    return (request.view_args or {}).get("report_id", "")
