"""Targets and results extracted from the seed reports, checked against the texts by hand.

Each expectation below was written from the report's own sentence (quoted as the phrase):
the plan section's 主要预期目标 for targets, the review for results. The phrase must be
exactly ``report.text[start:end]`` and lie in the paragraph the figure names.
"""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, SEEDS, raw

from search.targets.extract import extract

ZJ23, ZJ24 = "000_8747d7cb4eceb50d", "001_3849f19c405c524f"
JURONG, CHANGZHOU = "002_368e49043dcb499b", "003_d14e6f6731d1bfab"
XIANGCHENG, SUZHOU, WUZHOU = (
    "004_02169182387663be-1",
    "004_02169182387663be-2",
    "004_02169182387663be-3",
)

# indicator: (low, high, qualifier, strive, verbatim phrase)
EXPECTED = {
    ZJ23: {
        "targets": {
            "gdp": (5, 5, "以上", None, "地区生产总值增长5%以上"),
            "revenue": (5, 5, "", None, "一般公共预算收入增长5%"),
            "investment": (7, 7, "", None, "固定资产投资增长7%"),
            "retail": (5, 5, "", None, "社会消费品零售总额增长5%"),
            "jobs": (50000, 50000, "", None, "城镇新增就业5万人"),
            "unemployment": (5, 5, "左右", None, "城镇调查失业率控制在5%左右"),
            "cpi": (3, 3, "左右", None, "居民消费价格涨幅控制在3%左右"),
            "income": (None, None, "与经济增长保持基本同步", None, "居民人均可支配收入增速与经济增长保持基本同步"),
        },
        "results": {
            "gdp": (3, 3, "左右", None, "地区生产总值预计增长3%左右"),
            "revenue": (2.1, 2.1, "", None, "一般公共预算收入增长2.1%"),
            "retail": (1, 1, "左右", None, "社会消费品零售总额增长1%左右"),
            "jobs": (57000, 57000, "", None, "城镇新增就业5.7万人"),
        },
    },
    ZJ24: {
        "targets": {
            "gdp": (5.2, 5.2, "以上", None, "地区生产总值增长5.2%以上"),
            "revenue": (4, 4, "", None, "一般公共预算收入增长4%"),
            "retail": (6, 6, "", None, "社会消费品零售总额增长6%"),
            "jobs": (24000, 24000, "以上", None, "城镇新增就业2.4万人以上"),
            "income": (None, None, "与经济增长同步", None, "居民人均可支配收入与经济增长同步"),
            "energy": (None, None, "完成省下达目标", None, "单位地区生产总值能耗下降率完成省下达目标"),
        },
        "results": {
            "gdp": (6.2, 6.2, "", None, "地区生产总值预计增长6.2%"),
            "revenue": (5.5, 5.5, "", None, "一般公共预算收入增长5.5%"),
            "retail": (8.6, 8.6, "", None, "社会消费品零售总额增长8.6%"),
            "jobs": (57000, 57000, "", None, "城镇新增就业5.7万人"),
        },
    },
    JURONG: {
        "targets": {
            "gdp": (5, 5, "左右", None, "地区生产总值增长5%左右"),
            "revenue": (4.5, 4.5, "", None, "一般公共预算收入增长4.5%"),
            "retail": (6, 6, "", None, "社会消费品零售总额增长6%"),
            "income": (None, None, "与经济增长保持同步", None, "城乡居民可支配收入与经济增长保持同步"),
        },
        "results": {
            "gdp": (5, 5, "左右", None, "地区生产总值增长5%左右"),
            "revenue": (25.7, 25.7, "", None, "一般公共预算收入50.05亿元,增长25.7%"),
            "retail": (8, 8, "", None, "社会消费品零售总额增长8%"),
            "jobs": (18100, 18100, "", None, "城镇新增就业1.81万人"),
        },
    },
    CHANGZHOU: {
        "targets": {
            "gdp": (6, 6, "以上", None, "地区生产总值增长6%以上"),
            "revenue": (6, 6, "左右", None, "一般公共预算收入增长6%左右"),
            "retail": (6, 6, "左右", None, "社会消费品零售总额增长6%左右"),
            "jobs": (100000, 100000, "左右", None, "城镇新增就业10万人左右"),
            "income": (None, None, "与经济增长同步", None, "居民人均可支配收入与经济增长同步"),
            "energy": (None, None, "下降", None, "单位地区生产总值能耗下降"),
        },
        "results": {
            "jobs": (114700, 114700, "", None, "城镇新增就业11.47万人"),
        },
    },
    WUZHOU: {
        "targets": {
            "gdp": (6.5, 6.5, "左右", None, "地区生产总值增长6.5%左右"),
            "investment": (10, 10, "", None, "固定资产投资增长10%"),
            "retail": (8, 8, "", None, "社会消费品零售总额增长8%"),
            "jobs": (24000, 24000, "", None, "新增城镇就业2.4万人"),
            "unemployment": (4.5, 4.5, "以内", None, "城镇登记失业率控制在4.5%以内"),
            "cpi": (3.5, 3.5, "左右", None, "居民消费价格涨幅3.5%左右"),
        },
        "results": {
            "gdp": (5, 5, "左右", None, "地区生产总值增长5%左右"),
            "investment": (14, 14, "", None, "固定资产投资增长14%"),
            "retail": (8.3, 8.3, "", None, "社会消费品零售总额增长8.3%"),
            "jobs": (33000, 33000, "", None, "城镇新增就业3.30万人"),
        },
    },
    SUZHOU: {
        "targets": {
            "gdp": (6, 6, "左右", None, "地区生产总值增长6%左右"),
            "revenue": (4, 4, "左右", None, "一般公共预算收入增长4%左右"),
            "investment": (None, None, "保持增长", None, "固定资产投资保持增长"),
            "retail": (6, 6, "以上", None, "社会消费品零售总额增长6%以上"),
            "jobs": (130000, 130000, "", None, "新增就业13万人"),
            "unemployment": (3, 3, "以内", None, "城镇登记失业率控制在3%以内"),
            "cpi": (3.5, 3.5, "左右", None, "居民消费价格总水平涨幅控制在3.5%左右"),
            "income": (None, None, "高于地区生产总值增幅", None, "居民人均可支配收入增速高于地区生产总值增幅"),
            "energy": (None, None, "下降", None, "单位地区生产总值能耗下降"),
        },
        "results": {
            "gdp": (6, 6, "", None, "地区生产总值预计为1.93万亿元,增长6%"),
            "revenue": (4.8, 4.8, "", None, "一般公共预算收入2221.8亿元,增长4.8%"),
            "investment": (8, 8, "", None, "固定资产投资4920亿元,增长8%"),
            "retail": (6, 6, "", None, "社会消费品零售总额6090亿元,增长6%"),
            "jobs": (173000, 173000, "", None, "新增就业17.3万人"),
            "unemployment": (2, 2, "以内", None, "城镇登记失业率保持在2%以内"),
            "cpi": (3, 3, "", None, "居民消费价格涨幅为3%"),
        },
    },
    XIANGCHENG: {
        "targets": {
            "gdp": (6, 6, "以上", None, "地区生产总值增长6%以上"),
            "revenue": (10, 10, "以上", None, "一般公共预算收入增长10%以上"),
            "investment": (10, 10, "以上", None, "全社会固定资产投资增长10%以上"),
            "retail": (7, 7, "", None, "社会消费品零售总额增长7%"),
            "unemployment": (3, 3, "以内", None, "城镇登记失业率控制在3%以内"),
        },
        "results": {
            "gdp": (4.5, 4.5, "", None, "地区生产总值930亿元,增幅4.5%"),
            "revenue": (13.5, 13.5, "", None, "一般公共预算收入136.3亿元,增幅13.5%"),
            "investment": (8, 8, "", None, "全社会固定资产投资454亿元,增幅8%"),
        },
    },
}  # fmt: skip


