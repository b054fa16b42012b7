"""The researcher's workbench on the web: concept panels, collocates, keyness.

Each page renders one core function's dict (:mod:`search.insight`); ``/api/…`` returns it as
JSON with the same parameters as the CLI (``concept=NAME=T1,T2`` repeatable, ``term``,
``by``, filters; ``q``, ``window``, ``min``, ``measure``; ``a``, ``b``, ``min``). The panel's
downloads are ``/panel?format=csv|xlsx|dta`` with the same parameters.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from search import params
from search.insight import tables
from search.insight.collocates import collocates
from search.insight.concepts import concept, gather
from search.insight.keyness import keyness
from search.insight.panel import build_panel

from .helpers import (
    KIND_NAMES,
    engine,
    filter_args,
    needs_query,
    query_text,
    render_or_json,
    url_with,
    wants_json,
)
from .panelchart import small_multiples
from .stats import content_disposition

bp = Blueprint("workbench", __name__)


def int_param(name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter within bounds (the rule and its messages: search.params)."""
    return params.whole_number(request.args.get(name, ""), name, low, high, default)


DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dta": "application/x-stata-dta",
}
PREVIEW_ROWS = 200


def concepts_of_request():
    """Concepts from ``concept`` (inline), ``term``, and the form's ``name``/``terms`` pairs
    (terms one per line); None when the request defines none (the empty form)."""
    inline_defs = [v for v in request.args.getlist("concept") if v.strip()]
    terms = [v for v in request.args.getlist("term") if v.strip()]
    names, blocks = request.args.getlist("name"), request.args.getlist("terms")
    pairs = [(n, t) for n, t in zip(names, blocks) if n.strip() or t.strip()]
    if not (inline_defs or terms or pairs):
        return None
    made = [concept(n.strip() or (t.split() or [""])[0], t.splitlines()) for n, t in pairs]
    return gather((), inline_defs, terms, made)


@bp.route("/panel")
@bp.route("/api/panel", endpoint="api_panel")
def panel():
    """Concepts counted per report or per place × year, with downloads."""
    concepts = concepts_of_request()
    by = request.args.get("by", "report")
    if concepts is None:
        if wants_json():
            from search.engine import QueryError

            raise QueryError("define at least one concept: concept=NAME=T1,T2 or term=T")
        return render_or_json("panel.html", {}, by=by, kinds=KIND_NAMES)
    data = build_panel(engine(), concepts, by, **filter_args())
    fmt = request.args.get("format", "")
    if fmt in DOWNLOADS:
        return download(data, fmt)
    if wants_json():
        return render_or_json("panel.html", data.to_dict())
    top = int_param("top", 6, 1, 20)
    return render_or_json(
        "panel.html",
        data.to_dict(),
        by=by,
        kinds=KIND_NAMES,
        preview=data.rows[:PREVIEW_ROWS],
        charts=small_multiples(data, top),
        downloads={f: url_with(format=f) for f in DOWNLOADS},
        json_download=url_with(format="json"),
    )


def download(data, fmt: str) -> Response:
    if fmt == "csv":
        body = tables.csv_text(data.columns, data.rows).encode("utf-8")
    elif fmt == "xlsx":
        body = tables.xlsx_bytes(data.columns, data.rows, data.about)
    else:
        body = tables.dta_bytes(data.columns, data.rows, data.about)
    response = Response(body, mimetype=DOWNLOADS[fmt])
    response.headers["Content-Type"] = DOWNLOADS[fmt]
    name = f"govsearch-panel-{data.by}.{fmt}"
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@bp.route("/collocates")
@bp.route("/api/collocates", endpoint="api_collocates")
@needs_query("collocates.html")
def collocates_view():
    """Words near the hits of ``q``."""
    q = query_text()
    data = collocates(
        engine(),
        q,
        int_param("window", 10, 1, 50),
        int_param("min", 3, 1, 10**6),
        request.args.get("measure", "ll"),
        int_param("limit", 100, 1, 1000),
        **filter_args(),
    )
    return render_or_json("collocates.html", data, q=q)


@bp.route("/keyness")
@bp.route("/api/keyness", endpoint="api_keyness")
def keyness_view():
    """What sets group A apart from group B."""
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if not (a.strip() or b.strip()) and not wants_json():
        return render_or_json("keyness.html", {}, a=a, b=b)
    data = keyness(engine(), a, b, int_param("min", 5, 1, 10**6), int_param("limit", 100, 1, 1000))
    return render_or_json("keyness.html", data, a=a, b=b)
