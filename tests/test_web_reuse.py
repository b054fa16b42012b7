"""Reuse pages (issue 17): each JSON twin is the core's dict, the pages show what it holds."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from search.reuse import views

ZJ2023, ZJ2024, JR2024 = "000_8747d7cb4eceb50d", "001_3849f19c405c524f", "002_368e49043dcb499b"


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_report_twin_is_the_cli_dict(client, engine):
    data = client.get(f"/api/reuse/report/{JR2024}").get_json()
    assert data == views.report_reuse(engine, JR2024)
    assert list(data) == ["report_id", "share", "by_level", "passages"]
    assert (
        client.get(f"/reuse/report/{JR2024}")
        .headers["Location"]
        .endswith(f"/report/{JR2024}#reuse")
    )


def test_report_page_box_and_its_data(client, engine):
    page = client.get(f"/report/{JR2024}").get_data(as_text=True)
    data = views.report_reuse(engine, JR2024)
    box = page[page.index('id="reuse"') :]
    assert "的文字此前已出现" in box
    share = 100 * data["share"]
    assert re.search(r'class="reuse-share">([0-9.]+)%', box).group(1) == (
        f"{share:.0f}" if share >= 10 else f"{share:.1f}"
    )
    block = re.search(r"data-reuse='([^']*)'", page).group(1)
    script = json.loads(html.unescape(block))
    assert script["passages"] == data["passages"]
    report = engine.report(JR2024)
    assert script["paragraphs"] == [[p.id, p.start, p.end] for p in report.paragraphs]
    # every source named in the summary gets its share of the counted characters
    named = {s["id"] for s in views.sources(engine, data)}
    assert named == {p["source_id"] for p in data["passages"] if not p["formula"]}
    assert 'src="/static/reuse.js"' in page


def test_pair_twin_and_page_show_every_passage_side_by_side(client, engine):
    data = client.get(f"/api/reuse?a={ZJ2024}&b={JR2024}").get_json()
    assert data == views.pair_view(engine, ZJ2024, JR2024)
    page = client.get(f"/reuse?a={ZJ2024}&b={JR2024}").get_data(as_text=True)
    rows = re.findall(r'<tr class="passage[^"]*">(.*?)</tr>', page, re.DOTALL)
    assert len(rows) == len(data["passages"]) == 2
    a, b = engine.report(ZJ2024).text, engine.report(JR2024).text
    for row, p in zip(rows, data["passages"]):
        left, right = re.findall(r'<td class="side [ab]">(.*?)</td>', row, re.DOTALL)
        assert _text(left) == f"{p['a_start']}–{p['a_end']} " + a[p["a_start"] : p["a_end"]]
        assert _text(right) == f"{p['b_start']}–{p['b_end']} " + b[p["b_start"] : p["b_end"]]
    # the differing characters are marked on each side: 以上 in A, 左右 in B
    assert '<span class="differs">以上</span>' in rows[1]
    assert '<span class="differs">左右</span>' in rows[1]


def test_pair_order_does_not_change_the_passages(client):
    ab = client.get(f"/api/reuse?a={ZJ2024}&b={JR2024}").get_json()
    ba = client.get(f"/api/reuse?a={JR2024}&b={ZJ2024}").get_json()
    assert ba["earlier"] == "b" and ab["earlier"] == "a"
    assert [(p["b_start"], p["a_start"]) for p in ba["passages"]] == [
        (p["a_start"], p["b_start"]) for p in ab["passages"]
    ]


def test_corpus_view_twin_filters_and_province_year(client, engine):
    data = client.get("/api/reuse?province=江苏&year=2024").get_json()
    assert data == views.corpus_view(engine, "江苏", "2024")
    assert data["province_year"]["reports"] == []  # the seeds hold no provincial report
    assert {c["id"] for c in data["province_year"]["cities"]} == {
        r.id for r in engine.reports() if r.year == 2024 and r.province == "江苏省"
    }
    for pair in data["pairs"]:
        assert 2024 in (pair["a"]["year"], pair["b"]["year"])
        assert pair["earlier"] in ("a", None)
    chars = [max(p["chars_a"], p["chars_b"]) for p in data["pairs"]]
    assert chars == sorted(chars, reverse=True)
    page = client.get("/reuse?province=江苏&year=2024").get_data(as_text=True)
    assert page.count('class="side-by-side"') == len(data["pairs"])
    assert "索引中没有江苏 2024 年的省政府工作报告" in page


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("year=abc", 400, "四位数的年份"),
        ("limit=0", 400, "limit"),
        (f"a={ZJ2024}&b=nope", 404, "没有这份报告"),
        (f"a={ZJ2024}", 400, "缺少参数 b"),
    ],
)
def test_bad_parameters_say_what_is_wrong(client, query, status, message):
    for prefix in ("/reuse?", "/api/reuse?"):
        response = client.get(prefix + query)
        assert response.status_code == status
        assert message in response.get_data(as_text=True)


def test_an_index_without_reuse_data_says_what_to_run(index_dir, tmp_path):
    from web import create_app

    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    generation = copy / (copy / "CURRENT").read_text().strip()
    (generation / "reuse.npz").unlink()
    from search import checksums

    checksums.write(generation)  # as a build from before reuse data would have written them
    client = create_app({"INDEX": str(copy)}).test_client()
    response = client.get("/api/reuse")
    assert response.status_code == 503 and "--force" in response.get_json()["error"]["message"]
    page = client.get(f"/report/{JR2024}")
    assert page.status_code == 200 and 'id="reuse"' not in page.get_data(as_text=True)
