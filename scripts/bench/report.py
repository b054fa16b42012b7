"""The report: targets judged from the measurements, and ``docs/benchmarks.md`` rendered
from ``templates/benchmarks.md.j2`` (Jinja2) with the hand-written notes of the previous
report kept between their markers."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from .common import TARGETS, fnum, mb, ok

NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"
BASELINE_NAMES = {
    "naive": "naive Whoosh + `jieba.analyse.ChineseAnalyzer`, 1 doc/report",
    "tantivy-chars": "tantivy, 1 token per CJK char (punctuation dropped)",
    "tantivy-strict": "tantivy, 1 token per char incl. punctuation",
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
        autoescape=False,
    )
    env.filters.update(mb=mb, fnum=fnum, ok=ok, f=format)
    return env


def render(res: dict) -> str:
    template = _environment().get_template("benchmarks.md.j2")
    return template.render(res=res, targets=TARGETS, baseline_names=BASELINE_NAMES)


def kept_notes(path: Path) -> str | None:
    """Hand-written analysis between the notes markers of the previous report, kept verbatim."""
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    start, end = text.find(NOTES_START), text.find(NOTES_END)
    if start < 0 or end < start:
        return None
    return text[start + len(NOTES_START) : end].strip() or None


def _build_targets(res: dict, add) -> None:
    b = res["build"]
    note = f" (quick: {res['corpus']['files']} files only)" if res["quick"] else ""
    add(
        "full build ≤ 4 min" + note,
        f"{b['build_seconds']:.1f} s",
        b["build_seconds"] <= TARGETS["build_seconds"],
    )
    naive = res.get("baselines", {}).get("naive")
    if not naive:
        return
    ratio = b["chars_per_s"] / naive["chars_per_s"]
    cpu_note = ""
    if b.get("build_cpu") and naive.get("build_cpu"):
        mine = b["chars"] / b["build_cpu"]
        cpu_note = (
            f" (per CPU second: {mine:,.0f} vs {naive['cpu_chars_per_s']:,.0f} = "
            f"{mine / naive['cpu_chars_per_s']:.2f}×)"
        )
    add(
        "build ≥ 3× naive chars/s",
        f"{b['chars_per_s']:,.0f} vs {naive['chars_per_s']:,.0f} chars/s = {ratio:.2f}×{cpu_note}",
        ratio >= TARGETS["build_vs_naive"],
    )


def _query_targets(q: dict, add) -> None:
    g, bru = q["phrase"]["govsearch"], q["phrase"]["brute"]
    add(
        "phrase query p50 ≤ 15 ms (with snippets)",
        f"{g['p50']:.1f} ms",
        g["p50"] <= TARGETS["phrase_p50_ms"],
    )
    add(
        "phrase query p95 ≤ 50 ms (with snippets)",
        f"{g['p95']:.1f} ms",
        g["p95"] <= TARGETS["phrase_p95_ms"],
    )
    add(
        "phrase query p50 below brute force",
        f"{g['p50']:.1f} vs {bru['p50']:.1f} ms",
        g["p50"] < bru["p50"],
    )
    ga, ba = q["all"]["govsearch"], q["all"]["brute"]
    add(
        "(all queries) p50 below brute force",
        f"{ga['p50']:.1f} vs {ba['p50']:.1f} ms",
        ga["p50"] < ba["p50"],
    )
    add(
        "recall 100 % (report sets, all queries)",
        f"{q['recall_micro'] * 100:.3f} % (min per query {q['recall_min'] * 100:.1f} %)",
        q["recall_micro"] == 1.0 and q["recall_min"] == 1.0,
    )
    add(
        "precision 100 %",
        f"{q['precision_micro'] * 100:.3f} % (min per query {q['precision_min'] * 100:.1f} %)",
        q["precision_micro"] == 1.0 and q["precision_min"] == 1.0,
    )
    add(
        "exact per-report counts",
        f"{q['exact_queries']}/{len(q['rows'])} queries exact",
        q["exact_queries"] == len(q["rows"]),
    )


def targets(res: dict) -> list[dict]:
    """The ``make bench`` targets: {target, measured, met} each."""
    out = []

    def add(target, measured, met):
        out.append({"target": target, "measured": measured, "met": met})

    _build_targets(res, add)
    if res.get("queries"):
        _query_targets(res["queries"], add)
    w = res.get("web")
    if w and not w.get("error"):
        add("`/api/search` ≥ 150 req/s", f"{w['rps']:.1f} req/s", w["rps"] >= TARGETS["web_rps"])
        add("serving RSS ≤ 400 MB", mb(w["rss_peak"]), w["rss_peak"] <= TARGETS["web_rss_mb"] * 1e6)
    s = res.get("scaling")
    if s:
        add(
            "build time linear in corpus size",
            f"time per char, full ÷ ¼: wall "
            f"{s['per_char_ratio']:.2f}, CPU {s['cpu_per_char_ratio']:.2f}",
            s["linear"],
        )
    return out


def write(res: dict, out_md: Path, out_json: Path) -> None:
    """Write the Markdown (keeping the notes of the file it replaces) and the JSON
    (atomically)."""
    res["profile_notes"] = kept_notes(out_md)
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(render(res), "utf-8")
    tmp = out_json.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), "utf-8")
    tmp.replace(out_json)
