"""Metadata a report states about itself: government, year, date, speaker, session.

Every value is read off the text (or a manifest, see :mod:`search.ingest.manifest`); a value the
text does not state stays None — unknown beats wrong.

**Government.** A national report speaks for the State Council in its opening (我代表国务院,
受国务院的委托, a 国务院总理 speaker line, a session of the 全国人民代表大会); a press summary
(周恩来总理在报告中指出…) counts only when the text names no local government. Otherwise the
government is the first name the text gives for itself that the gazetteer resolves, most
explicit first: 我代表X人民政府; the session (在X第N届人民代表大会…); the speaker line
(X人民政府市长…, X市市长…); the document header (X市三届人大二次会议文件); the title; the plan
submitted with the report (请连同《X国民经济和社会发展…》); the party committee whose
leadership it thanks most often (在…中共X委的领导下, the last one named: superiors come
first). Names are read from the front-matter lines and from the head of the text (before
各位代表), where such lines are often glued together. A stated name the gazetteer does not know
(思茅市, 襄樊市 — cities since renamed) is kept as written when the text uses it at least three
times; its province is the one the text clearly names most, else None, and its level and
prefecture stay None. Failing all names, a text that speaks as a city (全市, 我市) is placed in
the prefecture it clearly names most (counted as whole words, so 长治久安 is not 长治; see
:func:`.gazetteer.most_mentioned`).

**Year** — the year the report is *for*, from the first of:

1. the date line (2008年1月15日在…会议上, also in Chinese numerals, also glued into the head of
   the text); a local session held in October–December sets the next year's work, so such a
   date gives the following year (a national report keeps the year it was delivered in);
2. the title (2008年政府工作报告, 二〇〇八年…, X市2008年政府工作报告, …政府工作报告(2008年)),
   unless the title lines and the head of the text name different years (a web page listing
   other reports);
3. for a national report, the session of the National People's Congress it is delivered to
   (向第六届全国人民代表大会第一次会议作… → 1983; a session number left out means the first),
   by the fixed calendar of NPC sessions; else the term it looks back on (第十一届全国人民代表
   大会第一次会议以来的五年 → 2013) or last year's session (从去年9月…第三次会议到现在);
4. the headings (:func:`heading_year`): the year after the past year's review — the first
   chapter's heading, a heading classified as review, a review heading in the opening glued to
   its text (2013年工作回顾过去一年…), or the review's first sentence (2005年,…); else the
   nearest year of the annual plan (a later chapter heading, 2024年工作安排, 2024年政府工作的
   总体要求是…), where a vision year in a 规划/远景/时期 heading (2035) never counts; else the
   year after a reviewed five-year plan period (“十二五”时期…回顾 → 2016) or after a term
   review (2012年以来的五年 → 2017).

A redacted ``20xx`` gives nothing.
"""

from __future__ import annotations

import re

from ..models import EVIDENCE_FIELDS, Report
from . import evidence, gazetteer
from .frontmatter import (
    DATE_TEXT,
    POSTS,
    YEAR,
    FrontMatter,
    parse_date,
    small_number,
    year_value,
)

_GOV = r"(?P<gov>[^\s,，。、:：;；“”\"]{1,24}?)"
REPRESENT = re.compile(r"我?代表" + _GOV + r"(人民)?政府")
SESSION_GOV = re.compile(r"^(?P<gov>.{2,24}?)第[一二三四五六七八九十百零〇\d]+届")
_BARE = {"市", "省", "区", "县", "自治区", "自治州", "州", "盟", "旗", "本市", "全市"}
_NUM = "一二三四五六七八九十百零〇两"
_PLACE = r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|市|县|区|州|盟|旗|省)"

HEAD_LIMIT = 600
OPENING = 1000
NAMES_SPAN = 3000

# A national report speaks for the State Council in its opening.
NATIONAL = re.compile(
    r"代表(中华人民共和国)?国务院[,，]?(向|作|就|提出|报告)|受(中共中央和)?国务院的?委托|"
    r"根据(中共中央和)?国务院的决定|国务院决定由我|向第[" + _NUM + r"\d]+届全国人民代表大会"
)
# A press summary of a national report: 周恩来总理在报告中指出 — only when nothing local is named.
NATIONAL_PRESS = re.compile(r"总理在(这个|这次|政府工作)?报告中(首先)?(指出|说|讲到|强调)")
NPC_ADDRESS = re.compile(
    rf"(?:向|在)(?P<s>第(?P<term>[{_NUM}\d]+)届全国人民代表大会"
    rf"(?:第(?P<session>[{_NUM}\d]+)次(?:全体)?会议)?)"
)