def _table(figures) -> dict:
    return {f.indicator: (f.low, f.high, f.qualifier, f.strive, f.text) for f in figures}


@pytest.mark.parametrize("report_id", sorted(EXPECTED))
def test_seed_targets_and_results_are_the_hand_checked_ones(reports, report_id):
    out = extract(reports[report_id])
    assert _table(out["targets"]) == EXPECTED[report_id]["targets"]
    assert _table(out["results"]) == EXPECTED[report_id]["results"]


@pytest.mark.parametrize("report_id", sorted(EXPECTED))
def test_each_figure_points_at_its_verbatim_phrase_and_paragraph(reports, report_id):
    report = reports[report_id]
    out = extract(report)
    for figure in out["targets"] + out["results"] + out["plan_period"]:
        assert report.text[figure.start : figure.end] == figure.text
        paragraph = next(p for p in report.paragraphs if p.id == figure.paragraph)
        assert paragraph.start <= figure.start and figure.end <= paragraph.end
        kinds = {s.kind for s in report.sections if s.start <= figure.start < s.end}
        assert kinds == ({"review"} if figure.kind == "result" else kinds - {"review"})


def test_targets_come_from_the_plan_section_results_from_the_review(reports):
    report = reports[ZJ23]
    kinds = {
        f.kind: {s.kind for s in report.sections if s.start <= f.start < s.end}
        for f in extract(report)["targets"] + extract(report)["results"]
    }
    assert kinds == {"target": {"plan"}, "result": {"review"}}


