"""manifest.csv: decoded like a report; a bad row is skipped with its line number."""

from __future__ import annotations

import commands
import pytest
from conftest import SEEDS

from search.ingest.manifest import load_manifest
from search.ingest.pipeline import ingest_corpus

ZJ23, ZJ24, JR, CZ, COMP = (
    SEEDS[k]
    for k in ("zhenjiang2023", "zhenjiang2024", "jurong2024", "changzhou2024", "compilation")
)
ROWS = [
    "file,part,city,year,title",
    f"{ZJ24},,测试市,2011,第一行的标题",  # line 2: used
    f"{ZJ24},,别的市,2012,重复的标题",  # line 3: repeats line 2
    "nowhere.txt,,某市,2013,",  # line 4: no such file
    f"{JR},二,句容市,2024,",  # line 5: bad part
    f"{CZ},,常州市,二〇二四,",  # line 6: bad year
    f"{COMP},9,某市,2015,",  # line 7: the file has no part 9
    f"{ZJ23},,,2023,",  # line 8: used
]


def expected_warnings(path) -> list[str]:
    return [
        f"{path}, line 3: repeats line 2 for {ZJ24} (the first row is kept); row skipped",
        f"{path}, line 4: nowhere.txt is not a file in the corpus; row skipped",
        f"{path}, line 5: part must be a number from 1, not '二'; row skipped",
        f"{path}, line 6: year must be a four-digit number, not '二〇二四'; row skipped",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_bad_rows_are_skipped_with_their_line_and_the_rest_applies(corpus_copy, encoding):
    path = corpus_copy / "manifest.csv"
    path.write_bytes(("\r\n".join(ROWS) + "\r\n").encode(encoding))
    result = ingest_corpus(corpus_copy)
    by_source = {r.source: r for r in result.reports if r.part is None}
    assert (by_source[ZJ24].city, by_source[ZJ24].year, by_source[ZJ24].title) == (
        "测试市",
        2011,
        "第一行的标题",
    )
    assert by_source[JR].year == 2024 and by_source[CZ].year == 2024  # extracted, untouched
    manifest_warnings = [w for w in result.warnings if "line " in w]
    assert manifest_warnings == expected_warnings(path) + [
        f"manifest.csv, line 7: no indexed report is {COMP} part 9; row not used"
    ]
    assert len(result.reports) == 7


def test_excel_unicode_text_with_tabs_is_read(corpus_copy):
    path = corpus_copy / "manifest.csv"
    rows = ["file\tcity\tyear", f"{ZJ24}\t测试市\t2011"]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))
    rows, warnings = load_manifest(corpus_copy)
    assert warnings == [] and rows[(ZJ24, None)]["city"] == "测试市"


def test_strict_build_makes_a_manifest_warning_fatal(corpus_copy, tmp_path):
    (corpus_copy / "manifest.csv").write_text("file,year\nnowhere.txt,2020\n", "gbk")

    def run(*extra):
        return commands.build(corpus_copy, tmp_path / "index", *extra)

    plain = run()
    assert plain.returncode == 0 and "Traceback" not in plain.stderr
    assert "line 2: nowhere.txt is not a file in the corpus; row skipped" in plain.stderr
    assert run("--force", "--strict").returncode == 3


def test_a_cell_with_line_breaks_becomes_one_line(corpus_copy, tmp_path):
    from search.build import build

    (corpus_copy / "manifest.csv").write_text(
        f'file,title\n{ZJ24},"第一行\n第二行\t结束"\n', "utf-8"
    )
    build(corpus_copy, tmp_path / "index", progress=False)
    out = commands.search("reports", "--index", tmp_path / "index").stdout
    assert len(out.splitlines()) == 7
    assert "\t第一行 第二行 结束\t" in out
