"""``/map?q=``: where a phrase is used, year by year, on a map of China (JSON twin /api/map).

The page renders :func:`search.insight.spreadmap.spread_map`'s dict; the drawing is done in
the browser by the vendored ECharts with its China outline (``static/vendor/echarts``), so it
works offline.
"""

from __future__ import annotations

from flask import Blueprint

from search.insight.spreadmap import spread_map

from .helpers import engine, filter_args, needs_query, query_text, render_or_json

bp = Blueprint("maps", __name__)


@bp.route("/map")
@bp.route("/api/map", endpoint="api_map")
@needs_query("map.html")
def spread():
    """Cities using the query: position, first year, per-10k up to each year."""
    q = query_text()
    data = spread_map(engine(), q, **filter_args()).to_dict()
    return render_or_json("map.html", data, q=q)
