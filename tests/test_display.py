"""Verbatim display (issue 18 item 1): what is shown is the report's own characters.

Matching runs on the normalized text; the display text puts back every character NFKC
changed. Expectations are computed from the files by brute force: a copy of a seed with its
punctuation made full-width (and (一) written ㈠, ... written …) must display exactly that
copy's characters, and every shown hit must normalize back to the matched phrase.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from conftest import SEEDS, raw

from search.display import display_span, display_text, shown
from search.ingest.normalize import nfkc
from search.ingest.pipeline import ingest_text

FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
ASCII = ",:;()"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_shows_no_ascii_punctuation_the_file_writes_full_width(name):
    text = raw(name)
    for report in ingest_text(text, name):
        shown_text = display_text(report)
        assert shown(report, 0, len(report.text)) == shown_text
        for char in ASCII:
            if char in shown_text:  # then the file itself writes it in ASCII somewhere
                assert char in text, (name, char)
        assert nfkc(shown_text) == report.text  # the same text, only its own characters


def full_width_copy(text: str) -> str:
    return text.translate(FULL).replace("（一）", "㈠")


@pytest.mark.parametrize("name", ["zhenjiang2023", "jurong2024", "changzhou2024"])
def test_a_full_width_copy_of_a_seed_displays_its_own_characters(name):
    original = ingest_text(raw(name), name)[0]
    copy = ingest_text(full_width_copy(raw(name)), name)[0]
    assert copy.text == original.text  # matching sees the same normalized text
    assert copy.display == full_width_copy(display_text(original))
    assert not set(ASCII) & set(copy.display)
    assert len(copy.display) < len(copy.text) or "(一)" not in copy.text


def test_expansions_map_offsets_both_ways():
    text = "各位代表：\n一、总体要求……（一）稳增长。１９９７年，㈠好的 工作。\n第二行：ＯＫ。"
    r = ingest_text(text)[0]
    assert (
        r.display
        == "各位代表：\n一、总体要求……（一）稳增长。１９９７年，㈠好的工作。\n第二行：ＯＫ。"
    )
    assert r.text == "各位代表:\n一、总体要求......(一)稳增长。1997年,(一)好的工作。\n第二行:OK。"
    for phrase in ("......", "(一)", "1997年,", "好的", "要求...", "...(", ":OK"):
        for match in re.finditer(re.escape(phrase), r.text):
            got = shown(r, match.start(), match.end())
            assert unicodedata.normalize("NFKC", got) == phrase
    a, b = display_span(r, r.text.index("......"), r.text.index("......") + 6)
    assert r.display[a:b] == "……"
    assert shown(r, r.text.index("..."), r.text.index("...") + 1) == "…"  # a part: the whole


@pytest.mark.parametrize("phrase", ["高质量发展", "发展,", "(一)", "2023年"])
def test_highlights_cover_exactly_the_matched_characters(phrase):
    copy = ingest_text(full_width_copy(raw("zhenjiang2023")), "copy")[0]
    starts = [m.start() for m in re.finditer(re.escape(phrase), copy.text)]
    assert starts, phrase
    for at in starts:
        got = shown(copy, at, at + len(phrase))
        assert nfkc(got) == phrase
        assert got == phrase.translate(FULL).replace("（一）", "㈠")


def test_snippets_and_the_report_page_show_the_files_characters(tmp_path):
    from search.build import build
    from search.engine import Engine
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fw.txt").write_text(full_width_copy(raw("zhenjiang2023")), "utf-8")
    build(corpus, tmp_path / "index")
    engine = Engine(tmp_path / "index")
    result = engine.search("高质量发展")["results"][0]
    for snippet in result["snippets"]:
        body = html.unescape(re.sub(r"</?mark>", "", snippet))
        assert not set(ASCII) & set(body), snippet
        assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["高质量发展"] * snippet.count(
            "<mark>"
        )
    app = create_app({"INDEX": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    page = client.get(f"/report/{result['id']}?q=发展,").get_data(as_text=True)
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", page)
    assert marks and set(marks) == {"发展，"}
    data = client.get(f"/api/report/{result['id']}").get_json()
    paragraph = data["sections"][1]["paragraphs"][1]
    assert nfkc(paragraph["shown"]) == paragraph["text"]
    assert paragraph["shown"] == paragraph["text"].translate(FULL).replace("（一）", "㈠")
