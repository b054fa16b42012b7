"""The benchmark's brute-force oracle (scripts/bench/oracle.py) is written without the
engine's rules; these tests pin its rules to their documented meaning and check that it and
the engine agree on the seed corpus, so `make bench` compares two independent answers."""

from __future__ import annotations

import pytest

from scripts.bench.data import load_queries
from scripts.bench.measure import check_query
from scripts.bench.oracle import BruteForce, core_name, place_is, positive_phrases


def test_place_names_match_in_their_short_and_county_forms():
    assert place_is("镇江", "镇江市") and place_is("镇江市", "镇江")
    assert place_is("广西", "广西壮族自治区")
    assert place_is("相城区", "苏州市相城区")
    assert not place_is("城区", "苏州市相城区")  # a county name needs 3 characters
    assert not place_is("常州", "镇江市")
    assert not place_is("镇江", None)
    assert core_name("沙市") == "沙市"  # the rest keeps two characters


def test_latin_phrases_fold_case_and_respect_word_boundaries():
    brute = BruteForce([])
    text = "G312 与 g312、G3125 和 AG312 以及 5G 网络"
    assert brute.count(text, "G312", 0, len(text)) == 2
    assert brute.count(text, "5g", 0, len(text)) == 1
    assert brute.count("园区园区园", "园区", 0, 5) == 2


def test_positive_phrases_skip_those_under_one_not():
    from scripts.bench.oracle import parse_query

    expr = parse_query("营商环境 -放管服 (数字经济 OR 乡村振兴)").expr
    assert positive_phrases(expr) == ["营商环境", "数字经济", "乡村振兴"]


@pytest.mark.parametrize("q", load_queries(), ids=lambda q: q["query"])
def test_engine_agrees_with_the_oracle_on_the_seed_corpus(engine, q):
    brute = BruteForce(engine.reports())
    row = check_query(engine, brute, q)
    assert row["exact"], row


@pytest.mark.parametrize(
    "text",
    [
        "发展 city:镇江",
        "发展 city:镇江市 year:2024",
        "city:句容市",
        "创新 prefecture:镇江",
        "发展 year:2023-2024",
        "改革 section:plan",
        "(创新 OR 改革) city:句容",
    ],
)
def test_filters_select_seed_reports_the_same_way(engine, text):
    brute = BruteForce(engine.reports())
    row = check_query(engine, brute, {"category": "filter", "query": text})
    assert row["truth_reports"] > 0 and row["exact"], row
