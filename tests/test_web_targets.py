"""/targets and /api/targets over the seed index: the JSON twin is the CLI's answer."""

from __future__ import annotations

import re

from search.targets import rows

ZJ23, ZJ24 = "000_8747d7cb4eceb50d", "001_3849f19c405c524f"


def test_api_is_the_core_answer(client, engine):
    for query, kwargs in (
        ("indicator=gdp&city=镇江", {"indicator": "gdp", "city": ("镇江",)}),
        ("", {}),
        (
            "indicator=jobs&level=prefecture&year=2024",
            {"indicator": "jobs", "level": ("prefecture",), "year": "2024"},
        ),
    ):
        response = client.get("/api/targets?" + query)
        assert response.status_code == 200
        assert response.get_json() == rows(engine, **kwargs)


def test_bad_indicator_is_a_clear_400_in_chinese(client):
    response = client.get("/api/targets?indicator=growth")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("参数有误")
    assert "growth" in response.get_json()["error"]["message"]
    assert client.get("/targets?indicator=gdp&level=city").status_code == 400


def test_page_defaults_to_gdp(client):
    response = client.get("/targets?province=江苏")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/targets?province=%E6%B1%9F%E8%8B%8F&indicator=gdp"
    )


def test_page_shows_target_result_and_links_each_number_to_its_sentence(client, engine):
    html = client.get("/targets?indicator=gdp&city=镇江").get_data(as_text=True)
    row = rows(engine, indicator="gdp", city=("镇江",))["rows"][0]
    assert 'class="cell met"' in html  # 2023: 5%以上 set, 6.2% achieved
    assert f'href="/report/{ZJ23}#{row["target"]["paragraph"]}">5%以上</a>' in html
    assert f'href="/report/{ZJ24}#{row["result"]["paragraph"]}">6.2%</a>' in html
    assert re.search(r"<svg[^>]*aria-label=\"镇江市历年目标与实际\"", html)


def test_report_page_has_the_targets_box(client, reports):
    html = client.get(f"/report/{ZJ24}").get_data(as_text=True)
    box = html[html.index("targets-box") :]
    box = box[: box.index("</details>")]
    assert "5.2%以上" in box and "6.2%" in box and "2.4万人以上" in box
    paragraph = re.search(r'href="#(p-\d+)" title="地区生产总值增长5.2%以上"', box).group(1)
    report = reports[ZJ24]
    p = next(p for p in report.paragraphs if p.id == paragraph)
    assert "地区生产总值增长5.2%以上" in report.paragraph_text(p)


PROVINCE = """2024年江苏省政府工作报告
——2024年1月22日在江苏省第十四届人民代表大会第二次会议上
各位代表:
现在,我代表省人民政府,向大会报告工作,请予审议。
一、2023年工作回顾
过去一年,全省地区生产总值增长5.8%。
二、2024年工作安排
今年全省经济社会发展的主要预期目标是:地区生产总值增长5%以上,一般公共预算收入增长4%。
"""


def test_the_provincial_target_stands_beside_the_citys(corpus_copy, tmp_path):
    from search.build import build
    from web import create_app

    (corpus_copy / "jiangsu2024.txt").write_text(PROVINCE, "utf-8")
    build(corpus_copy, tmp_path / "index", progress=False)
    client = create_app({"INDEX": str(tmp_path / "index")}).test_client()
    rows = client.get("/api/targets?indicator=gdp&level=province").get_json()["rows"]
    assert [(r["city"], r["year"], r["target"]["low"], r["target"]["qualifier"]) for r in rows] == [
        ("江苏省", 2024, 5, "以上")
    ]
    html = client.get("/targets?indicator=gdp&chart=镇江市").get_data(as_text=True)
    zhenjiang = html[html.index(">镇江市</a>") :]
    zhenjiang = zhenjiang[: zhenjiang.index("</tr>")]
    assert re.search(
        r'<span class="up">省 <a href="/report/jiangsu2024#p-\d+">5%以上</a>', zhenjiang
    )  # beside 镇江's 2024 target 5.2%以上
    assert 'class="series province"' in html
