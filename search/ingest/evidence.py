"""Evidence: the exact words that decided each metadata field, and the rule that read them.

Every field the metadata stage fills (city, province, level, year, date, speaker) gets an
evidence entry ``{"text", "start", "end", "rule"}``: ``text`` is the deciding words, ``start``
and ``end`` their offsets in the normalized report text (``None`` when the words stood on a
title, date or speaker line that ingest moved out of the body into the metadata), ``rule``
the name of the reading (``manifest`` when the manifest gave the value). A null field has a
null entry.

**Voice.** A report speaks as its own government: 我代表市人民政府, 我市, 本市 speak as a
city; 我县, 本县 (我旗) as a county; 我区, 本区 as a district (or an autonomous region); 我省,
本省 as a province. 全市/全省 do not count: a city ranks itself in 全省 (增速全省第3). :func:`voice` counts these and names the dominant kind, so the
metadata stage can refuse a level the text contradicts (a national opening in a text that
speaks as a city, a county name in a text that says 我市 throughout): such a field is null and
the candidates are kept in ``Report.conflicts`` for ``python -m search audit``.

Rules listed in :data:`WEAK` decide a value by counting mentions rather than by reading the
report's own statement; a built title never uses a value decided by them.
"""

from __future__ import annotations

import re

#: Rules that decide by counting or guessing rather than a statement of the report itself.
WEAK = frozenset(
    (
        "most named prefecture",
        "most named province",
        "former name",
        "press summary",
        "party committee",
        "plan heading",
        "period review",
    )
)

# How a government speaks of itself (我市, 本市); never of its superior (省委, 全省 in a city
# report) and never inside a longer word (资本市场, 本区域). 区 is shared by districts
# and autonomous regions.
_SELF = "(?:我代表{0}人民政府|[我本]{0})(?![场域])"
VOICES = {
    kind: re.compile(
        _SELF.format(kind) if kind != "县" else f"{_SELF.format('县')}|{_SELF.format('旗')}"
    )
    for kind in ("市", "县", "区", "省")
}
VOICE_AT_LEAST = 3

#: How the web pages name each rule (the JSON keeps the rule names).
RULE_LABELS = {
    "manifest": "清单文件",
    "represent": "“我代表…人民政府”",
    "session line": "会议行",
    "speaker line": "报告人行",
    "document header": "会议文件头",
    "title": "标题",
    "plan annex": "所附规划名称",
    "party committee": "党委领导（按次数）",
    "former name": "旧地名（按次数）",
    "press summary": "新闻摘要",
    "gazetteer": "行政区划",
    "most named prefecture": "提及最多的城市",
    "most named province": "提及最多的省份",
    "voice": "自称（我市/我县/我区…）",
    "State Council voice": "代表国务院",
    "State Council speaker": "国务院总理署名",
    "NPC session line": "全国人大会议行",
    "date line": "日期行",
    "date line (autumn session: next year)": "日期行（秋季会议：次年）",
    "NPC session": "全国人大会议届次",
    "NPC term": "全国人大届期",
    "review heading": "回顾章节标题",
    "review opening": "回顾首句",
    "plan heading": "工作安排标题",
    "period review": "规划期回顾",
}


def entry(text: str | None, start: int | None, end: int | None, rule: str) -> dict:
    return {"text": text, "start": start, "end": end, "rule": rule}


def at(
    report_text: str, words: str, rule: str, line: str | None = None, limit: int | None = None
) -> dict:
    """Evidence for ``words``: their first place in the text (up to ``limit``), else the
    front-matter ``line`` that held them (no offsets)."""
    found = report_text.find(words, 0, limit) if words else -1
    if found >= 0:
        return entry(words, found, found + len(words), rule)
    return entry(line or words or None, None, None, rule)


def of_match(match: re.Match, rule: str, offset: int = 0) -> dict:
    return entry(match.group(0), match.start() + offset, match.end() + offset, rule)


def voice(text: str) -> tuple[str | None, dict[str, int], dict[str, re.Match]]:
    """(dominant kind, counts, first match per kind) of how the text speaks of itself.

    Dominant: said at least :data:`VOICE_AT_LEAST` times and twice as often as any other
    kind; a bare 我代表X人民政府 wins outright.
    """
    counts, first = {}, {}
    for kind, pattern in VOICES.items():
        found = list(pattern.finditer(text))
        counts[kind] = len(found)
        if found:
            first[kind] = next((m for m in found if m.group(0).startswith("我代表")), found[0])
    bare = [k for k, m in first.items() if m.group(0).startswith("我代表")]
    if len(bare) == 1:
        return bare[0], counts, first
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    top, n = ranked[0]
    if n >= VOICE_AT_LEAST and n >= 2 * ranked[1][1]:
        return top, counts, first
    return None, counts, first


def fits(kind: str | None, name: str | None) -> bool:
    """A government name fits a voice: 镇江市 speaks as 市, 句容县 as 县, 广西壮族自治区 as 区.

    Names ending otherwise (自治州, 地区, 盟) have no voice to contradict.
    """
    if kind is None or not name:
        return True
    ends = {"市": ("市",), "县": ("县", "旗"), "区": ("区",), "省": ("省",)}
    if not name.endswith(("市", "县", "旗", "区", "省")):
        return True
    return name.endswith(ends[kind])


def candidate(value, evidence: dict) -> dict:
    return {"value": value, **evidence}
