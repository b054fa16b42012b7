"""Search core on a real index of the seed corpus: exact counts, filters, facets, snippets.

The truth every count is checked against is computed here, independently of the index: a
plain ``str.count`` over each report's normalized text.
"""

from __future__ import annotations

import re

import pytest

from search.engine import QueryError
from search.ingest.normalize import normalize_query

PHRASES = [
    "税",
    "碳",
    "园区整合",
    "四群八链",
    "项目招引",
    "智改数转",
    "一区多园",
    "无废城市",
    "营商环境",
    "高质量发展",
    "专精特新",
    "长三角",
    "乡村振兴",
    "民生实事",
    "新质生产力",
    "数字经济",
    "十四五",
    "镇江",
    "句容",
    "2024年",
    "G312",
    "5G",
    "PM2.5",
    "社会消费品零售总额",  # crosses a page break in raw 000 (lines 44/46)
    "中日(苏州)地方发展合作示范区",  # parentheses inside the phrase are literal
    "园区整合、项目招引",  # punctuation inside a phrase
    "園區整合",
    "四群八鏈",  # traditional input
    "着力",  # raw 002 writes 著力
]


def truth(reports, phrase):
    phrase = normalize_query(phrase)
    return {r.id: r.text.count(phrase) for r in reports.values() if phrase in r.text}


@pytest.mark.parametrize("phrase", PHRASES)
def test_counts_equal_a_substring_scan(engine, reports, phrase):
    expected = truth(reports, phrase)
    assert expected, f"{phrase} should occur in the seeds"
    result = engine.search(phrase, limit=100)
    assert {r["id"]: r["hits"] for r in result["results"]} == expected
    assert result["total"] == len(expected)
    stats = engine.stats(phrase)
    assert {row["report_id"]: row["occurrences"] for row in stats["rows"]} == expected
    assert stats["total"] == sum(expected.values())


def test_phrase_query_for_yuanquzhenghe_has_known_counts(engine):
    # 园区整合: 000 (2: raw lines 56 and the 二 section), 001 (3), 002 (2, traditional)
    result = engine.search("园区整合")
    assert {r["id"]: r["hits"] for r in result["results"]} == {
        "000_8747d7cb4eceb50d": 2,
        "001_3849f19c405c524f": 3,
        "002_368e49043dcb499b": 2,
    }


def test_a_phrase_absent_from_the_text_finds_nothing(engine):
    # The text writes “十四五”规划纲要(草案): the pasted phrase without quotes is not there.
    assert engine.search("十四五规划纲要(草案)")["total"] == 0
    assert engine.search("“十四五”规划纲要(草案)")["total"] == 1


def test_latin_matches_whole_alphanumeric_runs(engine, reports):
    assert engine.search("G31")["total"] == 0
    assert engine.search("g312")["hits"] == engine.search("G312")["hits"] == 3


def test_boolean_queries_are_evaluated_per_report(engine, reports):
    both = {rid for rid, r in reports.items() if "园区整合" in r.text and "一区多园" in r.text}
    got = {r["id"] for r in engine.search("园区整合 一区多园", limit=100)["results"]}
    assert got == both
    either = {rid for rid, r in reports.items() if "智改数转" in r.text or "无废城市" in r.text}
    got = {r["id"] for r in engine.search("智改数转 OR 无废城市", limit=100)["results"]}
    assert got == either
    without = {rid for rid, r in reports.items() if "营商环境" in r.text and "镇江" not in r.text}
    got = {r["id"] for r in engine.search("营商环境 -镇江", limit=100)["results"]}
    assert got == without and without


def test_grouping_with_parentheses(engine, reports):
    expected = {
        rid
        for rid, r in reports.items()
        if ("园区整合" in r.text or "项目招引" in r.text) and "镇江" in r.text
    }
    got = {r["id"] for r in engine.search("(园区整合 OR 项目招引) 镇江")["results"]}
    assert (
        got == expected == {"000_8747d7cb4eceb50d", "001_3849f19c405c524f", "002_368e49043dcb499b"}
    )


