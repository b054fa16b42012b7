"""Beyond search, on the web: cities, what a year's report says anew, spread and compare.

Each page renders the dict of one core function (:mod:`search.trends`), and its JSON twin
under /api returns that dict unchanged:

* ``/cities`` — every city with its reports (built here from ``engine.reports()``);
* ``/city/<name>`` — ``trends.timeline``: the city's reports by year with their top phrases;
* ``/city/<name>/diff?year=Y`` (also ``/diff?city=&year=``) — ``trends.diff``;
* ``/api/spread?q=`` — ``trends.spread`` (shown on ``/stats?q=`` as “首次使用”);
* ``/compare?a=&b=`` — ``trends.compare``.

Unknown cities and years are 404 with the core's message (see ``web/__init__.py``),
malformed parameters 400.
"""
from __future__ import annotations

import re

from flask import Blueprint, current_app, redirect, request
from werkzeug.exceptions import BadRequest, NotFound

from search import trends
from search.errors import UnknownReportError

from .helpers import _build, current_args, engine, query_text, render_or_json, wants_json
from .limits import expensive

bp = Blueprint("trends", __name__)

MAX_LIMIT = 1000
MAX_TOP = 100
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


def int_param(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,7}", value):
        raise BadRequest(f"参数 {name} 应为整数，不是“{value[:50]}”。")
    number = int(value)
    if not low <= number <= high:
        raise BadRequest(f"参数 {name} 应在 {low} 到 {high} 之间。")
    return number


def year_param(city: str) -> int:
    value = request.args.get("year", "").strip()
    if not value:
        _, own = trends.city_reports(engine(), city)  # unknown city: 404 first
        years = sorted({r.year for r in own if r.year is not None})
        have = "、".join(map(str, years)) if years else "没有标明年份的报告"
        raise BadRequest(f"缺少参数 year（年份），例如 year={years[-1] if years else 2024}；"
                         f"该城市有：{have}。")
    if not re.fullmatch(r"[0-9]{4}", value):
        raise BadRequest(f"参数 year 应为四位数的年份，例如 2024，不是“{value[:50]}”。")
    return int(value)


def report_param(name: str):
    report_id = text_param(name, "报告编号")
    if len(report_id) > MAX_ID_LENGTH:
        raise BadRequest(f"参数 {name} 太长。")
    try:
        return engine().report(report_id)
    except UnknownReportError:
        raise NotFound("没有这份报告：" + report_id) from None


# -- cities ---------------------------------------------------------------------------------------
def city_index(eng) -> dict:
    """Every city in the index with its number of reports and years (for /cities)."""
    cities: dict[str, dict] = {}
    for r in eng.reports():
        if not r.city:
            continue
        row = cities.setdefault(r.city, {"city": r.city, "province": r.province,
                                         "prefecture": r.prefecture, "level": r.level,
                                         "reports": 0, "years": [], "undated": 0})
        row["reports"] += 1
        if r.year is None:
            row["undated"] += 1
        elif r.year not in row["years"]:
            row["years"].append(r.year)
    rows = sorted(cities.values(), key=lambda c: (c["province"] or "\uffff", c["city"]))
    for row in rows:
        row["years"].sort()
    return {"total": len(rows), "cities": rows}


@bp.route("/cities")
@bp.route("/api/cities", endpoint="api_cities")
def cities():
    return render_or_json("cities.html", city_index(engine()), q="")


@bp.route("/city/<name>")
@bp.route("/api/city/<name>", endpoint="api_city")
@expensive
def city(name: str):
    top = int_param("top", trends.TIMELINE_TOP, 1, MAX_TOP)
    data = trends.timeline(engine(), city_name(name), top)  # UnknownCityError -> 404
    if wants_json():
        return render_or_json("city.html", data)
    return render_or_json("city.html", data, q="", previous=previous_reports(data["reports"]))


def previous_reports(rows: list[dict]) -> dict:
    """Report id -> the report ``diff`` compares it with (latest earlier dated year).

    Several reports of one year: the longest, as ``trends.diff`` picks it.
    """
    by_year: dict[int, dict] = {}
    for row in rows:
        if row["year"] is None:
            continue
        best = by_year.get(row["year"])
        if best is None or (-row["chars"], row["id"]) < (-best["chars"], best["id"]):
            by_year[row["year"]] = row
    out = {}
    for row in rows:
        earlier = [y for y in by_year if row["year"] is not None and y < row["year"]]
        if earlier:
            out[row["id"]] = by_year[max(earlier)]
    return out


# -- year over year -------------------------------------------------------------------------------
@bp.route("/diff")
@bp.route("/api/diff", endpoint="api_diff")
@bp.route("/city/<name>/diff", endpoint="city_diff")
@bp.route("/api/city/<name>/diff", endpoint="api_city_diff")
@expensive
def diff(name: str | None = None):
    city = city_name(name) if name is not None else text_param("city", "城市")
    limit = int_param("limit", trends.DEFAULT_LIMIT, 1, MAX_LIMIT)
    year = year_param(city)
    eng = engine()
    data = trends.diff(eng, city, year, limit)  # UnknownCityError/UnknownYearError -> 404
    if wants_json():
        return render_or_json("diff.html", data)
    _, own = trends.city_reports(eng, data["city"])
    years = sorted({r.year for r in own if r.year is not None})
    return render_or_json("diff.html", data, q="", years=years, limit=limit,
                          max_limit=MAX_LIMIT)


# -- spread ---------------------------------------------------------------------------------------
@bp.route("/api/spread")
def spread():
    return render_or_json("stats.html", trends.spread(engine(), query_text()))


@bp.route("/spread")
def spread_page():
    """The spread is a section of the stats page."""
    query_text()
    return redirect(_build("/stats", current_args()) + "#spread")


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
    limit = int_param("limit", trends.DEFAULT_LIMIT, 1, MAX_LIMIT)
    data = trends.compare(eng, a.id, b.id, limit)
    if wants_json():
        return render_or_json("compare.html", data)
    same_city = bool(a.city) and a.city == b.city
    later = b if (a.year or 0) <= (b.year or 0) else a
    return render_or_json("compare.html", data, q="", choices=choices(eng),
                          selected={"a": a.id, "b": b.id}, limit=limit, max_limit=MAX_LIMIT,
                          diff_link=(later.city, later.year)
                          if same_city and a.year and b.year and a.year != b.year else None)


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
