"""A candidate is whole in its own report (search.phrases.maximal), checked on the seed texts.

Each premise — which characters and jieba words stand beside every occurrence of a phrase —
is computed by brute force on the normalized text (``str.find``, jieba's cut) before the
rule's verdict is asserted.
"""

from __future__ import annotations

from conftest import JR2024, WUZHOU, XIANGCHENG

from search import matching
from search.phrases import candidates, dictionary, tokens
from search.phrases.maximal import OPEN_CHARS
from search.phrases.rules import _CJK_WORD, _NUMERAL


def occurrences(text: str, phrase: str) -> list[int]:
    """Non-overlapping occurrences, left to right, by brute force."""
    found, at = [], text.find(phrase)
    while at >= 0:
        found.append(at)
        at = text.find(phrase, at + len(phrase))
    return found


def test_a_piece_gives_way_to_its_maximal_extension(reports):
    # 梧州: every 材料产业园 is preceded by 新 (新材料产业园): the piece gives way to the name.
    text = reports[WUZHOU].text
    hits = occurrences(text, "材料产业园")
    assert len(hits) >= 2 and {text[at - 1] for at in hits} == {"新"}
    found = candidates(text)
    assert "材料产业园" not in found
    assert found["新材料产业园"]["count"] == len(occurrences(text, "新材料产业园")) == len(hits)
    # 相城: 社会固定资产投资 only ever as 全社会固定资产投资.
    text = reports[XIANGCHENG].text
    hits = occurrences(text, "社会固定资产投资")
    assert len(hits) >= 2 and {text[at - 1] for at in hits} == {"全"}
    found = candidates(text)
    assert "社会固定资产投资" not in found
    assert found["全社会固定资产投资"]["count"] == len(hits)


def test_no_candidate_has_one_content_character_beside_every_occurrence(reports):
    """Brute force over every seed report: no word or n-gram candidate has the same single
    non-grammar character — a one-character jieba word of a content tag — right before (or
    right after) every one of its occurrences."""
    entries = dictionary()
    content = {"a", "b", "n", "ng", "nz", "v"}
    checked = 0
    for report in reports.values():
        text = report.text
        cuts = tokens(text)
        ends = {end: w for w, _, end in cuts}
        starts = {start: w for w, start, _ in cuts}
        for phrase, info in candidates(text).items():
            hits = occurrences(text, phrase)
            if info["origin"] == "quoted" or len(hits) < 2:
                continue
            checked += 1
            lefts = {ends.get(at) for at in hits}
            if all(at >= 2 and _NUMERAL.fullmatch(text[at - 2]) for at in hits):
                lefts = set()  # 20 所, 十 条: a measure word after a number is grammar
            for words in (lefts, {starts.get(at + len(phrase)) for at in hits}):
                if len(words) == 1:
                    word = words.pop()
                    one = word and len(word) == 1 and _CJK_WORD.fullmatch(word)
                    one = one and word not in OPEN_CHARS
                    assert not (one and entries.get(word, ("n",))[0] in content), (phrase, word)
    assert checked > 100


def test_a_quality_in_passing_is_no_term(reports):
    # 示范性, 针对性: a word ending in 性 names a quality, not a term (brute: used ≥ 2 times).
    text = reports[JR2024].text
    assert matching.count(text, "示范性") >= 2 and matching.count(text, "针对性") >= 2
    for report in reports.values():
        assert not any(
            len(p) == 3 and p.endswith("性") and info["origin"] != "quoted"
            for p, info in candidates(report.text).items()
        )


def test_pieces_of_a_verb_and_its_object_and_of_a_longer_name():
    # 杠杆 always after 去 (去杠杆, a verb and its object): dropped, not extended.
    text = "我们要去杠杆。继续去杠杆，稳步去杠杆。"
    assert matching.count(text, "杠杆") == 3 and "杠杆" not in candidates(text)
    # 磷酸 always before 铁 (磷酸铁, 磷酸铁锂): the name is the candidate, counted exactly.
    text = "发展磷酸铁锂和磷酸铁产业。磷酸铁锂电池。"
    found = candidates(text)
    assert "磷酸" not in found and found["磷酸铁"]["count"] == matching.count(text, "磷酸铁") == 3
    # A verb of two characters before every occurrence leaves a term whole (推进/加快 园区整合).
    text = "推进园区整合，加快园区整合。推进园区整合的工作。"
    assert candidates(text)["园区整合"]["count"] == 3
    # A verb and its complement open a clause (做强实体经济).
    text = "做强实体经济，做强实体经济。"
    assert not any(p.startswith("做强") for p in candidates(text))


def test_a_name_going_on_behind_a_generic_word_is_not_cut_there():
    # 发展 after every occurrence would leave 新时代定西绿色 open, but 讲堂 follows 发展 every
    # time: the name goes on (新时代定西绿色发展讲堂, longer than an n-gram may be): dropped.
    text = "举办新时代定西绿色发展讲堂，开展好新时代定西绿色发展讲堂。"
    assert matching.count(text, "新时代定西绿色") == matching.count(text, "新时代定西绿色发展讲堂")
    assert not any(p.startswith("新时代定西") for p in candidates(text))
    # 工作 after both, then different punctuation: 园区整合 stays a term.
    text = "推进园区整合工作，加快园区整合工作。"
    assert candidates(text)["园区整合"]["count"] == 2


def test_a_phrase_after_a_number_opens_with_its_unit():
    # 省道103线兰白沿黄快速通道: every occurrence follows the digit 3; 线 belongs to 103.
    text = "实施省道103线兰白沿黄快速通道、省道103线兰白沿黄快速通道。"
    assert all(text[at - 1] == "3" for at in occurrences(text, "线兰白沿黄快速通道"))
    assert not any(p.startswith("线") for p in candidates(text))
