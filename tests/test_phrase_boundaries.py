"""Term boundaries across the corpus (search.phrases.boundaries) on the seed index.

Every premise is checked by brute force on the normalized texts of the seed reports — which
words stand before and after every occurrence of a phrase — before the rule's verdict is
asserted, so a test fails if either the neighbours read off the suffix arrays or the rule is
wrong.
"""

from __future__ import annotations

from collections import Counter

import pytest

from search.phrases import corpus_stats, dictionary
from search.phrases.boundaries import (
    DOMINANT,
    MIN_END_EVIDENCE,
    MIN_END_SHARE,
    OPEN_AFTER,
    SAMPLE,
    Neighbours,
    fragment,
)
from search.stopwords import GENERIC_WORDS

_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@pytest.fixture(scope="module")
def neighbours(engine):
    return Neighbours(engine.snapshot)


def brute(reports, phrase: str) -> tuple[Counter, Counter]:
    """Two characters before and after every occurrence, within its own report's text."""
    before, after = Counter(), Counter()
    for report in reports.values():
        text = report.text.translate(_LOWER)  # the codes fold ASCII case, like matching
        at = text.find(phrase)
        while at >= 0:
            before[text[max(0, at - 2) : at]] += 1
            after[text[at + len(phrase) : at + len(phrase) + 2]] += 1
            at = text.find(phrase, at + 1)
    return before, after


def shown(neighbours, pairs) -> Counter:
    chars = neighbours.chars
    return Counter("".join(chr(chars[c]) for c in row if c) for row in pairs.tolist())


@pytest.mark.parametrize("phrase", ["园区整合", "安全事故", "高质量发展", "综合", "试验发展"])
def test_neighbours_are_the_characters_around_every_occurrence(neighbours, reports, phrase):
    before, after = brute(reports, phrase)
    assert 0 < sum(before.values()) <= SAMPLE  # all of them read, none sampled away
    left, right = neighbours.around(phrase)
    assert shown(neighbours, left) == before
    assert shown(neighbours, right) == after


def test_a_phrase_always_before_one_content_word_is_a_fragment(neighbours, reports):
    """研究与试验发展 is always followed by 经费 in the seeds: the term is the longer one."""
    _, after = brute(reports, "试验发展")
    assert set(after) == {"经费"} and after["经费"] >= 2
    assert "经费" in dictionary() and "经费" not in GENERIC_WORDS
    assert fragment(neighbours, "试验发展", dictionary())


def test_a_phrase_always_after_one_content_word_is_a_fragment(neighbours, reports):
    """照料中心 is always preceded by 日间 (日间照料中心), a time noun, not a verb."""
    before, _ = brute(reports, "照料中心")
    assert set(before) == {"日间"} and before["日间"] >= 2
    assert dictionary()["日间"][0] == "t"
    assert fragment(neighbours, "照料中心", dictionary())


def test_varied_neighbours_keep_a_term(neighbours, reports):
    """园区整合: no word stands on either side of most of its occurrences."""
    before, after = brute(reports, "园区整合")
    total = sum(before.values())
    assert max(Counter(s[-1:] for s in before.elements()).values()) < DOMINANT * total
    assert max(Counter(s[:1] for s in after.elements()).values()) < DOMINANT * total
    assert not fragment(neighbours, "园区整合", dictionary())


def test_a_generic_word_after_and_a_verb_before_leave_a_term_whole(neighbours, reports):
    """Grammar and generic words may stand beside any term: 城镇老旧小区 is always followed by
    改造 (a generic word), 稳中求进 always preceded by 坚持 (a verb); both stay terms."""
    _, after = brute(reports, "城镇老旧小区")
    assert set(after) == {"改造"} and "改造" in GENERIC_WORDS
    assert not fragment(neighbours, "城镇老旧小区", dictionary())
    before, _ = brute(reports, "稳中求进")
    assert set(before) == {"坚持"} and dictionary()["坚持"][0] == "v"
    assert not fragment(neighbours, "稳中求进", dictionary())


def test_a_word_that_almost_never_ends_a_phrase_ends_no_term(neighbours, reports):
    """综合 is followed by a content word (治理, 整治 …) nearly everywhere: 环境综合 waits for its
    head (环境综合整治), while 园区整合 ends on a word that ends phrases."""
    _, after = brute(reports, "综合")
    total = sum(after.values())
    ends = sum(n for s, n in after.items() if not s[:1] or not is_cjk(s[0]) or s[0] in OPEN_AFTER)
    assert total >= MIN_END_EVIDENCE and ends < MIN_END_SHARE * total
    assert dictionary()["综合"][0] == "vn"  # not a noun head
    assert not neighbours.can_end("综合")
    assert brute(reports, "环境综合")[1]  # it occurs
    assert fragment(neighbours, "环境综合", dictionary())
    _, after = brute(reports, "整合")
    ends = sum(n for s, n in after.items() if not s[:1] or not is_cjk(s[0]) or s[0] in OPEN_AFTER)
    assert ends >= MIN_END_SHARE * sum(after.values())
    assert neighbours.can_end("整合")


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def test_a_scope_word_opens_no_term(neighbours, reports):
    """全省唯一: 全省 scopes what follows to the speaker's province; it begins no term."""
    assert brute(reports, "全省唯一")[0]
    assert fragment(neighbours, "全省唯一", dictionary())


def test_listed_phrases_are_no_fragments(engine):
    """What key phrases, diff and compare list has passed the corpus test (quoted terms
    excepted: their quotes are their boundary)."""
    from search.trends import diff

    stats = corpus_stats(engine)
    data = diff(engine, "镇江", 2024, limit=1000)
    report = engine.report(data["report_id"])
    listed = [row["phrase"] for key in ("new", "key_phrases") for row in data[key]]
    assert listed
    found = stats.candidates(report)
    for phrase in listed:
        if found[phrase]["origin"] != "quoted":
            assert not fragment(stats._neighbours, phrase, dictionary()), phrase
