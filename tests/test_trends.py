"""Year-over-year diff, timeline, spread and compare on the seed corpus (the key phrases
they rest on: test_phrases.py).

Every expected count below was checked by hand on the normalized texts of the seeds
(``reports[id].text``; ``grep -o PHRASE | wc -l`` on a dump of each agrees, none of these
phrases can overlap itself).  Counts of the phrases used here, per report:

    phrase          000 镇江2023  001 镇江2024  002 句容2024  003 常州2024  004-1 相城  004-2 苏州  004-3 梧州
    园区整合              2          3          2          0          0         0         0
    四群八链              4          4          3          0          0         0         0
    智改数转网联          0          3          1          0          0         0         0
    新农人                0          4          0          1          0         0         0
    镇江现代化            5          0          0          0          0         0         0
    云帆计划              2          0          0          0          0         0         0
    二十大精神            7          1          2          2          0         0         0
    高质量发展            7         12          8          9          2         6        15
"""

from __future__ import annotations

import json
import math

import pytest
from conftest import CZ2024 as CZ24
from conftest import JR2024 as JR24
from conftest import SUZHOU as SZ
from conftest import WUZHOU as WZ
from conftest import XIANGCHENG as XC
from conftest import ZJ2023 as ZJ23
from conftest import ZJ2024 as ZJ24

from search import matching
from search.errors import GovsearchError
from search.params import ParamError
from search.phrases import key_phrases
from search.trends import (
    SIGNIFICANT_G2,
    UnknownCityError,
    UnknownYearError,
    compare,
    diff,
    g2,
    spread,
    timeline,
)

TABLE = {
    "园区整合": (2, 3, 2, 0, 0, 0, 0),
    "四群八链": (4, 4, 3, 0, 0, 0, 0),
    "智改数转网联": (0, 3, 1, 0, 0, 0, 0),
    "新农人": (0, 4, 0, 1, 0, 0, 0),
    "镇江现代化": (5, 0, 0, 0, 0, 0, 0),
    "云帆计划": (2, 0, 0, 0, 0, 0, 0),
    "二十大精神": (7, 1, 2, 2, 0, 0, 0),
    "高质量发展": (7, 12, 8, 9, 2, 6, 15),
}
IDS = (ZJ23, ZJ24, JR24, CZ24, XC, SZ, WZ)


def by_phrase(rows):
    return {r["phrase"]: r for r in rows}


def test_the_table_above_is_right(reports):
    for phrase, counts in TABLE.items():
        assert tuple(matching.count(reports[i].text, phrase) for i in IDS) == counts, phrase


# -- year over year ----------------------------------------------------------------------------
def test_diff_zhenjiang_2024_against_2023(engine, reports):
    data = diff(engine, "镇江", 2024, limit=1000)
    assert (data["city"], data["year"], data["report_id"]) == ("镇江市", 2024, ZJ24)
    assert (data["previous_year"], data["previous_report_id"]) == (2023, ZJ23)
    assert data["earlier_report_ids"] == [ZJ23]
    new = by_phrase(data["new"])
    # New in 2024: 3 × 智改数转网联 and 4 × 新农人, none in 2023.
    assert new["智改数转网联"]["count"] == 3 and new["智改数转网联"]["previous_count"] == 0
    assert new["新农人"]["count"] == 4
    assert new["新农人"]["rate"] == round(4 * 10000 / reports[ZJ24].chars, 3)
    # Dropped: 镇江现代化 (5 times in 2023) and 云帆计划 (2) are absent from 2024.
    dropped = by_phrase(data["dropped"])
    assert (dropped["镇江现代化"]["count"], dropped["镇江现代化"]["previous_count"]) == (0, 5)
    assert (dropped["云帆计划"]["count"], dropped["云帆计划"]["previous_count"]) == (0, 2)
    # Used in both years: neither new nor dropped.
    for phrase in ("四群八链", "园区整合"):
        assert phrase not in new and phrase not in dropped
    # Falling: 二十大精神 7 times in 11,172 characters, once in 15,005.
    falling = by_phrase(data["falling"])
    row = falling["二十大精神"]
    assert (row["count"], row["previous_count"]) == (1, 7)
    now, before = len(reports[ZJ24].text), len(reports[ZJ23].text)
    assert (row["rate"], row["previous_rate"]) == (round(1e4 / now, 3), round(7e4 / before, 3))
    assert row["g2"] == g2(1, 7, now, before) >= SIGNIFICANT_G2
    assert "二十大精神" not in by_phrase(data["rising"])
    assert data["returning"] == []  # only one earlier report
    for key in ("new", "dropped", "rising", "falling"):
        assert data[f"{key}_total"] == len(data[key])
        for r in data[key]:
            assert r["count"] == matching.count(reports[ZJ24].text, r["phrase"])
            assert r["previous_count"] == matching.count(reports[ZJ23].text, r["phrase"])
    for r in data["rising"] + data["falling"]:
        assert r["count"] and r["previous_count"]
        assert max(r["count"], r["previous_count"]) >= 3 and r["g2"] >= SIGNIFICANT_G2
    for r in data["rising"]:
        assert r["rate"] > r["previous_rate"]


