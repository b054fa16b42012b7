"""Ingest of the five real seed files: one test per kind of noise, exact expectations.

Counts stated here were taken from the raw files by hand (line numbers refer to the raw file,
0-based, as printed by ``enumerate(text.split("\\n"))``).
"""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, raw

from search.ingest.normalize import normalize_query, normalize_text, to_simplified
from search.ingest.pipeline import ingest_text

CJK = "[\u4e00-\u9fff]"

EXPECTED = {
    # id: (city, province, prefecture, level, year, date, speaker, post, session)
    "000_8747d7cb4eceb50d": ("镇江市", "江苏省", "镇江市", "prefecture", 2023, "2023-01-06", "徐曙海", "市长", "第九届人民代表大会第二次会议"),
    "001_3849f19c405c524f": ("镇江市", "江苏省", "镇江市", "prefecture", 2024, None, None, None, None),
    "002_368e49043dcb499b": ("句容市", "江苏省", "镇江市", "county", 2024, "2024-01-10", "束克之", "市长", "第十七届人民代表大会第三次会议"),
    "003_d14e6f6731d1bfab": ("常州市", "江苏省", "常州市", "prefecture", 2024, None, None, None, None),
    "004_02169182387663be-1": ("苏州市相城区", "江苏省", "苏州市", "district", None, None, None, None, None),
    "004_02169182387663be-2": ("苏州市", "江苏省", "苏州市", "prefecture", None, None, None, None, None),
    "004_02169182387663be-3": ("梧州市", "广西壮族自治区", "梧州市", "prefecture", None, None, None, None, None),
}  # fmt: skip

SECTIONS = {
    # 000 starts mid-review (its first page was the previous newspaper page): section 1 is
    # inferred as the review; 二、 is a political-guidance chapter (other).
    "000_8747d7cb4eceb50d": [(1, "review"), (2, "other"), (3, "plan"), (4, "government")],
    "001_3849f19c405c524f": [
        (0, "other"),
        (1, "review"),
        (2, "other"),
        (3, "plan"),
        (4, "government"),
    ],
    # 002 ends with 20 footnote lines (raw lines 39-58): the notes section.
    "002_368e49043dcb499b": [
        (0, "other"),
        (1, "review"),
        (2, "plan"),
        (3, "government"),
        (4, "notes"),
    ],
    "003_d14e6f6731d1bfab": [(1, "review"), (2, "plan"), (3, "plan")],
    "004_02169182387663be-1": [(0, "other"), (1, "review"), (2, "plan"), (3, "plan")],
    "004_02169182387663be-2": [(0, "other"), (1, "review"), (2, "plan"), (3, "government")],
    "004_02169182387663be-3": [(0, "other"), (1, "review"), (2, "plan")],
}


def test_the_corpus_holds_seven_reports_in_five_files(ingested):
    assert ingested.files == 5
    assert sorted(r.id for r in ingested.reports) == sorted(EXPECTED)
    assert ingested.problems == []


@pytest.mark.parametrize("report_id", sorted(EXPECTED))
def test_metadata_is_read_off_the_text(reports, report_id):
    r = reports[report_id]
    got = (r.city, r.province, r.prefecture, r.level, r.year, r.date, r.speaker, r.post, r.session)
    assert got == EXPECTED[report_id]


@pytest.mark.parametrize("report_id", sorted(SECTIONS))
def test_sections_and_their_kinds(reports, report_id):
    assert [(s.ordinal, s.kind) for s in reports[report_id].sections] == SECTIONS[report_id]


def test_source_is_the_file_and_titles_use_only_stated_values(reports):
    assert reports["002_368e49043dcb499b"].source == "002_368e49043dcb499b.txt"
    assert reports["002_368e49043dcb499b"].title == "2024年句容市政府工作报告"
    assert reports["004_02169182387663be-1"].title == "苏州市相城区政府工作报告"


def test_compilation_page_title_and_date_do_not_leak(reports):
    # The page is "2023年吉林省政府工作报告汇编3篇", dated 2023-05-31; none of its three
    # reports is from 吉林, and their years are redacted to 20xx.
    parts = [reports[f"004_02169182387663be-{n}"] for n in (1, 2, 3)]
    for part in parts:
        assert part.year is None and part.date is None
        assert part.province != "吉林省"
        assert "吉林" not in part.text and "汇编" not in part.text
    assert [p.part for p in parts] == [1, 2, 3]


@pytest.mark.parametrize(
    "noise",
    [
        "(上接",
        "责编",
        "美编",
        "altdl",
        "小编",
        "当前位置",
        "来源:",
        "本文来源",
        "####",
        "全文阅读",
        "日期:2023-05-31",
    ],
)
def test_no_report_text_keeps_page_noise(ingested, noise):
    assert all(noise not in r.text for r in ingested.reports)


def test_pinyin_annotations_are_removed():
    # 002 has 2,064 annotations like 現(xiàn) with a tone-marked syllable.
    text = raw("jurong2024")
    assert len(re.findall(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)) == 2064
    normalized = normalize_text(text)
    assert not re.search("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", normalized)
    assert "现在,我代表句容市人民政府向大会作工作报告" in normalized


def test_traditional_text_is_simplified(reports):
    text = reports["002_368e49043dcb499b"].text
    assert "園區" not in text and "园区" in text
    assert "着力打造茅山湖" in text  # raw: 著力打造, which t2s leaves as 著


