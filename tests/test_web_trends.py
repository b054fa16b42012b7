"""The trend pages of the web front end: cities, timeline, new phrases, spread and compare.

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
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from search import trends

ZJ23 = "000_8747d7cb4eceb50d"
ZJ24 = "001_3849f19c405c524f"
JR24 = "002_368e49043dcb499b"
CZ24 = "003_d14e6f6731d1bfab"
XC, SZ, WZ = (f"004_02169182387663be-{i}" for i in (1, 2, 3))
ZHENJIANG = quote("镇江市")
MAX_PAGE = 200 * 1024
EVIL = "<script>alert(1)</script>"


def text(response) -> str:
    return response.get_data(as_text=True)


def link(href: str) -> tuple[str, dict]:
    """An href from a page as (path, query parameters), unescaped and decoded."""
    parts = urlsplit(html.unescape(href))
    return unquote(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}


def hits_behind(client, href: str) -> int:
    """How many hits the report page an href points to highlights (via its JSON twin)."""
    parts = urlsplit(html.unescape(href))
    assert parts.path.startswith("/report/")
    data = client.get("/api" + parts.path + "?" + parts.query).get_json()
    return len(data["hits"])


CHANGE_ROW = re.compile(
    r'<tr>\s*<td><a href="([^"]+)"[^>]*>([^<]+)</a>(?:<a class="ctx" [^>]*>.*?</a>)?</td>\s*'
    r'<td class="num (?:now|a)"><a href="([^"]+)"(?: class="zero")?>(\d+)</a></td>\s*'
    r'(?:<td class="num (?:before|b)"><a href="([^"]+)"(?: class="zero")?>(\d+)</a></td>)?'
)


def table_rows(body: str, section_id: str) -> list[tuple]:
    """(phrase, href, count, href, count) of every row of one <section id=…> table."""
    match = re.search(rf'<section class="change" id="{section_id}">(.*?)</section>', body, re.S)
    assert match, section_id
    return [
        (phrase, a_href, int(a), b_href, int(b) if b else None)
        for _, phrase, a_href, a, b_href, b in CHANGE_ROW.findall(match.group(1))
    ]


def by_phrase(rows):
    return {row[0]: row for row in rows}


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
    response = client.get(f"/compare?a={ZJ23}&b={ZJ24}")
    assert response.status_code == 200
    body = text(response)
    data = trends.compare(engine, ZJ23, ZJ24)
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
        twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', page)
        assert twin, url
        response = client.get(html.unescape(twin.group(1)))
        assert response.status_code == 200 and response.mimetype == "application/json", url


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
