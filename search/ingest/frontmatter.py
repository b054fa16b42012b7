"""Recognize the lines that head a report — title, date/session line, speaker — anywhere.

Newspapers print the title block in the middle of the page (seed 000 has it between two halves
of a sentence), so these lines are taken out of the body wherever they stand and their values
become metadata.

Years and dates are read in Arabic digits (``2008年1月15日``) and in Chinese numerals
(``二〇〇八年一月十五日``, also written with ○ or O for zero). A date/session line may be cut in
two (``——2006年2月21日在嘉峪关市`` / ``第七届人民代表大会第三次会议上``): the second half is
taken as the rest of the session. The same patterns are used by :mod:`.metadata` on the head of
the text, where such lines are glued to the salutation (``…会议上各位代表:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUM = "一二三四五六七八九十百零〇两"
_ZH_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ZH_DIGITS.update({"○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0, "ｏ": 0})
_ZERO = "〇○零Oo0"
# A year in Arabic digits or digit by digit in Chinese numerals (二〇〇八, 一九九七, 二OO七).
YEAR = rf"(?:(?:19|20)\d{{2}}|[一二][{_ZERO}一二三四五六七八九]{{3}})"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE_TEXT = rf"(?P<y>{YEAR})年(?P<m>{_MONTH})月(?:(?P<d>{_DAY})日|日)"
_DASH = r"[—\-－–~―─━_•·●\s]"

TITLE = re.compile(
    r"^(关于)?(?P<head>[^,，。;；:：!！?？“”]{0,30}?)(人民)?政府工作报告"
    r"(?P<paren>[(（][^()（）]{1,10}[)）])?$"
)
_TITLE_YEAR = re.compile(rf"(?P<year>{YEAR})年度?")
DATE = re.compile(rf"^[(（\[]?{_DASH}*(?P<zai>在)?{DATE_TEXT}(?P<rest>.{{0,70}})$")
# What may follow the date: the session (possibly cut off by a line break), a speaker.
_DATE_SESSION = re.compile(
    r"^在?(?P<body>[^,，。;；!！?？]{2,60}(?:会议|大会))(?:上|通过)?"
    r"(?:的?讲话|的?报告)?(?P<tail>.*)$"
)
_PARTIAL = re.compile(r"^在?(?P<body>[^,，。;；!！?？]{2,24})$")
SESSION_LINE = re.compile(
    r"^[—\-－–―─\s(（]*在(?P<body>.{2,60}(会议|大会))(上|通过)?[—\-－–\s)）]*$"
)
# The second half of a session cut by a line break: 第七届人民代表大会第三次会议上 …
SESSION_REST = re.compile(
    rf"^(?P<body>(第[{_NUM}\d]+届)?(全国)?人民代表大会(常务委员会)?"
    rf"(第[{_NUM}\d]+次(全体)?会议)?|第[{_NUM}\d]+次(全体)?会议)(上|通过)?[)）]?$"
)
SESSION = re.compile(rf"第[{_NUM}\d]+届(全国)?人民代表大会(常务委员会)?第[{_NUM}\d]+次(全体)?会议")
POSTS = (
    "代理市长",
    "代市长",
    "市长",
    "代理省长",
    "代省长",
    "省长",
    "代理县长",
    "代县长",
    "县长",
    "代理区长",
    "代区长",
    "区长",
    "代理州长",
    "州长",
    "盟长",
    "旗长",
    "代理主席",
    "代主席",
    "主席",
    "代理总理",
    "总理",
)
_GOV_NAME = (
    r"(?:.{0,24}?(?:人民政府|政府)|[\u4e00-\u9fff]{2,10}?(?:市|县|区|州|盟|旗|省|自治区)"
    r"|国务院|中华人民共和国国务院)"
)
SPEAKER = re.compile(
    r"^[●•·\s]*(?P<gov>" + _GOV_NAME + r")?(?:(?:市委|县委|区委|州委|省委)?"
    r"副?书记[、,，]?)?(?P<post>" + "|".join(POSTS) + r")(?P<name>[\u4e00-\u9fff·]{2,4})$"
)


def year_value(text: str) -> int | None:
    """2008 from '2008' or '二〇〇八'; None for anything outside 1949–2099."""
    text = text.replace(" ", "")
    if text.isdigit():
        year = int(text)
    elif len(text) == 4 and all(c in _ZH_DIGITS for c in text):
        year = int("".join(str(_ZH_DIGITS[c]) for c in text))
    else:
        return None
    return year if 1949 <= year <= 2099 else None


def small_number(text: str) -> int | None:
    """Month or day: '1', '01', '十二', '二十三' → int."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
    if "十" not in text:
        return digits.get(text)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + digits.get(ones, 0)


