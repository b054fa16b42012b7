"""Find each indicator's target, last year's result and five-year-plan figures in one report.

The text is scanned with whitespace removed (a map keeps every character's offset in the
normalized text), so OCR spaces and a target broken over a line read like the clean sentence;
traditional characters and full-width digits are already simplified by ingest. A figure is an
indicator's *subject* (地区生产总值) that starts a clause, a short gap (预计, 930亿元,), a
*verb* (增长) and a number read by :mod:`search.targets.numbers`.

Which figure is which (docs/targets.md has the full rules and the measured quality):

* **target** — a figure in a paragraph (or a one-item-per-line list) that opens the year's
  targets (主要预期目标是:), in a ``plan`` section first, then elsewhere; else the first figure
  of a ``plan`` section; else one in a sentence naming this year. Target words
  (与经济增长同步) count as a target with no number.
* **result** — the first numeric figure of the ``review`` (or, in a report without one, of
  the text before its plan or its first list of targets).
* **plan_period** — figures stated as averages over a plan period (年均, 十四五时期 …),
  never taken as a year's target or result.

Nothing is guessed: no figure → no entry.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from ..ingest.gazetteer import short_name
from ..models import Report
from ..snippets import paragraph_at
from . import numbers
from .indicators import TABLE, Indicator

#: Characters that end a clause: a subject must start one, target words must fill one.
CLAUSE_ENDS = ",;:。!?、()“”\"'《》\n—"
SENTENCE_ENDS = "。!?;"
#: Words allowed between a clause start and a subject (全市, 预计, 主要预期目标是 …).
LEAD = re.compile(
    r"(?:.*(?:目标|指标)(?:是|为)?)?"
    r"(?:全市|全区|全县|全省|全州|全盟|全旗|全国|我市|我区|我县|我省|本市|全年|今年|明年|"
    r"\d{4}年|预计|预期|全力|努力|奋力|力求|力争|争取|确保|保持|实现|完成|其中|同时|此外|以及|和|及|"
    r"并|要|使|推动|按可比价格计算|按可比口径计算|"
    r"[一二三四五六七八九十\d]+[是为])*"
)
#: Between a subject and its verb: an expectation word, a level (930亿元), a comma.
GAP = (
    r"(?:预计|预期|力争|争取|确保|年均|实现|完成|达到|达|为|总量|同比|比上年|可比价|"
    r"按可比价格计算|全年|突破|超过|实际|名义|可比|同口径|现价|"
    r"\d[\d.·•]*(?:万亿|亿|万)?元(?:以上|左右)?|[,、]){0,6}?"
)
#: Between a verb and the figure.
FILL = r"(?:率)?(?:预计|预期)?(?:目标)?(?:为|达到|达|在|控制在|保持在|:)?(?:力争|争取)?"
#: What must follow a verb: the whole figure, so the pattern backtracks to the verb before it.
VALUE_START = {"percent": rf"(?={numbers.PERCENT_VALUE})", "count": rf"(?={numbers.COUNT_VALUE})"}
#: A figure followed by another for a second subject (城乡居民收入增长10%和13%).
SEVERAL = re.compile(r"[和与及、]")
STRIVE = re.compile(r"[,、]?(?:并|但)?(?:力争|争取)(?:实现|达到|达|增长|增幅|下降|控制在)?")
PERIOD_GAP = re.compile(r"年均|累计|五年|十年")
PERIOD_SENTENCE = re.compile(
    r"(?:未来|今后)[五5]年|十[一二三四五六七八九]五(?:时期|期间|期末|末)|"
    r"规划期|[到至]20\d\d年|20\d\d年前|五年来|过去五年"
)
ANNUAL_SENTENCE = re.compile(r"今年|明年|主要预期目标|年度目标|预期目标是|预期目标为")
#: A paragraph naming the targets it lists (主要预期目标是:, 预期指标为 …).
TARGET_CUE = re.compile(r"(?:目标|指标)(?:建议|确定|设定|安排)?(?:是|为|:)")
#: Target words: what may fill the rest of a clause instead of a figure.
WORDS_PREFIX = r"(?:增速|增幅|增长|涨幅|下降率|总水平)?(?:要|应|须|力争|努力)?(?:实现|保持|做到)?"


@dataclass(slots=True)
class Figure:
    """One figure a report states; ``low`` is None when it is stated in words only."""

    indicator: str
    kind: str  # target | result | plan_period
    low: float | int | None
    high: float | int | None
    qualifier: str
    strive: float | int | None
    text: str
    start: int
    end: int
    paragraph: str | None

    def to_dict(self) -> dict:
        return asdict(self)


class Compact:
    """The report text without whitespace, mapped back to offsets in the text: one entry per
    run of non-space characters (a few hundred a report), so building it is cheap."""

    def __init__(self, text: str):
        self.starts: list[int] = []  # compact offset of each run
        self.origins: list[int] = []  # text offset of each run
        self.lengths: list[int] = []
        pieces, at = [], 0
        for run in _RUN.finditer(text):
            self.starts.append(at)
            self.origins.append(run.start())
            self.lengths.append(run.end() - run.start())
            pieces.append(run.group())
            at += run.end() - run.start()
        self.text = "".join(pieces)

    def original(self, i: int) -> int:
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.original(a), self.original(b - 1) + 1

    def index(self, offset: int) -> int:
        """The compact position of the first kept character at or after ``offset``."""
        k = bisect_right(self.origins, offset) - 1
        if k < 0:
            return 0
        if offset < self.origins[k] + self.lengths[k]:
            return self.starts[k] + offset - self.origins[k]
        return self.starts[k + 1] if k + 1 < len(self.starts) else len(self.text)


_RUN = re.compile(r"\S+")


def _patterns(ind: Indicator) -> tuple[re.Pattern, tuple[re.Pattern, ...], re.Pattern]:
    subjects = "|".join(sorted(map(re.escape, ind.subjects), key=len, reverse=True))
    verbs = "|".join(sorted(map(re.escape, ind.verbs), key=len, reverse=True))
    value = VALUE_START[ind.value]
    heads = [rf"(?P<subject>{subjects})(?P<gap>{GAP})(?:{verbs}){FILL}{value}"]
    if ind.bare_subjects:  # 经济增长8%: the subject says "growth" itself
        bare = "|".join(sorted(map(re.escape, ind.bare_subjects), key=len, reverse=True))
        heads.insert(0, rf"(?P<subject>{bare})(?P<gap>{GAP}){FILL}{value}")
    heads = tuple(re.compile(h) for h in heads)
    words = "|".join(sorted(map(re.escape, ind.words), key=len, reverse=True)) or "(?!)"
    tail = re.compile(
        rf"{WORDS_PREFIX}(?P<words>{words}|(?:高于|快于|不低于|略高于|超过)[^,;。]{{0,14}}"
        rf"(?:增长|增幅|增速|水平|平均)|与[^,;。]{{1,10}}(?:同步|相适应|相协调|持平|相当))"
    )
    every = sorted(map(re.escape, ind.subjects + ind.bare_subjects), key=len, reverse=True)
    return re.compile("|".join(every)), heads, tail


PATTERNS = {ind.key: (ind, *_patterns(ind)) for ind in TABLE}


def _clause_start(text: str, at: int) -> int:
    i = at
    while i > 0 and text[i - 1] not in CLAUSE_ENDS:
        i -= 1
    return i


def _clause_end(text: str, at: int) -> int:
    i = at
    while i < len(text) and text[i] not in CLAUSE_ENDS:
        i += 1
    return i


def _sentence(text: str, at: int) -> str:
    a = at
    while a > 0 and text[a - 1] not in SENTENCE_ENDS:
        a -= 1
    b = at
    while b < len(text) and text[b] not in SENTENCE_ENDS:
        b += 1
    return text[a:b]


def _value(ind: Indicator, text: str, at: int):
    parse = numbers.parse_count if ind.value == "count" else numbers.parse_percent
    return parse(text, at)


def _strive(ind: Indicator, text: str, at: int):
    match = STRIVE.match(text, at)
    if not match:
        return None
    return _value(ind, text, match.end())


def _lead_ok(lead: str, names: tuple[str, ...]) -> bool:
    """The words before a subject in its clause are only leads (全市, 预计 …) or the report's
    own place name (莆田市生产总值), never another body (高新区, 县域)."""
    for name in names:
        if name and lead.endswith(name):
            lead = lead[: -len(name)]
            break
    return bool(LEAD.fullmatch(lead))


def _scan(
    ind: Indicator,
    subject: re.Pattern,
    heads: tuple[re.Pattern, ...],
    tail: re.Pattern,
    text: str,
    names: tuple[str, ...] = (),
):
    """Yield (start, end, low, high, qualifier, strive, lead+gap) for each figure of ``ind``."""
    for found in subject.finditer(text):
        a, b = found.span()
        if any(text.endswith(w, 0, a) for w in ind.not_preceded_by):
            continue
        if any(text.startswith(w, b) for w in ind.not_followed_by):
            continue
        lead = text[_clause_start(text, a) : a]
        if not _lead_ok(lead, names):
            continue
        match = next(
            (
                m
                for m in (head.match(text, a) for head in heads)
                if m and m.group("subject") == found.group(0)
            ),
            None,
        )
        if match:
            parsed = _value(ind, text, match.end())
            several = ind.value == "percent" and parsed and SEVERAL.match(text, parsed[0].end())
            if several and _value(ind, text, parsed[0].end() + 1):
                continue  # 增长10%和13%: one figure for each of several (urban, rural)
            if parsed:
                value, low, high, qualifier = parsed
                end, strive = value.end(), None
                striven = _strive(ind, text, end)
                if striven:
                    strive, end = striven[1], striven[0].end()
                elif "力争" in lead + match.group("gap") or "争取" in lead + match.group("gap"):
                    strive = low
                yield a, end, low, high, qualifier, strive, lead + match.group("gap")
                continue
        words = (
            None
            if found.group(0) in ind.bare_subjects
            else tail.fullmatch(text, b, _clause_end(text, b))
        )
        if words:
            yield a, words.end(), None, None, words.group("words"), None, lead


#: How many paragraphs a list of targets may run over (——地区生产总值增长7%左右; one per line).
LIST_PARAGRAPHS = 20


def _list_start(report: Report, para, offset: int) -> int:
    """Where the paragraph of ``offset`` starts or, inside a list whose items end in ; and
    whose head ends in : (主要预期目标是:), where the list's head starts."""
    if para is None:
        return offset
    index = report.paragraphs.index(para)
    first = index
    while first > 0 and index - first < LIST_PARAGRAPHS:
        previous = report.paragraph_text(report.paragraphs[first - 1]).rstrip()
        if not previous.endswith((";", ":")):
            break
        first -= 1
        if previous.endswith(":"):
            break
    return (
        report.paragraphs[first].start
        if first < index and report.paragraph_text(report.paragraphs[first]).rstrip().endswith(":")
        else para.start
    )


