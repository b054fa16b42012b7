"""Suggestions for the search box (``/api/suggest?prefix=``), from :mod:`search.vocabulary`.

The JSON is the core's dict unchanged, the same as ``python -m search suggest PREFIX
--json``; ``static/suggest.js`` shows it under every search box as the user types.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from search import vocabulary

from .helpers import engine, filter_args, query_text

bp = Blueprint("vocabulary", __name__)


@bp.route("/api/suggest")
def suggest():
    """Corpus words starting with ``prefix``, most reports first (``limit``, default 10)."""
    data = vocabulary.suggest(
        engine(), request.args.get("prefix", ""), request.args.get("limit", "")
    )
    return jsonify(data)


@bp.route("/api/related")
def related():
    """Words co-occurring with ``q`` in its best reports (shown on the search page)."""
    filters = filter_args()
    filters.pop("min_hits", None)
    return jsonify(engine().related(query_text(), **filters))
