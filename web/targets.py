"""Targets and results: city × year table for one indicator, a chart, the JSON twin."""

from __future__ import annotations

import math

from flask import Blueprint, redirect, request

from search.targets import INDICATORS, TargetsError, status
from search.targets import table as targets_table
from search.targets.indicators import BY_KEY

from .helpers import (
    build_url,
    current_args,
    engine,
    filter_args,
    render_error,
    render_or_json,
    report_url,
    wants_json,
)

bp = Blueprint("targets", __name__)

LEVEL_LABELS = {
    "national": "全国",
    "province": "省级",
    "prefecture": "地级",
    "county": "县级",
    "district": "区级",
}


@bp.errorhandler(TargetsError)
def bad_request(error):
    return render_error(400, f"参数有误：{error}")


def request_args() -> dict:
    """The parameters the CLI takes: indicator, city, province, prefecture, level, year."""
    filters = filter_args()
    filters.pop("section", None)
    filters["level"] = tuple(v for v in request.args.getlist("level") if v.strip())
    filters["indicator"] = tuple(v for v in request.args.getlist("indicator") if v.strip())
    return filters


@bp.route("/targets")
@bp.route("/api/targets", endpoint="api_targets")
def targets():
    """One row per report and indicator: the target it sets, the result the next report gives."""
    args = request_args()
    if not wants_json() and len(args["indicator"]) != 1:
        keep = current_args("indicator")
        keep.setlist("indicator", [args["indicator"][0] if args["indicator"] else "gdp"])
        return redirect(build_url("/targets", keep))
    data = targets_table.rows(engine(), **args)
    if wants_json():
        return render_or_json("targets.html", data)
    key = args["indicator"][0]
    context = page(data["rows"], key)
    return render_or_json(
        "targets.html",
        data,
        indicator=key,
        indicators=INDICATORS,
        labels={k: BY_KEY[k].label for k in INDICATORS},
        level_labels=LEVEL_LABELS,
        **context,
    )


def figure_text(fig: dict | None, key: str) -> str:
    """5.2%以上, 6%—6.5%左右, 2.4万人以上, or the target words."""
    if fig is None:
        return ""
    if fig["low"] is None:
        return fig["qualifier"]

    def one(value):
        if BY_KEY[key].value == "count":
            return f"{value / 10000:g}万人" if value >= 10000 else f"{value:g}人"
        return f"{value:g}%"

    text = one(fig["low"]) if fig["high"] == fig["low"] else f"{one(fig['low'])}—{one(fig['high'])}"
    text += fig["qualifier"]
    if fig["strive"] is not None and fig["strive"] != fig["low"]:
        text += f"，力争{one(fig['strive'])}"
    return text


def _link(report_id: str, fig: dict | None) -> str | None:
    if fig is None:
        return None
    return (
        report_url(report_id, anchor=fig["paragraph"])
        if fig["paragraph"]
        else report_url(report_id)
    )


def upper_targets(key: str) -> tuple[dict, dict]:
    """Targets of provincial reports by (province, year) and of national ones by year."""
    rows = targets_table.rows(engine(), indicator=key, level=("province", "national"))["rows"]
    province, national = {}, {}
    for row in rows:
        if row["target"] is None or row["year"] is None:
            continue
        cell = {
            "text": figure_text(row["target"], key),
            "href": _link(row["report_id"], row["target"]),
            "low": row["target"]["low"],
        }
        if row["level"] == "national":
            national.setdefault(row["year"], cell)
        elif row["province"]:
            province.setdefault((row["province"], row["year"]), cell)
    return province, national


def page(rows: list[dict], key: str) -> dict:
    """Cells of the city × year table and the chart of the chosen city."""
    province, national = upper_targets(key)
    years = sorted({r["year"] for r in rows if r["year"] is not None})
    cities: dict[str, dict] = {}
    for row in rows:
        if row["year"] is None:
            continue  # counted under the table; the JSON has them
        name = row["city"] or "（未知）"
        entry = cities.setdefault(
            name, {"city": name, "province": row["province"], "level": row["level"], "cells": {}}
        )
        state = status(key, row["target"], row["result"])
        entry["cells"].setdefault(row["year"], []).append(
            {
                "report_id": row["report_id"],
                "target": figure_text(row["target"], key),
                "target_href": _link(row["report_id"], row["target"]),
                "result": figure_text(row["result"], key),
                "result_href": _link((row["result"] or {}).get("report_id"), row["result"]),
                "status": state,
                "province_target": None
                if row["level"] in ("province", "national")
                else province.get((row["province"], row["year"])),
                "national_target": None
                if row["level"] == "national"
                else national.get(row["year"]),
            }
        )
    chosen = request.args.get("chart") or _default_city(rows)
    return {
        "years": years,
        "cities": list(cities.values()),
        "chart": chart(rows, chosen, key, province, national) if chosen else None,
        "chart_city": chosen,
        "met": sum(
            1
            for c in cities.values()
            for cs in c["cells"].values()
            for x in cs
            if x["status"] == "met"
        ),
        "missed": sum(
            1
            for c in cities.values()
            for cs in c["cells"].values()
            for x in cs
            if x["status"] == "missed"
        ),
    }


