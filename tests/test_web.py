"""The web front end on the real seed index: every page, its JSON twin, errors and headers.

Expected numbers were checked by hand against ``Engine.search``/``stats``/``show`` and the
seed texts (e.g. 园区整合 occurs 3× in 镇江 2024, 2× in 镇江 2023 and 2× in 句容 2024 — the
句容 file is in traditional characters, normalized to simplified by ingest).
"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import (
    ALL_IDS,
    CZ2024,
    JR2024,
    ZJ2023,
    ZJ2024,
    text,
)

Q = quote("园区整合")


def result_ids(body: str) -> list[str]:
    return re.findall(r'<li class="result" data-id="([^"]+)"', body)


def facet_count(body: str, name: str, label: str) -> int:
    """The count shown next to a facet value in the sidebar section ``name`` (城市, 年份 …)."""
    section = re.search(rf"<h3>{name}</h3>(.*?)</section>", body, re.S).group(1)
    match = re.search(rf">{re.escape(label)}</(?:a|span)> <span class=\"n\">(\d+)</span>", section)
    assert match, f"{label} not in facet {name}"
    return int(match.group(1))


# -- home ---------------------------------------------------------------------------------------
def test_home_has_box_syntax_help_and_examples(client):
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert 'action="/search"' in body and 'name="q"' in body
    for example in ("园区整合", "“四群八链”", "园区整合 OR 项目招引", "智改数转 year:2024"):
        assert f">{example}</a>" in body
    for syntax in (
        "section:plan",
        "year:2020-2024",
        "city:",
        "province:",
        "prefecture:",
        "OR",
        "-开发区",
    ):
        assert syntax in body
    assert "在 7 份政府工作报告中" in body
    assert '<link rel="alternate" type="application/json" href="/api/">' in body


def test_home_json_twin(client):
    data = client.get("/api/").get_json()
    assert data["reports"] == 7
    assert data["examples"][0] == "园区整合"


# -- search -------------------------------------------------------------------------------------
def relevance_order(engine, query: str, **filters) -> list[str]:
    """The engine's BM25 order (scores are the core's business; counts are asserted exactly)."""
    return [r["id"] for r in engine.search(query, **filters)["results"]]


def test_search_groups_by_report_with_exact_counts(client, engine):
    response = client.get(f"/search?q={Q}")
    assert response.status_code == 200
    body = text(response)
    order = relevance_order(engine, "园区整合")
    assert set(order) == {ZJ2024, ZJ2023, JR2024} and order[0] == ZJ2024  # 3 hits vs 2 and 2
    assert result_ids(body) == order
    assert (
        '找到 <strong class="total">3</strong> 份报告，共 <strong class="hits">7</strong> 次'
        in body
    )
    counts = re.findall(
        r'<li class="result" data-id="([^"]+)">.*?<span class="count">共 (\d+) 次</span>',
        body,
        re.S,
    )
    assert dict(counts) == {ZJ2024: "3", ZJ2023: "2", JR2024: "2"}
    assert body.count("<mark>园区整合</mark>") == 7  # every hit is in one of the ≤3 snippets
    assert "2024年镇江市政府工作报告" in body and "2024年句容市政府工作报告" in body
    # title → first hit's paragraph; snippets → their own paragraphs
    assert f'<a href="/report/{ZJ2024}?q={Q}#p-15">2024年镇江市政府工作报告</a>' in body
    for report_id, paragraphs in (
        (ZJ2024, ["p-15", "p-29", "p-37"]),
        (ZJ2023, ["p-10", "p-22"]),
        (JR2024, ["p-12", "p-25"]),
    ):
        for paragraph in paragraphs:
            assert f'<li><a href="/report/{report_id}?q={Q}#{paragraph}">' in body
    assert f'<link rel="alternate" type="application/json" href="/api/search?q={Q}">' in body


def test_search_facets_counts_and_links(client):
    body = text(client.get(f"/search?q={Q}"))
    assert facet_count(body, "城市", "镇江市") == 2
    assert facet_count(body, "城市", "句容市") == 1
    assert facet_count(body, "省份", "江苏省") == 3
    assert facet_count(body, "年份", "2024") == 2
    assert facet_count(body, "年份", "2023") == 1
    assert facet_count(body, "章节", "部署") == 3
    assert facet_count(body, "章节", "回顾") == 2
    assert facet_count(body, "章节", "其他") == 2
    assert f'href="/search?q={Q}&amp;year=2024"' in body
    assert f'href="/search?q={Q}&amp;city={quote("句容市")}"' in body
    assert f'href="/search?q={Q}&amp;section=plan"' in body


def test_search_json_twin_is_the_engine_dict(client, engine):
    response = client.get(f"/api/search?q={Q}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data == engine.search("园区整合")
    assert {r["id"]: r["hits"] for r in data["results"]} == {ZJ2024: 3, ZJ2023: 2, JR2024: 2}
    assert data["total"] == 3 and data["hits"] == 7
    assert data["facets"]["city"] == [
        {"value": "镇江市", "count": 2},
        {"value": "句容市", "count": 1},
    ]
    assert client.get(f"/search?q={Q}&format=json").get_json() == data


def test_search_year_filter_shows_chip_with_remove_link(client):
    body = text(client.get(f"/search?q={Q}&year=2024"))
    assert result_ids(body) == [ZJ2024, JR2024]  # 3 hits, then 2
    assert '共 <strong class="hits">5</strong> 次' in body
    assert '<span class="chip">年份：2024 <a href="/search?q=' + Q + '"' in body
    assert '<li class="on"><span>2024</span>' in body


def test_search_filter_parameters(client, engine):
    data = client.get(f"/api/search?q={Q}&city=句容市").get_json()
    assert [r["id"] for r in data["results"]] == [JR2024]
    data = client.get(f"/api/search?q={Q}&city=句容市&city=镇江市").get_json()
    assert data["total"] == 3
    data = client.get(f"/api/search?q={Q}&section=plan").get_json()
    assert {r["id"]: r["hits"] for r in data["results"]} == {ZJ2024: 1, ZJ2023: 1, JR2024: 1}
    body = text(client.get(f"/search?q={Q}&section=plan"))
    assert "章节：部署" in body
    data = client.get(f"/api/search?q={Q}&prefecture=镇江市&year=2023-2024").get_json()
    assert data["total"] == 3
    assert client.get(f"/api/search?q={Q}&province=江苏省").get_json() == engine.search(
        "园区整合", province=("江苏省",)
    )


def test_search_with_filter_typed_in_the_box(client):
    data = client.get("/api/search?q=" + quote("智改数转 year:2024")).get_json()
    assert {r["id"]: r["hits"] for r in data["results"]} == {ZJ2024: 4, JR2024: 1, CZ2024: 1}
    assert data["filters"]["year_from"] == 2024


def test_search_or_query_counts_each_phrase(client):
    body = text(client.get("/search?q=" + quote("园区整合 OR 项目招引")))
    assert '共 <strong class="hits">17</strong> 次' in body
    assert "（园区整合 2 次，项目招引 5 次）" in body  # 镇江 2023
    assert "<mark>项目招引</mark>" in body


def test_search_sort_by_year_and_pagination(client, engine):
    data = client.get(f"/api/search?q={Q}&sort=year").get_json()
    assert [r["id"] for r in data["results"]][2] == ZJ2023  # the 2023 report last
    assert [r["id"] for r in data["results"]] == relevance_order(engine, "园区整合", sort="year")
    order = relevance_order(engine, "园区整合")
    body = text(client.get(f"/search?q={Q}&limit=1"))
    assert result_ids(body) == order[:1]
    assert '<strong aria-current="page">1</strong>' in body
    assert f'<a rel="next" href="/search?q={Q}&amp;limit=1&amp;page=2">下一页</a>' in body
    assert '<span class="off">上一页</span>' in body
    body = text(client.get(f"/search?q={Q}&limit=1&page=2"))
    assert result_ids(body) == order[1:2]
    assert f'<a rel="prev" href="/search?q={Q}&amp;limit=1&amp;page=1">上一页</a>' in body
    assert f'<a href="/search?q={Q}&amp;limit=1&amp;sort=year">年份</a>' in body


def test_search_without_query_lists_all_reports(client):
    body = text(client.get("/search"))
    assert set(result_ids(body)) == ALL_IDS
    assert '共 <strong class="total">7</strong> 份报告' in body
    assert facet_count(body, "年份", "未知") == 3
    assert "/search?year=%E6%9C%AA%E7%9F%A5" not in body  # "unknown" is not a filter link


def test_search_no_results(client):
    body = text(client.get("/search?q=" + quote("不存在的词语组合")))
    assert "没有找到符合条件的报告" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ("q=OR", "OR 两边都需要有词（第 1 个字符）"),
        (f"q={Q}&section=nonsense", "没有“nonsense”这种章节，可用：review、plan、"),
        (f"q={Q}&year=20x4", "年份“20x4”无法识别"),
        (f"q={Q}&page=0", "参数 page 应在 1 到 10000 之间。"),
        (f"q={Q}&limit=abc", "参数 limit 应为整数，不是“abc”。"),
        (f"q={Q}&sort=best", "参数 sort 应为 relevance（相关度）或 year（年份），不是“best”。"),
        ("q=" + "字" * 501, "查询有 501 个字符，最多 500 个"),
    ],
)
def test_bad_query_is_400_with_the_message(client, query, message):
    response = client.get("/search?" + query)
    assert response.status_code == 400
    body = text(response)
    assert '<h1>查询有误 <span class="status">400</span></h1>' in body
    assert message in html.unescape(body)
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and message in error["message"]
    assert set(response.get_json()) == {"error"}


def test_script_query_is_escaped_everywhere(client):
    evil = quote("<script>alert(1)</script>")
    for url in (
        f"/search?q={evil}",
        f"/report/{JR2024}?q={evil}",
        f"/stats?q={evil}",
        f"/search?q=OR%20{evil}",
        f"/search?q={Q}&city={evil}",
    ):
        response = client.get(url)
        body = text(response)
        assert "<script>alert" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


# -- stats --------------------------------------------------------------------------------------
def test_stats_table_chart_and_links(client, reports):
    response = client.get(f"/stats?q={Q}")
    assert response.status_code == 200
    body = text(response)
    assert (
        '共 <strong class="total">7</strong> 次；<strong class="reports-with">3</strong> '
        '份报告中提到，共 <strong class="reports-total">7</strong> 份'
    ) in body
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td>(\d+)</td>\s*"
        r'<td class="num"><a href="([^"]+)">(\d+)</a></td>\s*'
        r'<td class="num"><a href="[^"]+">(\d+)</a></td>\s*'
        r'<td class="num"><a href="[^"]+">([\d.]+)</a></td>',
        body,
    )
    assert [(c, y, n, o, p) for c, y, _, n, o, p in rows] == [
        ("句容市", "2024", "1", "2", f"{2e4 / len(reports[JR2024].text):.2f}"),
        ("镇江市", "2023", "1", "2", f"{2e4 / len(reports[ZJ2023].text):.2f}"),
        ("镇江市", "2024", "1", "3", f"{3e4 / len(reports[ZJ2024].text):.2f}"),
    ]
    for city, year, href, *_ in rows:
        parts = parse_qs(urlsplit(html.unescape(href)).query)
        assert urlsplit(html.unescape(href)).path == "/search"
        assert parts == {"q": ["园区整合"], "city": [city], "year": [year]}
    assert body.count('<rect class="bar"') == 3
    assert '<svg class="bars"' in body and "<title>镇江市 2024年：3 次" in body
    assert f'href="/stats.csv?q={Q}"' in body
    # the linked search shows exactly the reports and hits the row counts
    data = client.get(html.unescape(rows[2][2]).replace("/search", "/api/search")).get_json()
    assert [r["id"] for r in data["results"]] == [ZJ2024] and data["hits"] == 3


def test_stats_per_10k_measure_and_empty_form(client):
    body = text(client.get(f"/stats?q={Q}&measure=per_10k"))
    assert "1.999 次/万字" in body
    body = text(client.get("/stats"))
    assert "提及次数统计" in body and 'action="/stats"' in body
    response = client.get("/api/stats")
    assert response.status_code == 400
    assert "查询是空的" in response.get_json()["error"]["message"]


def test_stats_json_twin(client, engine):
    data = client.get(f"/api/stats?q={Q}").get_json()
    grid = data.pop("grid")
    assert data == engine.stats("园区整合")
    assert grid["reports_with"] == 3 and grid["reports_total"] == 7
    assert data["total"] == 7
    assert [(r["city"], r["year"], r["occurrences"]) for r in data["by_city_year"]] == [
        ("句容市", 2024, 2),
        ("镇江市", 2023, 2),
        ("镇江市", 2024, 3),
    ]


def test_stats_csv_download(client):
    response = client.get(f"/stats.csv?q={Q}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''govsearch-" + quote("园区整合") in disposition
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        ["city", "province", "year", "reports", "occurrences", "chars", "per_10k"],
        ["句容市", "江苏省", "2024", "1", "2", "14309", "1.398"],
        ["镇江市", "江苏省", "2023", "1", "2", "11172", "1.79"],
        ["镇江市", "江苏省", "2024", "1", "3", "15005", "1.999"],
    ]
    assert client.get(f"/api/stats?q={Q}&format=csv").get_data() == raw
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/stats.csv?q={Q}&by=report").get_data().decode("utf-8-sig"))
        )
    )
    assert rows[0][:2] == ["report_id", "title"]
    assert [(r[0], r[6]) for r in rows[1:]] == [(JR2024, "2"), (ZJ2023, "2"), (ZJ2024, "3")]
    assert client.get("/stats.csv?q=OR").status_code == 400


# -- reports ------------------------------------------------------------------------------------
def test_reports_page_and_twin(client, engine):
    body = text(client.get("/reports"))
    assert body.count('<td><a href="/report/') == 7
    # a title built from the city and year, marked as not a quotation (issue 20)
    assert (
        '<a href="/report/002_368e49043dcb499b" class="built-title">2024年句容市政府工作报告</a>'
        ' <span class="untitled"'
    ) in body
    assert "苏州市相城区政府工作报告" in body
    data = client.get("/api/reports").get_json()
    assert data["total"] == 7
    assert data["reports"] == [r.metadata() for r in engine.reports()]
