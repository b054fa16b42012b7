"""The targets table: written once per index generation, read once per snapshot, filtered.

``targets.json`` (next to the report store) maps each report id to its extracted figures.
:func:`rows` joins a report's target with the result the next year's report of the same
government gives — the ``python -m search targets`` and ``/api/targets`` answer.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import store
from ..errors import GovsearchError
from ..models import LEVELS
from .extract import extract
from .indicators import BY_KEY, INDICATORS

FILE = "targets.json"
VERSION = 1
#: The fields of a figure in a row (the issue's shape); a result adds ``report_id``.
FIGURE_FIELDS = ("low", "high", "qualifier", "strive", "text", "paragraph")
#: Upper-bound qualifiers: a target so bounded is met when the result stays at or below it.
CEILING_QUALIFIERS = ("以内", "以下", "之内", "内", "不超过", "不高于", "低于")


class TargetsError(GovsearchError):
    """A targets request that cannot be answered (unknown indicator or level)."""


def extract_all(reports) -> dict:
    """``{report_id: {"targets": [...], "results": [...], "plan_period": [...]}}``."""
    return {
        report.id: {
            name: [f.to_dict() for f in figures] for name, figures in extract(report).items()
        }
        for report in reports
    }


def write(generation: Path) -> None:
    """Extract every report of a generation's store into ``targets.json`` (build time)."""
    table = extract_all(store.read_reports(generation))
    (Path(generation) / FILE).write_text(
        json.dumps({"version": VERSION, "reports": table}, ensure_ascii=False), "utf-8"
    )


def load(engine) -> dict:
    """The table of the engine's live snapshot, read once per generation (extracted on the
    fly for an index built before targets existed)."""
    snap = engine.snapshot

    def read() -> dict:
        path = Path(engine.index) / snap.generation / FILE
        try:
            data = json.loads(path.read_text("utf-8"))
            table = data["reports"] if data.get("version") == VERSION else None
        except (OSError, ValueError, KeyError):
            table = None
        if table is None or set(table) != set(snap.reports):
            table = extract_all(snap.reports.values())
        return table

    return snap.memo("targets.table", read)


def figures(engine, report_id: str) -> dict:
    """One report's figures (the report page's box); raises for an unknown id."""
    engine.report(report_id)
    return load(engine).get(report_id, {"targets": [], "results": [], "plan_period": []})


def _pick(figs: list[dict], indicator: str) -> dict | None:
    for fig in figs:
        if fig["indicator"] == indicator:
            return fig
    return None


def _shape(fig: dict | None, report_id: str | None = None) -> dict | None:
    if fig is None:
        return None
    out = {key: fig[key] for key in FIGURE_FIELDS}
    if report_id is not None:
        out["report_id"] = report_id
    return out


def _check(indicator, level) -> tuple[tuple[str, ...], tuple[str, ...]]:
    wanted = (
        tuple(v for v in (indicator if isinstance(indicator, (list, tuple)) else [indicator]) if v)
        or INDICATORS
    )
    for key in wanted:
        if key not in BY_KEY:
            raise TargetsError(f"unknown indicator {key!r}: use one of {', '.join(INDICATORS)}")
    levels = tuple(v for v in (level if isinstance(level, (list, tuple)) else [level]) if v)
    for value in levels:
        if value not in LEVELS:
            raise TargetsError(f"unknown level {value!r}: use one of {', '.join(LEVELS)}")
    return wanted, levels


def _government(report) -> tuple:
    return (report.city, report.level, report.province)


def rows(engine, indicator=None, city=(), province=(), prefecture=(), year=None, level=()) -> dict:
    """``{"rows": [...]}``: one row per report in the filter and indicator, with its target,
    the previous year's result it states, and the result the next year's report states."""
    wanted, levels = _check(indicator, level)
    request = engine.prepare(None, city, province, prefecture, year)
    table = load(engine)
    selected = [r for r in engine.select(request) if not levels or r.level in levels]
    selected.sort(key=lambda r: (r.city or "", r.year or 0, r.id))
    following: dict[tuple, list] = {}
    for report in engine.snapshot.reports.values():
        if report.year is not None and report.city:
            following.setdefault((_government(report), report.year), []).append(report)
    out = []
    for report in selected:
        figs = table.get(report.id, {})
        later = (
            sorted(
                following.get((_government(report), (report.year or 0) + 1), []), key=lambda r: r.id
            )
            if report.year is not None and report.city
            else []
        )
        for key in wanted:
            result = None
            for nxt in later:
                found = _pick(table.get(nxt.id, {}).get("results", []), key)
                if found:
                    result = _shape(found, nxt.id)
                    break
            out.append(
                {
                    "report_id": report.id,
                    "city": report.city,
                    "province": report.province,
                    "level": report.level,
                    "year": report.year,
                    "indicator": key,
                    "target": _shape(_pick(figs.get("targets", []), key)),
                    "previous_result": _shape(_pick(figs.get("results", []), key)),
                    "result": result,
                }
            )
    return {"rows": out}


def status(indicator: str, target: dict | None, result: dict | None) -> str | None:
    """ "met", "missed", or None when either side has no number. A ceiling (以内, or an
    indicator that is one: unemployment, CPI) is met at or below its high end; any other
    target at or above its low end (5%左右 met by 5, missed by 4.8)."""
    if not target or not result or target["low"] is None or result["low"] is None:
        return None
    ceiling = BY_KEY[indicator].ceiling or target["qualifier"] in CEILING_QUALIFIERS
    if ceiling:
        return "met" if result["low"] <= target["high"] else "missed"
    return "met" if result["low"] >= target["low"] else "missed"


CSV_FIELDS = ("report_id", "city", "province", "level", "year", "indicator")


def flat(row: dict) -> dict:
    """A row for CSV (Stata/R): one column per figure field, empty cells for null."""
    out = {key: row[key] for key in CSV_FIELDS}
    for name in ("target", "previous_result", "result"):
        fig = row[name] or {}
        for key in FIGURE_FIELDS:
            out[f"{name}_{key}"] = fig.get(key)
    out["result_report_id"] = (row["result"] or {}).get("report_id")
    return out


def csv_fields() -> list[str]:
    return (
        list(CSV_FIELDS)
        + [
            f"{name}_{key}"
            for name in ("target", "previous_result", "result")
            for key in FIGURE_FIELDS
        ]
        + ["result_report_id"]
    )