def test_diff_limit_cuts_lists_but_keeps_totals(engine):
    data = diff(engine, "镇江市", 2024, limit=3)
    assert len(data["new"]) == 3 and data["new_total"] > 3
    full = diff(engine, "镇江市", 2024, limit=1000)
    assert data["new"] == full["new"][:3]
    assert len(data["key_phrases"]) == 3


def test_diff_without_an_earlier_report(engine):
    data = diff(engine, "句容市", 2024)
    assert data["report_id"] == JR24
    assert data["previous_year"] is None and data["previous_report_id"] is None
    for key in ("new", "returning", "dropped", "rising", "falling"):
        assert data[key] == [] and data[f"{key}_total"] == 0
    assert data["key_phrases"], "the report's own key phrases are still listed"


def test_diff_unknown_city_lists_cities(engine):
    with pytest.raises(UnknownCityError) as error:
        diff(engine, "南京市", 2024)
    message = str(error.value)
    assert "南京市" in message and "镇江市" in message and "句容市" in message
    assert isinstance(error.value, GovsearchError)


def test_diff_unknown_year_lists_years(engine):
    with pytest.raises(UnknownYearError, match=r"no 2022 report of 镇江市; it has: 2023, 2024"):
        diff(engine, "镇江", 2022)
    with pytest.raises(UnknownYearError, match="no dated reports"):
        diff(engine, "梧州市", 2020)  # the compilation's parts have no year
    with pytest.raises(ParamError, match="year must be a year like 2024, not 'last year'"):
        diff(engine, "镇江", "last year")


def test_city_names_match_like_the_engine(engine):
    assert diff(engine, "镇江", 2024)["city"] == "镇江市"
    assert timeline(engine, "相城区")["city"] == "苏州市相城区"
    # 苏州 names 苏州市 only: 苏州市相城区 is another government.
    assert timeline(engine, "苏州")["city"] == "苏州市"


def test_timeline(engine):
    data = timeline(engine, "镇江", top=5)
    assert data["city"] == "镇江市" and data["years"] == [2023, 2024]
    assert [r["id"] for r in data["reports"]] == [ZJ23, ZJ24]
    assert all(len(r["top_phrases"]) == 5 for r in data["reports"])
    assert data["reports"][1]["top_phrases"] == key_phrases(engine, ZJ24, limit=5)["phrases"]
    undated = timeline(engine, "梧州市")
    assert undated["years"] == [] and [r["year"] for r in undated["reports"]] == [None]


# -- spread ------------------------------------------------------------------------------------
def rows_of(data):
    return [
        (r["city"], r["year"], r["report_id"], r["occurrences"], r["first"]) for r in data["rows"]
    ]


def test_spread_of_yuanqu_zhenghe(engine):
    data = spread(engine, "园区整合")
    # 镇江 used it first (2023); 句容 took it up in 2024, when 镇江 used it again.
    assert rows_of(data) == [
        ("镇江市", 2023, ZJ23, 2, True),
        ("句容市", 2024, JR24, 2, True),
        ("镇江市", 2024, ZJ24, 3, False),
    ]
    assert [
        (c["rank"], c["city"], c["first_year"], c["reports"], c["occurrences"])
        for c in data["cities"]
    ] == [(1, "镇江市", 2023, 2, 5), (2, "句容市", 2024, 1, 2)]
    assert data["total"] == 7 and data["phrase"] == "园区整合"


def test_spread_puts_undated_reports_last(engine):
    data = spread(engine, "高质量发展")
    assert rows_of(data) == [
        ("镇江市", 2023, ZJ23, 7, True),
        # 2024: first uses (句容, 常州, by name) before 镇江's repeat use
        ("句容市", 2024, JR24, 8, True),
        ("常州市", 2024, CZ24, 9, True),
        ("镇江市", 2024, ZJ24, 12, False),
        # undated compilation parts: last, by name; first only because no dated report
        ("梧州市", None, WZ, 15, True),
        ("苏州市", None, SZ, 6, True),
        ("苏州市相城区", None, XC, 2, True),
    ]
    assert [c["city"] for c in data["cities"]] == [
        "镇江市",
        "句容市",
        "常州市",
        "梧州市",
        "苏州市",
        "苏州市相城区",
    ]
    assert data["cities"][3]["first_year"] is None


