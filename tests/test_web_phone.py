"""The HTML that phone reading and citing rest on: paragraph numbers, citation data, hidden
unknowns, facets before results, the skip link, the current nav section, the concordance link.
(What it looks like and what the button copies is tested in Chromium: test_browser_phone.py.)"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

from conftest import JR2024, XIANGCHENG

PHRASE = "园区整合"
Q = quote(PHRASE)


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_paragraph_shows_its_number_as_a_link_to_itself(client, engine):
    body = text(client.get(f"/report/{JR2024}?q={Q}"))
    paragraphs = [p for s in engine.show(JR2024)["sections"] for p in s["paragraphs"]]
    numbered = re.findall(
        r'<span class="pmark"><a class="pno" href="#(p-\d+)"[^>]*>¶ (\d+)</a>', body
    )
    assert numbered == [(p["id"], p["id"][2:]) for p in paragraphs]  # headings too: no gaps
    assert '<script src="/static/cite.js"></script>' in body


def test_citation_data_is_the_reports_metadata_and_nothing_invented(client, engine):
    for report in engine.reports():
        body = text(client.get(f"/report/{report.id}"))
        tag = re.search(r'<article class="report"([^>]*)>', body).group(1)
        attrs = {k: unescape(v) for k, v in re.findall(r' data-cite-([a-z]+)="([^"]*)"', tag)}
        expected = {"id": report.id, "title": report.title or report.id}
        if report.city:
            expected["city"] = report.city
        if report.year is not None:
            expected["year"] = str(report.year)
        assert attrs == expected, report.id


def test_unknown_metadata_is_left_out_of_the_report_page(client, engine):
    report = engine.report(XIANGCHENG)
    assert report.year is None  # the seed compilation's reports carry no year
    body = text(client.get(f"/report/{XIANGCHENG}"))
    panel = re.search(r'<dl class="metadata">(.*?)</dl>', body, re.DOTALL).group(1)
    assert "未知" not in panel and "<dt>年份</dt>" not in panel and "<dt>日期</dt>" not in panel
    # the city is shown (with its evidence on hover, issue 20)
    assert re.search(f'<dt>城市</dt><dd>(<span class="ev[^>]*>)?{report.city}', panel)
    assert '<details class="infobar">' in body and "<summary>报告信息 · 目录</summary>" in body


def test_hit_bar_says_no_current_hit_before_the_first_jump(client, engine):
    body = text(client.get(f"/report/{JR2024}?q={Q}"))
    total = engine.report(JR2024).text.count(PHRASE)
    assert total == 2
    assert f'<span class="pos" aria-live="polite">– / {total}</span>' in body


def test_search_puts_facets_before_results_behind_a_skip_link(client):
    body = text(client.get(f"/search?q={Q}"))
    skip, facets, results = (
        body.index(s)
        for s in (
            '<a class="skip" href="#results">跳到结果</a>',
            '<aside class="facets"',
            '<section class="results" id="results"',
        )
    )
    assert skip < facets < results
    assert '<details class="filterbar">' in body and "<summary>筛选</summary>" in body
    body = text(client.get(f"/search?q={Q}&year=2024"))
    assert "<summary>筛选（已选 1 项）</summary>" in body


def test_nav_marks_the_current_section(client):
    for url, current in (
        ("/", "搜索"),
        (f"/search?q={Q}", "搜索"),
        (f"/kwic?q={Q}", "搜索"),
        (f"/stats?q={Q}", "统计"),
        ("/cities", "城市"),
        ("/targets", "目标"),
        (f"/city/{quote('镇江市')}", "城市"),
        ("/reports", "报告列表"),
        (f"/report/{JR2024}", "报告列表"),
    ):
        nav = re.search(
            r'<nav class="nav"[^>]*>(.*?)</nav>',
            text(client.get(url, follow_redirects=True)),
            re.DOTALL,
        ).group(1)
        assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == [current], url


def test_each_result_links_to_all_its_hits_in_the_concordance(client, engine):
    body = text(client.get(f"/search?q={Q}"))
    links = re.findall(
        r'<li class="result" data-id="([^"]+)">.*?'
        r'<a class="all-hits" href="([^"]+)">查看全部 (\d+) 处</a>',
        body,
        re.DOTALL,
    )
    counts = {r.id: r.text.count(PHRASE) for r in engine.reports() if PHRASE in r.text}
    assert {rid: int(n) for rid, _, n in links} == counts
    for rid, href, n in links:
        href = unescape(href)
        assert href == f"/kwic?q={Q}&report={rid}"
        data = client.get("/api" + href).get_json()
        assert data["total"] == int(n), rid