# Names in the head of the text, where the front-matter lines are often glued together; a name
# starts after 在, a date (…13日), the session (…会议上) or anything not Chinese.
_START = r"(?:(?<=在)|(?<=\d日)|(?<=会议上)|(?<![\u4e00-\u9fff]))(?!在)"
HEAD_SESSION = re.compile(rf"{_START}(?P<gov>{_PLACE})第[{_NUM}\d]+届(?:人民代表大会|人大)")
HEAD_DOCUMENT = re.compile(rf"{_START}(?P<gov>{_PLACE})[{_NUM}]+届人大[{_NUM}]+次会议")
HEAD_SPEAKER = re.compile(rf"{_START}(?P<gov>{_PLACE})(?:人民政府)?(?:{'|'.join(POSTS)})")
HEAD_TITLE = re.compile(
    rf"(?:{_START}(?P<place>{_PLACE}))?(?P<y>{YEAR})年度?"
    rf"(?P<gov>[\u4e00-\u9fff]{{0,12}}?)(?:人民)?政府工作报告"
)
HEAD_DATE = re.compile(
    DATE_TEXT + r"(?=[^,，。;；]{0,6}在|[^,，。;；]{0,30}(?:人民代表大会|人大|会议))"
)
PLAN_ANNEX = re.compile(
    r"请?(?:连同|与|并)《(?P<gov>" + _PLACE + r")(?:国民经济和社会发展|国民经济与社会发展|"
    r"经济和社会发展|经济社会发展)"
)
LEADERSHIP = re.compile(r"在(?P<body>[^。!！;；]{0,60}?)的?(?:正确|坚强|英明|有力)?领导下")
PARTY = re.compile(r"中共(?P<gov>" + _PLACE + r")委")
CITY_VOICE = re.compile(r"全市|我市|本市|市委|市政府")