def test_zhe_is_fixed_only_where_modern_text_writes_zhe():
    assert to_simplified("著力 面臨著 隨著 顯著 著名 著作") == "着力 面临着 随着 显著 著名 著作"


def test_chinese_characters_are_never_separated_by_spaces(ingested):
    for r in ingested.reports:
        assert not re.search(f"{CJK}\\s+{CJK}", r.text.replace("\n", "")), r.id
    # OCR spacing in 000: "最大程度保护 人民生命安全" in raw line 0
    assert "最大程度保护人民生命安全" in ingested.reports[0].text


def test_spaces_inside_latin_text_are_kept():
    assert normalize_text("Public domain 政 府 工 作 报 告") == "Public domain政府工作报告"


def test_sentences_broken_by_page_breaks_read_whole(reports):
    zj = reports["000_8747d7cb4eceb50d"].text
    assert "社会消费品零售总额增长5%" in zj  # raw lines 44/46
    assert "(四)深化重要领域改革开放,增强经济发展活力。" in zj  # raw lines 72/74
    assert "建成绿色蔬菜保供基地2.9万亩" in zj  # raw lines 100/102
    # raw line 10 + newspaper title block (lines 12-18) + line 20
    assert '是"两个确立"为我们夺取胜利提供了根本保证' in zj
    assert "确保粮食种植面积稳定在144万亩以上" in reports["003_d14e6f6731d1bfab"].text


def test_exact_duplicate_paragraphs_are_kept_once(reports):
    text = reports["003_d14e6f6731d1bfab"].text
    thanks = "各位代表!沧海横流显砥柱,万山磅礴看主峰。"
    also = "与此同时,全市工会、青少年、妇女儿童、残疾人、红十字"
    # raw lines 14, 28 and 32 repeat the thanks; lines 10 and 24 repeat the second paragraph.
    assert raw("changzhou2024").count(thanks) == 3 and text.count(thanks) == 1
    assert raw("changzhou2024").count(also) == 2 and text.count(also) == 1


def test_footnote_markers_leave_the_body_and_notes_become_a_section(reports):
    r = reports["002_368e49043dcb499b"]
    assert "新增“四上”企业167家" in r.text  # raw: 企業①167家
    assert not re.search("[①-⑳]", r.text)
    notes = r.sections[-1]
    assert notes.kind == "notes"
    paragraphs = [p for p in r.paragraphs if p.section == notes.ordinal]
    assert len(paragraphs) == 20
    assert r.paragraph_text(paragraphs[0]).startswith("“四上”企业:规模以上工业企业")
    assert "G312创新带" in r.section_text(notes)


def test_paragraph_ids_are_sequential_and_offsets_exact(ingested):
    for r in ingested.reports:
        assert [p.id for p in r.paragraphs] == [f"p-{i}" for i in range(1, len(r.paragraphs) + 1)]
        assert "\n".join(r.paragraph_text(p) for p in r.paragraphs) == r.text
        assert r.sections[0].start == 0 and r.sections[-1].end == len(r.text)


def test_lost_first_heading_still_gives_a_first_section(reports):
    first = reports["000_8747d7cb4eceb50d"].sections[0]
    assert (first.ordinal, first.title, first.kind) == (1, None, "review")


def test_ids_are_stable_across_ingests():
    text = raw("compilation")
    assert [r.id for r in ingest_text(text, "a/b.txt")] == ["a--b-1", "a--b-2", "a--b-3"]
    assert (
        ingest_text("各位代表:现在我代表镇江市人民政府报告工作。", "报告 1.txt")[0].id
        == ingest_text("其他文字。", "报告 1.txt")[0].id
    )


def test_queries_are_normalized_like_text():
    assert normalize_query("園區整合") == "园区整合"
    assert normalize_query("ＰＭ２．５\u3000著力") == "PM2.5 着力"


def test_manifest_completes_metadata(corpus_copy):
    from search.ingest.pipeline import ingest_corpus

    (corpus_copy / "manifest.csv").write_text(
        "file,part,city,year,source,colour\n"
        "004_02169182387663be.txt,3,梧州市,2020,example/repo,red\n"
        "001_3849f19c405c524f.txt,,,,,\n",
        "utf-8",
    )
    result = ingest_corpus(corpus_copy)
    by_id = {r.id: r for r in result.reports}
    wz = by_id["004_02169182387663be-3"]
    assert (wz.city, wz.province, wz.year, wz.origin) == (
        "梧州市",
        "广西壮族自治区",
        2020,
        "example/repo",
    )
    assert wz.title == "2020年梧州市政府工作报告"
    assert by_id["001_3849f19c405c524f"].year == 2024  # empty cells leave values alone
    assert any("unknown column 'colour'" in w for w in result.warnings)


def test_fast_nfkc_equals_unicodedata_on_the_seeds_and_on_random_text():
    import random
    import unicodedata

    from search.ingest.formats import read_text
    from search.ingest.normalize import _NFKC_CHARS, nfkc

    for path in sorted(CORPUS.iterdir()):
        text = read_text(path).text
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
    rng = random.Random(3)
    alphabet = (
        [chr(c) for c in _NFKC_CHARS]
        + list("园区整合。,\n ㈠℃\u0301\u3099かａ")
        + [chr(c) for c in range(0xF900, 0xF910)]
    )
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