def parse_date(match: re.Match) -> tuple[int, int, int | None] | None:
    """(year, month, day) from a :data:`DATE_TEXT` match; day None when the text lost it."""
    year, month = year_value(match["y"]), small_number(match["m"])
    day = small_number(match["d"]) if match["d"] else None
    if year is None or not month or not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    return year, month, day


@dataclass
class FrontMatter:
    """Values read off title, date and speaker lines; None where the text does not say."""

    title_year: int | None = None
    title_gov: str | None = None
    date: str | None = None
    session_body: str | None = None
    speaker: str | None = None
    post: str | None = None
    speaker_gov: str | None = None
    date_year: int | None = None
    date_month: int | None = None
    title_years: list[int] = field(default_factory=list)
    title_line: str | None = None
    #: The first line each reader took (title, date, session, session_rest, speaker): the
    #: evidence for values read off lines that leave the body.
    lines: dict[str, str] = field(default_factory=dict)
    _pending: str | None = None

    def take(self, line: str) -> bool:
        """Absorb ``line`` if it is a front-matter line; True means it leaves the body."""
        if len(line) > 70:
            return False
        for reader in (
            FrontMatter._title,
            FrontMatter._date,
            FrontMatter._session,
            FrontMatter._session_rest,
            FrontMatter._speaker,
        ):
            if reader(self, line):
                self.lines.setdefault(reader.__name__.lstrip("_"), line)
                return True
        self._pending = None
        return False

    def _title(self, line: str) -> bool:
        match = TITLE.match(line)
        if not match:
            return False
        head = match["head"]
        if self.title_line is None:
            self.title_line = line
        years = [year_value(m["year"]) for m in _TITLE_YEAR.finditer(head)]
        paren = _TITLE_YEAR.search(match["paren"] or "")
        if paren:
            years.append(year_value(paren["year"]))
        years = [y for y in years if y]
        for year in years[:1]:
            self.title_years.append(year)
            if self.title_year is None:
                self.title_year = year
        gov = _TITLE_YEAR.sub("", head).strip()
        if gov and self.title_gov is None:
            self.title_gov = gov
        return True

    def _date(self, line: str) -> bool:
        match = DATE.match(line)
        date = parse_date(match) if match else None
        if date is None:
            return False
        rest = re.sub(rf"^{_DASH}+|[)）\]]?{_DASH}*$", "", match["rest"])
        rest = re.sub(r"^[\u4e00-\u9fff]{2,4}(?=在)", "", rest)  # ——2020年1月6日费东斌在…
        session = _DATE_SESSION.match(rest)
        partial = _PARTIAL.match(rest)
        if session:
            if session["tail"] and not SPEAKER.match(session["tail"]):
                return False
        elif rest and not re.fullmatch(r"的?(讲话|报告)", rest):
            if not (partial and (match["zai"] or rest.startswith("在"))):
                return False
        y, m, d = date
        if self.date_year is None:
            self.date_year, self.date_month = y, m
            self.date = f"{y:04d}-{m:02d}-{d:02d}" if d else None
        if session:
            if SESSION.search(session["body"]):
                if self.session_body is None:
                    self.session_body = session["body"]
            else:
                self._pending = session["body"]
            if session["tail"]:
                self._speaker(session["tail"])
        elif partial and rest:
            self._pending = partial["body"]
        return True

    def _session(self, line: str) -> bool:
        match = SESSION_LINE.match(line)
        if not match or not SESSION.search(match["body"]):
            return False
        if self.session_body is None:
            self.session_body = match["body"]
        return True

    def _session_rest(self, line: str) -> bool:
        """The second half of a date/session line cut by a line break."""
        match = SESSION_REST.match(line)
        if not match:
            return False
        if self._pending is not None and self.session_body is None:
            body = self._pending + match["body"]
            if SESSION.search(body):
                self.session_body = body
        self._pending = None
        return True

    def _speaker(self, line: str) -> bool:
        match = SPEAKER.match(line)
        if not match:
            return False
        if self.speaker is None:
            self.speaker, self.post = match["name"], match["post"]
            self.speaker_gov = (match["gov"] or "").strip() or None
        return True

    @property
    def session(self) -> str | None:
        match = SESSION.search(self.session_body or "")
        return match.group(0) if match else None
