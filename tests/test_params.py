"""search.params: one grammar for years and one set of checks for parameters, answered in
English (CLI) and Chinese (web); the search box's year: filter and the year= parameter agree."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import params
from search.params import ParamError
from search.query import QuerySyntaxError, parse

CJK = re.compile("[\u4e00-\u9fff]")

YEARS = [
    ("2023", (2023, 2023)),
    ("2023年", (2023, 2023)),
    (" 2023 ", (2023, 2023)),
    ("2020-2024", (2020, 2024)),
    ("2020:2024", (2020, 2024)),
    ("2020–2024", (2020, 2024)),
    ("2020—2024", (2020, 2024)),
    ("2020~2024", (2020, 2024)),
    ("2020至2024", (2020, 2024)),
    ("2020年到2024年", (2020, 2024)),
    ("2020 - 2024", (2020, 2024)),
    ("2020-", (2020, None)),
    ("-2015", (None, 2015)),
    ("2020-2020", (2020, 2020)),
    ("", (None, None)),
    (None, (None, None)),
]


@pytest.mark.parametrize("text, expected", YEARS)
def test_year_ranges(text, expected):
    assert params.year_range(text) == expected


@pytest.mark.parametrize("text, expected", [(t, e) for t, e in YEARS if t and t.strip()])
def test_the_search_box_reads_years_the_same_way(text, expected):
    quoted = f'year:"{text}"' if " " in text else f"year:{text}"
    filters = parse(quoted).filters
    assert (filters.year_from, filters.year_to) == expected


@pytest.mark.parametrize(
    "text, english, chinese",
    [
        ("20x4", "is not a year", "无法识别"),
        ("20245", "is not a year", "无法识别"),
        ("-", "is not a year", "无法识别"),
        ("2024-2020", "is reversed; write 2020-2024", "前后颠倒了，应写作 2020-2024"),
        ("1066", "out of range (1900-2100)", "超出范围"),
    ],
)
def test_bad_years_say_why_in_both_languages(text, english, chinese):
    with pytest.raises(ParamError) as raised:
        params.year_range(text)
    assert english in str(raised.value) and chinese in raised.value.zh
    with pytest.raises(QuerySyntaxError) as raised:
        parse(f"year:{text}")
    assert english in str(raised.value) and chinese in raised.value.zh


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-–:~年至 ", max_size=12))
def test_parameter_and_filter_accept_and_refuse_the_same_years(text):
    try:
        expected = params.year_range(text)
    except ParamError:
        expected = "error"
    if not text.strip():
        return  # an empty parameter means "no filter"; an empty year: is a syntax error
    try:
        filters = parse(f'year:"{text.strip()}"').filters
        got = (filters.year_from, filters.year_to)
    except QuerySyntaxError:
        got = "error"
    assert got == expected


def test_single_year():
    assert params.year("2024") == params.year(" 2024年 ") == params.year(2024) == 2024
    for bad in ("2020-2024", "abc", "", None, "20245"):
        with pytest.raises(ParamError, match="year must be a year like 2024") as raised:
            params.year(bad)
        assert "参数 year 应为四位数的年份" in raised.value.zh


@pytest.mark.parametrize("value, expected", [("5", 5), (" 7 ", 7), (3, 3), ("", 9), (None, 9)])
def test_whole_numbers(value, expected):
    assert params.whole_number(value, "limit", 1, 10, default=9) == expected


@pytest.mark.parametrize(
    "value, english, chinese",
    [
        ("abc", "limit must be a whole number, not 'abc'", "参数 limit 应为整数，不是“abc”。"),
        ("1.5", "must be a whole number", "应为整数"),
        (True, "must be a whole number", "应为整数"),
        ("0", "limit must be between 1 and 10", "参数 limit 应在 1 到 10 之间。"),
        ("11", "limit must be between 1 and 10", "参数 limit 应在 1 到 10 之间。"),
        ("-3", "limit must be between 1 and 10", "应在 1 到 10 之间"),
    ],
)
def test_bad_whole_numbers(value, english, chinese):
    with pytest.raises(ParamError) as raised:
        params.whole_number(value, "limit", 1, 10)
    assert english in str(raised.value) and chinese in raised.value.zh


def test_sections_and_sort():
    assert params.sections(["Plan", " review "]) == ("plan", "review")
    with pytest.raises(ParamError, match="unknown section 'x'; use one of: review, plan"):
        params.sections(["x"])
    assert params.sort("") == "relevance" and params.sort("year") == "year"
    with pytest.raises(ParamError, match="sort must be 'relevance' or 'year'"):
        params.sort("best")
    assert params.page_and_limit("2", 100) == (2, 100)
    with pytest.raises(ParamError, match="page must be between 1 and 10000"):
        params.page_and_limit(0, 10)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_every_syntax_error_has_a_chinese_message(text):
    try:
        parse(text)
    except QuerySyntaxError as error:
        assert CJK.search(error.zh), (text, error.zh)
        assert error.zh != error.message


def test_the_engine_takes_the_same_years(engine):
    same = {
        engine.search("园区整合", year=y)["total"]
        for y in ("2023:2024", "2023–2024", "2023-2024", "2023至2024")
    }
    assert same == {engine.search("园区整合 year:2023-2024")["total"]} == {3}
    assert engine.search("园区整合", year="2024-")["total"] == 2
    assert engine.search("园区整合", year="-2023")["total"] == 1


# -- per-index caches ---------------------------------------------------------------------------
def test_snapshot_memo_builds_once_per_snapshot_even_under_threads(engine):
    snap = engine.snapshot
    calls: list[int] = []
    barrier = threading.Barrier(8)

    def build():
        calls.append(1)
        return object()

    results = []

    def worker():
        barrier.wait()
        results.append(snap.memo("test.once", build))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


def test_a_failed_memo_build_raises_and_is_retried(engine):
    snap = engine.snapshot

    def broken():
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        snap.memo("test.broken", broken)
    assert snap.memo("test.broken", lambda: 42) == 42


def test_corpus_stats_live_on_the_snapshot(index_dir):
    from search.engine import Engine
    from search.phrases import corpus_stats

    one, two = Engine(index_dir), Engine(index_dir)
    assert corpus_stats(one) is corpus_stats(one)
    assert corpus_stats(one) is not corpus_stats(two)  # another snapshot, its own cache
    assert corpus_stats(one).snapshot is one.snapshot


@pytest.mark.parametrize(
    "url, chinese",
    [
        (
            "/api/kwic?q=园区整合&sort=sideways",
            "参数 sort 应为 report、left、right、city、year 之一，不是“sideways”。",
        ),
        ("/api/collocates?q=园区整合&window=99", "参数 window 应在 1 到 50 之间。"),
        ("/api/collocates?q=园区整合&measure=pmi", "参数 measure 应为 ll、mi、logdice 之一"),
        ("/api/kwic?q=园区整合&width=abc", "参数 width 应为整数，不是“abc”。"),
    ],
)
def test_workbench_parameters_use_the_same_checks(client, url, chinese):
    response = client.get(url)
    assert response.status_code == 400
    assert chinese in response.get_json()["error"]["message"]