def test_spread_counts_match_engine_stats(engine):
    data = spread(engine, "四群八链")
    stats = {r["report_id"]: r["occurrences"] for r in engine.stats("四群八链")["rows"]}
    assert (
        {r["report_id"]: r["occurrences"] for r in data["rows"]}
        == stats
        == {ZJ23: 4, ZJ24: 4, JR24: 3}
    )


def test_spread_of_nothing(engine):
    data = spread(engine, "不存在的词组")
    assert data["rows"] == [] and data["cities"] == [] and data["total"] == 0
    with pytest.raises(GovsearchError):
        spread(engine, "   ")


# -- compare -----------------------------------------------------------------------------------
def test_compare_zhenjiang_2023_and_2024(engine, reports):
    data = compare(engine, ZJ23, ZJ24, limit=1000)
    assert data["a"]["id"] == ZJ23 and data["b"]["id"] == ZJ24
    assert data["a"]["year"] == 2023 and data["b"]["chars"] == len(reports[ZJ24].text)
    shared, only_a, only_b = (by_phrase(data[k]) for k in ("shared", "only_a", "only_b"))
    assert (shared["四群八链"]["count_a"], shared["四群八链"]["count_b"]) == (4, 4)
    assert (shared["园区整合"]["count_a"], shared["园区整合"]["count_b"]) == (2, 3)
    assert (only_a["镇江现代化"]["count_a"], only_a["镇江现代化"]["count_b"]) == (5, 0)
    assert (only_b["智改数转网联"]["count_a"], only_b["智改数转网联"]["count_b"]) == (0, 3)
    assert only_b["新农人"]["count_b"] == 4
    assert not set(shared) & set(only_a) and not set(shared) & set(only_b)
    for r in data["shared"] + data["only_a"] + data["only_b"]:
        assert r["count_a"] == matching.count(reports[ZJ23].text, r["phrase"])
        assert r["count_b"] == matching.count(reports[ZJ24].text, r["phrase"])
    # Section outlines: kind, title and size of each top-level section.
    assert [(s["ordinal"], s["kind"]) for s in data["sections"]["b"]] == [
        (0, "other"),
        (1, "review"),
        (2, "other"),
        (3, "plan"),
        (4, "government"),
    ]
    assert data["sections"]["b"][1]["title"] == "一、2023年工作回顾"
    assert sum(s["chars"] for s in data["sections"]["a"]) <= reports[ZJ23].chars
    # The same phrases are "new" in the diff and "only in B" here.
    assert set(only_b) == {r["phrase"] for r in diff(engine, "镇江", 2024, 1000)["new"]}


def test_compare_unknown_report(engine):
    with pytest.raises(GovsearchError, match="no report with id"):
        compare(engine, ZJ23, "nope")


# -- helpers, caching, CLI -----------------------------------------------------------------------
def test_g2_by_hand():
    # 1 in 15,005 characters against 7 in 11,172: expected 8 × 15005 / 26177 and
    # 8 × 11172 / 26177; G² = 2 × Σ observed × ln(observed / expected).
    e1, e2 = 8 * 15005 / 26177, 8 * 11172 / 26177
    assert g2(1, 7, 15005, 11172) == round(2 * (math.log(1 / e1) + 7 * math.log(7 / e2)), 4)
    assert g2(3, 3, 100, 100) == 0.0
    assert g2(0, 0, 100, 100) == 0.0


def run_cli(capsys, *argv):
    from search.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_diff_json(capsys, index_dir):
    code, out, _ = run_cli(
        capsys,
        "diff",
        "--city",
        "镇江市",
        "--year",
        "2024",
        "--index",
        str(index_dir),
        "--json",
        "--limit",
        "500",
    )
    assert code == 0
    data = json.loads(out)
    assert data["previous_report_id"] == ZJ23
    assert by_phrase(data["new"])["智改数转网联"]["count"] == 3


