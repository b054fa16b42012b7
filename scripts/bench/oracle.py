"""Brute force: the definition of right, written without the engine's rules.

Every figure the benchmark calls "exact" is compared with this scan over every report's
normalized text. It imports only the query *parser* (to know what the user asked: the
phrases, AND/OR/NOT and the filters) and reads the reports' metadata through the public
``Engine`` API. Counting, the Latin-word boundary rule, the place-name rule, the year range
and the section restriction are written here again, from their documented meaning, in
simpler code than the engine's — so a bug in the engine's version of a rule shows up as a
difference instead of being copied into the truth.

The documented meanings:
- a phrase occurs where it is a substring of the text; ASCII letters match either case, and
  a phrase that begins (ends) with a Latin letter or digit only matches where the text has
  no letter/digit just before (after) it (G312 is not in G3125); occurrences don't overlap;
- a place filter ``v`` matches a report name ``n`` when they are equal, when they are equal
  once the administrative suffix (省, 市, 自治区, 地区, …) is dropped from both (镇江 =
  镇江市), or when ``v`` is a county-level name of at least 3 characters ending in 区, 县,
  市 or 旗 and ``n`` ends with it (相城区 = 苏州市相城区); prefecture filters match the
  report's prefecture or its city;
- years are an inclusive range; a report without a year never matches a year filter;
- a section filter counts only inside sections of those kinds.
"""

from __future__ import annotations

import re

# The administrative suffix of a place name, longest alternatives first; the rest must keep
# at least two characters (北京市 → 北京, but 沙市 stays 沙市).
_SUFFIX = re.compile(r"^(..+?)(特别行政区|(?:维吾尔|壮族|回族)?自治区|自治州|地区|省|市|盟)$")
_COUNTY = ("区", "县", "市", "旗")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def core_name(name: str) -> str:
    m = _SUFFIX.match(name)
    return m.group(1) if m else name


def place_is(value: str, name: str | None) -> bool:
    """True if the filter value ``value`` names the place ``name`` (see the module doc)."""
    if not name:
        return False
    if value == name or core_name(value) == core_name(name):
        return True
    return len(value) >= 3 and value[-1] in _COUNTY and name.endswith(value)


def phrase_pattern(phrase: str) -> re.Pattern | None:
    """A regex for a phrase with Latin letters/digits (case-folded, word-bounded), else None.

    Written again on purpose, not imported from search.matching (``duplicates`` pairs the
    two): the oracle must not share the rule it checks (see the module doc)."""
    if not _ALNUM.search(phrase):
        return None
    head = r"(?<![A-Za-z0-9])" if _ALNUM.fullmatch(phrase[0]) else ""
    tail = r"(?![A-Za-z0-9])" if _ALNUM.fullmatch(phrase[-1]) else ""
    return re.compile(head + re.escape(phrase) + tail, re.IGNORECASE | re.ASCII)


def positive_phrases(node, negated: bool = False) -> list[str]:
    """Phrases under an even number of NOTs, in query order, each once."""
    kind = type(node).__name__
    if kind == "Phrase":
        return [] if negated else [node.text]
    if kind == "Not":
        return positive_phrases(node.item, not negated)
    found = [p for item in getattr(node, "items", ()) for p in positive_phrases(item, negated)]
    return list(dict.fromkeys(found))


def holds(node, present) -> bool:
    """Evaluate the AND/OR/NOT tree, ``present(phrase)`` answering for a phrase."""
    kind = type(node).__name__
    if kind == "Phrase":
        return present(node.text)
    if kind == "Not":
        return not holds(node.item, present)
    if kind == "And":
        return all(holds(i, present) for i in node.items)
    if kind == "Or":
        return any(holds(i, present) for i in node.items)
    raise TypeError(f"unknown query node {node!r}")


def parse_query(text: str):
    """The parsed query (the parser is the engine's: the question, not an answer)."""
    from search.ingest.normalize import normalize_query
    from search.query import parse

    return parse(normalize_query(text))


def full_reports(engine) -> list:
    """Every report with its text, in id order, through the public API only
    (``Engine.reports()`` lists them, ``Engine.report(id)`` gives the text and sections)."""
    return [engine.report(r.id) for r in sorted(engine.reports(), key=lambda r: r.id)]


class BruteForce:
    """Scans every report: ``run(query)`` → {report id: hits} for the matching reports."""

    def __init__(self, reports: list):
        self.reports = sorted(reports, key=lambda r: r.id)
        self._patterns: dict[str, re.Pattern | None] = {}

    def count(self, text: str, phrase: str, start: int, end: int) -> int:
        if phrase not in self._patterns:
            self._patterns[phrase] = phrase_pattern(phrase)
        pattern = self._patterns[phrase]
        if pattern is None:
            return text.count(phrase, start, end)
        return sum(1 for _ in pattern.finditer(text, start, end))

    @staticmethod
    def admitted(r, f) -> bool:
        """Does report ``r`` pass the filters ``f`` (places and years)?"""
        places = (
            (f.city, (r.city,)),
            (f.province, (r.province,)),
            (f.prefecture, (r.prefecture, r.city)),
        )
        for values, names in places:
            if values and not any(place_is(v, n) for v in values for n in names):
                return False
        if f.year_from is not None and (r.year is None or r.year < f.year_from):
            return False
        return not (f.year_to is not None and (r.year is None or r.year > f.year_to))

    def run(self, text: str) -> dict[str, int]:
        """report id -> hits (sum of the positive phrases' exact counts) for matching reports."""
        parsed = parse_query(text)
        f, expr = parsed.filters, parsed.expr
        positive = positive_phrases(expr) if expr is not None else []
        out = {}
        for r in self.reports:
            if not self.admitted(r, f):
                continue
            spans = (
                [(s.start, s.end) for s in r.sections if s.kind in f.section]
                if f.section
                else [(0, len(r.text))]
            )
            if not spans:
                continue
            if expr is None:
                out[r.id] = 0
                continue
            counts: dict[str, int] = {}

            def hits(p: str, r=r, spans=spans, counts=counts) -> int:
                if p not in counts:
                    counts[p] = sum(self.count(r.text, p, a, b) for a, b in spans)
                return counts[p]

            if holds(expr, lambda p: hits(p) > 0):
                out[r.id] = sum(hits(p) for p in positive)
        return out


def compare_sets(truth: dict[str, int], got: dict[str, int] | set | list) -> dict:
    """Recall/precision of a report set against the truth, and per-report count mismatches."""
    got_ids = set(got)
    want = set(truth)
    tp = len(want & got_ids)
    recall = tp / len(want) if want else 1.0
    precision = tp / len(got_ids) if got_ids else (1.0 if not want else 0.0)
    out = {
        "truth": len(want),
        "found": len(got_ids),
        "recall": recall,
        "precision": precision,
        "missed": sorted(want - got_ids)[:5],
        "extra": sorted(got_ids - want)[:5],
    }
    if isinstance(got, dict):
        wrong = [rid for rid in want & got_ids if truth[rid] != got[rid]]
        out["count_mismatches"] = len(wrong)
        out["count_examples"] = [(rid, truth[rid], got[rid]) for rid in sorted(wrong)[:5]]
    return out
