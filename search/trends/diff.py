"""Year over year: what a city's report says that its earlier ones did not, and back; a city's
reports as a timeline of key phrases."""

from __future__ import annotations

from .. import matching
from ..models import Report
from ..phrases import corpus_stats
from ..phrases.termhood import rank_terms
from .cities import _pick, _which_year, city_reports, previous_report
from .rows import SIGNIFICANT_G2, _change, _limit, _paired_counts, context

#: The larger of the two counts must reach this for a phrase to be rising or falling.
MIN_CHANGE_COUNT = 3
DEFAULT_LIMIT = 30
TIMELINE_TOP = 10
LISTS = ("new", "returning", "dropped", "rising", "falling")
MAX_TOP = 100  # key phrases per report on a timeline


def diff(engine, city: str, year=None, limit: int = DEFAULT_LIMIT) -> dict:
    """What the city's report of ``year`` says that its earlier reports did not, and back.

    Key phrases are the candidates of :mod:`search.phrases` (new/returning/dropped ranked by
    TF-IDF score × termhood weight, :func:`search.phrases.termhood.rank_terms`, best first,
    cut to ``limit``; ``<list>_total`` gives the full length):

    * ``new``: key phrases with count 0 in *every* earlier dated report of the city;
    * ``returning``: key phrases with count 0 in the previous report but used in an older
      one (``last_used`` is that year);
    * ``dropped``: key phrases of the previous report with count 0 in this one;
    * ``rising`` / ``falling``: key phrases of either report used in both whose rate per
      10,000 characters changed significantly — G² ≥ 3.84 (p < 0.05) and the larger count
      at least 3 — ranked by G².

    Every row (and every ``key_phrases`` row) carries ``context`` (:func:`context`): the
    sentence of the phrase's first occurrence — in the previous report for ``dropped``.
    ``year`` None means the city's latest dated year.  Without an earlier dated report,
    ``previous_year`` is None and the five lists are empty (``key_phrases`` stays). Reports
    without a year are left out of the comparison: they cannot be placed in time.
    """
    limit = _limit(limit)
    name, dated, report = _city_year(engine, city, year)
    earlier = [r for r in dated if r.year < report.year]
    previous = previous_report(dated, report.year)
    stats = corpus_stats(engine)
    out = {
        "city": name,
        "province": report.province,
        "year": report.year,
        "report_id": report.id,
        "title": report.title,
        "chars": report.chars,
        "previous_year": None,
        "previous_report_id": None,
        "previous_title": None,
        "previous_chars": None,
        "earlier_report_ids": [r.id for r in earlier],
        "key_phrases": [
            dict(row, context=context(report, row["phrase"])) for row in stats.top(report, limit)
        ],
    }
    if previous is None:
        for key in LISTS:
            out[key], out[f"{key}_total"] = [], 0
        return out
    out.update(
        previous_year=previous.year,
        previous_report_id=previous.id,
        previous_title=previous.title,
        previous_chars=previous.chars,
    )
    older = [r for r in earlier if r is not previous]
    lists = _lists(stats, report, previous, older, limit, out)
    for key, rows in lists.items():
        for row in rows:  # a dropped phrase is quoted from the report that used it
            row["context"] = context(previous if key == "dropped" else report, row["phrase"])
    out.update(lists)
    return out


def city_report(engine, city: str, year=None) -> Report:
    """The report :func:`diff` shows for ``city`` and ``year`` (None: the latest dated)."""
    return _city_year(engine, city, year)[2]


def _city_year(engine, city: str, year) -> tuple[str, list[Report], Report]:
    """The city's name, its dated reports, and its report of ``year`` (of several, the
    longest; the latest year when None)."""
    name, own = city_reports(engine, city)
    dated = [r for r in own if r.year is not None]
    year = _which_year(name, dated, year)
    return name, dated, _pick([r for r in dated if r.year == year])


def _lists(stats, report: Report, previous: Report, older, limit: int, out: dict) -> dict:
    """The five lists of :func:`diff`, cut to ``limit``; their full lengths go into ``out``."""
    mine, theirs, now, before = _paired_counts(stats, report, previous)
    last_used = {}
    for phrase in mine:
        if not before[phrase]:
            years = [r.year for r in older if matching.contains(r.text, phrase)]
            last_used[phrase] = max(years) if years else None
    fresh = {p: now[p] for p, last in last_used.items() if last is None}
    back = {p: now[p] for p, last in last_used.items() if last is not None}
    gone = {p: before[p] for p in theirs if not now[p]}
    lists = {}
    for key, weights in (("new", fresh), ("returning", back), ("dropped", gone)):
        own = theirs if key == "dropped" else mine
        lists[key] = [
            dict(_change(phrase, report, previous, now[phrase], before[phrase]), score=score)
            for phrase, score in rank_terms(stats, weights, limit, own)
        ]
        out[f"{key}_total"] = len(weights)
    for row in lists["returning"]:
        row["last_used"] = last_used[row["phrase"]]
    moves = {"rising": [], "falling": []}
    for phrase in sorted(set(mine) | set(theirs)):
        count, previous_count = now[phrase], before[phrase]
        if not count or not previous_count or max(count, previous_count) < MIN_CHANGE_COUNT:
            continue
        row = _change(phrase, report, previous, count, previous_count)
        if row["g2"] >= SIGNIFICANT_G2:
            moves["rising" if row["rate"] > row["previous_rate"] else "falling"].append(row)
    for key, rows in moves.items():
        rows.sort(key=lambda r: (-r["g2"], r["phrase"]))
        out[f"{key}_total"] = len(rows)
        lists[key] = rows[:limit]
    return lists


def timeline(engine, city: str, top: int = TIMELINE_TOP) -> dict:
    """A city's reports in year order (undated last), each with its ``top`` key phrases."""
    top = _limit(top, "top", MAX_TOP)
    name, own = city_reports(engine, city)
    stats = corpus_stats(engine)
    rows = [
        {
            "id": r.id,
            "year": r.year,
            "title": r.title,
            "chars": r.chars,
            "top_phrases": stats.top(r, top),
        }
        for r in own
    ]
    first = own[0]
    return {
        "city": name,
        "province": first.province,
        "prefecture": first.prefecture,
        "level": first.level,
        "years": sorted({r.year for r in own if r.year is not None}),
        "reports": rows,
    }