def test_cli_spread_compare_timeline_phrases(capsys, index_dir):
    code, out, _ = run_cli(capsys, "spread", "园区整合", "--index", str(index_dir), "--json")
    assert code == 0 and [r["first"] for r in json.loads(out)["rows"]] == [True, True, False]
    code, out, _ = run_cli(capsys, "compare", ZJ23, ZJ24, "--index", str(index_dir))
    assert code == 0 and "shared" in out and "only_b" in out
    code, out, _ = run_cli(
        capsys, "timeline", "--city", "镇江", "--index", str(index_dir), "--json"
    )
    assert code == 0 and json.loads(out)["years"] == [2023, 2024]
    code, out, _ = run_cli(capsys, "phrases", ZJ24, "--index", str(index_dir), "--json")
    assert code == 0 and json.loads(out)["report_id"] == ZJ24
    code, out, _ = run_cli(capsys, "spread", "园区整合", "--index", str(index_dir))
    assert code == 0 and "first" in out


def test_cli_errors_exit_2_with_one_line(capsys, index_dir):
    code, _, err = run_cli(
        capsys, "diff", "--city", "南京", "--year", "2024", "--index", str(index_dir)
    )
    assert code == 2 and err.startswith("govsearch: no reports of '南京'") and "镇江市" in err
    code, _, err = run_cli(
        capsys, "diff", "--city", "镇江", "--year", "2020", "--index", str(index_dir)
    )
    assert code == 2 and "it has: 2023, 2024" in err


def test_every_row_has_one_context_line_from_the_text(engine, reports):
    """``context``: the sentence of the first occurrence as the report shows it (its own
    punctuation, issue 18); text[start:end] is the phrase as shown."""
    from search.display import display_span
    from search.snippets import MAX_CHARS

    def check(report_id, row):
        report, c = reports[report_id], row["context"]
        first = report.text.find(row["phrase"])
        a, b = display_span(report, first, first + len(row["phrase"]))
        shown = report.display or report.text
        assert c["text"][c["start"] : c["end"]] == shown[a:b]
        left = a - c["start"]
        assert shown[left : left + len(c["text"])] == c["text"]  # the report's own characters
        assert len(c["text"]) <= max(MAX_CHARS, len(row["phrase"])) + 2
        assert not any(ch in c["text"][: c["start"]] for ch in "。！？；\n")
        para = next(p for p in reports[report_id].paragraphs if p.start <= first <= p.end)
        assert c["paragraph"] == para.id

    data = diff(engine, "镇江", 2024, limit=1000)
    for key in ("new", "returning", "rising", "falling"):
        for row in data[key]:
            check(ZJ24, row)
    # seed 001 writes every comma full-width (the normalized text has ASCII ones): so do its lines
    assert "," not in reports[ZJ24].display and "," in reports[ZJ24].text
    lines = [row["context"]["text"] for row in data["new"]]
    assert not any("," in line for line in lines) and any("，" in line for line in lines)
    for row in data["dropped"]:
        check(ZJ23, row)
    for row in diff(engine, "句容市", 2024)["key_phrases"]:
        check(JR24, row)
    data = compare(engine, ZJ23, ZJ24, limit=1000)
    for row in data["shared"] + data["only_a"]:
        check(ZJ23, row)
    for row in data["only_b"]:
        check(ZJ24, row)


def test_diff_without_a_year_is_the_latest(engine, reports):
    latest = max(r.year for r in reports.values() if r.city == "镇江市")
    assert diff(engine, "镇江")["year"] == latest
    assert diff(engine, "镇江") == diff(engine, "镇江", latest)
    with pytest.raises(UnknownYearError, match="no dated report of 梧州市"):
        diff(engine, "梧州市")


def test_trends_errors_carry_a_chinese_text(engine):
    with pytest.raises(UnknownYearError) as error:
        diff(engine, "镇江", 2020)
    assert str(error.value) == "no 2020 report of 镇江市; it has: 2023, 2024"
    assert error.value.zh == "镇江市没有 2020 年的报告；有：2023、2024 年"
    with pytest.raises(UnknownCityError) as error:
        diff(engine, "南京市", 2024)
    assert error.value.zh.startswith("索引中没有“南京市”的报告")
    assert "镇江市" in error.value.zh
    with pytest.raises(ParamError) as error:  # the one year rule: search.params
        diff(engine, "镇江", "last year")
    assert error.value.zh == "参数 year 应为四位数的年份，例如 2024，不是“last year”。"


def test_cli_diff_without_a_year_is_the_latest_and_errors_stay_english(capsys, index_dir, reports):
    latest = max(r.year for r in reports.values() if r.city == "镇江市")
    code, out, _ = run_cli(capsys, "diff", "--city", "镇江", "--index", str(index_dir), "--json")
    assert code == 0 and json.loads(out)["year"] == latest
    code, _, err = run_cli(capsys, "diff", "--city", "梧州市", "--index", str(index_dir))
    assert code == 2 and "no dated report of 梧州市" in err and "年" not in err
