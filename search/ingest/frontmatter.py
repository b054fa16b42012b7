"""Recognize the lines that head a report — title, date/session line, speaker — anywhere.

Newspapers print the title block in the middle of the page (seed 000 has it between two halves
of a sentence), so these lines are taken out of the body wherever they stand and their values
become metadata.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = "一二三四五六七八九十百零〇两"

TITLE = re.compile(r"^(?P<year>\d{4}年)?(?P<gov>.{0,24}?)(人民)?政府工作报告(\(.{1,8}\))?$")
DATE = re.compile(r"^[—\-－–~\s]*(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
                  r"(?P<rest>在.{2,60}(会议|大会)上)?(的?讲话|的?报告)?[—\-－–\s]*$")
SESSION_LINE = re.compile(r"^[—\-－–\s]*在(?P<body>.{2,60}(会议|大会))上[—\-－–\s]*$")
SESSION = re.compile(rf"第[{_NUM}\d]+届人民代表大会(常务委员会)?第[{_NUM}\d]+次(全体)?会议")
POSTS = ("代理市长", "代市长", "市长", "代理省长", "代省长", "省长", "代理县长", "代县长", "县长",
         "代理区长", "代区长", "区长", "州长", "盟长", "旗长", "主席", "总理")
SPEAKER = re.compile(r"^(?P<gov>.{0,24}?(人民政府|政府))?(?P<post>" + "|".join(POSTS) +
                     r")(?P<name>[\u4e00-\u9fff·]{2,4})$")


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

    def take(self, line: str) -> bool:
        """Absorb ``line`` if it is a front-matter line; True means it leaves the body."""
        if len(line) > 70:
            return False
        return any(reader(self, line) for reader in
                   (FrontMatter._title, FrontMatter._date, FrontMatter._session,
                    FrontMatter._speaker))

    def _title(self, line: str) -> bool:
        match = TITLE.match(line)
        if not match:
            return False
        if match.group("year") and self.title_year is None:
            self.title_year = int(match.group("year")[:4])
        gov = match.group("gov").strip()
        if gov and self.title_gov is None:
            self.title_gov = gov
        return True

    def _date(self, line: str) -> bool:
        match = DATE.match(line)
        if not match:
            return False
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        if self.date is None and 1 <= m <= 12 and 1 <= d <= 31:
            self.date = f"{y:04d}-{m:02d}-{d:02d}"
        if match["rest"] and self.session_body is None:
            self.session_body = match["rest"][1:-1]
        return True

    def _session(self, line: str) -> bool:
        match = SESSION_LINE.match(line)
        if not match or not SESSION.search(match["body"]):
            return False
        if self.session_body is None:
            self.session_body = match["body"]
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
