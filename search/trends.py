"""Beyond search: what changed in a city's reports, where a phrase spread, how two reports differ.

Every function takes an :class:`~search.engine.Engine` and returns plain JSON-ready dicts,
for the CLI (``python -m search diff|timeline|spread|compare|phrases``) and web pages alike.
Every count is an exact occurrence count of the normalized text (:func:`search.matching.count`,
the definition the search results meet); rates are per 10,000 characters of the report.
Key phrases and their scores come from :mod:`search.phrases`; the methods and the choices
made at the edges (no earlier report, reports without a year) are in docs/trends.md.
"""

from __future__ import annotations

import math

from . import matching, params
from .engine import place_matches
from .errors import BilingualError
from .ingest.normalize import normalize_query
from .measures import per_10k
from .models import Report
from .phrases import corpus_stats, key_phrases
from .snippets import paragraph_at, sentence_around, trim

__all__ = [
    "TrendsError",
    "UnknownCityError",
    "UnknownYearError",
    "diff",
    "timeline",
    "spread",
    "compare",
    "key_phrases",
    "g2",
    "city_index",
    "previous_report",
]

#: G² (one degree of freedom) above which a change of rate between two reports is taken as
#: real: 3.84 is the 95% point of χ²(1).
SIGNIFICANT_G2 = 3.84
#: The larger of the two counts must reach this for a phrase to be rising or falling.
MIN_CHANGE_COUNT = 3
DEFAULT_LIMIT = 30
MAX_LIMIT = 1000  # rows per list of diff and compare
TIMELINE_TOP = 10
MAX_TOP = 100  # key phrases per report on a timeline


class TrendsError(BilingualError):
    """A trends request that cannot be answered; the message says what exists instead."""


class UnknownCityError(TrendsError):
    """No report of that city (or the name matches several cities)."""


class UnknownYearError(TrendsError):
    """The city has no report dated that year."""


# -- helpers -----------------------------------------------------------------------------------
def g2(a: int, b: int, chars_a: int, chars_b: int) -> float:
    """Dunning's log-likelihood G² that ``a`` per ``chars_a`` and ``b`` per ``chars_b`` differ."""
    total, size = a + b, chars_a + chars_b
    if not total or not chars_a or not chars_b:
        return 0.0
    out = 0.0
    for observed, chars in ((a, chars_a), (b, chars_b)):
        expected = total * chars / size
        if observed:
            out += observed * math.log(observed / expected)
    return round(2 * out, 4)


def _limit(limit, name: str = "limit", high: int = MAX_LIMIT) -> int:
    return params.whole_number(limit, name, 1, high)


def city_reports(engine, city: str) -> tuple[str, list[Report]]:
    """The one city ``city`` names, and all its reports (sorted by year, undated last, id)."""
    value = normalize_query(city or "").replace(" ", "")
    reports = list(engine.snapshot.reports.values())
    cities = sorted({r.city for r in reports if r.city})
    if not value:
        raise UnknownCityError(
            "give a city, e.g. " + _listing(cities),
            "请给出城市，例如：" + _listing(cities, zh=True),
        )
    matched = sorted({r.city for r in reports if place_matches(value, r.city)})
    if value in matched:
        matched = [value]  # the full name (吉林省) wins over the others it matches (吉林市)
    if not matched:
        near = [c for c in cities if any(ch in c for ch in value.rstrip("市区县省"))]
        raise UnknownCityError(
            f"no reports of {city!r} in the index; "
            f"cities{' like it' if near else ''}: {_listing(near or cities)}",
            f"索引中没有“{city}”的报告；{'相近的' if near else '有报告的'}城市："
            f"{_listing(near or cities, zh=True)}",
        )
    if len(matched) > 1:
        raise UnknownCityError(
            f"{city!r} matches several cities: {', '.join(matched)}; write the full name",
            f"“{city}”对应多个城市：{'、'.join(matched)}；请写全名。",
        )
    name = matched[0]
    own = [r for r in reports if r.city == name]
    own.sort(key=lambda r: (r.year is None, r.year or 0, r.id))
    return name, own


def _listing(names: list[str], most: int = 30, zh: bool = False) -> str:
    if not names:
        return "（无：索引是空的）" if zh else "(none: the index is empty)"
    if zh:
        shown = "、".join(names[:most])
        return shown if len(names) <= most else f"{shown}……（共 {len(names)} 个，见“城市”页）"
    if len(names) <= most:
        return ", ".join(names)
    return (
        ", ".join(names[:most]) + f", … ({len(names)} in all; "
        "list them with `python -m search reports`)"
    )