_YEAR_TOKEN = re.compile(rf"(?P<list>(?:{YEAR}[、和及至]){{0,3}})(?P<y>{YEAR})\s?(?:年|[:：])")
_NUMBERING = r"^【?(?:[一二三四五六七八九十]+[、.．]\s*|[(（][一二三四五六七八九十]+[)）]\s*|第[一二三四五六七八九十]+部分\s*)?"
# A review heading in the opening paragraphs, often glued to the text that follows it:
# 2023年工作回顾…, “十二五”回顾和2015年的工作…, 2010年及“十一五”工作回顾…, and a bare
# 2009年政府主要工作 when the review of that year follows (…2009年是…, 过去的一年…).
REVIEW_HEAD = re.compile(
    _NUMBERING + r"(?:关于)?(?:"
    rf"(?P<y>{YEAR})年度?(?:的)?(?:政府|国内|全市|全县)?(?:主要)?(?:工作|发展)?"
    r"(?:[与和及](?:工作|发展))?(?:的)?(?:简要|主要)?(?:回顾|总结|完成情况)|"
    rf"(?P<y4>{YEAR})年(?:的)?(?:政府)?(?:主要)?工作(?=过去的?一年|一年来|(?P=y4)年)|"
    r"[^,，。;；]{0,12}?(?:回顾|过去|本届|届人民政府|届政府)[^,，。;；]{0,6}?(?:和|及|与|、)"
    rf"(?P<y2>{YEAR})年度?(?:的)?(?:政府)?(?:主要)?工作|"
    rf"(?P<y3>{YEAR})年(?:及|和)[^,，。;；]{{0,12}}?回顾)"
)
# The review of the past year opens with that year: 2005年,我国… / 2003年是本届政府…
REVIEW_OPENING = re.compile(rf"^(?:刚刚过去的|过去的)?(?P<y>{YEAR})年(?:,|，|是)")
PLAN_HEAD = re.compile(
    _NUMBERING + rf"(?:关于)?(?P<y>{YEAR})年度?(?:的)?(?:政府)?(?:工作)?(?:的)?"
    r"(?:工作安排|重点工作|主要任务|重点任务|目标任务|工作任务|工作重点|工作总体部署|"
    r"工作建议|总体要求|主要工作安排|重点工作任务|主要工作任务|政府工作任务)"
)
# The review of a five-year plan period opens the report that starts the next period:
# 一、“十二五”时期经济社会发展回顾 → 2016.
FIVE_YEAR_REVIEW = re.compile(
    _NUMBERING + r"(?:关于)?[^,，。;；]{0,12}?"
    r"[“\"](?P<plan>十[一二三四五]?五|[六七八九]五)[”\"](?:计划|规划)?"
    r"(?:时期|期间)?[^,，。;；]{0,16}?(?:回顾|收官|完成情况|执行情况|成就|发展情况)"
)
_PLANS = {
    "六五": 6,
    "七五": 7,
    "八五": 8,
    "九五": 9,
    "十五": 10,
    "十一五": 11,
    "十二五": 12,
    "十三五": 13,
    "十四五": 14,
    "十五五": 15,
}
# The plan section states its year's general requirements: 2024年政府工作的总体要求是…
PLAN_SENTENCE = re.compile(rf"(?P<y>{YEAR})年[^,，。;；:：]{{0,14}}?总体要求(?:是|为|:|：)")
# A national report at the end of a term looks back on it: 第十一届全国人民代表大会第一次会议以来的
# 五年, or (when its opening speaks of the past five years) 第六届全国人民代表大会期间.
NPC_TERM = re.compile(
    rf"第(?P<term>[{_NUM}\d]+)届全国人民代表大会(?:第一次会议(?:以来的五年|"
    rf"[^。]{{0,24}}过去了五年)|(?P<during>期间))"
)
# … or back on last year's session: 从去年9月第五届全国人民代表大会第三次会议到现在
NPC_LAST = re.compile(
    rf"去年[^。,，]{{0,6}}?第(?P<term>[{_NUM}\d]+)届全国人民代表大会"
    rf"第(?P<session>[{_NUM}\d]+)次会议"
)
_VISION = re.compile(r"远景|展望|规划|时期|十[一二三四五六七八九]五|以来|至今")
# The five years since 2012: 2012年以来的五年 (a term review) → 2017.
SINCE = re.compile(rf"(?P<y>{YEAR})年以来的(?P<n>[二三四五六])年")
OPENING_PARAGRAPHS = 8
OPENING_CHARS = 1500


def _squeeze_digits(text: str) -> str:
    """'1 9 9 8年' → '1998年' (spaced-out digits in old scans)."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


def head(text: str) -> str:
    """The text before the salutation, where glued title/date/speaker lines stand."""
    at = text.find("各位代表")
    return text[:at] if 0 <= at <= HEAD_LIMIT else text[:200]


# ---------------------------------------------------------------------------------- government


def titles(text: str, front: FrontMatter) -> tuple[int | None, list[str]]:
    """The title's year and government, from the title lines and the head of the text.

    Nothing when they name different years: a web page listing other reports (a docin capture)
    is no title of this one.
    """
    found = list(HEAD_TITLE.finditer(head(text)))
    years = set(front.title_years) | {year_value(m["y"]) for m in found}
    years.discard(None)
    if len(years) > 1:
        return None, []
    names = [front.title_gov or ""] + [m["gov"] or m["place"] or "" for m in found]
    return (years.pop() if years else None), names


def stated_names(text: str, front: FrontMatter) -> list[tuple[str, str]]:
    """(name, rule) of names stated in the report's own session, speaker, title or plan lines."""
    top = head(text)
    names = [(m.group("gov"), "session line") for m in HEAD_SESSION.finditer(top)]
    if front.session_body:
        match = SESSION_GOV.match(front.session_body)
        if match:
            names.append((match.group("gov"), "session line"))
    names.append((front.speaker_gov or "", "speaker line"))
    names += [(m.group("gov"), "speaker line") for m in HEAD_SPEAKER.finditer(top)]
    names += [(m.group("gov"), "document header") for m in HEAD_DOCUMENT.finditer(top)]
    names += [(name, "title") for name in titles(text, front)[1]]
    names += [(m.group("gov"), "plan annex") for m in PLAN_ANNEX.finditer(text[:NAMES_SPAN])]
    return _clean(names)