def _default_city(rows: list[dict]) -> str | None:
    counts: dict[str, int] = {}
    for row in rows:
        if row["city"] and row["target"] and row["target"]["low"] is not None:
            counts[row["city"]] = counts.get(row["city"], 0) + 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else None


WIDTH, HEIGHT, PAD = 640, 260, 40
SERIES = (
    ("target", "目标"),
    ("result", "实际"),
    ("province", "省级目标"),
    ("national", "全国目标"),
)


def chart(rows: list[dict], city: str, key: str, province: dict, national: dict) -> dict | None:
    """Points of target, result and the upper governments' targets over the years (SVG)."""
    mine = sorted(
        (r for r in rows if r["city"] == city and r["year"] is not None), key=lambda r: r["year"]
    )
    if not mine:
        return None
    points = _points(mine, key, province, national)
    values = [p[1] for series in points.values() for p in series]
    if not values:
        return None
    years = [r["year"] for r in mine]
    y0, y1 = min(0, math.floor(min(values))), math.ceil(max(values) * 1.1) or 1
    x0, x1 = min(years), max(years)

    def x(year):
        return PAD + (WIDTH - 2 * PAD) * ((year - x0) / (x1 - x0) if x1 > x0 else 0.5)

    def y(value):
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - y0) / (y1 - y0)

    series = []
    for name, label in SERIES:
        pts = [
            {"x": round(x(yr), 1), "y": round(y(v), 1), "year": yr, "href": href, "text": text}
            for yr, v, href, text in points[name]
        ]
        if pts:
            series.append({"name": name, "label": label, "points": pts, "paths": _runs(pts)})
    ticks = [{"x": round(x(yr), 1), "year": yr} for yr in sorted(set(years))]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": series,
        "ticks": ticks,
        "top": round(y(y1), 1),
        "bottom": round(y(y0), 1),
        "max": f"{y1:g}",
        "min": f"{y0:g}",
        "pad": PAD,
        "unit": "人" if BY_KEY[key].value == "count" else "%",
        "grid": [{"y": round(y(v), 1), "label": f"{v:g}"} for v in _steps(y0, y1)],
    }


def _points(mine: list[dict], key: str, province: dict, national: dict) -> dict[str, list]:
    """Each series' points ``(year, value, href, text)`` for one city's rows, year by year:
    its own target and result, and the targets of the province and the nation above it."""
    points: dict[str, list] = {name: [] for name, _ in SERIES}
    for row in mine:
        year = row["year"]
        for name, fig, rid in (
            ("target", row["target"], row["report_id"]),
            ("result", row["result"], (row["result"] or {}).get("report_id")),
        ):
            if fig and fig["low"] is not None:
                points[name].append((year, fig["low"], _link(rid, fig), figure_text(fig, key)))
        upper = (
            province.get((row["province"], year))
            if row["level"] not in ("province", "national")
            else None
        )
        if upper:
            points["province"].append((year, upper["low"], upper["href"], upper["text"]))
        if national.get(year) and row["level"] != "national":
            n = national[year]
            points["national"].append((year, n["low"], n["href"], n["text"]))
    return points


def _runs(points: list[dict]) -> list[str]:
    """Polyline point lists of consecutive years: a line never bridges a year with no data."""
    runs: list[list[dict]] = []
    for p in points:
        if runs and p["year"] == runs[-1][-1]["year"] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [" ".join(f"{p['x']},{p['y']}" for p in run) for run in runs if len(run) > 1]


def _steps(low: float, high: float) -> list[float]:
    """Four or five round grid values between ``low`` and ``high``."""
    span = high - low
    step = (
        next(s for s in (0.5, 1, 2, 5, 10, 20, 50, 100, 1000, 10000, 100000) if span / s <= 6)
        if span > 0
        else 1
    )
    return [low + i * step for i in range(int(span / step) + 1)]


def targets_box(eng, report_id: str) -> dict:
    """The report page's box: each indicator the report sets or reports, linked to its
    paragraph."""
    figs = targets_table.figures(eng, report_id)
    by = {name: {f["indicator"]: f for f in figs[name]} for name in ("targets", "results")}
    rows = [
        {
            "key": k,
            "label": BY_KEY[k].label,
            "target": by["targets"].get(k),
            "result": by["results"].get(k),
            "target_text": figure_text(by["targets"].get(k), k),
            "result_text": figure_text(by["results"].get(k), k),
        }
        for k in INDICATORS
        if k in by["targets"] or k in by["results"]
    ]
    return {"targets": figs["targets"], "results": figs["results"], "rows": rows}
