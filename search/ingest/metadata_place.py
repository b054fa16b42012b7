"""The government a report speaks for: city, province, prefecture and level.

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
"""

from __future__ import annotations

import re

from ..models import Report
from . import evidence, gazetteer
from .frontmatter import POSTS, FrontMatter
from .metadata_head import (
    FRONT_LINE,
    NAMES_SPAN,
    NUM,
    OPENING,
    PLACE,
    START,
    front_line,
    head,
    set_field,
)
from .metadata_title import titles

_GOV = r"(?P<gov>[^\s,，。、:：;；“”\"]{1,24}?)"
REPRESENT = re.compile(r"我?代表" + _GOV + r"(人民)?政府")
SESSION_GOV = re.compile(r"^(?P<gov>.{2,24}?)第[一二三四五六七八九十百零〇\d]+届")
_BARE = {"市", "省", "区", "县", "自治区", "自治州", "州", "盟", "旗", "本市", "全市"}

# A national report speaks for the State Council in its opening.
NATIONAL = re.compile(
    r"代表(中华人民共和国)?国务院[,，]?(向|作|就|提出|报告)|受(中共中央和)?国务院的?委托|"
    r"根据(中共中央和)?国务院的决定|国务院决定由我|向第[" + NUM + r"\d]+届全国人民代表大会"
)
# A press summary of a national report: 周恩来总理在报告中指出 — only when nothing local is named.
NATIONAL_PRESS = re.compile(r"总理在(这个|这次|政府工作)?报告中(首先)?(指出|说|讲到|强调)")

# Names in the head of the text, where the front-matter lines are often glued together (a name
# starts where ``START`` allows).
HEAD_SESSION = re.compile(rf"{START}(?P<gov>{PLACE})第[{NUM}\d]+届(?:人民代表大会|人大)")
HEAD_DOCUMENT = re.compile(rf"{START}(?P<gov>{PLACE})[{NUM}]+届人大[{NUM}]+次会议")
HEAD_SPEAKER = re.compile(rf"{START}(?P<gov>{PLACE})(?:人民政府)?(?:{'|'.join(POSTS)})")
PLAN_ANNEX = re.compile(
    r"请?(?:连同|与|并)《(?P<gov>" + PLACE + r")(?:国民经济和社会发展|国民经济与社会发展|"
    r"经济和社会发展|经济社会发展)"
)
LEADERSHIP = re.compile(r"在(?P<body>[^。!！;；]{0,60}?)的?(?:正确|坚强|英明|有力)?领导下")
PARTY = re.compile(r"中共(?P<gov>" + PLACE + r")委")
CITY_VOICE = re.compile(r"全市|我市|本市|市委|市政府")


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


def national_evidence(text: str, front: FrontMatter) -> dict | None:
    """Where the report speaks for the State Council (see module docstring), or None."""
    if front.speaker_gov in ("国务院", "中华人民共和国国务院") or front.post == "总理":
        line = front.lines.get("speaker") or front.lines.get("date")
        return evidence.entry(line, None, None, "State Council speaker")
    if "全国人民代表大会" in (front.session_body or ""):
        line = front_line(front, "session line") or front.session_body
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
    line = front_line(front, rule)
    if line and name in line:
        return evidence.entry(line, None, None, rule)
    limit = len(head(report.text)) if rule in FRONT_LINE or rule == "document header" else None
    return evidence.at(report.text, name, rule, line, limit)


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
        set_field(report, "city", "全国", national)
        set_field(report, "level", "national", national)
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
    set_field(report, "province", found.province, {**proof, "rule": province_rule})
    report.prefecture = found.prefecture
    if proof["rule"] != "represent" and not evidence.fits(kind, found.name):
        report.conflicts.setdefault("level", []).extend(
            [evidence.candidate(found.level, proof), evidence.candidate(kind, voice_proof)]
        )
        if proof["rule"] in evidence.WEAK:  # 鄂尔多斯 named most, but the text says 我旗
            report.conflicts["city"] = [evidence.candidate(found.city, proof)]
            return
    set_field(report, "city", found.province if found.level == "province" else found.city, proof)
    if "level" not in report.conflicts:
        set_field(report, "level", found.level, voice_proof or proof)


def _fallback(report: Report, front: FrontMatter, names, kind: str | None):
    """No stated name resolves: a former name, a press summary, or the most named place."""
    text = report.text
    former = unknown_place(stated_names(text, front), text)
    if former:
        province = gazetteer.most_mentioned(text, "province")
        set_field(
            report,
            "city",
            former[0],
            evidence.at(
                text, gazetteer.short_name(former[0]), "former name", front_line(front, former[1])
            ),
        )
        if province:
            set_field(
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
            set_field(report, "city", "全国", evidence.of_match(match, "press summary"))
            set_field(report, "level", "national", evidence.of_match(match, "press summary"))
            return None, None
    found, rule = None, None
    if bare in ("省", "自治区"):
        found, rule = gazetteer.most_mentioned(text, "province"), "most named province"
    elif bare in (None, "市") and len(CITY_VOICE.findall(text)) >= 3:
        found, rule = gazetteer.most_mentioned(text, "prefecture"), "most named prefecture"
    if found is None:
        return None, None
    return found, evidence.at(text, gazetteer.short_name(found.name), rule)