def _section_kind(report: Report, offset: int) -> str:
    for section in report.sections:
        if section.start <= offset < section.end:
            return section.kind
    return "other"


def _rank(kind: str, sentence: str, before: str, has_value: bool) -> tuple[str, int] | None:
    """Which list a figure goes to and its rank there (lower wins), or None to drop it.
    ``before`` is its paragraph up to the figure: a paragraph that opens a list of targets
    (主要预期目标是:) makes each figure in it a target, even in a review section (a report
    whose plan section was not recognized)."""
    listed = bool(TARGET_CUE.search(before))
    if kind == "review":
        if listed:
            return "targets", 4
        return ("results", 0) if has_value else None
    if listed:  # a listed target in a plan section, then in any other part
        return "targets", 0 if kind == "plan" else 1
    if kind == "plan":  # a plan section's other figures (or a review mistaken for a plan)
        return "targets", 2
    if ANNUAL_SENTENCE.search(sentence):
        return "targets", 3
    return None


#: A plan-period figure looks ahead (今后五年…目标) or back (五年来, 过去五年 …).
FORWARD = re.compile(r"今后|未来|[到至]20\d\d年|20\d\d年前|目标|预期|力争|确保")
BACKWARD = re.compile(r"五年来|过去|累计|回顾|实现了|由\d")
#: Where a report's targets begin, for a report whose review section was not recognized.
FIRST_TARGETS = re.compile(r"(?:预期|主要)(?:调控)?(?:目标|指标)(?:建议|确定|设定)?(?:是|为|:)")


