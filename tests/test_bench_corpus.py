"""The bench corpus (bench-data/, 1,163 real reports): ingest, metadata agreement, noise.

Slow (about 20 s): excluded from ``make test`` by setup.cfg; ``make bench`` runs it after the
benchmark (which unpacks the corpus), or ``python -m pytest -m slow``. Skipped when
bench-data/reports has not been unpacked.

Metadata is read off the text only: the manifest lives beside ``reports/``, not inside it, so
the ingest never sees it; here it is the truth the extracted city and year are compared with.
For districts we prefix the prefecture (牡丹江市东安区) where the manifest writes the district
alone (东安区), so a city agrees when it ends with the manifest's district name.

Agreement reached: 1,104 of 1,163 files (94.9 %) have both city and year right. The rest, and
why the text cannot do better:

* city wrong: none;
* city unknown (6): 2024 鄂尔多斯 (the text is a banner's: 我代表旗人民政府, 我旗 ×10, so the
  most named city is not claimed; see docs/benchmarks.md), 2008/2009/2010 襄樊 (the text never names its own government and says
  only the bare old name 襄樊, which the gazetteer does not know; 2010 was 深圳市 until the
  three 深圳 of its 深圳工业园 stopped counting as mentions), 2010/2011 孝感 (docin OCR
  captures: the head is garbage, 武汉 is named more often than 孝感);
* year wrong (4): the text states another year than the manifest — 2006 乌海 and 2007 黄石
  review 2007 and plan 2008; 2006 渭南 plans "2005年的主要工作" (今年是"十五"计划的最后一年);
  2020 齐齐哈尔 reviews 2020 and plans 2021;
* year unknown (51): five-year or term reviews without a year (过去五年工作回顾, 本届政府工作
  回顾), national reports without session or dated heading, OCR captures.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench-data"

AGREE_AT_LEAST = 1104  # 1105 before 鄂尔多斯 2024 (a banner's text: 我旗) became null
CITY_WRONG_AT_MOST = 0
YEAR_WRONG_AT_MOST = 4

# Noise kinds listed in the corpus README, as they would show in a normalized report text.
NOISE = {
    "watermark": re.compile(r"马克数据网|马克团队|macrodatas|“马克数据”|Evaluation Warning", re.I),
    "font-size widget": re.compile(
        r"【字[体号]|[\[【](字号)?大中小[\]】]|字号[:：]?\s*\[|加大还原减小"
    ),
    "toolbar and share chrome": re.compile(
        r"下载打印|打印全屏|全屏收藏|收藏打印|打印分享|打印本[页稿]|关闭窗口|手机看新闻|扫一扫在手机|"
        r"阅读量[:：]|阅读人数[:：]|浏览次数|分享到微信|编辑播报|相关报道[:：]|点击图片进入专题"
    ),
    "source/time line": re.compile(
        r"(发布|发表)(时间|日期)[:：]|来源[:：][^\n,。]{0,24}(时间|日期)[:：]|"
        r"\d{4}-\d{1,2}-\d{1,2}\s?\d{1,2}:\d{2}"
    ),
    "document header": re.compile(
        r"届人大[一二三四五六七八九十\d]+次会议(文件|资料)|会议文件[(（]|"
        r"文件之[一二三四五六七八九十]+"
    ),
    "print line": re.compile(r"秘书处[^。\n]{0,20}印|共印\d+份"),
    "page number": re.compile(
        r"(^|\n)[—－–\-~一■\s]*\d{1,3}[—－–\-~一■\s]*($|\n)|"
        r"(?<=[\u4e00-\u9fff,，、;；。])[—－一■]\d{1,3}[—－一\-]{1,2}"
        r"(?=[\u4e00-\u9fff]|$|\n)"
    ),
    "licence footer": re.compile(r"Public domain|公有领域|维基文库|(^|\n)(true|false)($|\n)"),
}


@pytest.fixture(scope="module")
def bench():
    reports, manifest = BENCH / "reports", BENCH / "manifest.csv"
    if not reports.is_dir() or not manifest.is_file():
        pytest.skip("bench corpus not unpacked (bench-data/reports, bench-data/manifest.csv)")
    from search.ingest.pipeline import ingest_corpus_files

    with manifest.open(encoding="utf-8") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    return ingest_corpus_files(reports), rows


def first_reports(ingested) -> dict:
    by_file: dict = {}
    for report in ingested.reports:
        by_file.setdefault(report.source, report)
    return by_file


def city_agrees(truth: str, city: str | None) -> bool:
    return city is not None and (city == truth or (truth.endswith("区") and city.endswith(truth)))


def test_every_file_ingests(bench):
    ingested, rows = bench
    assert ingested.problems == []
    assert ingested.files == len(rows) == 1163
    assert set(first_reports(ingested)) == set(rows)
    assert all(r.origin is None for r in ingested.reports)  # no manifest was applied


def test_city_and_year_agree_with_the_curated_manifest(bench):
    ingested, rows = bench
    reports = first_reports(ingested)
    agree = city_wrong = year_wrong = 0
    for name, row in rows.items():
        r = reports[name]
        city_ok, year_ok = city_agrees(row["city"], r.city), r.year == int(row["year"])
        agree += city_ok and year_ok
        city_wrong += r.city is not None and not city_ok
        year_wrong += r.year is not None and not year_ok
    assert agree >= AGREE_AT_LEAST, f"{agree}/{len(rows)}"
    assert city_wrong <= CITY_WRONG_AT_MOST
    assert year_wrong <= YEAR_WRONG_AT_MOST


@pytest.mark.parametrize("kind", sorted(NOISE))
def test_no_noise_is_left_in_the_texts(bench, kind):
    ingested, _ = bench
    left = [(r.source, m.group(0)) for r in ingested.reports for m in NOISE[kind].finditer(r.text)]
    assert left == []


def test_levels_agree_and_every_value_has_its_evidence(bench):
    """Issue 20: a level only from what the text states. The one disagreement is the
    manifest's: 牡丹江市东安区 (a 市辖区, adcode 231002) labelled county; its text says
    我代表区人民政府."""
    ingested, rows = bench
    reports = first_reports(ingested)
    wrong = [
        name
        for name, row in rows.items()
        if reports[name].level is not None and reports[name].level != row["level"]
    ]
    assert wrong == ["2024_黑龙江省_牡丹江市_东安区.txt"]
    for report in ingested.reports:
        for field in ("city", "province", "level", "year"):
            proof = report.evidence[field]
            assert (proof is None) == (getattr(report, field) is None), (report.id, field)
            if proof and proof["start"] is not None:
                assert report.text[proof["start"] : proof["end"]] == proof["text"]


def test_shown_texts_keep_the_files_own_punctuation(bench):
    """Issue 18: no report shows an ASCII , : ; ( ) where its file writes only the full-width
    form, and the shown text normalizes back to the normalized text."""
    from search.display import display_text
    from search.ingest.formats import read_text
    from search.ingest.normalize import nfkc

    ingested, _ = bench
    bad = []
    for report in ingested.reports:
        shown = display_text(report)
        if not report.display:
            continue
        raw = read_text(BENCH / "reports" / report.source).text
        bad += [(report.id, char) for char in ",:;()" if char in shown and char not in raw]
        assert nfkc(shown).replace(" ", "") == report.text.replace(" ", ""), report.id
    assert bad == []
