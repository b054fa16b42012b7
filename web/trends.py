"""Beyond search, on the web: cities, what a year's report says anew, spread and compare.

Each page renders the dict of one core function (:mod:`search.trends`), and its JSON twin
under /api returns that dict unchanged:

* ``/cities`` — ``trends.city_index``: every city with its reports and years;
* ``/city/<name>`` — ``trends.timeline``: the city's reports by year with their top phrases;
* ``/city/<name>/diff?year=Y`` (also ``/diff?city=&year=``) — ``trends.diff``; without a
  year, the city's latest;
* ``/api/spread?q=`` — ``trends.spread`` (shown on ``/stats?q=`` as “首次使用”);
* ``/compare?a=&b=`` — ``trends.compare``.

Unknown cities and years are 404 with the core's message (see ``web/__init__.py``),
malformed parameters 400.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request
from werkzeug.exceptions import BadRequest, NotFound

from search import params, trends
from search.errors import UnknownReportError

from .helpers import build_url, current_args, engine, query_text, render_or_json, wants_json
from .limits import expensive

bp = Blueprint("trends", __name__)

MAX_LIMIT = trends.MAX_LIMIT
MAX_ID_LENGTH = 200


# -- parameters -----------------------------------------------------------------------------------
def text_param(name: str, label: str, required: bool = True) -> str:
    value = request.args.get(name, "").strip()
    if not value and required:
        raise BadRequest(f"缺少参数 {name}（{label}）。")
    limit = current_app.config["MAX_FILTER_LENGTH"]
    if len(value) > limit:
        raise BadRequest(f"参数 {name} 太长（{len(value)} 个字符，最多 {limit} 个）。")
    return value


def city_name(name: str) -> str:
    """A city from the path (``/city/<name>``), held to the same length as the parameter."""
    limit = current_app.config["MAX_FILTER_LENGTH"]
    if len(name) > limit:
        raise BadRequest(f"城市名太长（{len(name)} 个字符，最多 {limit} 个）。")
    return name


def int_param(name: str, default: int, high: int) -> int:
    """A whole-number parameter 1..``high`` (the rule and its messages: search.params)."""
    return params.whole_number(request.args.get(name, ""), name, 1, high, default)


def year_param() -> int | None:
    """The ``year`` parameter; absent means the city's latest year (``trends.diff`` picks it)."""
    value = request.args.get("year", "").strip()
    if not value:
        return None
    return params.year(value)


def report_param(name: str):
    report_id = text_param(name, "报告编号")
    if len(report_id) > MAX_ID_LENGTH:
        raise BadRequest(f"参数 {name} 太长。")
    try:
        return engine().report(report_id)
    except UnknownReportError:
        raise NotFound("没有这份报告：" + report_id) from None


# -- cities ---------------------------------------------------------------------------------------
@bp.route("/cities")
@bp.route("/api/cities", endpoint="api_cities")
def cities():
    return render_or_json("cities.html", trends.city_index(engine()), q="")


@bp.route("/city/<name>")
@bp.route("/api/city/<name>", endpoint="api_city")
@expensive
def city(name: str):
    top = int_param("top", trends.TIMELINE_TOP, trends.MAX_TOP)
    eng = engine()
    data = trends.timeline(eng, city_name(name), top)  # UnknownCityError -> 404
    if wants_json():
        return render_or_json("city.html", data)
    return render_or_json(
        "city.html", data, q="", previous=trends.previous_reports(eng, data["city"])
    )


# -- year over year -------------------------------------------------------------------------------
@bp.route("/diff")
@bp.route("/api/diff", endpoint="api_diff")
@bp.route("/city/<name>/diff", endpoint="city_diff")
@bp.route("/api/city/<name>/diff", endpoint="api_city_diff")
@expensive
def diff(name: str | None = None):
    city = city_name(name) if name is not None else text_param("city", "城市")
    limit = int_param("limit", trends.DEFAULT_LIMIT, MAX_LIMIT)
    year = year_param()
    eng = engine()
    data = trends.diff(eng, city, year, limit)  # UnknownCityError/UnknownYearError -> 404
    if wants_json():
        return render_or_json("diff.html", data)
    _, own = trends.city_reports(eng, data["city"])
    years = sorted({r.year for r in own if r.year is not None})
    return render_or_json("diff.html", data, q="", years=years, limit=limit, max_limit=MAX_LIMIT)


# -- spread ---------------------------------------------------------------------------------------
@bp.route("/api/spread")
def spread():
    return render_or_json("stats.html", trends.spread(engine(), query_text()))


@bp.route("/spread")
def spread_page():
    """The spread is a section of the stats page."""
    query_text()
    return redirect(build_url("/stats", current_args()) + "#spread")


# -- compare --------------------------------------------------------------------------------------
@bp.route("/compare")
@bp.route("/api/compare", endpoint="api_compare")
@expensive
def compare():
    eng = engine()
    given = [name for name in ("a", "b") if request.args.get(name, "").strip()]
    if not given and not wants_json():
        return render_or_json("compare.html", {}, q="", choices=choices(eng), selected={})
    a, b = report_param("a"), report_param("b")
    limit = int_param("limit", trends.DEFAULT_LIMIT, MAX_LIMIT)
    data = trends.compare(eng, a.id, b.id, limit)
    if wants_json():
        return render_or_json("compare.html", data)
    same_city = bool(a.city) and a.city == b.city
    later = b if (a.year or 0) <= (b.year or 0) else a
    return render_or_json(
        "compare.html",
        data,
        q="",
        choices=choices(eng),
        selected={"a": a.id, "b": b.id},
        limit=limit,
        max_limit=MAX_LIMIT,
        diff_link=(later.city, later.year)
        if same_city and a.year and b.year and a.year != b.year
        else None,
    )


def choices(eng) -> list[tuple[str, list[dict]]]:
    """Reports for the two selects, grouped by city; short labels (there may be thousands)."""
    groups: dict[str, list] = {}
    reports = eng.reports()
    seen: dict[tuple, int] = {}
    for r in reports:
        seen[(r.city, r.year)] = seen.get((r.city, r.year), 0) + 1
    for r in reports:
        label = str(r.year) if r.year else "年份未知"
        if r.part:
            label += f"（第 {r.part} 篇）"
        if seen[(r.city, r.year)] > 1 or not r.city:
            label += " · " + (r.title or r.id)
        groups.setdefault(r.city or "城市未知", []).append({"id": r.id, "label": label})
    return list(groups.items())