def _which_year(name: str, dated: list[Report], year) -> int:
    """``year`` as a number, or the city's latest dated year when None; it must exist."""
    years = sorted({r.year for r in dated})
    if year is None and years:
        return years[-1]
    wanted = None if year is None else params.year(year)
    if wanted in years:
        return wanted
    if not years:
        raise UnknownYearError(
            f"no {'dated' if wanted is None else wanted} report of {name}; "
            "it has: no dated reports",
            f"{name}的报告都没有标明年份，无法按年份比较。",
        )
    raise UnknownYearError(
        f"no {wanted} report of {name}; it has: {', '.join(map(str, years))}",
        f"{name}没有 {wanted} 年的报告；有：{'、'.join(map(str, years))} 年",
    )


def _pick(reports: list[Report]) -> Report:
    """Of several reports of one city and year (duplicates), the longest; ties by id."""
    return sorted(reports, key=lambda r: (-r.chars, r.id))[0]


def previous_report(reports: list[Report], year: int | None) -> Report | None:
    """The report :func:`diff` compares a report of ``year`` with, among one city's reports.

    The latest dated year before ``year`` (of several reports in that year, the longest,
    ties by id); None for an undated report or when nothing earlier is dated.
    """
    if year is None:
        return None
    earlier = [r for r in reports if r.year is not None and r.year < year]
    if not earlier:
        return None
    last = max(r.year for r in earlier)
    return _pick([r for r in earlier if r.year == last])


def previous_reports(engine, city: str) -> dict[str, Report]:
    """Report id → its :func:`previous_report`, for every report of the one city named."""
    _, own = city_reports(engine, city)
    out = {}
    for r in own:
        before = previous_report(own, r.year)
        if before is not None:
            out[r.id] = before
    return out


def previous_of(engine, report: Report) -> Report | None:
    """:func:`previous_report` of one report, among the reports of its own city."""
    if not report.city:
        return None
    return previous_report([r for r in engine.reports() if r.city == report.city], report.year)


def city_index(engine) -> dict:
    """Every city in the index with its number of reports and years, by province then name."""
    cities: dict[str, dict] = {}
    for r in engine.reports():
        if not r.city:
            continue
        row = cities.setdefault(
            r.city,
            {
                "city": r.city,
                "province": r.province,
                "prefecture": r.prefecture,
                "level": r.level,
                "reports": 0,
                "years": [],
                "undated": 0,
            },
        )
        row["reports"] += 1
        if r.year is None:
            row["undated"] += 1
        elif r.year not in row["years"]:
            row["years"].append(r.year)
    rows = sorted(cities.values(), key=lambda c: (c["province"] or "\uffff", c["city"]))
    for row in rows:
        row["years"].sort()
    return {"total": len(rows), "cities": rows}


def _meta(report: Report) -> dict:
    return {
        "id": report.id,
        "title": report.title,
        "city": report.city,
        "province": report.province,
        "prefecture": report.prefecture,
        "level": report.level,
        "year": report.year,
        "date": report.date,
        "chars": report.chars,
    }


def context(report: Report, phrase: str) -> dict | None:
    """The sentence of the phrase's first occurrence in ``report``, for one line of context.

    ``{"text", "start", "end", "paragraph"}``: ``text`` is the sentence as it stands in the
    normalized report text (a long one cut to ``snippets.MAX_CHARS`` around the phrase),
    ``text[start:end]`` is the phrase, ``paragraph`` the id of its paragraph (``p-12``).
    None when the report does not hold the phrase.
    """
    hits = matching.find_all(report.text, phrase)
    if not hits:
        return None
    at, end = hits[0], hits[0] + len(phrase)
    left, right = trim(*sentence_around(report.text, at, end), at, end)
    paragraph = paragraph_at(report, at)
    return {
        "text": report.text[left:right],
        "start": at - left,
        "end": end - left,
        "paragraph": paragraph.id if paragraph else None,
    }


def _change(phrase: str, now: Report, before: Report, count=None, previous=None) -> dict:
    count = matching.count(now.text, phrase) if count is None else count
    previous = matching.count(before.text, phrase) if previous is None else previous
    return {
        "phrase": phrase,
        "count": count,
        "previous_count": previous,
        "rate": per_10k(count, now.chars),
        "previous_rate": per_10k(previous, before.chars),
        "g2": g2(count, previous, now.chars, before.chars),
    }


