"""``/kwic?q=``: the concordance page (JSON twin ``/api/kwic``, every line as CSV at
``/kwic.csv``), same parameters as ``python -m search kwic``: filters, ``width``, ``sort``,
``collate``, ``limit``, ``page``, ``sample``, ``seed``, and ``report`` for one report."""

from __future__ import annotations

from flask import Blueprint, Response, request, stream_with_context
from markupsafe import Markup, escape

from search.insight import tables
from search.insight.concordance import KWIC_COLUMNS, all_lines, concordance, permalink

from .helpers import engine, filter_args, needs_query, query_text, render_or_json, url_with
from .stats import content_disposition
from .workbench import int_param

bp = Blueprint("concordance", __name__)


@bp.app_template_global()
def marked(text: str, marks) -> Markup:
    """A context: escaped, its NEAR partners in <mark class="partner">, line breaks as ↵."""
    out, at = [], 0
    for start, end in sorted(marks or ()):
        out.append(_breaks(text[at:start]))
        out.append(Markup('<mark class="partner">') + _breaks(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(_breaks(text[at:]))
    return Markup("").join(out)


def _breaks(text: str) -> Markup:
    mark = Markup('<span class="br" title="换行">↵</span>')
    return mark.join(escape(part) for part in text.split("\n"))


def options() -> dict:
    sample = request.args.get("sample", "").strip()
    return {
        "width": int_param("width", 30, 0, 200),
        "sort": request.args.get("sort", "report"),
        "collate": request.args.get("collate", "codepoint"),
        "report_id": request.args.get("report") or None,
        "sample": int_param("sample", 0, 1, 100_000) if sample else None,
        "seed": int_param("seed", 0, 0, 2**31),
    }


@bp.route("/kwic")
@bp.route("/api/kwic", endpoint="api_kwic")
@needs_query("kwic.html")
def kwic():
    """Every hit of ``q`` with its left and right context."""
    q = query_text()
    o = options()
    data = concordance(
        engine(),
        q,
        o["width"],
        o["sort"],
        int_param("limit", 50, 1, 1000),
        int_param("page", 1, 1, 100_000),
        o["sample"],
        o["seed"],
        o["collate"],
        o["report_id"],
        **filter_args(),
    )
    return render_or_json(
        "kwic.html",
        data,
        q=q,
        csv_url=url_with(format=None).replace("/kwic", "/kwic.csv", 1),
        permalink=lambda line: permalink(line, q),
    )


@bp.route("/kwic.csv")
def kwic_csv():
    """Every line (not a page), streamed: UTF-8 with BOM, a permalink per line."""
    q = query_text()
    o = options()
    found = all_lines(
        engine(), q, o["width"], o["sort"], o["collate"], o["report_id"], **filter_args()
    )

    def chunks():
        yield tables.csv_text(KWIC_COLUMNS, [])
        batch = []
        for line in found:
            row = line.to_dict()
            row["permalink"] = permalink(row, q)
            batch.append(row)
            if len(batch) == 500:
                yield tables.csv_text(KWIC_COLUMNS, batch, bom=False, header=False)
                batch = []
        if batch:
            yield tables.csv_text(KWIC_COLUMNS, batch, bom=False, header=False)

    response = Response(stream_with_context(chunks()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(f"govsearch-kwic-{q}.csv"[:120])
    return response