def test_city_filter_is_the_city_itself_and_prefecture_includes_its_counties(engine):
    city = engine.search("园区整合", city="镇江市")
    assert [r["id"] for r in city["results"]] == ["001_3849f19c405c524f", "000_8747d7cb4eceb50d"]
    pref = engine.search("园区整合 prefecture:镇江")
    assert {r["id"] for r in pref["results"]} == {
        "000_8747d7cb4eceb50d",
        "001_3849f19c405c524f",
        "002_368e49043dcb499b",
    }
    assert engine.search("园区整合 city:句容市")["total"] == 1


def test_year_and_province_filters(engine):
    assert {r["id"] for r in engine.search("园区整合", year="2024")["results"]} == {
        "001_3849f19c405c524f",
        "002_368e49043dcb499b",
    }
    assert engine.search("园区整合 year:2020-2023")["total"] == 1
    assert engine.search("税", province="广西")["total"] == 1
    assert engine.search("税 year:2030")["total"] == 0


def test_section_filter_counts_only_those_sections(engine, reports):
    r = reports["002_368e49043dcb499b"]
    notes = r.sections[-1]
    expected = r.section_text(notes).count("G312")
    result = engine.search("G312 section:notes")
    assert [(x["id"], x["hits"]) for x in result["results"]] == [(r.id, expected)]
    assert expected == 2  # ⑦ 三带四组团 and ⑮ 福地句才 definitions


def test_facets_count_reports_over_the_whole_result_set(engine):
    facets = engine.search("园区整合", limit=1)["facets"]
    assert facets["city"] == [{"value": "镇江市", "count": 2}, {"value": "句容市", "count": 1}]
    assert facets["year"] == [{"value": "2024", "count": 2}, {"value": "2023", "count": 1}]
    assert facets["province"] == [{"value": "江苏省", "count": 3}]


def test_sorting_and_pagination(engine):
    by_year = engine.search("税", sort="year", limit=100)["results"]
    years = [r["year"] or 0 for r in by_year]
    assert years == sorted(years, reverse=True)
    page1 = engine.search("税", limit=2, page=1)
    page2 = engine.search("税", limit=2, page=2)
    all_ids = [r["id"] for r in engine.search("税", limit=100)["results"]]
    assert [r["id"] for r in page1["results"] + page2["results"]] == all_ids[:4]
    assert page1["pages"] == 3 and page1["total"] == 6


def test_relevance_puts_the_report_with_most_mentions_first(engine):
    assert engine.search("园区整合")["results"][0]["id"] == "001_3849f19c405c524f"


@pytest.mark.parametrize("phrase", ["园区整合", "四群八链", "G312", "中日(苏州)地方发展合作示范区"])
def test_snippets_mark_whole_phrases_and_are_whole_sentences(engine, phrase):
    for result in engine.search(phrase, limit=100)["results"]:
        assert 1 <= len(result["snippets"]) <= 3
        for snippet in result["snippets"]:
            marks = re.findall("<mark>(.*?)</mark>", snippet)
            assert marks and all(m.replace("&quot;", '"') == phrase for m in marks)
        for passage in result["passages"]:
            assert re.fullmatch(r"p-\d+", passage["paragraph"])


def test_snippets_escape_text(engine, index_dir):
    snippet = engine.search("“四群八链”")["results"][0]["snippets"][0]
    assert "<" not in re.sub("</?mark>", "", snippet)


def test_hits_late_in_long_texts_are_highlighted(engine, reports):
    # The last sentence of the longest report: far beyond Whoosh's 32 KB highlight window
    # only if reports were longer, but it must be found wherever it is.
    r = max(reports.values(), key=lambda r: r.chars)
    tail = r.text[-12:]
    tail = re.sub(r"[^\u4e00-\u9fff]", "", tail)[-6:]
    result = engine.search(tail)
    ours = [x for x in result["results"] if x["id"] == r.id][0]
    assert any(f"<mark>{tail}</mark>" in s for s in ours["snippets"])


@pytest.mark.parametrize(
    "bad,message",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("OR", "OR"),
        ("园区 OR", "OR"),
        ("，。!!", "searchable"),
        ("-园区", "at least one"),
        ("(园区整合", "never closed"),
        ("园" * 10000, "500"),
        ("税 section:budget", "review"),
    ],
)
def test_malformed_queries_get_a_clear_error(engine, bad, message):
    with pytest.raises(QueryError) as error:
        engine.stats(bad)
    assert message in str(error.value)


