"""Key phrases of a report (``search.phrases``) on the seed corpus: candidates with exact
counts, TF-IDF ranking with exact document frequencies, and the rules that make a candidate
a term. Counts are the hand-checked ones of the table in tests/test_trends.py."""

from __future__ import annotations

import math

import pytest
from conftest import CZ2024 as CZ24
from conftest import JR2024 as JR24
from conftest import WUZHOU as WZ
from conftest import ZJ2023 as ZJ23
from conftest import ZJ2024 as ZJ24

from search import matching
from search.errors import GovsearchError
from search.phrases import (
    FUNCTION_WORDS,
    GENERIC_WORDS,
    CorpusStats,
    candidates,
    corpus_stats,
    key_phrases,
)


def by_phrase(rows):
    return {r["phrase"]: r for r in rows}


# -- key phrases ---------------------------------------------------------------------------------
def test_candidates_have_exact_counts_and_no_stop_words(reports):
    text = reports[ZJ24].text
    found = candidates(text)
    assert found, "a report has key phrase candidates"
    for phrase, info in found.items():
        assert info["count"] == matching.count(text, phrase) >= 1
        assert phrase not in FUNCTION_WORDS and phrase not in GENERIC_WORDS
        assert not phrase.isdigit()
    # Quoted slogans are candidates, with their exact count in the whole text (quoted or not).
    assert found["四群八链"] == {"count": 4, "origin": "quoted"}
    assert found["智改数转网联"] == {"count": 3, "origin": "quoted"}
    assert found["新农人"] == {"count": 4, "origin": "quoted"}
    # A recurring run of words jieba cuts apart (园区/整合) is an n-gram candidate.
    assert found["园区整合"] == {"count": 3, "origin": "ngram"}
    # 四群八 only ever occurs inside 四群八链 (same count): the longer term wins.
    assert "四群八" not in found and "群八链" not in found
    # Generic verbs never begin a candidate: 推动园区整合 gives way to 园区整合.
    assert not any(p.startswith(("推进", "推动", "加快", "深入")) for p in found)


def test_key_phrases_are_tfidf_with_exact_df(engine, reports):
    data = key_phrases(engine, ZJ24, limit=500)
    assert data["report_id"] == ZJ24 and data["reports_in_corpus"] == 7
    rows = by_phrase(data["phrases"])
    # 智改数转网联: 3 times in 001; used by 001 and 002 → df 2; score = 3 × ln(8/2).
    assert rows["智改数转网联"]["count"] == 3
    assert rows["智改数转网联"]["df"] == 2
    assert rows["智改数转网联"]["score"] == round(3 * math.log(8 / 2), 4)
    assert rows["智改数转网联"]["rate"] == round(3 * 10000 / reports[ZJ24].chars, 3)
    # 四群八链: 4 times; in 000, 001, 002 → df 3.
    assert (rows["四群八链"]["count"], rows["四群八链"]["df"]) == (4, 3)
    scores = [p["score"] for p in data["phrases"]]
    assert scores == sorted(scores, reverse=True)
    for p in data["phrases"]:
        assert p["count"] == matching.count(reports[ZJ24].text, p["phrase"])
        assert p["df"] == sum(matching.contains(r.text, p["phrase"]) for r in reports.values())
        assert p["score"] == round(p["count"] * math.log(8 / p["df"]), 4)


def test_bigram_prefilter_and_pruned_ranking_change_nothing(engine):
    """The prefilter (used on large corpora) and the top-k pruning give the plain answers."""
    snapshot = engine.snapshot
    plain = CorpusStats(snapshot, prefilter=False)
    fast = CorpusStats(snapshot, prefilter=True)
    for report_id in (ZJ24, JR24, WZ):
        report = snapshot.reports[report_id]
        for phrase in candidates(report.text):
            assert fast.df(phrase) == plain.df(phrase), phrase
        full = plain.top(report, None)
        for limit in (1, 5, 30):
            assert fast.top(report, limit) == full[:limit]


def test_key_phrases_unknown_report(engine):
    with pytest.raises(GovsearchError, match="no report with id"):
        key_phrases(engine, "nope")


