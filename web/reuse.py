"""Text reuse on the web (issue 17): the corpus view, two reports side by side, and the
report page's box.

* ``/reuse`` — :func:`search.reuse.views.corpus_view`: pairs sharing the most text,
  filtered by ``province`` and ``year``; with both, how much each city shares with the
  province's report;
* ``/reuse?a=&b=`` — :func:`~search.reuse.views.pair_view`, passages aligned side by side;
* ``/api/reuse/report/<id>`` — :func:`~search.reuse.views.report_reuse`, exactly the CLI's
  ``reuse ID --json``; on the report page it feeds the box (``_reuse.html``) and the
  underlines (``static/reuse.js``).

JSON twins return the core's dicts unchanged. An index built without reuse data is a 503
with what to run.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from flask import Blueprint, redirect, request, url_for
from werkzeug.exceptions import BadRequest

from search.errors import UnknownReportError
from search.reuse import views

from .helpers import engine, render_error, render_or_json, wants_json
from .trends import choices, report_param, text_param

bp = Blueprint("reuse", __name__)

#: Underline colours cycle through this many classes (``reuse-c0`` …), one per source.
COLOURS = 6


@bp.app_errorhandler(views.ReuseMissingError)
def missing(error):
    return render_error(
        503,
        "这个索引没有文本复用数据（建于此功能之前），请重新运行 "
        "`python -m search build --corpus 语料目录 --index 索引目录 --force`。",
    )


@bp.app_errorhandler(views.ReuseError)
def bad_request(error):
    return render_error(400, f"参数有误：{error}")


@bp.route("/reuse")
@bp.route("/api/reuse", endpoint="api_reuse")
def reuse():
    """The corpus view, or two reports side by side when ``a`` and ``b`` are given."""
    eng = engine()
    if request.args.get("a", "").strip() or request.args.get("b", "").strip():
        return pair()
    province = text_param("province", "省份", required=False) or None
    year = text_param("year", "年份", required=False) or None
    if year and not re.fullmatch(r"[0-9]{4}", year):
        raise BadRequest(f"参数 year 应为四位数的年份，例如 2024，不是“{year[:50]}”。")
    limit = request.args.get("limit", "").strip() or views.DEFAULT_PAIRS  # checked by the core
    data = views.corpus_view(eng, province, year, limit)
    if wants_json():
        return render_or_json("reuse.html", data)
    reports = eng.reports()
    provinces = sorted({r.province for r in reports if r.province})
    years = sorted({r.year for r in reports if r.year is not None}, reverse=True)
    return render_or_json(
        "reuse.html",
        data,
        q="",
        provinces=provinces,
        years=years,
        choices=choices(eng),
        selected={},
    )


def pair():
    eng = engine()
    a, b = report_param("a"), report_param("b")
    data = views.pair_view(eng, a.id, b.id)
    if wants_json():
        return render_or_json("reuse_pair.html", data)
    rows = [
        {**p, "a_pieces": pieces, "b_pieces": other}
        for p in data["passages"]
        for pieces, other in [diff_pieces(p)]
    ]
    return render_or_json(
        "reuse_pair.html",
        data,
        q="",
        rows=rows,
        choices=choices(eng),
        selected={"a": a.id, "b": b.id},
    )


def diff_pieces(p: dict) -> tuple[list, list]:
    """Each side's text cut into ``(text, same)`` pieces: what differs is marked."""
    a, b = p["a_text"], p["b_text"]
    left, right = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append((a[i1:i2], op == "equal"))
        if j2 > j1:
            right.append((b[j1:j2], op == "equal"))
    return left, right


@bp.route("/reuse/report/<report_id>")
@bp.route("/api/reuse/report/<report_id>", endpoint="api_report")
def report(report_id: str):
    """A report's reuse as the CLI prints it; the page is the report's own, at its box."""
    data = views.report_reuse(engine(), report_id)  # UnknownReportError -> 404
    if wants_json():
        return render_or_json("report.html", data)
    return redirect(url_for("report.show", report_id=report_id) + "#reuse")


@bp.app_context_processor
def reuse_context():
    return {"reuse_box": reuse_box, "source_label": source_label}


@bp.app_template_filter("pct")
def pct(value: float) -> str:
    """0.2312 → 23%; under 10 % with one decimal (0.014 → 1.4%)."""
    x = 100 * value
    return f"{x:.0f}%" if x >= 10 or x == 0 else f"{x:.1f}%"


def reuse_box(report: dict) -> dict | None:
    """What the report page's box and underlines need, or None without reuse data."""
    eng = engine()
    try:
        data = views.report_reuse(eng, report["id"])
    except (views.ReuseMissingError, UnknownReportError):
        return None
    found = views.sources(eng, data)
    colour = {s["id"]: n % COLOURS for n, s in enumerate(found)}
    known = {s["id"]: s for s in found}
    for p in data["passages"]:  # formula sources are not in the summary
        if p["source_id"] not in known:
            known[p["source_id"]] = views.meta(eng.report(p["source_id"]))
    paragraphs = [
        [p["id"], p["start"], p["end"]] for s in report["sections"] for p in s["paragraphs"]
    ]
    script = {
        "report": report["id"],
        "passages": data["passages"],
        "colour": colour,
        "sources": {k: {"label": source_label(v), "title": v["title"]} for k, v in known.items()},
        "paragraphs": paragraphs,
    }
    return {
        "data": data,
        "sources": found,
        "colour": colour,
        "script": script,
        "formula_reports": views.stored(eng).params.formula_reports,
    }


def source_label(meta: dict) -> str:
    """A source as the box names it: 江苏省 2023, 国务院 2023 (the national report)."""
    name = (
        "国务院" if meta["level"] == "national" else (meta["city"] or meta["title"] or meta["id"])
    )
    return f"{name} {meta['year']}" if meta["year"] else name