def test_unbalanced_quote_falls_back_to_a_phrase(engine):
    assert engine.search('"园区整合')["hits"] == 7


def test_query_only_with_filters_lists_reports(engine):
    result = engine.search("city:镇江市")
    assert result["total"] == 2 and result["hits"] == 0


def test_bad_parameters_are_query_errors(engine):
    for kwargs in (
        {"page": 0},
        {"limit": 1000},
        {"year": "20x"},
        {"year": "2024-2020"},
        {"sort": "random"},
    ):
        with pytest.raises(QueryError):
            engine.search("税", **kwargs)


# Fast paths: counts read from the index, hit positions shared, sentence bounds found locally


@pytest.mark.parametrize("phrase", ["发展", "园区整合", "G312", "税 OR 镇江"])
def test_sections_hit_and_section_facet_equal_a_per_section_scan(engine, reports, phrase):
    from search import matching

    result = engine.search(phrase, limit=100)
    phrases = result["phrases"]
    kinds: dict[str, int] = {}
    for r in result["results"]:
        report = reports[r["id"]]
        expected = [
            (s.ordinal, n)
            for s in report.sections
            if (n := sum(matching.count(report.text, p, s.start, s.end) for p in phrases))
        ]
        assert [(s["ordinal"], s["hits"]) for s in r["sections"]] == expected
        assert sum(n for _, n in expected) == r["hits"]
        for kind in {
            s.kind
            for s in report.sections
            if any(matching.contains(report.text, p, s.start, s.end) for p in phrases)
        }:
            kinds[kind] = kinds.get(kind, 0) + 1
    assert {f["value"]: f["count"] for f in result["facets"]["section"]} == kinds
    assert kinds


def test_sentence_bounds_equal_a_regex_over_the_whole_text(reports):
    from bisect import bisect_right

    from search.snippets import sentence_around

    for report in reports.values():
        text = report.text
        bounds = [m.end() for m in re.finditer(r"[。!?！？;；\n]", text)]
        for start in range(0, len(text) - 4, 97):
            end = start + 4
            i, j = bisect_right(bounds, start), bisect_right(bounds, end)
            left = bounds[i - 1] if i else 0
            right = bounds[j] if j < len(bounds) else len(text)
            if text[right - 1 : right] == "\n":
                right -= 1
            assert sentence_around(text, start, end) == (left, right)


@pytest.mark.parametrize(
    "phrases", [["发展"], ["的"], ["园区整合", "园区"], ["G312", "5G"], ["。"], ["发展;", "发展"]]
)
def test_hits_grouped_by_sentence_once_per_sentence_equal_one_lookup_per_hit(reports, phrases):
    from search.snippets import group_by_sentence, hit_spans, sentence_around

    for report in reports.values():
        text = report.text
        hits = hit_spans(text, phrases, [(0, len(text))])
        expected: dict = {}
        for start, end in hits:
            expected.setdefault(sentence_around(text, start, end), []).append((start, end))
        assert group_by_sentence(text, hits, phrases) == expected


def test_the_answer_cache_is_bounded_by_matches_as_well_as_answers(index_dir, monkeypatch):
    from search.engine import Engine
    from search.query import snapshot as snapshot_module

    monkeypatch.setattr(snapshot_module, "CACHE_MATCHES", 12)
    e = Engine(index_dir, cache_size=100)
    queries = ["税", "碳", "园区整合", "镇江", "四群八链", "发展"]
    first = {q: e.search(q)["total"] for q in queries}
    snap = e.snapshot
    assert snap.cache_weight == sum(w for _, w in snap.cache.values()) <= 12
    # the newest answers are the ones kept, and answers come back the same after eviction
    assert "发展" in next(reversed(snap.cache)) and len(snap.cache) < 2 * len(queries)
    assert {q: e.search(q)["total"] for q in queries} == first
    e.cache_size = 2
    e.search("税")
    assert len(snap.cache) <= 2
