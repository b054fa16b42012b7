"""The spread, compare and cross-link parts of the trend pages, and properties of every
trend page (escaping, size, JSON twin). The numbers are the hand-checked counts of
tests/test_trends.py; each count links to its report with exactly that many hits."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import CZ2024 as CZ24
from conftest import JR2024 as JR24
from conftest import MAX_PAGE, assert_json_twin, text
from conftest import WUZHOU as WZ
from conftest import XIANGCHENG as XC
from conftest import ZJ2023 as ZJ23
from conftest import ZJ2024 as ZJ24
from pagerows import by_phrase, hits_behind, link, table_rows

from search import trends

ZHENJIANG = quote("镇江市")
EVIL = "<script>alert(1)</script>"


# -- spread ---------------------------------------------------------------------------------------
def test_spread_json_twin(client, engine):
    data = client.get("/api/spread?q=" + quote("园区整合")).get_json()
    assert data == trends.spread(engine, "园区整合")
    assert [
        (
            c["rank"],
            c["city"],
            c["first_year"],
            c["first_report_id"],
            c["reports"],
            c["occurrences"],
        )
        for c in data["cities"]
    ] == [(1, "镇江市", 2023, ZJ23, 2, 5), (2, "句容市", 2024, JR24, 1, 2)]
    assert [(r["report_id"], r["first"]) for r in data["rows"]] == [
        (ZJ23, True),
        (JR24, True),
        (ZJ24, False),
    ]
    response = client.get("/api/spread")
    assert response.status_code == 400 and "查询是空的" in response.get_json()["error"]["message"]
    assert client.get("/api/spread?q=OR").status_code == 400
    # the stats twin is the engine's stats plus the city × year grid
    stats = client.get("/api/stats?q=" + quote("园区整合")).get_json()
    assert stats.pop("grid")["rows"] and stats == engine.stats("园区整合")


ADOPTION_ROW = re.compile(
    r'<tr><td class="num">(\d+)</td>\s*<td><a href="([^"]+)">([^<]+)</a></td>\s*'
    r'<td><a href="([^"]+)">([^<]+)</a></td>\s*<td class="num">(\d+)</td>\s*'
    r'<td class="num">(\d+)</td></tr>'
)


def test_stats_page_shows_first_use_by_city(client):
    body = text(client.get("/stats?q=" + quote("园区整合")))
    section = re.search(r'<section class="spread" id="spread">(.*?)</section>', body, re.S).group(1)
    assert '<h2>首次使用 <span class="n">2 个城市</span></h2>' in section
    rows = ADOPTION_ROW.findall(section)
    q = quote("园区整合")
    assert rows == [
        ("1", f"/city/{ZHENJIANG}", "镇江市", f"/report/{ZJ23}?q={q}#hit-1", "2023年", "2", "5"),
        (
            "2",
            f"/city/{quote('句容市')}",
            "句容市",
            f"/report/{JR24}?q={q}#hit-1",
            "2024年",
            "1",
            "2",
        ),
    ]
    assert hits_behind(client, rows[0][3]) == 2  # 镇江 2023 uses it twice
    assert f'<a href="/api/spread?q={q}" type="application/json">JSON</a>' in section
    assert "不受上面的筛选影响" not in section
    # the existing tables are still there, and the spread ignores filters (and says so)
    assert '<table class="data city-year">' in body and '<table class="data per-report">' in body
    body = text(client.get("/stats?q=" + quote("园区整合") + "&year=2024"))
    assert len(ADOPTION_ROW.findall(body)) == 2 and "不受上面的筛选影响" in body


def test_stats_spread_puts_undated_cities_last(client):
    body = text(client.get("/stats?q=" + quote("高质量发展")))
    rows = ADOPTION_ROW.findall(body)
    assert [(rank, city, year) for rank, _, city, _, year, _, _ in rows] == [
        ("1", "镇江市", "2023年"),
        ("2", "句容市", "2024年"),
        ("3", "常州市", "2024年"),
        ("4", "梧州市", "年份未知"),
        ("5", "苏州市", "年份未知"),
        ("6", "苏州市相城区", "年份未知"),
    ]
    assert link(rows[3][3])[0] == f"/report/{WZ}"
    assert "<h2>首次使用" not in text(client.get("/stats?q=" + quote("不存在的词组")))


def test_spread_page_is_the_stats_section(client):
    response = client.get("/spread?q=" + quote("园区整合"))
    assert response.status_code == 302
    assert response.location == "/stats?q=" + quote("园区整合") + "#spread"


# -- compare --------------------------------------------------------------------------------------
def test_compare_json_twin(client, engine):
    data = client.get(f"/api/compare?a={ZJ23}&b={ZJ24}").get_json()
    assert data == trends.compare(engine, ZJ23, ZJ24)
    assert data["a"]["id"] == ZJ23 and data["b"]["chars"] == 15005
    assert client.get(f"/api/compare?a={ZJ23}&b={ZJ24}&limit=5").get_json() == trends.compare(
        engine, ZJ23, ZJ24, 5
    )


def test_compare_page_tables_links_and_sections(client, engine):
    # limit 100: 园区整合 (ends in the verb 整合, termhood weight ½) is not in the default 30.
    response = client.get(f"/compare?a={ZJ23}&b={ZJ24}&limit=100")
    assert response.status_code == 200
    body = text(response)
    data = trends.compare(engine, ZJ23, ZJ24, 100)
    for key, section in (("shared", "shared"), ("only_a", "only-a"), ("only_b", "only-b")):
        rows = table_rows(body, section)
        assert [(p, a, b) for p, _, a, _, b in rows] == [
            (r["phrase"], r["count_a"], r["count_b"]) for r in data[key]
        ], key
    shared = by_phrase(table_rows(body, "shared"))
    q = quote("四群八链")
    assert shared["四群八链"][1:] == (
        f"/report/{ZJ23}?q={q}#hit-1",
        4,
        f"/report/{ZJ24}?q={q}#hit-1",
        4,
    )
    assert shared["园区整合"][2:5:2] == (2, 3)
    only_a, only_b = by_phrase(table_rows(body, "only-a")), by_phrase(table_rows(body, "only-b"))
    assert only_a["镇江现代化"][2:5:2] == (5, 0)
    assert only_b["智改数转网联"][2:5:2] == (0, 3) and only_b["新农人"][4] == 4
    for phrase, a_href, a, b_href, b in [
        shared["四群八链"],
        shared["园区整合"],
        only_a["镇江现代化"],
        only_b["新农人"],
    ]:
        assert (hits_behind(client, a_href), hits_behind(client, b_href)) == (a, b), phrase
    overlap = f"{100 * data['overlap']:.1f}%"
    assert (
        f'关键词重合度 <strong class="overlap">{overlap}</strong>：共有 <strong>'
        f"{data['shared_total']}</strong> 个" in body
    )
    # section outlines of both reports, side by side
    assert '<a href="/report/001_3849f19c405c524f#s-1">一、2023年工作回顾</a>' in body
    assert '<td class="num">5,123</td>' in body
    assert body.count('<table class="data sections">') == 2
    # the form keeps the two reports selected; same city, consecutive years: link the diff
    assert re.search(rf'<select name="a" required>.*?<option value="{ZJ23}" selected>', body, re.S)
    assert re.search(rf'<select name="b" required>.*?<option value="{ZJ24}" selected>', body, re.S)
    assert f'<a href="/city/{ZHENJIANG}/diff?year=2024">镇江市 2024 年新提法</a>' in body
    assert f'<a href="/compare?a={ZJ24}&amp;b={ZJ23}">交换 A、B</a>' in body


def test_compare_form_without_reports(client):
    response = client.get("/compare")
    assert response.status_code == 200
    body = text(response)
    assert 'action="/compare"' in body and body.count("<select") == 2
    assert body.count(f'<option value="{JR24}">') == 2
    assert len(re.findall(r'<option value="[^"]+">', body)) == 2 * 7
    assert "selected" not in body


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("", 400, "缺少参数 a"),
        (f"a={ZJ23}", 400, "缺少参数 b"),
        (f"b={ZJ23}", 400, "缺少参数 a"),
        (f"a={ZJ23}&b=nope", 404, "没有这份报告：nope"),
        (f"a=nope&b={ZJ23}", 404, "没有这份报告：nope"),
        (f"a={ZJ23}&b={ZJ24}&limit=0", 400, "参数 limit 应在 1 到 1000 之间"),
    ],
)
def test_compare_errors(client, query, status, message):
    response = client.get("/api/compare?" + query)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and message in error["message"]
    if query:
        response = client.get("/compare?" + query)
        assert response.status_code == status and message in text(response)


# -- links from the existing pages ----------------------------------------------------------------
def test_report_page_links_city_compare_and_diff(client):
    body = text(client.get(f"/report/{ZJ24}"))
    assert f'<span><a href="/city/{ZHENJIANG}" title="镇江市历年报告">镇江市</a></span>' in body
    assert (
        f'<a class="compare" href="/compare?a={ZJ23}&amp;b={ZJ24}">与上一年（2023）比较</a>' in body
    )
    assert f'<a class="diff" href="/city/{ZHENJIANG}/diff?year=2024">本年新提法</a>' in body
    # the metadata panel is unchanged (the value wrapped in its evidence, issue 20)
    assert '<dt>城市</dt><dd><span class="ev" tabindex="0" data-field="city">镇江市<span' in body
    body = text(client.get(f"/report/{ZJ23}"))
    assert f'href="/city/{ZHENJIANG}"' in body and "与上一年" not in body
    body = text(client.get(f"/report/{XC}"))  # undated
    assert f'href="/city/{quote("苏州市相城区")}"' in body and "/compare?" not in body


def test_search_results_link_city_pages(client):
    body = text(client.get("/search?q=" + quote("园区整合")))
    assert (
        f'<a class="city" href="/city/{quote("句容市")}" title="句容市历年报告">句容市</a>' in body
    )
    assert body.count('<a class="city" href="/city/') == 3


# -- escaping, headers, page size -----------------------------------------------------------------
def test_script_city_names_and_ids_are_escaped(client):
    evil = quote(EVIL)
    img = quote("<img src=x onerror=alert(1)>")
    for url, status in (
        (f"/diff?city={evil}&year=2024", 404),
        (f"/city/{img}", 404),
        (f"/city/{img}/diff?year=2024", 404),
        (f"/city/{ZHENJIANG}/diff?year={evil}", 400),
        (f"/compare?a={evil}&b={ZJ23}", 404),
        (f"/city/{ZHENJIANG}?top={evil}", 400),
        (f"/stats?q={evil}", 200),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        body = text(response)
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(1)" in body or "&lt;img src=x" in body, url
    data = client.get(f"/api/diff?city={evil}&year=2024").get_json()
    assert EVIL in data["error"]["message"]


def trend_pages() -> list[str]:
    return [
        "/cities",
        f"/city/{ZHENJIANG}",
        "/city/" + quote("梧州市"),
        f"/city/{ZHENJIANG}/diff?year=2024",
        "/diff?city=" + quote("句容市") + "&year=2024",
        f"/city/{ZHENJIANG}/diff?year=2024&limit=1000",
        "/compare",
        f"/compare?a={ZJ23}&b={ZJ24}",
        f"/compare?a={WZ}&b={CZ24}",
        f"/compare?a={WZ}&b={CZ24}&limit=1000",
        "/stats?q=" + quote("高质量发展"),
    ]


def test_trend_pages_are_safe_small_and_link_their_json_twin(client):
    for url in trend_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        headers = response.headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        page = text(response)
        if "limit=1000" not in url:  # "show all" may be long: every phrase of two reports
            assert len(response.get_data()) < MAX_PAGE, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        if url == "/compare":
            continue  # the empty form has nothing to compare
        assert_json_twin(client, page, url)


def test_a_search_page_beyond_the_last_says_so(client, engine):
    q = "园区整合"
    total = engine.search(q)["total"]
    pages = engine.search(q, limit=2)["pages"]
    assert pages == -(-total // 2)
    body = text(client.get(f"/search?q={quote(q)}&limit=2&page={pages + 5}"))
    assert f"第 {pages + 5} 页超出范围，共 {pages} 页" in body
    assert "没有找到" not in body
    back = f'href="/search?q={quote(q)}&amp;limit=2&amp;page={pages}">回到第 {pages} 页</a>'
    assert back in body
    body = text(client.get(f"/search?q={quote(q)}&limit=2&page={pages}"))
    assert "超出范围" not in body
