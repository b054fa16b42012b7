"""The concordance (KWIC): every hit of a query, one line each — left context | hit | right.

Lines come from :meth:`search.engine.Engine.occurrences`, so ``total`` is exactly the number
of occurrences ``query``/``stats`` count (for one phrase, the sum of their per-report counts).
``left`` and ``right`` are the ``width`` characters before and after the match (fewer at the
report's start or end), taken from the text as it is shown to readers through
:func:`shown_text`; matching stays on the normalized text.

Orders (ties keep report order, since the sorts are stable):

* ``report`` — report order (city, year, id), then position;
* ``left`` — the left context read backwards from the character nearest the hit (the
  concordancer convention); ``right`` — the right context from the hit onwards;
* ``city`` / ``year`` — by place then year, or by year then place.

Strings compare by code point (``sorted()``), or with ``collate="pinyin"`` by
:func:`search.insight.collate.pinyin_key`.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, urlencode

from .. import params
from ..display import shown
from .collate import pinyin_key

SORTS = ("report", "left", "right", "city", "year")
COLLATIONS = ("codepoint", "pinyin")
MAX_WIDTH = 200
MAX_LIMIT = 1000


@dataclass(slots=True)
class Line:
    report_id: str
    title: str | None
    city: str | None
    province: str | None
    year: int | None
    section: str | None
    paragraph: str | None
    start: int
    end: int
    left: str
    match: str
    right: str
    #: NEAR partners inside the contexts, as (start, end) offsets into ``left`` / ``right``
    left_marks: list = field(default_factory=list)
    right_marks: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def shown_text(report, start: int, end: int) -> str:
    """The report's own characters for a normalized span (verbatim punctuation), through the
    report's offset map (:func:`search.display.shown`)."""
    return shown(report, start, end)


class _Places:
    """Paragraph and section of an offset, found by bisection (one table per report)."""

    def __init__(self, report):
        self.paragraphs = report.paragraphs
        self.starts = [p.start for p in report.paragraphs]
        self.section_starts = [s.start for s in report.sections]
        self.kinds = [s.kind for s in report.sections]

    def at(self, offset: int) -> tuple[str | None, str | None]:
        i = bisect_right(self.starts, offset) - 1
        paragraph = self.paragraphs[i].id if i >= 0 and offset <= self.paragraphs[i].end else None
        j = bisect_right(self.section_starts, offset) - 1
        return (self.kinds[j] if j >= 0 else None), paragraph


def lines(
    engine, text: str, width: int = 30, report_id: str | None = None, **filters
) -> list[Line]:
    """Every line of the concordance, in report order (of one report with ``report_id``)."""
    out: list[Line] = []
    places: _Places | None = None
    current, partners = None, []
    if report_id is not None:
        engine.report(report_id)  # an unknown id is an error, not an empty concordance
    near = near_terms(engine, text, **filters)
    for report, start, end, _ in engine.occurrences(text, **filters):
        if report_id is not None and report.id != report_id:
            continue
        if report is not current:
            current, places = report, _Places(report)
            partners = near_partners(report, near, filters.get("section") or ())
        size = len(report.text)
        assert places is not None  # set with the first occurrence's report above
        section, paragraph = places.at(start)
        a, b = max(0, start - width), min(size, end + width)
        out.append(
            Line(
                report.id,
                report.title,
                report.city,
                report.province,
                report.year,
                section,
                paragraph,
                start,
                end,
                shown_text(report, a, start),
                shown_text(report, start, end),
                shown_text(report, end, b),
                context_marks(report, partners, a, start),
                context_marks(report, partners, end, b),
            )
        )
    return out


def near_terms(engine, text: str, **filters) -> list:
    """The query's NEAR terms: their partners are marked in the contexts (issue 14)."""
    from ..query.nodes import Near

    request = engine.prepare(text, allow_empty=False, **filters)
    return [node for node in request.terms.values() if isinstance(node, Near)]


def near_partners(report, near: list, kinds) -> list[tuple[int, int]]:
    """Offsets of the B occurrences that make an A occurrence near, in the searched spans."""
    if not near:
        return []
    from ..query import terms as term_rules

    spans = (
        [(0, len(report.text))]
        if not kinds
        else [(s.start, s.end) for s in report.sections if s.kind in kinds]
    )
    text, found = report.text, set[tuple[int, int]]()
    for node in near:
        for a, b in spans:
            hits = set(term_rules.term_hits(node, text, a, b))
            found.update(m for m in term_rules.term_marks(node, text, a, b) if m not in hits)
    return sorted(found)


