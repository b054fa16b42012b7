"""/report/<id>/original: the text the build stored, in pages, never parsed per request."""

from __future__ import annotations

from conftest import CORPUS, SEEDS

from search import originals
from search.build import build
from search.engine import Engine
from search.ingest.formats import read_text


def long_corpus(tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    text = (CORPUS / SEEDS["zhenjiang2024"]).read_text("utf-8")
    (folder / "long.txt").write_text(text * 9, "utf-8")  # over two pages of 100,000
    return folder


def test_a_long_original_comes_in_pages_that_add_up_to_the_file(tmp_path, monkeypatch):
    from web import create_app

    folder = long_corpus(tmp_path)
    build(folder, tmp_path / "index", progress=False)
    expected = read_text(folder / "long.txt").text
    client = create_app({"INDEX": str(tmp_path / "index")}).test_client()
    (report,) = Engine(tmp_path / "index").reports()
    first = client.get(f"/api/report/{report.id}/original").get_json()
    pages = -(-len(expected) // originals.PAGE_CHARS)
    assert (first["page"], first["pages"], first["chars"], first["truncated"]) == (
        1,
        pages,
        len(expected),
        False,
    )
    texts = [
        client.get(f"/api/report/{report.id}/original?page={n}").get_json()["text"]
        for n in range(1, pages + 1)
    ]
    assert all(len(t) == originals.PAGE_CHARS for t in texts[:-1])
    assert "".join(texts) == expected
    assert f"分 {pages} 页显示" in first["note"]
    html = client.get(f"/report/{report.id}/original?page=2").get_data(as_text=True)
    assert f"/report/{report.id}/original?page=1" in html and "第 2 / " in html
    # (folder / "long.txt") can go: the page is served from the index
    (folder / "long.txt").unlink()
    assert client.get(f"/api/report/{report.id}/original?page=999").get_json()["page"] == pages


def test_an_original_over_the_stored_budget_is_cut_with_a_note(tmp_path, monkeypatch):
    from web import create_app

    folder = long_corpus(tmp_path)
    monkeypatch.setattr(originals, "MAX_CHARS", 120_000)
    build(folder, tmp_path / "index", progress=False)
    total = len(read_text(folder / "long.txt").text)
    client = create_app({"INDEX": str(tmp_path / "index")}).test_client()
    (report,) = Engine(tmp_path / "index").reports()
    data = client.get(f"/api/report/{report.id}/original").get_json()
    assert (data["chars"], data["total_chars"], data["truncated"], data["pages"]) == (
        120_000,
        total,
        True,
        2,
    )
    assert f"原文件有 {total:,} 字，索引只保存了前 120,000 字。" in data["note"]