def committee(text: str, provincial: bool) -> str | None:
    """The party committee whose leadership the report thanks most often (the last one named
    in each 在…领导下 clause: superiors come first); a provincial committee only for a
    provincial report."""
    counts: dict[str, int] = {}
    for clause in LEADERSHIP.finditer(text):
        names = [m.group("gov") for m in PARTY.finditer(clause.group("body"))]
        names = [n for n in names if provincial or not n.endswith(("省", "自治区"))]
        if names:
            counts[names[-1]] = counts.get(names[-1], 0) + 1
    return max(counts, key=counts.get) if counts else None


def government_names(text: str, front: FrontMatter) -> list[tuple[str, str]]:
    """(name, rule) of government names the report gives for itself, most explicit first."""
    names = [(m.group("gov"), "represent") for m in REPRESENT.finditer(text[:NAMES_SPAN])]
    names += stated_names(text, front)
    names.append((committee(text, bare_level(text) in ("省", "自治区")) or "", "party committee"))
    return _clean(names)


def _clean(names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned, seen = [], set()
    for name, rule in names:
        name = re.sub(r"^(中华人民共和国|关于)|(人民政府|政府)$", "", name or "")
        if name and name not in _BARE and name not in seen:
            seen.add(name)
            cleaned.append((name, rule))
    return cleaned


def bare_level(text: str) -> str | None:
    """'市' from 我代表市人民政府: the kind of government when the text omits its name."""
    for match in REPRESENT.finditer(text[:NAMES_SPAN]):
        if match.group("gov") in _BARE:
            return match.group("gov")
    return None


_FRONT_LINE = {
    "session line": ("session", "date", "session_rest"),
    "speaker line": ("speaker", "date"),
    "title": ("title",),
}


def _front_line(front: FrontMatter, rule: str) -> str | None:
    return next((front.lines[k] for k in _FRONT_LINE.get(rule, ()) if k in front.lines), None)


def national_evidence(text: str, front: FrontMatter) -> dict | None:
    """Where the report speaks for the State Council (see module docstring), or None."""
    if front.speaker_gov in ("国务院", "中华人民共和国国务院") or front.post == "总理":
        line = front.lines.get("speaker") or front.lines.get("date")
        return evidence.entry(line, None, None, "State Council speaker")
    if "全国人民代表大会" in (front.session_body or ""):
        line = _front_line(front, "session line") or front.session_body
        return evidence.entry(line, None, None, "NPC session line")
    match = NATIONAL.search(text[:OPENING])
    return evidence.of_match(match, "State Council voice") if match else None


def is_national(text: str, front: FrontMatter) -> bool:
    return national_evidence(text, front) is not None


def unknown_place(names: list[tuple[str, str]], text: str) -> tuple[str, str] | None:
    """A stated name the gazetteer does not know (a former name), used often enough to trust."""
    for name, rule in names:
        if (
            not re.fullmatch(r"[\u4e00-\u9fff]{2,10}(市|县|区|州|盟|旗)", name)
            or name[0] in "在我本全各该"
        ):
            continue
        if gazetteer.resolve(name, context=text):
            continue
        short = gazetteer.short_name(name)
        if len(short) >= 2 and text.count(short) >= 3:
            return name, rule
    return None


def _name_evidence(report: Report, front: FrontMatter, name: str, rule: str) -> dict:
    if rule == "represent":
        match = re.search("我?代表" + re.escape(name) + "(人民)?政府", report.text[:NAMES_SPAN])
        if match:
            return evidence.of_match(match, rule)
    line = _front_line(front, rule)
    if line and name in line:
        return evidence.entry(line, None, None, rule)
    limit = len(head(report.text)) if rule in _FRONT_LINE or rule == "document header" else None
    return evidence.at(report.text, name, rule, line, limit)


def _set(report: Report, name: str, value, proof: dict | None) -> None:
    setattr(report, name, value)
    report.evidence[name] = proof if value is not None else None


def locate(report: Report, front: FrontMatter) -> None:
    """Fill city, province, prefecture and level from the text and the gazetteer.

    The level is the one the text states: a national opening or a local government's name
    that contradicts how the text speaks of itself (:func:`.evidence.voice`) leaves the level
    null, and the candidates go to ``report.conflicts``.
    """
    text = report.text
    kind, _, first_voice = evidence.voice(text)
    voice_proof = evidence.of_match(first_voice[kind], "voice") if kind else None
    national = national_evidence(text, front)
    if national and kind is None:
        _set(report, "city", "全国", national)
        _set(report, "level", "national", national)
        return
    if national:
        report.conflicts["level"] = [
            evidence.candidate("national", national),
            evidence.candidate(kind, voice_proof),
        ]
    names = government_names(text, front)
    found, proof = None, None
    for name, rule in names:
        found = gazetteer.resolve(name, context=text)
        if found:
            proof = _name_evidence(report, front, name, rule)
            break
    if found is None:
        found, proof = _fallback(report, front, names, kind)
        if found is None:
            return
    province_rule = "gazetteer" if proof["rule"] not in evidence.WEAK else proof["rule"]
    _set(report, "province", found.province, {**proof, "rule": province_rule})
    report.prefecture = found.prefecture
    if proof["rule"] != "represent" and not evidence.fits(kind, found.name):
        report.conflicts.setdefault("level", []).extend(
            [evidence.candidate(found.level, proof), evidence.candidate(kind, voice_proof)]
        )
        if proof["rule"] in evidence.WEAK:  # 鄂尔多斯 named most, but the text says 我旗
            report.conflicts["city"] = [evidence.candidate(found.city, proof)]
            return
    _set(report, "city", found.province if found.level == "province" else found.city, proof)
    if "level" not in report.conflicts:
        _set(report, "level", found.level, voice_proof or proof)


def _fallback(report: Report, front: FrontMatter, names, kind: str | None):
    """No stated name resolves: a former name, a press summary, or the most named place."""
    text = report.text
    former = unknown_place(stated_names(text, front), text)
    if former:
        province = gazetteer.most_mentioned(text, "province")
        _set(
            report,
            "city",
            former[0],
            evidence.at(
                text, gazetteer.short_name(former[0]), "former name", _front_line(front, former[1])
            ),
        )
        if province:
            _set(
                report,
                "province",
                province.name,
                evidence.at(text, gazetteer.short_name(province.name), "most named province"),
            )
        return None, None
    bare = bare_level(text)
    if bare is None and kind is None and not names and "level" not in report.conflicts:
        match = NATIONAL_PRESS.search(text[:NAMES_SPAN])
        if match:
            _set(report, "city", "全国", evidence.of_match(match, "press summary"))
            _set(report, "level", "national", evidence.of_match(match, "press summary"))
            return None, None
    found, rule = None, None
    if bare in ("省", "自治区"):
        found, rule = gazetteer.most_mentioned(text, "province"), "most named province"
    elif bare in (None, "市") and len(CITY_VOICE.findall(text)) >= 3:
        found, rule = gazetteer.most_mentioned(text, "prefecture"), "most named prefecture"
    if found is None:
        return None, None
    return found, evidence.at(text, gazetteer.short_name(found.name), rule)


# ---------------------------------------------------------------------------------------- year


def npc_year(term: int, session: int | None) -> int | None:
    """The year of session ``session`` of the ``term``-th National People's Congress.

    A session number left out (向第五届全国人民代表大会作…) is the first session.
    """
    session = session or 1
    if term == 1:
        return 1953 + session if session <= 5 else None
    if term == 2:
        return {1: 1959, 2: 1960, 3: 1962, 4: 1963}.get(session)
    if term in (3, 4):
        return {3: 1964, 4: 1975}[term] if session == 1 else None
    if term >= 5 and session <= 5:
        return (1978 if term == 5 else 1983 + 5 * (term - 6)) + session - 1
    return None


def _numeral(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    from .structure import numeral_value

    return numeral_value(text) or None


def session_year(text: str, front: FrontMatter) -> int | None:
    """Year of the NPC session a national report is delivered to, if it names one."""
    for source in (front.session_body or "", text[:OPENING]):
        if "全国人民代表大会" not in source:
            continue
        match = NPC_ADDRESS.search(source if source is not front.session_body else "在" + source)
        if match:
            return npc_year(_numeral(match["term"]) or 0, _numeral(match["session"]))
    return None


def national_year(text: str) -> int | None:
    """A national report's year from the NPC term or session it looks back on."""
    for match in NPC_TERM.finditer(text):
        if match["during"] and not re.search(r"过去五年|五年来|任期", text[:OPENING_CHARS]):
            continue
        year = npc_year(_numeral(match["term"]) or 0, 1)
        return year + 5 if year else None
    match = NPC_LAST.search(text[:OPENING_CHARS])
    if match:
        year = npc_year(_numeral(match["term"]) or 0, _numeral(match["session"]))
        return year + 1 if year else None
    return None


def date_year(text: str, front: FrontMatter) -> tuple[int, int] | None:
    """(year, month) of the date line, from the front matter or the head of the text."""
    if front.date_year:
        return front.date_year, front.date_month
    match = HEAD_DATE.search(head(text))
    date = parse_date(match) if match else None
    return (date[0], date[1]) if date else None


def _years(title: str) -> list[int]:
    years = [year_value(m["y"]) for m in re.finditer(rf"(?:回顾|展望)(?P<y>{YEAR})(?!年)", title)]
    for match in _YEAR_TOKEN.finditer(_squeeze_digits(title)):
        listed = re.findall(YEAR, match["list"] or "")
        years += [year_value(y) for y in listed + [match["y"]]]
    return [y for y in years if y]


def _opening_starts(report: Report) -> list[str]:
    """Where a review heading may start: the opening paragraphs, and after a sentence end in
    the opening text (headings glued into one line: …提出意见。一、2019年工作回顾2019年…)."""
    starts = [report.paragraph_text(p)[:40] for p in report.paragraphs[:OPENING_PARAGRAPHS]]
    opening = report.text[:OPENING_CHARS]
    starts += [opening[m.end() : m.end() + 40] for m in re.finditer(r"[。!！:：](?=\S)", opening)]
    return [_squeeze_digits(start) for start in starts]


def heading_year(report: Report) -> tuple[int, str, str] | None:
    """The year after the review of the past year, else the annual plan's year, else the year
    after a reviewed five-year plan period.

    A numbered heading that names one year is the review when it is the first chapter (in the
    bench corpus 679 of 681 such first chapters review the past year, whatever their wording) or
    is classified as review; a later one is the annual plan; of several plan years the nearest
    counts. Returns (year, rule, deciding words).
    """
    reviews, openings, plans, periods = [], [], [], []
    chapters = [s for s in report.sections if s.ordinal >= 1 and s.kind != "notes"]
    first = chapters[0] if chapters and chapters[0].kind != "government" else None
    for section in chapters:
        title = _squeeze_digits(section.title or "")
        years = sorted(set(_years(title)))
        if section is first:
            match = FIVE_YEAR_REVIEW.match(title)
            if match:
                periods.append((1986 + 5 * (_PLANS[match["plan"]] - 6), match.group(0)))
        if not years or section.kind == "government":
            continue
        if section.kind == "review" or section is first:
            if re.search(r"以来|至今", title):
                continue
            if len(years) == 1 or (len(years) == 2 and years[1] == years[0] + 1):
                reviews.append((years[0] + 1, title))  # 一、1998年工作回顾和1999年工作的总体要求
        elif not _VISION.search(title):
            plans += [(y, title) for y in years]
    for start in _opening_starts(report):
        match = REVIEW_HEAD.match(start)
        year = match and year_value(match["y"] or match["y2"] or match["y3"] or match["y4"])
        if year:
            reviews.append((year + 1, match.group(0)))
    for paragraph in report.paragraphs[:OPENING_PARAGRAPHS]:
        match = FIVE_YEAR_REVIEW.match(report.paragraph_text(paragraph)[:40])
        if match:
            periods.append((1986 + 5 * (_PLANS[match["plan"]] - 6), match.group(0)))
    match = SINCE.search(report.text[:NAMES_SPAN])
    if match and year_value(match["y"]):
        periods.append((year_value(match["y"]) + small_number(match["n"]), match.group(0)))
    for paragraph in report.paragraphs:
        start = _squeeze_digits(report.text[paragraph.start : paragraph.start + 40])
        match = PLAN_HEAD.match(start)
        if match and year_value(match["y"]):
            plans.append((year_value(match["y"]), match.group(0)))
        after_heading = first is not None and paragraph.section == first.ordinal
        if after_heading and paragraph.start > first.start:
            match = REVIEW_OPENING.match(start)  # the first paragraph after the heading
            if match and year_value(match["y"]):
                openings.append((year_value(match["y"]) + 1, match.group(0)))
            first = None
    plans += [(year_value(m["y"]), m.group(0)) for m in PLAN_SENTENCE.finditer(report.text)]
    plans = [p for p in plans if p[0]]
    for found, rule in ((reviews, "review heading"), (openings, "review opening")):
        if found:
            return found[0][0], rule, found[0][1]
    if plans:
        year, words = min(plans)
        return year, "plan heading", words
    return (periods[0][0], "period review", periods[0][1]) if periods else None


def report_year(report: Report, front: FrontMatter) -> tuple[int | None, dict | None]:
    """The year the report is for, with its evidence (see module docstring for the order)."""
    text = report.text
    national = report.city == "全国"
    dated = date_year(text, front)
    if dated:
        year, month = dated
        line = front.lines.get("date") if front.date_year else None
        match = None if front.date_year else HEAD_DATE.search(head(text))
        proof = (
            evidence.of_match(match, "date line")
            if match
            else evidence.entry(line, None, None, "date line")
        )
        if month >= 10 and not national:
            return year + 1, {**proof, "rule": "date line (autumn session: next year)"}
        return year, proof
    year = titles(text, front)[0]
    if year:
        match = next(
            (m for m in HEAD_TITLE.finditer(head(text)) if year_value(m["y"]) == year), None
        )
        return year, (
            evidence.of_match(match, "title")
            if match
            else evidence.entry(front.title_line, None, None, "title")
        )
    if national:
        for reader, rule in ((session_year, "NPC session"), (national_year, "NPC term")):
            found = reader(text, front) if reader is session_year else reader(text)
            if found:
                return found, _npc_evidence(text, front, rule)
    found = heading_year(report)
    if found is None:
        return None, None
    year, rule, words = found
    return year, evidence.at(text, words, rule)


def _npc_evidence(text: str, front: FrontMatter, rule: str) -> dict:
    pattern = NPC_ADDRESS if rule == "NPC session" else NPC_TERM
    match = pattern.search(text[:OPENING] if rule == "NPC session" else text) or (
        NPC_LAST.search(text[:OPENING_CHARS]) if rule == "NPC term" else None
    )
    if match:
        return evidence.of_match(match, rule)
    return evidence.entry(
        _front_line(front, "session line") or front.session_body, None, None, rule
    )


def _strong(report: Report, name: str) -> bool:
    proof = report.evidence.get(name)
    return bool(proof) and (proof["rule"] == "manifest" or proof["rule"] not in evidence.WEAK)


def compose_title(report: Report) -> str:
    """A title built from the known, well-supported values only: 2024年镇江市政府工作报告.

    A year or city that is null or decided by a weak rule (:data:`.evidence.WEAK`) is left
    out rather than shown as if the file said it.
    """
    year = f"{report.year}年" if report.year and _strong(report, "year") else ""
    place = ""
    if report.city and _strong(report, "city"):
        place = "国务院" if report.city == "全国" else report.city
    return f"{year}{place}政府工作报告"


def describe(report: Report, front: FrontMatter) -> None:
    """Fill every metadata field the text states, each with its evidence."""
    report.evidence = dict.fromkeys(EVIDENCE_FIELDS)
    locate(report, front)
    report.year, report.evidence["year"] = report_year(report, front)
    report.date = front.date
    if report.date:
        report.evidence["date"] = evidence.entry(front.lines.get("date"), None, None, "date line")
    report.speaker, report.post = front.speaker, front.post
    if report.speaker:
        line = front.lines.get("speaker") or front.lines.get("date")
        report.evidence["speaker"] = evidence.entry(line, None, None, "speaker line")
    report.session = front.session
    if front.title_line:
        report.title, report.title_source = front.title_line, "text"
    else:
        report.title, report.title_source = compose_title(report), "built"
