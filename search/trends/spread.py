"""Where a phrase spread (cities in the order they took it up) and two reports side by side."""

from __future__ import annotations

from ..measures import per_10k
from ..models import Report
from ..phrases import corpus_stats
from ..phrases.termhood import rank_terms
from ..reportmeta import report_meta
from .diff import DEFAULT_LIMIT
from .rows import _limit, _paired_counts, context

#: Fields of a spread row taken from ``engine.stats`` (then ``first`` and ``rank``).
ROW_FIELDS = ("city", "province", "year", "report_id", "title", "occurrences", "chars", "per_10k")


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
    out_rows, adoption = [], []
    for rank, (city, rows, first) in enumerate(_adopters(data["rows"]), 1):
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
        out_rows.extend(
            dict({k: r[k] for k in ROW_FIELDS}, first=r is first, rank=rank) for r in rows
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


def _adopters(rows: list[dict]) -> list[tuple[str, list[dict], dict]]:
    """``(city, its rows by year, its first row)`` in adoption order: by the year of the
    first dated report, then name; cities known only from undated reports last."""
    by_city: dict[str, list[dict]] = {}
    for row in rows:
        by_city.setdefault(row["city"] or "", []).append(row)
    cities = []
    for city, own in by_city.items():
        own.sort(key=lambda r: (r["year"] is None, r["year"] or 0, r["report_id"]))
        dated = [r for r in own if r["year"] is not None]
        first = dated[0] if dated else own[0]
        cities.append((first["year"] is None, first["year"] or 0, city, own, first))
    cities.sort(key=lambda c: c[:3])
    return [c[2:] for c in cities]


def compare(engine, a: str, b: str, limit: int = DEFAULT_LIMIT) -> dict:
    """Key phrases two reports share and those only one uses, with exact counts; sections.

    The pool is the key phrases of either report.  ``shared`` are those used in both, ranked
    by ``(count_a + count_b) × idf``; ``only_a``/``only_b`` those with count 0 in the other,
    ranked by their own score — each times the termhood weight
    (:func:`search.phrases.termhood.rank_terms`).  ``overlap`` is ``shared_total`` over the pool's size.  Each
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
            for p, score in rank_terms(stats, weights, limit, pa, pb)
        ]

    def outline(r: Report) -> list[dict]:
        return [
            {"ordinal": s.ordinal, "title": s.title, "kind": s.kind, "chars": s.end - s.start}
            for s in r.sections
        ]

    return {
        "a": report_meta(ra),
        "b": report_meta(rb),
        "overlap": round(len(shared) / len(pool), 4) if pool else 0.0,
        "shared_total": len(shared),
        "only_a_total": len(only_a),
        "only_b_total": len(only_b),
        "shared": rows(shared),
        "only_a": rows(only_a),
        "only_b": rows(only_b),
        "sections": {"a": outline(ra), "b": outline(rb)},
    }