def _ingest_text(tmp_path, name: str, text: str):
    from search.ingest.pipeline import ingest_corpus

    folder = tmp_path / name
    folder.mkdir()
    (folder / "report.txt").write_text(text, "utf-8")
    reports = ingest_corpus(folder).reports
    assert len(reports) == 1
    return reports[0]


def test_a_report_without_a_target_section_has_no_targets(tmp_path):
    text = raw("zhenjiang2023")
    cut = text.index("今年经济社会发展的主要预期目标")
    cut = text.rindex("\n", 0, text.rindex("\n", 0, cut))  # drop the plan heading too
    report = _ingest_text(tmp_path, "review-only", text[:cut])
    out = extract(report)
    assert out["targets"] == [] and out["plan_period"] == []
    assert _table(out["results"]) == EXPECTED[ZJ23]["results"]


def _values(out) -> dict:
    return {
        name: {f.indicator: (f.low, f.high, f.qualifier, f.strive) for f in figs}
        for name, figs in out.items()
    }


def test_traditional_characters_ocr_spaces_and_line_breaks_read_the_same(tmp_path, reports):
    import opencc

    text = raw("zhenjiang2024")
    expected = _values(extract(reports[ZJ24]))
    sentence = "地区生产总值增长5.2%以上，一般公共预算收入增长4%"
    assert sentence in text
    variants = {
        "traditional": opencc.OpenCC("s2t").convert(text),
        "ocr-spaces": text.replace(sentence, " ".join(sentence)),
        "line-break": text.replace(
            sentence, "地区生产总值增\n长5.2%以上，一般公共预算\n收入增长4%"
        ),
    }
    for name, variant in variants.items():
        report = _ingest_text(tmp_path, name, variant)
        out = extract(report)
        assert _values(out) == expected, name
        for figure in out["targets"] + out["results"]:
            assert report.text[figure.start : figure.end] == figure.text


def test_five_year_plan_averages_are_kept_apart_from_the_year_target(tmp_path):
    text = raw("zhenjiang2023")
    at = text.index("今年经济社会发展的主要预期目标")
    period = "“十四五”时期,全市地区生产总值年均增长6%左右。\n"
    report = _ingest_text(tmp_path, "period", text[:at] + period + text[at:])
    out = extract(report)
    assert _table(out["targets"])["gdp"] == EXPECTED[ZJ23]["targets"]["gdp"]
    assert [(f.indicator, f.low, f.text) for f in out["plan_period"]] == [
        ("gdp", 6, "地区生产总值年均增长6%左右")
    ]


def test_a_strive_figure_is_kept_beside_the_target(tmp_path):
    text = raw("zhenjiang2023")
    assert text.count("生产总值增长5%以上,") == 1  # the raw file has 地 区生产总值 (an OCR space)
    text = text.replace("生产总值增长5%以上,", "生产总值增长5%以上，力争6%,")
    out = extract(_ingest_text(tmp_path, "strive", text))
    assert _table(out["targets"])["gdp"] == (5, 5, "以上", 6, "地区生产总值增长5%以上,力争6%")


# -- the build, the table and the CLI -----------------------------------------------------------
def test_the_build_writes_the_table_next_to_the_report_store(index_dir, reports):
    from search import store

    data = json.loads((store.current_generation(index_dir) / "targets.json").read_text("utf-8"))
    assert set(data["reports"]) == set(reports)
    gdp = [f for f in data["reports"][ZJ24]["targets"] if f["indicator"] == "gdp"]
    assert gdp[0]["low"] == 5.2 and gdp[0]["paragraph"].startswith("p-")


def test_rows_join_a_target_with_the_next_years_result(engine):
    from search.targets import rows

    data = rows(engine, indicator="gdp", city=("镇江",))
    assert [(r["report_id"], r["year"]) for r in data["rows"]] == [(ZJ23, 2023), (ZJ24, 2024)]
    first, second = data["rows"]
    assert set(first) == {
        "report_id",
        "city",
        "province",
        "level",
        "year",
        "indicator",
        "target",
        "previous_result",
        "result",
    }
    assert first["target"] == {
        "low": 5,
        "high": 5,
        "qualifier": "以上",
        "strive": None,
        "text": "地区生产总值增长5%以上",
        "paragraph": first["target"]["paragraph"],
    }
    assert first["previous_result"]["low"] == 3
    assert first["result"]["report_id"] == ZJ24 and first["result"]["low"] == 6.2
    assert second["result"] is None  # no 2025 report


def test_every_report_gets_a_row_per_indicator_even_without_a_target(engine, reports):
    from search.targets import INDICATORS, rows

    data = rows(engine)
    assert len(data["rows"]) == len(reports) * len(INDICATORS)
    nothing = [r for r in data["rows"] if r["report_id"] == CHANGZHOU and r["indicator"] == "cpi"]
    assert nothing[0]["target"] is None and nothing[0]["previous_result"] is None