def context_marks(report, partners, a: int, b: int) -> list[tuple[int, int]]:
    """The partners lying wholly in the normalized span ``[a, b)``, as offsets into its shown
    text (through the display map, like the context itself)."""
    from ..display import display_span

    if not partners:
        return []
    origin = display_span(report, a, a)[0]
    inside = (display_span(report, s, e) for s, e in partners if a <= s and e <= b)
    return [(start - origin, end - origin) for start, end in inside]


def order(found: list[Line], sort: str, collate: str = "codepoint") -> list[Line]:
    key_text = pinyin_key if collate == "pinyin" else (lambda s: s or "")
    if sort == "left":
        return sorted(found, key=lambda ln: key_text(ln.left[::-1]))
    if sort == "right":
        return sorted(found, key=lambda ln: key_text(ln.right))
    if sort == "city":
        return sorted(found, key=lambda ln: (ln.city is None, key_text(ln.city), ln.year or 0))
    if sort == "year":
        return sorted(found, key=lambda ln: (ln.year is None, ln.year or 0, key_text(ln.city)))
    return found


def concordance(
    engine,
    text: str,
    width: int = 30,
    sort: str = "report",
    limit: int = 50,
    page: int = 1,
    sample: int | None = None,
    seed: int = 0,
    collate: str = "codepoint",
    report_id: str | None = None,
    **filters,
) -> dict:
    """One page of the concordance (or of a reproducible random sample of it)."""
    params.choice(sort, "sort", SORTS)
    params.choice(collate, "collate", COLLATIONS)
    width = params.whole_number(width, "width", 0, MAX_WIDTH)
    limit = params.whole_number(limit, "limit", 1, MAX_LIMIT)
    page = params.whole_number(page, "page", 1, params.MAX_PAGE * 10)
    found = lines(engine, text, width, report_id, **filters)
    total = len(found)
    chosen = found
    if sample is not None:
        sample = params.whole_number(sample, "sample", 1, 10**9)
        picked = sorted(random.Random(seed).sample(range(total), min(sample, total)))
        chosen = [found[i] for i in picked]
    chosen = order(chosen, sort, collate)
    pages = max(1, -(-len(chosen) // limit))
    start = (page - 1) * limit
    shown = chosen[start : start + limit]
    return {
        "query": text,
        "total": total,
        "lines": [ln.to_dict() for ln in shown],
        "page": page,
        "pages": pages,
        "limit": limit,
        "sort": sort,
        "width": width,
        "collate": collate,
        "sample": sample,
        "seed": seed if sample is not None else None,
        "shown": len(chosen),
        "dispersion": dispersion(engine, found, shown),
    }


def dispersion(engine, found: list[Line], shown: list[Line]) -> list[dict]:
    """Where in each report of this page its hits fall: offsets of all its hits and its size
    (drawn as a strip per report)."""
    ids = list(dict.fromkeys(ln.report_id for ln in shown))
    wanted = set(ids)
    starts: dict[str, list[int]] = {i: [] for i in ids}
    for ln in found:
        if ln.report_id in wanted:
            starts[ln.report_id].append(ln.start)
    out = []
    for i in ids:
        report = engine.report(i)
        out.append(
            {
                "report_id": i,
                "city": report.city,
                "year": report.year,
                "chars": report.chars,
                "starts": starts[i],
            }
        )
    return out


def all_lines(
    engine,
    text: str,
    width: int = 30,
    sort: str = "report",
    collate: str = "codepoint",
    report_id: str | None = None,
    **filters,
) -> list[Line]:
    """Every line, ordered: what the CSV export writes."""
    return order(lines(engine, text, width, report_id, **filters), sort, collate)


#: The columns of a concordance as CSV (``kwic --csv`` and ``/kwic.csv`` alike).
KWIC_COLUMNS = [
    "report_id",
    "title",
    "city",
    "province",
    "year",
    "section",
    "paragraph",
    "start",
    "end",
    "left",
    "match",
    "right",
    "permalink",
]


def permalink(line: dict, query: str) -> str:
    """The report page at the line's paragraph with the query's hits marked (a site path)."""
    anchor = f"#{line['paragraph']}" if line["paragraph"] else ""
    return f"/report/{quote(line['report_id'], safe='')}?{urlencode({'q': query})}{anchor}"
