"""Audit: the reports whose metadata a researcher should check before trusting a panel.

A report is listed when one of its fields (city, province, level, year) is null, when the
text's signals disagreed (``Report.conflicts``: the field was left null and every candidate is
listed with its evidence), or when a value was decided by a weak rule (counting mentions,
see :data:`search.ingest.evidence.WEAK`). The CLI (``python -m search audit``) and the web
page ``/audit`` (JSON twin ``/api/audit``) both print :func:`audit`'s result.
"""

from __future__ import annotations

from collections import Counter

from .ingest.evidence import RULE_LABELS, WEAK
from .models import Report

AUDITED = ("city", "province", "level", "year")


def field_status(report: Report, name: str) -> dict | None:
    """One field's audit entry, or None when it is known by a report's own statement."""
    value = getattr(report, name)
    proof = report.evidence.get(name)
    candidates = report.conflicts.get(name, [])
    if candidates and value is None:
        status = "conflict"
    elif value is None:
        status = "null"
    elif proof and proof.get("rule") in WEAK:
        status = "weak"
    else:
        return None
    return {
        "field": name,
        "status": status,
        "value": value,
        "evidence": proof,
        "candidates": candidates,
    }


def report_entry(report: Report) -> dict | None:
    fields = [entry for entry in (field_status(report, n) for n in AUDITED) if entry]
    if not fields:
        return None
    return {
        "id": report.id,
        "title": report.title,
        "title_source": report.title_source,
        "source": report.source,
        "city": report.city,
        "level": report.level,
        "year": report.year,
        "fields": fields,
    }


def audit(reports) -> dict:
    """``{"total", "listed", "counts": {field: {status: n}}, "reports": [...]}``.

    Reports in id order; conflicts first, then nulls, then weak values.
    """
    reports = list(reports)
    order = {"conflict": 0, "null": 1, "weak": 2}
    listed = [entry for entry in map(report_entry, reports) if entry]
    listed.sort(key=lambda e: (min(order[f["status"]] for f in e["fields"]), e["id"]))
    counts: dict[str, Counter] = {name: Counter() for name in AUDITED}
    for entry in listed:
        for f in entry["fields"]:
            counts[f["field"]][f["status"]] += 1
    return {
        "total": len(reports),
        "listed": len(listed),
        "counts": {name: dict(c) for name, c in counts.items()},
        "reports": listed,
    }


def evidence_view(report: Report) -> dict[str, dict]:
    """Per field, what the report page shows on hover: the value's words, the sentence of the
    text holding them and that paragraph's id (for a link), and the rule.

    Words on a title, date or speaker line (no offsets) are shown as that line.
    """
    from .display import shown
    from .snippets import paragraph_at, sentence_around

    view = {}
    for name, proof in report.evidence.items():
        if not proof:
            continue
        item = {
            "rule": proof["rule"],
            "label": RULE_LABELS.get(proof["rule"], proof["rule"]),
            "words": proof["text"],
            "sentence": None,
            "parts": None,
            "paragraph": None,
            "weak": proof["rule"] in WEAK,
        }
        if proof.get("start") is not None:
            left, right = sentence_around(report.text, proof["start"], proof["end"])
            left, right = min(left, proof["start"]), max(right, proof["end"])
            item["sentence"] = shown(report, left, right).strip()
            item["parts"] = [
                shown(report, left, proof["start"]).lstrip(),
                shown(report, proof["start"], proof["end"]),
                shown(report, proof["end"], right).rstrip(),
            ]
            paragraph = paragraph_at(report, proof["start"])
            item["paragraph"] = paragraph.id if paragraph else None
        view[name] = item
    return view