def test_corpus_stats_are_cached_per_snapshot(engine):
    assert corpus_stats(engine) is corpus_stats(engine)
    assert corpus_stats(engine).snapshot is engine.snapshot


# -- what makes a candidate a term (issue 18, item 6) ------------------------------------------
def test_candidates_start_and_end_where_jieba_cuts(reports):
    """At least half of every candidate's occurrences begin and end on jieba's cuts."""
    from search.phrases import tokens

    for report_id in (ZJ24, CZ24, WZ):
        text = reports[report_id].text
        cuts = tokens(text)
        starts, ends = {a for _, a, _ in cuts}, {b for _, _, b in cuts}
        for phrase in candidates(text):
            hits = matching.find_all(text, phrase)
            aligned = [at for at in hits if at in starts and at + len(phrase) in ends]
            assert aligned and 2 * len(aligned) >= len(hits), (report_id, phrase)


def test_a_string_mostly_inside_a_word_is_no_candidate():
    from search.phrases import tokens

    # 能源/汽车 is a run twice, but three of its five occurrences start inside 新能源.
    text = "发展能源汽车。能源汽车。新能源汽车。新能源汽车。新能源汽车。"
    assert [w for w, _, _ in tokens("新能源汽车。")] == ["新能源", "汽车", "。"]
    assert matching.count(text, "能源汽车") == 5
    assert "能源汽车" not in candidates(text)
    # Two of four inside a word: half on the cuts is enough.
    text = "发展能源汽车。能源汽车。新能源汽车。新能源汽车。"
    assert candidates(text)["能源汽车"]["count"] == 4


def test_short_words_need_more_occurrences():
    from search.phrases import MIN_CHARS, MIN_SHORT_COUNT

    assert (MIN_CHARS, MIN_SHORT_COUNT) == (3, 3)
    twice = "做大蛋糕，分好蛋糕。"
    assert matching.count(twice, "蛋糕") == 2 and "蛋糕" not in candidates(twice)
    thrice = "做大蛋糕，分好蛋糕，守住蛋糕。"
    assert candidates(thrice)["蛋糕"] == {"count": 3, "origin": "word"}


def test_a_run_ending_in_a_common_verb_is_a_clause():
    # 人数/继续 recurs, but 继续 is among the commonest verbs: a clause, not a term.
    text = "就业人数继续增加，参保人数继续增加。"
    assert "人数继续" not in candidates(text)


def test_substring_with_the_same_count_gives_way(reports):
    """No candidate is a substring of a longer candidate with the same exact count."""
    for report_id in (ZJ23, ZJ24, JR24):
        found = candidates(reports[report_id].text)
        for short, info in found.items():
            for long, other in found.items():
                if short != long and short in long:
                    assert info["count"] != other["count"], (short, long)


def test_a_piece_always_followed_by_the_same_word_is_cut_short():
    # 旅游市场综合 only ever occurs before 整治: the term is 旅游市场综合整治.
    text = "开展旅游市场综合整治行动。旅游市场综合整治。"
    found = candidates(text)
    assert "旅游市场综合" not in found and found["旅游市场综合整治"]["count"] == 2
    # A function or generic word after it (的) leaves the term whole.
    text = "提高国家公务员的素质。改善国家公务员的待遇。"
    assert candidates(text)["国家公务员"]["count"] == 2


def test_a_generic_word_before_a_verb_is_a_clause():
    text = "全面查处违法行为。全面查处违规用地。"
    assert matching.count(text, "全面查处") == 2 and "全面查处" not in candidates(text)


def test_a_piece_always_after_the_same_noun_is_cut_short():
    text = "建设大数据综合试验区核心区。大数据综合试验区核心区。"
    assert matching.count(text, "综合试验区核心区") == 2
    assert "综合试验区核心区" not in candidates(text)  # always after 数据
    # A verb before it every time (举办) says nothing about the term's own extent.
    text = "成功举办国际花卉旅游节。再次举办国际花卉旅游节。"
    assert candidates(text)["国际花卉旅游节"]["count"] == 2


def test_a_set_phrase_of_generic_words_ends_no_term():
    text = "烟草产业稳步发展，蔬菜产业稳步发展。"
    assert matching.count(text, "产业稳步发展") == 2 and "产业稳步发展" not in candidates(text)
