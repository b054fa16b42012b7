"""The govsearch web front end: a Flask application factory (flaskr style).

Every page is rendered on the server from the same dict its JSON twin returns
(``/search`` ↔ ``/api/search``, ``/report/<id>`` ↔ ``/api/report/<id>`` …), see
:func:`web.helpers.render_or_json`. One :class:`search.engine.Engine` is opened lazily per
app and refreshed at most once per second, so an index rebuilt by the CLI is served
without a restart. Every request passes :mod:`web.guards` (limits, security headers);
every failure answers through :mod:`web.errors`.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from search.query import MAX_QUERY_LENGTH

from .guards import CSP, SECURITY_HEADERS, relative_location

# CSP, SECURITY_HEADERS and relative_location are re-exported: the server (web.headfirst)
# and the tests read them here.
__all__ = ["CSP", "DEFAULTS", "SECURITY_HEADERS", "EngineHolder", "create_app", "relative_location"]

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
    from . import errors, guards, helpers

    helpers.init_app(app)
    register_blueprints(app)
    guards.init_app(app)
    errors.init_app(app)
    return app


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of the site; each page's JSON twin lives beside it."""
    from . import (
        audit,
        concordance,
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