def test_met_and_missed(engine):
    from search.targets import status

    assert status("gdp", {"low": 5, "high": 5, "qualifier": "以上"}, {"low": 6.2}) == "met"
    assert status("gdp", {"low": 5, "high": 5, "qualifier": "左右"}, {"low": 4.8}) == "missed"
    assert status("unemployment", {"low": 5, "high": 5, "qualifier": "左右"}, {"low": 4.9}) == "met"
    assert status("income", {"low": None, "high": None, "qualifier": "同步"}, {"low": 5}) is None


def test_cli_json_and_csv(index_dir, capsys):
    from search.cli import main

    assert (
        main(
            ["targets", "--index", str(index_dir), "--indicator", "gdp", "--city", "镇江", "--json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [r["result"]["low"] if r["result"] else None for r in data["rows"]] == [6.2, None]
    assert main(["targets", "--index", str(index_dir), "--indicator", "jobs", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("report_id,city,province,level,year,indicator,target_low")
    assert len(lines) == 1 + len(SEEDS) + 2  # the compilation holds three reports
    assert main(["targets", "--index", str(index_dir), "--indicator", "growth"]) == 2
    assert "unknown indicator 'growth'" in capsys.readouterr().err


def test_seed_corpus_is_where_the_tests_read_it():
    assert (CORPUS / SEEDS["zhenjiang2023"]).is_file()


def test_without_recognized_sections_the_text_before_the_targets_is_the_review(tmp_path):
    # seed sentences (镇江 2024's review and plan), with no section headings around them
    text = (
        "2024年镇江市政府工作报告\n"
        "过去一年,全市地区生产总值预计增长6.2%,高于全省平均;一般公共预算收入增长5.5%。\n"
        "我们设定今年全市经济社会发展的主要预期目标是:地区生产总值增长5.2%以上,"
        "一般公共预算收入增长4%,城镇新增就业2.4万人以上。\n"
    )
    report = _ingest_text(tmp_path, "flat", text)
    assert not any(s.kind == "review" for s in report.sections)
    out = extract(report)
    assert _table(out["results"]) == {
        "gdp": (6.2, 6.2, "", None, "地区生产总值预计增长6.2%"),
        "revenue": (5.5, 5.5, "", None, "一般公共预算收入增长5.5%"),
    }
    assert _table(out["targets"]) == {
        "gdp": (5.2, 5.2, "以上", None, "地区生产总值增长5.2%以上"),
        "revenue": (4, 4, "", None, "一般公共预算收入增长4%"),
        "jobs": (24000, 24000, "以上", None, "城镇新增就业2.4万人以上"),
    }


def test_targets_listed_one_per_line(tmp_path):
    text = (
        "2024年镇江市政府工作报告\n一、2023年工作回顾\n全市地区生产总值预计增长6.2%。\n"
        "二、2024年工作安排\n今年全市经济社会发展的主要预期目标是:\n"
        "——地区生产总值增长5.2%以上;\n——一般公共预算收入增长4%;\n"
        "——城镇调查失业率控制在5%左右;\n实现上述目标,要重点做好以下工作。\n"
    )
    out = extract(_ingest_text(tmp_path, "list", text))
    assert {f.indicator: (f.low, f.qualifier) for f in out["targets"]} == {
        "gdp": (5.2, "以上"),
        "revenue": (4, ""),
        "unemployment": (5, "左右"),
    }


def test_an_index_built_before_targets_existed_is_extracted_on_the_fly(index_dir, tmp_path, engine):
    import shutil

    from search import checksums, store
    from search.engine import Engine
    from search.targets import rows

    copy = tmp_path / "old-index"
    shutil.copytree(index_dir, copy)
    generation = store.current_generation(copy)
    (generation / "targets.json").unlink()
    checksums.write(generation)  # as that older build would have written them
    assert rows(Engine(copy)) == rows(engine)


def test_one_figure_for_each_of_several_subjects_is_no_figure_for_the_indicator(tmp_path):
    text = (
        "2024年镇江市政府工作报告\n一、2023年工作回顾\n城乡居民人均可支配收入分别达到61453元、"
        "32764元。\n二、2024年工作安排\n今年主要预期目标是:地区生产总值增长5.2%以上,"
        "城乡居民人均可支配收入增长6%和7%,城镇新增就业2.4万人、1.5万人实现再就业。\n"
    )
    out = extract(_ingest_text(tmp_path, "several", text))
    assert {f.indicator: f.low for f in out["targets"]} == {"gdp": 5.2, "jobs": 24000}