def _review_end(report: Report, text: str, compact: Compact) -> int | None:
    """For a report without a ``review`` section: the offset where its plan or its first list
    of targets begins; what comes before is the review (every work report reviews the past
    year first). None when the report has a review section or neither landmark."""
    if any(s.kind == "review" for s in report.sections):
        return None
    marks = [s.start for s in report.sections if s.kind == "plan"]
    found = FIRST_TARGETS.search(text)
    if found:
        marks.append(compact.original(found.start()))
    return min(marks) if marks else None


def extract(report: Report) -> dict[str, list[Figure]]:
    """``{"targets": [...], "results": [...], "plan_period": [...]}``, one figure per indicator
    in each list (in :data:`~search.targets.indicators.INDICATORS` order)."""
    compact = Compact(report.text)
    text = compact.text
    names = tuple(
        sorted(
            {n for n in (report.city, report.city and short_name(report.city)) if n},
            key=len,
            reverse=True,
        )
    )
    out: dict[str, list[Figure]] = {"targets": [], "results": [], "plan_period": []}
    review_end = _review_end(report, text, compact)
    for key, (ind, subject, heads, tail) in PATTERNS.items():
        ranked: dict[str, list[tuple[int, Figure]]] = {k: [] for k in out}
        for a, b, low, high, qualifier, strive, context in _scan(
            ind, subject, heads, tail, text, names
        ):
            start, end = compact.span(a, b)
            kind = _section_kind(report, start)
            inferred = kind == "other" and review_end is not None and start < review_end
            kind = "review" if inferred else kind
            sentence = _sentence(text, a)
            para = paragraph_at(report, start)
            before = text[compact.index(_list_start(report, para, start)) : a]
            figure = Figure(
                key,
                "",
                low,
                high,
                qualifier,
                strive,
                report.text[start:end],
                start,
                end,
                para.id if para else None,
            )
            if PERIOD_GAP.search(context) or (
                PERIOD_SENTENCE.search(sentence) and not ANNUAL_SENTENCE.search(sentence)
            ):
                if kind != "review" or (
                    inferred and FORWARD.search(before) and not BACKWARD.search(sentence)
                ):
                    ranked["plan_period"].append((0, figure))
                continue
            place = _rank(kind, sentence, before, low is not None)
            if place:
                ranked[place[0]].append((place[1], figure))
        for name, candidates in ranked.items():
            if candidates:
                # the best rank; in it a figure before words, then the first in the text
                best = min(candidates, key=lambda c: (c[0], c[1].low is None, c[1].start))[1]
                best.kind = {"targets": "target", "results": "result"}.get(name, name)
                out[name].append(best)
    return out
