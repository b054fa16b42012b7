"""One report: its normalized text with every hit marked, and the original file on request."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, redirect, request, url_for

from search import trends
from search.audit import evidence_view
from search.display import shown

from .helpers import engine, query_text, render_or_json, wants_json
from .targets import targets_box

bp = Blueprint("report", __name__)


@bp.route("/report/<report_id>")
@bp.route("/api/report/<report_id>", endpoint="api_show")
def show(report_id: str):
    q = query_text()
    eng = engine()
    if request.args.get("original") == "1":
        eng.report(report_id)  # unknown id -> 404, not a redirect
        endpoint = "report.api_original" if wants_json() else "report.original"
        return redirect(url_for(endpoint, report_id=report_id))
    data = eng.show(report_id, q or None)  # UnknownReportError -> 404
    if wants_json():
        return render_or_json("report.html", data)
    hits = merge(data["hits"])
    report = eng.report(report_id)
    sections, hit_paragraphs = layout(data["sections"], hits, show=partial(shown, report))
    return render_or_json(
        "report.html",
        data,
        q=q,
        sections=sections,
        hit_count=len(hits),
        hit_paragraphs=hit_paragraphs,
        has_original=original_page(eng, report_id) is not None,
        evidence=evidence_view(report),
        previous=trends.previous_of(eng, report),
        targets_box=targets_box(eng, report_id),
    )


@bp.route("/report/<report_id>/original")
@bp.route("/api/report/<report_id>/original", endpoint="api_original")
def original(report_id: str):
    """The file's text as the build read it, from the index (never parsed again), in pages."""
    eng = engine()
    report = eng.report(report_id)  # the id is only ever a key of the engine's dict
    page = original_page(eng, report_id, _page_arg())
    if page is None:
        from werkzeug.exceptions import NotFound

        raise NotFound("这份报告的原始文件没有随索引保存，请重新建立索引后再看。")
    data = {
        "id": report.id,
        "title": report.title,
        "source": report.source,
        "part": report.part,
        **page,
        "note": _original_note(page),
    }
    return render_or_json("original.html", data, q=query_text())


def _page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _original_note(page: dict) -> str | None:
    """What the page does not show, said plainly."""
    notes = []
    if page["pages"] > 1:
        notes.append(
            f"原文共 {page['chars']:,} 字，分 {page['pages']} 页显示，这是第 {page['page']} 页。"
        )
    if page["truncated"]:
        notes.append(f"原文件有 {page['total_chars']:,} 字，索引只保存了前 {page['chars']:,} 字。")
    return "".join(notes) or None


def merge(hits: list[dict]) -> list[tuple[int, int]]:
    """Hit offsets in order, overlapping ones (from overlapping phrases) merged."""
    out: list[list[int]] = []
    for hit in sorted((h["start"], h["end"]) for h in hits):
        if out and hit[0] < out[-1][1]:
            out[-1][1] = max(out[-1][1], hit[1])
        else:
            out.append(list(hit))
    return [(a, b) for a, b in out]


def layout(sections: list[dict], hits: list[tuple[int, int]], show=None):
    """Sections with each paragraph cut into pieces ``(text, hit number or None)``.

    A hit is numbered in document order (``hit-1`` …) and given to the piece where it starts.
    Offsets are normalized; a piece's characters are ``show(start, end)`` — the report's own
    (search.display.shown) — when given. Everything stays plain text: the template escapes it.
    """
    out, hit_paragraphs = [], []
    at = 0  # first hit that may still touch the current paragraph
    for section in sections:
        paragraphs = []
        section_hits = 0
        for p in section["paragraphs"]:
            text, start, end = p["text"], p["start"], p["end"]
            cut = show or (lambda a, b, text=text, start=start: text[a - start : b - start])
            while at < len(hits) and hits[at][1] <= start:
                at += 1
            pieces, cursor, first_hit, count = [], start, None, 0
            index = at
            while index < len(hits) and hits[index][0] < end:
                a, b = max(hits[index][0], start), min(hits[index][1], end)
                if a > cursor:
                    pieces.append((cut(cursor, a), None, False))
                number = index + 1 if hits[index][0] >= start else None
                pieces.append((cut(a, b), number, True))
                if number is not None:
                    count += 1
                    first_hit = first_hit or number
                cursor = b
                index += 1
            if cursor < end:
                pieces.append((cut(cursor, end), None, False))
            if count:
                hit_paragraphs.append({"id": p["id"], "hits": count, "first": first_hit})
            section_hits += count
            heading = (
                not paragraphs
                and bool(section["title"])
                and text.strip() == section["title"].strip()
            )
            paragraphs.append({"id": p["id"], "pieces": pieces, "hits": count, "heading": heading})
        titled = bool(paragraphs and paragraphs[0]["heading"])
        title = section["title"]
        if titled:  # the heading as the file writes it (its own （一）, not (一))
            title = "".join(piece[0] for piece in paragraphs[0]["pieces"]).strip()
        out.append(
            {
                **{k: section[k] for k in ("ordinal", "kind")},
                "title": title,
                "hits": section_hits,
                "paragraphs": paragraphs,
                "titled": titled,
            }
        )
    return out, hit_paragraphs


def original_page(eng, report_id: str, page: int = 1) -> dict | None:
    """A page of the original text stored by the build (see search.originals), or None."""
    from search.originals import read_page

    return read_page(eng.index / eng.snapshot.generation, report_id, page)