# -- year over year --------------------------------------------------------------------------
def _paired_counts(stats, a: Report, b: Report):
    """Candidates of two reports, and the exact count of every candidate of either in each."""
    pa, pb = stats.candidates(a), stats.candidates(b)
    ca = {p: info["count"] for p, info in pa.items()}
    cb = {p: info["count"] for p, info in pb.items()}
    for phrase in pa:
        if phrase not in cb:
            cb[phrase] = matching.count(b.text, phrase)
    for phrase in pb:
        if phrase not in ca:
            ca[phrase] = matching.count(a.text, phrase)
    return pa, pb, ca, cb


def diff(engine, city: str, year=None, limit: int = DEFAULT_LIMIT) -> dict:
    """What the city's report of ``year`` says that its earlier reports did not, and back.

    Key phrases are the candidates of :mod:`search.phrases` (each list ranked by TF-IDF
    score, best first, cut to ``limit``; ``<list>_total`` gives the full length):

    * ``new``: key phrases of the report with count 0 in *every* earlier dated report of the
      city;
    * ``returning``: key phrases with count 0 in the previous report but used in an older
      one (``last_used`` is that year);
    * ``dropped``: key phrases of the previous report with count 0 in this one;
    * ``rising`` / ``falling``: key phrases of either report used in both whose rate per
      10,000 characters changed significantly — G² ≥ 3.84 (p < 0.05) and the larger count
      at least 3 — ranked by G².

    Every row (and every ``key_phrases`` row) carries ``context`` (:func:`context`): the
    sentence of the phrase's first occurrence — in the previous report for ``dropped``.
    ``year`` None means the city's latest dated year.  Without an earlier dated report,
    ``previous_year`` is None and the five lists are empty: nothing is new relative to
    nothing (``key_phrases`` still lists the report's own).
    Reports without a year are left out of the comparison: they cannot be placed in time.
    """
    limit = _limit(limit)
    name, own = city_reports(engine, city)
    dated = [r for r in own if r.year is not None]
    year = _which_year(name, dated, year)
    report = _pick([r for r in dated if r.year == year])
    earlier = [r for r in dated if r.year < year]
    previous = previous_report(dated, year)
    stats = corpus_stats(engine)
    out = {
        "city": name,
        "province": report.province,
        "year": year,
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
    lists = {key: [] for key in ("new", "returning", "dropped", "rising", "falling")}
    if previous is None:
        for key, rows in lists.items():
            out[key], out[f"{key}_total"] = rows, 0
        return out
    previous_year = previous.year
    older = [r for r in earlier if r is not previous]
    out.update(
        previous_year=previous_year,
        previous_report_id=previous.id,
        previous_title=previous.title,
        previous_chars=previous.chars,
    )

    mine, theirs, now, before = _paired_counts(stats, report, previous)

    last_used = {}
    for phrase in mine:
        if before[phrase]:
            continue
        years = [r.year for r in older if matching.contains(r.text, phrase)]
        last_used[phrase] = max(years) if years else None
    fresh = {p: now[p] for p, last in last_used.items() if last is None}
    back = {p: now[p] for p, last in last_used.items() if last is not None}
    gone = {p: before[p] for p in theirs if not now[p]}
    for key, weights in (("new", fresh), ("returning", back), ("dropped", gone)):
        lists[key] = [
            dict(_change(phrase, report, previous, now[phrase], before[phrase]), score=score)
            for phrase, score in stats.rank(weights, limit)
        ]
        out[f"{key}_total"] = len(weights)
    for row in lists["returning"]:
        row["last_used"] = last_used[row["phrase"]]

    for phrase in sorted(set(mine) | set(theirs)):
        count, previous_count = now[phrase], before[phrase]
        if not count or not previous_count or max(count, previous_count) < MIN_CHANGE_COUNT:
            continue
        row = _change(phrase, report, previous, count, previous_count)
        if row["g2"] >= SIGNIFICANT_G2:
            lists["rising" if row["rate"] > row["previous_rate"] else "falling"].append(row)
    for key in ("rising", "falling"):
        lists[key].sort(key=lambda r: (-r["g2"], r["phrase"]))
        out[f"{key}_total"] = len(lists[key])
        lists[key] = lists[key][:limit]
    for key, rows in lists.items():
        for row in rows:  # a dropped phrase is quoted from the report that used it
            row["context"] = context(previous if key == "dropped" else report, row["phrase"])
    out.update(lists)
    return out


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


# -- spread of a phrase ------------------------------------------------------------------------
def spread(engine, text: str) -> dict:
    """Which cities used ``text``, in the order they took it up.

    Rows come from ``engine.stats`` (exact occurrences per report).  Cities are ordered by
    the year of their first dated report using the phrase, then by name; cities whose every
    report using it is undated come last (``cities``, with ``rank``).  ``rows`` are one per
    report, in time order: by year (undated last), then first uses before repeat uses, then
    by the city's rank.  ``first`` marks one row per city: its earliest dated report (lowest
    id on a tie), or — only if the city has no dated report using it — its first undated one.
    """
    data = engine.stats(text)
    by_city: dict[str, list[dict]] = {}
    for row in data["rows"]:
        by_city.setdefault(row["city"] or "", []).append(row)
    cities = []
    for city, rows in by_city.items():
        rows.sort(key=lambda r: (r["year"] is None, r["year"] or 0, r["report_id"]))
        dated = [r for r in rows if r["year"] is not None]
        first = dated[0] if dated else rows[0]
        cities.append((first["year"] is None, first["year"] or 0, city, rows, first))
    cities.sort(key=lambda c: c[:3])
    out_rows, adoption = [], []
    for rank, (_, _, city, rows, first) in enumerate(cities, 1):
        adoption.append(
            {
                "rank": rank,
                "city": city or None,
                "province": first["province"],
                "first_year": first["year"],
                "first_report_id": first["report_id"],
                "reports": len(rows),
                "occurrences": sum(r["occurrences"] for r in rows),
            }
        )
        for r in rows:
            out_rows.append(
                {
                    "city": r["city"],
                    "province": r["province"],
                    "year": r["year"],
                    "report_id": r["report_id"],
                    "title": r["title"],
                    "occurrences": r["occurrences"],
                    "chars": r["chars"],
                    "per_10k": r["per_10k"],
                    "first": r is first,
                    "rank": rank,
                }
            )
    # Chronological: by year (undated last); in a year, cities taking it up before cities
    # using it again, each group in adoption order.
    out_rows.sort(
        key=lambda r: (r["year"] is None, r["year"] or 0, not r["first"], r["rank"], r["report_id"])
    )
    return {
        "phrase": data["normalized"],
        "query": text,
        "phrases": data["phrases"],
        "total": data["total"],
        "reports": len(out_rows),
        "cities": adoption,
        "rows": out_rows,
    }


# -- two reports side by side ------------------------------------------------------------------
def compare(engine, a: str, b: str, limit: int = DEFAULT_LIMIT) -> dict:
    """Key phrases two reports share and those only one uses, with exact counts; sections.

    The pool is the key phrases of either report.  ``shared`` are those used in both, ranked
    by ``(count_a + count_b) × idf``; ``only_a``/``only_b`` those with count 0 in the other,
    ranked by their own score.  ``overlap`` is ``shared_total`` over the pool's size.  Each
    row's ``context`` is the sentence of its first occurrence in A (in B when A lacks it).
    """
    limit = _limit(limit)
    ra, rb = engine.report(a), engine.report(b)
    stats = corpus_stats(engine)
    pa, pb, ca, cb = _paired_counts(stats, ra, rb)
    pool = set(ca)
    shared = {p: ca[p] + cb[p] for p in pool if ca[p] and cb[p]}
    only_a = {p: ca[p] for p in pool if ca[p] and not cb[p]}
    only_b = {p: cb[p] for p in pool if cb[p] and not ca[p]}

    def rows(weights):
        return [
            {
                "phrase": p,
                "count_a": ca[p],
                "count_b": cb[p],
                "rate_a": per_10k(ca[p], ra.chars),
                "rate_b": per_10k(cb[p], rb.chars),
                "score": score,
                "context": context(ra if ca[p] else rb, p),
            }
            for p, score in stats.rank(weights, limit)
        ]

    def outline(r: Report) -> list[dict]:
        return [
            {"ordinal": s.ordinal, "title": s.title, "kind": s.kind, "chars": s.end - s.start}
            for s in r.sections
        ]

    return {
        "a": _meta(ra),
        "b": _meta(rb),
        "overlap": round(len(shared) / len(pool), 4) if pool else 0.0,
        "shared_total": len(shared),
        "only_a_total": len(only_a),
        "only_b_total": len(only_b),
        "shared": rows(shared),
        "only_a": rows(only_a),
        "only_b": rows(only_b),
        "sections": {"a": outline(ra), "b": outline(rb)},
    }
