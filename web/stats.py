"""Mentions by city × year: table, server-side SVG chart and CSV download."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from search.csvout import STATS_CITY_YEAR_FIELDS as CITY_YEAR_FIELDS
from search.csvout import STATS_REPORT_FIELDS as REPORT_FIELDS
from search.csvout import to_csv
from search.insight.grid import stats_with_grid

from .helpers import (
    FILTERS,
    KIND_NAMES,
    build_url,
    engine,
    filter_args,
    query_text,
    render_or_json,
    report_url,
    search_url,
    wants_json,
)

bp = Blueprint("stats", __name__)

MEASURES = {"per_10k": "每万字次数", "occurrences": "出现次数"}
SORT_LABELS = {"province": "按省份", "pinyin": "按拼音", "first": "按首次使用", "total": "按总次数"}
HEAT_LEVELS = 6  # colour steps of a cell with hits: h1 … h6 (h0: a report without the phrase)


@bp.route("/stats")
@bp.route("/api/stats", endpoint="api_stats")
def stats():
    q = query_text()
    filters = filter_args()
    fmt = request.args.get("format", "")
    if fmt == "csv":
        return csv_download(q, filters)
    if not q.strip() and not wants_json():
        return render_or_json(
            "stats.html", {}, q=q, chart=None, measure="occurrences", measures=MEASURES, links={}
        )
    sort = request.args.get("sort", "province")
    level = request.args.get("level", "").strip() or None
    data = stats_with_grid(engine(), q, sort, level, **filters)
    if wants_json():
        return render_or_json("stats.html", data)
    measure = request.args.get("measure", "per_10k")
    if measure not in MEASURES:
        measure = "per_10k"
    links = row_links(q, data)
    return render_or_json(
        "stats.html",
        data,
        q=q,
        measure=measure,
        measures=MEASURES,
        heat=heatmap(q, data["grid"], measure),
        sorts=SORT_LABELS,
        provinces=provinces(),
        sections=KIND_NAMES,
        chart=chart(data["by_city_year"], measure, links),
        links=links,
        csv_url=csv_url(),
        csv_report_url=csv_url(by="report"),
        spread=spread(q),
        spread_url=build_url("/api/spread", MultiDict({"q": q})),
        filtered=any(request.args.getlist(name) for name in FILTERS),
    )


def provinces() -> list[str]:
    """Provinces of the indexed reports, for the filter menu (pinyin order)."""
    from search.insight.collate import pinyin_key

    return sorted({r.province for r in engine().reports() if r.province}, key=pinyin_key)


def heatmap(q: str, grid: dict, measure: str) -> dict:
    """The grid as the template draws it: each cell's text, colour step, link and tooltip."""
    values = [
        c[measure]
        for row in grid["rows"]
        for c in [*row["cells"], row["unknown_year"]]
        if c and c["occurrences"]
    ]
    top = max(values, default=0)
    rows = []
    for row in grid["rows"]:
        cells = [heat_cell(q, row, cell, measure, top) for cell in row["cells"]]
        unknown = heat_cell(q, row, row["unknown_year"], measure, top)
        rows.append({**row, "heat": cells, "heat_unknown": unknown})
    groups: list[dict] = []
    for row in rows:
        if grid["sort"] == "pinyin" or not groups or groups[-1]["province"] != row["province"]:
            groups.append({"province": row["province"], "rows": []})
        groups[-1]["rows"].append(row)
    return {
        "groups": groups,
        "years": grid["years"],
        "unknown": grid["unknown_year"],
        "grouped": grid["sort"] != "pinyin",
    }


