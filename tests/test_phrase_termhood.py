"""Termhood weights that pick the diff and compare lists (docs/trends.md, Round 3), on the
seed reports: quoted terms are the report's own names (“智改数转网联” is quoted in 镇江 2024),
one dictionary word or a verb at the end is weaker evidence, and the lists are ranked by
TF-IDF × that weight with exact counts and plain TF-IDF scores."""

from __future__ import annotations

import math

from conftest import ZJ2023 as ZJ23
from conftest import ZJ2024 as ZJ24

from search import matching
from search.analysis import accurate_tokens
from search.phrases import corpus_stats
from search.phrases.rules import dictionary
from search.phrases.termhood import QUOTED_WEIGHT, WEAK_WEIGHT, origin_of, weight
from search.trends import compare, diff


def expected_weight(phrase: str, text: str) -> float:
    """From the text and jieba's dictionary: quoted in the report → 3; one dictionary word or
    a last word tagged verb/adjective/verbal noun (not a suffix character) → ½; else 1."""
    if f"“{phrase}”" in text:
        return QUOTED_WEIGHT
    entries = dictionary()
    if phrase in entries:
        return WEAK_WEIGHT
    last = accurate_tokens(phrase)[-1][0]
    tag = entries.get(last, ("n", 0))[0]
    verbish = tag in {"v", "vd", "vg", "vi", "vq", "a", "ad", "ag", "vn"}
    return (
        WEAK_WEIGHT
        if verbish and last not in "圈链园区带港城谷湾廊轴网群站馆院所仓库点片源"
        else 1.0
    )


def test_weights_of_seed_phrases():
    assert weight("智改数转网联", "quoted") == QUOTED_WEIGHT == 3
    assert weight("生猪", "word") == WEAK_WEIGHT  # a dictionary word: ordinary vocabulary
    assert weight("园区整合", "ngram") == WEAK_WEIGHT  # 整合 is a verb: an activity
    assert weight("南京都市圈", "ngram") == 1.0  # 圈 is a noun-forming suffix
    assert weight("云帆计划", "ngram") == 1.0
    assert (
        origin_of("四群八链", {"四群八链": {"origin": "ngram"}}, {"四群八链": {"origin": "quoted"}})
        == "quoted"
    )
    assert origin_of("无", {}) is None


def test_new_list_is_ranked_by_score_times_weight(engine, reports):
    text, before = reports[ZJ24].text, reports[ZJ23].text
    n = len(reports)
    data = diff(engine, "镇江", 2024, limit=1000)
    rows = data["new"]
    assert rows and data["new_total"] == len(rows)
    keys = []
    for r in rows:
        assert r["count"] == matching.count(text, r["phrase"]) and r["previous_count"] == 0
        assert matching.count(before, r["phrase"]) == 0
        df = sum(matching.contains(rep.text, r["phrase"]) for rep in reports.values())
        assert r["score"] == round(r["count"] * math.log((n + 1) / df), 4)  # plain TF-IDF
        keys.append(r["count"] * math.log((n + 1) / df) * expected_weight(r["phrase"], text))
    assert all(a >= b - 1e-6 for a, b in zip(keys, keys[1:]))
    # Quoted in the report, 新农人 (4 times; also in 常州 2024), 实验室 and 智改数转网联 (3 times)
    # and 十年禁渔 head the list; 技改 (5 times, only here: the best plain TF-IDF) is one
    # dictionary word and falls below them.
    top = [r["phrase"] for r in rows[:4]]
    assert top == ["新农人", "实验室", "智改数转网联", "十年禁渔"]
    assert all(f"“{p}”" in text for p in top) and "“技改”" not in text
    plain = max(rows, key=lambda r: r["score"])
    assert plain["phrase"] == "技改" and rows.index(plain) > 3
    # A cut list is the head of the full one.
    assert diff(engine, "镇江", 2024, limit=5)["new"] == rows[:5]


def test_compare_lists_use_the_same_ranking(engine, reports):
    data = compare(engine, ZJ23, ZJ24, limit=1000)
    text_a, text_b = reports[ZJ23].text, reports[ZJ24].text
    stats = corpus_stats(engine)
    for key in ("only_a", "only_b", "shared"):
        keys = []
        for r in data[key]:
            quoted = f"“{r['phrase']}”" in text_a or f"“{r['phrase']}”" in text_b
            w = QUOTED_WEIGHT if quoted else expected_weight(r["phrase"], "")
            weight_sum = r["count_a"] + r["count_b"]
            assert r["score"] == stats.score(r["phrase"], weight_sum)
            keys.append(r["score"] * w)
        assert all(a >= b - 1e-3 for a, b in zip(keys, keys[1:])), key
