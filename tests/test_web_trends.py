"""The trend pages of the web front end: cities, a city's timeline, new phrases in a year
(spread and compare: test_web_compare.py).

Every JSON twin is the core function's dict unchanged (``search.trends``); the numbers
asserted on the pages are the hand-checked counts of tests/test_trends.py (e.g. 镇江 2024:
智改数转网联 3× and 新农人 4×, none in 2023; 镇江现代化 5× and 云帆计划 2× in 2023, none in
2024; 二十大精神 7× → 1×; 园区整合 2 → 3 in 镇江, 2 in 句容 2024).  Every count on a page
links to its report with the phrase highlighted, and the tests follow those links and check
that the report shows exactly that many hits.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from conftest import JR2024 as JR24
from conftest import WUZHOU as WZ
from conftest import XIANGCHENG as XC
from conftest import ZJ2023 as ZJ23
from conftest import ZJ2024 as ZJ24
from conftest import text
from pagerows import by_phrase, hits_behind, link, table_rows

from search import trends

ZHENJIANG = quote("镇江市")


# -- cities ---------------------------------------------------------------------------------------
def test_cities_page_and_twin(client):
    data = client.get("/api/cities").get_json()
    assert data["total"] == 6
    rows = {c["city"]: c for c in data["cities"]}
    assert set(rows) == {"镇江市", "句容市", "常州市", "梧州市", "苏州市", "苏州市相城区"}
    assert (rows["镇江市"]["reports"], rows["镇江市"]["years"], rows["镇江市"]["undated"]) == (
        2,
        [2023, 2024],
        0,
    )
    assert (rows["梧州市"]["reports"], rows["梧州市"]["years"], rows["梧州市"]["undated"]) == (
        1,
        [],
        1,
    )
    body = text(client.get("/cities"))
    assert f'<td><a href="/city/{ZHENJIANG}">镇江市</a></td>' in body
    assert "<td>2023、2024</td>" in body and "<td>年份未知</td>" in body
    assert '<link rel="alternate" type="application/json" href="/api/cities">' in body


def test_navigation_has_cities_and_compare(client):
    body = text(client.get("/"))
    assert '<a href="/cities">城市</a>' in body and '<a href="/compare">对比</a>' in body
    endpoints = client.get("/api/").get_json()["endpoints"]
    assert endpoints["diff"].startswith("/api/diff?") and endpoints["spread"].startswith(
        "/api/spread?"
    )


# -- a city's timeline ----------------------------------------------------------------------------
def test_city_timeline_json_twin_is_the_core_dict(client, engine):
    data = client.get("/api/city/" + quote("镇江")).get_json()
    assert data == trends.timeline(engine, "镇江")
    assert data["city"] == "镇江市" and data["years"] == [2023, 2024]
    assert [r["id"] for r in data["reports"]] == [ZJ23, ZJ24]
    assert [r["chars"] for r in data["reports"]] == [11172, 15005]
    assert all(len(r["top_phrases"]) == 10 for r in data["reports"])
    short = client.get(f"/api/city/{ZHENJIANG}?top=3").get_json()
    assert short == trends.timeline(engine, "镇江市", 3)
    assert [len(r["top_phrases"]) for r in short["reports"]] == [3, 3]


def test_city_page_reports_phrases_and_diff_links(client, engine):
    response = client.get(f"/city/{ZHENJIANG}")
    assert response.status_code == 200
    body = text(response)
    assert "<h1>镇江市 历年政府工作报告" in body
    timeline = trends.timeline(engine, "镇江市")
    items = re.findall(
        r'<li class="year-report" data-id="([^"]+)">(.*?)</li>\s*'
        r'(?=<li class="year|</ol>)',
        body,
        re.S,
    )
    assert [report_id for report_id, _ in items] == [ZJ23, ZJ24]
    for (report_id, item), row in zip(items, timeline["reports"]):
        assert f'<a href="/report/{report_id}">{row["title"]}</a>' in item
        assert f"{row['chars']:,} 字" in item
        phrases = re.findall(
            r'<li><a href="([^"]+)">([^<]+)</a> <span class="n">(\d+)</span></li>', item
        )
        assert [(p, int(n)) for _, p, n in phrases] == [
            (p["phrase"], p["count"]) for p in row["top_phrases"]
        ]
        for href, phrase, _ in phrases:
            path, params = link(href)
            assert path == "/search" and params["city"] == "镇江市"
            assert params["q"].strip('"') == phrase
    first, second = items[0][1], items[1][1]
    # 2023 is the city's first dated report: nothing to diff against.
    assert "本市最早一份有年份的报告" in first and "/diff?" not in first
    assert (
        f'<a class="diff" href="/city/{ZHENJIANG}/diff?year=2024">比 2023 年有什么新提法</a>'
        in second
    )
    assert f'<a class="compare" href="/compare?a={ZJ23}&amp;b={ZJ24}">' in second
    assert f'<link rel="alternate" type="application/json" href="/api/city/{ZHENJIANG}">' in body


def test_city_phrase_link_finds_the_phrase_in_that_city(client):
    # 镇江现代化: 5 times in 镇江 2023, nowhere else.
    body = text(client.get(f"/city/{ZHENJIANG}"))
    href = re.search(r'<a href="([^"]+)">镇江现代化</a>', body).group(1)
    data = client.get(html.unescape(href).replace("/search", "/api/search", 1)).get_json()
    assert [(r["id"], r["hits"]) for r in data["results"]] == [(ZJ23, 5)]


def test_city_matches_short_names_and_undated_reports(client, engine):
    body = text(client.get("/city/" + quote("镇江")))
    assert "<h1>镇江市 历年政府工作报告" in body
    body = text(client.get("/city/" + quote("梧州市")))
    assert "年份未知" in body and "/diff?" not in body and f'/report/{WZ}"' in body
    data = client.get("/api/city/" + quote("相城区")).get_json()
    assert data["city"] == "苏州市相城区" and [r["id"] for r in data["reports"]] == [XC]


def test_unknown_city_is_404_with_the_message(client):
    response = client.get("/city/" + quote("南京"))
    assert response.status_code == 404
    body = html.unescape(text(response))
    # Chinese on the web (the CLI says it in English); the cities that exist are listed.
    assert "索引中没有“南京”的报告；有报告的城市：句容市、" in body and "、镇江市" in body
    assert "no reports" not in body
    response = client.get("/api/city/" + quote("南京"))
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["status"] == 404 and "索引中没有“南京”的报告" in error["message"]
    assert "句容市" in error["message"]


def test_overlong_city_name_is_400(client):
    for url in ("/city/" + "镇" * 101, "/city/" + "镇" * 101 + "/diff?year=2024"):
        response = client.get("/api" + url)
        assert (
            response.status_code == 400 and "城市名太长" in response.get_json()["error"]["message"]
        )


@pytest.mark.parametrize("query", ["top=0", "top=abc", "top=101", "top=-1"])
def test_city_bad_top_is_400(client, query):
    response = client.get(f"/api/city/{ZHENJIANG}?{query}")
    assert response.status_code == 400 and "top" in response.get_json()["error"]["message"]


# -- what is new in a year ----------------------------------------------------------------------
def test_diff_json_twins_are_the_core_dict(client, engine):
    expected = trends.diff(engine, "镇江", 2024)
    assert client.get(f"/api/diff?city={quote('镇江')}&year=2024").get_json() == expected
    assert client.get(f"/api/city/{quote('镇江')}/diff?year=2024").get_json() == expected
    assert client.get(f"/city/{ZHENJIANG}/diff?year=2024&format=json").get_json() == trends.diff(
        engine, "镇江市", 2024
    )
    assert expected["report_id"] == ZJ24 and expected["previous_report_id"] == ZJ23
    limited = client.get(f"/api/diff?city={ZHENJIANG}&year=2024&limit=3").get_json()
    assert limited == trends.diff(engine, "镇江市", 2024, 3) and len(limited["new"]) == 3


def test_diff_page_tables_counts_and_links(client, engine):
    response = client.get(f"/city/{ZHENJIANG}/diff?year=2024")
    assert response.status_code == 200
    body = text(response)
    assert "<h1>镇江市 2024 年报告有什么新提法</h1>" in body
    data = trends.diff(engine, "镇江市", 2024)
    for key in ("new", "dropped", "rising", "falling"):
        rows = table_rows(body, key)
        assert [(p, now, before) for p, _, now, _, before in rows] == [
            (r["phrase"], r["count"], r["previous_count"]) for r in data[key]
        ], key
        assert re.search(
            rf'id="{key}">\s*<h2>[^<]+<span class="n">{data[key + "_total"]} 个', body
        ), key
    new, dropped, falling = (by_phrase(table_rows(body, k)) for k in ("new", "dropped", "falling"))
    q = quote("智改数转网联")
    assert new["智改数转网联"][1:] == (f"/report/{ZJ24}?q={q}#hit-1", 3, f"/report/{ZJ23}?q={q}", 0)
    assert new["新农人"][2] == 4 and new["新农人"][4] == 0
    q = quote("镇江现代化")
    assert dropped["镇江现代化"][1:] == (
        f"/report/{ZJ24}?q={q}",
        0,
        f"/report/{ZJ23}?q={q}#hit-1",
        5,
    )
    assert dropped["云帆计划"][2:5:2] == (0, 2)
    q = quote("二十大精神")
    assert falling["二十大精神"][1:] == (
        f"/report/{ZJ24}?q={q}#hit-1",
        1,
        f"/report/{ZJ23}?q={q}#hit-1",
        7,
    )
    assert table_rows(body, "rising") == [] and data["rising_total"] == 0
    assert 'id="returning"' not in body  # only one earlier report
    assert f'<a href="/compare?a={ZJ23}&amp;b={ZJ24}">两份报告并排对比</a>' in body
    assert f'<a href="/city/{ZHENJIANG}/diff?year=2023">2023</a>' in body
    # the phrase itself opens who else used it, and when
    assert f'<a href="/stats?q={quote("新农人")}#spread"' in body
    twin = f"/api/city/{ZHENJIANG}/diff?year=2024"
    assert f'<link rel="alternate" type="application/json" href="{twin}">' in body


def test_every_diff_count_links_to_exactly_that_many_hits(client, engine):
    body = text(client.get(f"/diff?city={ZHENJIANG}&year=2024"))
    data = trends.diff(engine, "镇江市", 2024)
    checked = 0
    for key in ("new", "dropped", "falling"):
        for phrase, now_href, now, before_href, before in table_rows(body, key)[:8]:
            assert link(now_href)[1]["q"].strip('"') == phrase
            assert hits_behind(client, now_href) == now, (key, phrase)
            assert hits_behind(client, before_href) == before, (key, phrase)
            assert now_href.endswith("#hit-1") == bool(now)
            checked += 1
    assert checked == sum(min(8, len(data[k])) for k in ("new", "dropped", "falling")) > 8


def test_diff_limit_and_show_all(client, engine):
    body = text(client.get(f"/city/{ZHENJIANG}/diff?year=2024&limit=3"))
    assert len(table_rows(body, "new")) == 3
    total = trends.diff(engine, "镇江市", 2024, 3)["new_total"]
    assert total > 3 and f'<span class="n">{total} 个</span>' in body
    assert f'href="/city/{ZHENJIANG}/diff?year=2024&amp;limit=1000">显示全部</a>' in body


def test_diff_without_an_earlier_report_lists_the_reports_own_phrases(client, engine):
    response = client.get("/diff?city=" + quote("句容市") + "&year=2024")
    assert response.status_code == 200
    body = text(response)
    assert "这是句容市最早的一份有年份的报告" in body and 'id="new"' not in body
    data = trends.diff(engine, "句容市", 2024)
    rows = table_rows(body, "key-phrases")
    assert [(p, n) for p, _, n, _, _ in rows] == [
        (r["phrase"], r["count"]) for r in data["key_phrases"]
    ]
    for phrase, href, count, _, _ in rows:
        assert link(href)[0] == f"/report/{JR24}"
        assert hits_behind(client, href) == count, phrase
    # phrases that are not all Chinese characters are quoted, so the query takes them whole
    odd = [(p, href) for p, href, *_ in rows if not re.fullmatch(r"[\u4e00-\u9fff]+", p)]
    assert {"1国有企业", "2国有平台"} <= {p for p, _ in odd}
    for phrase, href in odd:
        assert link(href)[1]["q"] == f'"{phrase}"'
    api = client.get("/api/diff?city=" + quote("句容市") + "&year=2024").get_json()
    assert api["previous_year"] is None and api["new"] == [] and api == data


NO_2022 = "镇江市没有 2022 年的报告；有：2023、2024 年"


@pytest.mark.parametrize(
    "url, status, message",
    [
        (f"/diff?city={ZHENJIANG}&year=2022", 404, NO_2022),
        (f"/city/{ZHENJIANG}/diff?year=2022", 404, NO_2022),
        ("/diff?city=" + quote("梧州市") + "&year=2020", 404, "梧州市的报告都没有标明年份"),
        ("/diff?city=" + quote("梧州市"), 404, "梧州市的报告都没有标明年份"),
        ("/diff?city=" + quote("南京") + "&year=2024", 404, "索引中没有“南京”的报告；"),
        (f"/diff?city={ZHENJIANG}&year=abc", 400, "参数 year 应为四位数的年份"),
        (f"/diff?city={ZHENJIANG}&year=20245", 400, "参数 year 应为四位数的年份"),
        ("/diff?year=2024", 400, "缺少参数 city"),
        ("/diff?city=%20&year=2024", 400, "缺少参数 city"),
        ("/diff?city=" + "镇" * 200 + "&year=2024", 400, "参数 city 太长"),
        (f"/diff?city={ZHENJIANG}&year=2024&limit=0", 400, "参数 limit 应在 1 到 1000 之间"),
        (f"/diff?city={ZHENJIANG}&year=2024&limit=x", 400, "参数 limit 应为整数"),
    ],
)
def test_diff_errors(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status, url
    assert message in html.unescape(text(response))
    api = client.get("/api" + url)
    assert api.status_code == status
    error = api.get_json()["error"]
    assert error["status"] == status and message in error["message"]


# -- issue 18: latest year, context lines, pages beyond the last ----------------------------------
def test_diff_without_a_year_shows_the_citys_latest(client, engine, reports):
    latest = max(r.year for r in reports.values() if r.city == "镇江市")
    for url in (f"/city/{ZHENJIANG}/diff", f"/diff?city={ZHENJIANG}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"<h1>镇江市 {latest} 年报告有什么新提法</h1>" in text(response)
        assert client.get("/api" + url).get_json() == trends.diff(engine, "镇江市", latest)


def test_diff_rows_show_the_sentence_of_the_first_occurrence(client, engine, reports):
    body = text(client.get(f"/city/{ZHENJIANG}/diff?year=2024"))
    data = trends.diff(engine, "镇江市", 2024)
    row = data["new"][0]
    c = row["context"]
    shown = (
        html.escape(c["text"][: c["start"]], quote=False)
        + "<mark>"
        + html.escape(row["phrase"], quote=False)
        + "</mark>"
        + html.escape(c["text"][c["end"] :], quote=False)
    )
    match = re.search(r'<a class="ctx" href="([^"]+)">' + re.escape(shown) + "</a>", body)
    assert match, row["phrase"]
    path, args = link(html.unescape(match.group(1)))
    assert path == f"/report/{ZJ24}" and args["q"].strip('"') == row["phrase"]
    assert html.unescape(match.group(1)).endswith("#" + c["paragraph"])
    # a dropped phrase is quoted from the previous report
    dropped = data["dropped"][0]
    assert dropped["context"]["text"] in reports[ZJ23].display  # as the report shows it
    compare_body = text(client.get(f"/compare?a={ZJ23}&b={ZJ24}"))
    assert compare_body.count('<a class="ctx" ') == sum(
        len(trends.compare(engine, ZJ23, ZJ24)[k]) for k in ("shared", "only_a", "only_b")
    )