def heat_cell(q: str, row: dict, cell: dict | None, measure: str, top: float) -> dict | None:
    """None where the place has no report that year (an empty cell, not a zero)."""
    if cell is None:
        return None
    n, value = cell["occurrences"], cell[measure]
    level = 0 if not n else 1 + min(HEAT_LEVELS - 1, int(HEAT_LEVELS * value / (top or 1) - 1e-9))
    text = "0" if not n else (f"{value:.2f}" if measure == "per_10k" else f"{value:,}")
    year = "年份未知" if cell["year"] is None else f"{cell['year']}年"
    title = (
        f"{row['city'] or '未知'} {year}：{n} 次，{cell['reports']} 份报告，"
        f"{cell['chars']:,} 字，每万字 {cell['per_10k']:.2f} 次"
    )
    if cell["reports"] == 1:
        href = report_url(cell["report_ids"][0], q, "hit-1" if n else None)
    else:
        href = search_url(q, city=row["city"], year=cell["year"], **passthrough_filters())
    return {"text": text, "level": level, "title": title, "href": href, "hits": n}


def spread(q: str) -> dict:
    """Which cities used the query, in the order they took it up (all reports, no filters)."""
    from search import trends

    return trends.spread(engine(), q)


@bp.route("/stats.csv")
def stats_csv():
    return csv_download(query_text(), filter_args())


def csv_url(**extra) -> str:
    from .helpers import build_url, current_args

    args = current_args("measure", "page")
    for name, value in extra.items():
        args.setlist(name, [value])
    return build_url("/stats.csv", args)


def passthrough_filters() -> dict:
    """Filters of this request other than city and year, to carry into the search links."""
    return {
        name: request.args.getlist(name)
        for name in FILTERS
        if name not in ("city", "year") and request.args.getlist(name)
    }


def row_links(q: str, data: dict) -> dict:
    """(city, year) -> the search listing exactly the reports behind that row's numbers."""
    extra = passthrough_filters()
    year_range = request.args.get("year") or None
    links = {}
    for row in data["by_city_year"]:
        if row["city"] is None:
            continue
        year = row["year"] if row["year"] is not None else None
        if row["year"] is None and year_range:
            continue  # reports of unknown year cannot be selected with a year filter
        links[(row["city"], row["year"])] = search_url(q, city=row["city"], year=year, **extra)
    return links


def chart(rows: list[dict], measure: str, links: dict) -> dict | None:
    """Geometry of a horizontal bar chart, one bar per city × year (drawn by the template)."""
    if not rows:
        return None
    label_width, bar_width, value_width, row_height = 110, 240, 100, 26
    top = max((row[measure] for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        value = row[measure]
        bars.append(
            {
                "y": i * row_height,
                "label": f"{row['city'] or '未知'} {row['year'] or '未知'}",
                "width": max(1.0, round(bar_width * value / top, 1)) if value else 0,
                "value": value,
                "text": (f"{value} 次" if measure == "occurrences" else f"{value:g} 次/万字"),
                "title": f"{row['city'] or '未知'} {row['year'] or '未知'}年：{row['occurrences']} 次，"
                f"{row['reports']} 份报告，每万字 {row['per_10k']:g} 次",
                "href": links.get((row["city"], row["year"])),
            }
        )
    return {
        "bars": bars,
        "label_width": label_width,
        "bar_width": bar_width,
        "width": label_width + bar_width + value_width,
        "row_height": row_height,
        "height": len(rows) * row_height,
        "bar_height": row_height - 8,
    }


def csv_download(q: str, filters: dict) -> Response:
    """UTF-8 with BOM (so Excel shows Chinese), one row per city × year or per report."""
    data = engine().stats(q, **filters)
    by = request.args.get("by", "city_year")
    rows, fields = (
        (data["rows"], REPORT_FIELDS)
        if by == "report"
        else (data["by_city_year"], CITY_YEAR_FIELDS)
    )
    body = to_csv(rows, fields, bom=True)
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = f"govsearch-{data['normalized']}-{'reports' if by == 'report' else 'city-year'}.csv"
    name = "".join(ch for ch in name if ch not in '\\/:*?"<>|\r\n\t')[:120]
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987)."""
    simple = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch in "-_."))
    simple = re.sub(r"-{2,}", "-", simple) or "govsearch-stats.csv"
    return f"attachment; filename=\"{simple}\"; filename*=UTF-8''{quote(name, safe='')}"
