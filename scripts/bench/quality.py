"""Real-corpus quality: metadata the ingest extracted from the text compared with
``manifest.csv``, and noise (watermarks, web chrome, invisible characters, repeated blocks)
left in the normalized texts."""

from __future__ import annotations

import collections
import re
from pathlib import Path

from .common import log
from .oracle import core_name

# Noise the corpus README lists (matched on the *normalized* text, one line at a time).
NOISE_RULES = {
    "watermark / credit (马克数据网, macrodatas, 马克团队)": re.compile(
        r"马克数据网|macrodatas|马克团队|数据由.{0,10}整理", re.I
    ),
    "web chrome (字体:大中小, 打印, 分享到)": re.compile(
        r"字[体号][:：]?\s*[\[【(（]?\s*大\s*中\s*小|^.{0,12}(打印|分享到).{0,12}$"
    ),
    "document header (…会议文件(九), 文件之…)": re.compile(
        r"会议(文件|资料)\s*(之[一二三四五六七八九十\d]+|[(（][一二三四五六七八九十\d]+[)）])|"
        r"^.{0,30}会议(文件|资料)$|^文件之[一二三四五六七八九十\d]+$"
    ),
    "print line (秘书处…印)": re.compile(r"秘书处.{0,30}印(发|制)?\s*$"),
    "page number (- 7 -, —1—)": re.compile(r"^\s*[-—–－~]+\s*\d{1,3}\s*[-—–－~]+\s*$"),
    "licence footer (Public domain, 公有领域)": re.compile(
        r"Public domain|公有领域|本作品是中华人民共和国的法律", re.I
    ),
    "web meta line (来源: … 时间: …)": re.compile(r"^(来源|发布时间|发布日期)[:：].{0,60}$"),
    "glyph-table garbage (ASCII run ≥ 20 with letters and $%&*#)": re.compile(
        r"(?=[\x21-\x7e]{20})(?=(?:[\x21-\x7e]*?[A-Za-z]){8})"
        r"(?:[\x21-\x7e]*?[$%&*#]){2}"
    ),
}
INVISIBLE_RULES = {
    "private-use chars (U+E000-F8FF)": re.compile("[\ue000-\uf8ff]"),
    "zero-width / BOM / soft hyphen": re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]"),
    "C0/C1 control chars": re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]"),
}
REPEAT_MIN = 20  # a repeated line / sentence of at least this many characters is a repeated block
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")


def city_verdict(extracted: str | None, listed: str | None) -> str:
    if extracted == listed:
        return "city ok"
    if (
        extracted
        and listed
        and (
            core_name(extracted) == core_name(listed)
            or (len(listed) >= 2 and extracted.endswith(listed))
        )
    ):
        return "city ok (other form of the name)"
    return "city null" if not extracted else "city wrong"


def year_verdict(extracted: int | None, listed: int | None) -> str:
    if extracted == listed:
        return "year ok"
    if extracted is None:
        return "year null"
    if listed is not None and abs(extracted - listed) == 1:
        return "year wrong (off by one)"
    return "year wrong"


def metadata_audit(reports: list, manifest: dict[str, dict]) -> dict:
    kinds = collections.Counter()
    examples = collections.defaultdict(list)
    by_level = collections.defaultdict(collections.Counter)
    compared = 0
    for r in reports:
        row = manifest.get(Path(r.source).name)
        if not row:
            continue
        compared += 1
        level, city = row.get("level") or "?", row.get("city") or None
        year = int(row["year"]) if (row.get("year") or "").strip().isdigit() else None
        ck, yk = city_verdict(r.city, city), year_verdict(r.year, year)
        for k in (ck, yk):
            kinds[k] += 1
            by_level[level][k] += 1
            if "ok" not in k and len(examples[k]) < 12:
                examples[k].append(
                    {
                        "file": row["file"],
                        "manifest": f"{city} {year}",
                        "extracted": f"{r.city} {r.year}",
                    }
                )
        both = ck.startswith("city ok") and yk == "year ok"
        kinds["both ok"] += both
        by_level[level]["both ok"] += both
        by_level[level]["reports"] += 1
    return {
        "compared": compared,
        "kinds": dict(kinds),
        "examples": dict(examples),
        "by_level": {k: dict(v) for k, v in by_level.items()},
    }


def line_noise(reports: list, rule: re.Pattern) -> dict:
    lines, files, ex = 0, 0, []
    for r in reports:
        hit = [line for line in r.text.split("\n") if rule.search(line)]
        if not hit:
            continue
        files += 1
        lines += len(hit)
        if len(ex) < 4:
            line = hit[0]
            m = rule.search(line)
            a, b = max(0, m.start() - 25), min(len(line), m.end() + 25)
            ex.append(f"{r.source}: {'…' if a else ''}{line[a:b]}{'…' if b < len(line) else ''}")
    return {"lines": lines, "reports": files, "examples": ex}


def char_noise(reports: list, rule: re.Pattern) -> dict:
    chars, files, ex = 0, 0, []
    for r in reports:
        n = len(rule.findall(r.text))
        if n:
            files += 1
            chars += n
            if len(ex) < 4:
                ex.append(f"{r.source}: {n}")
    return {"chars": chars, "reports": files, "examples": ex}


def repeated_blocks(reports: list) -> dict:
    """A line (paragraph) or sentence of >= REPEAT_MIN chars seen twice in a report."""
    rep_lines = rep_sent = rep_files = 0
    rows = []
    for r in reports:
        lines = [x for x in r.text.split("\n") if len(x) >= REPEAT_MIN]
        dup_l = sum(c - 1 for c in collections.Counter(lines).values() if c > 1)
        sents = [s.strip() for s in _SENTENCE_END.split(r.text) if len(s.strip()) >= REPEAT_MIN]
        cnt = collections.Counter(sents)
        dup_s = sum(c - 1 for c in cnt.values() if c > 1)
        if dup_l or dup_s:
            rep_files += 1
            rep_lines += dup_l
            rep_sent += dup_s
            s = next(s for s, c in cnt.items() if c > 1) if dup_s else ""
            rows.append((dup_s, f"{r.source}: {dup_s} repeated sentences, e.g. {s[:50]}"))
    return {
        "lines": rep_sent,
        "repeated_paragraphs": rep_lines,
        "reports": rep_files,
        "examples": [text for _, text in sorted(rows, key=lambda x: -x[0])[:6]],
    }


def part_quality(reports: list, manifest: dict[str, dict]) -> dict:
    log("quality: extracted metadata vs manifest, noise left after ingest")
    noise = {name: line_noise(reports, rule) for name, rule in NOISE_RULES.items()}
    noise.update({name: char_noise(reports, rule) for name, rule in INVISIBLE_RULES.items()})
    noise["repeated blocks (sentences ≥ 20 chars twice in a report)"] = repeated_blocks(reports)
    return {**metadata_audit(reports, manifest), "noise": noise, "reports": len(reports)}
