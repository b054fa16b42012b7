"""The heatmap and the map in headless Chromium, on a desktop and a phone viewport."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import BROWSER, SHOTS

Q = quote("园区整合")

pytestmark = BROWSER


@pytest.fixture
def page(screen):
    return screen  # every test here runs on a desktop and on a phone


def test_heatmap_shows_zeros_and_empty_cells_and_links_to_the_report(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/stats?q={Q}")
    heat = page.locator("table.heat")
    expect(heat).to_be_visible()
    row = heat.locator("tr", has=page.locator("th.place", has_text="常州市"))
    expect(row.locator("td.h0")).to_have_text("0")  # a report without the phrase
    expect(row.locator("td.empty")).to_have_count(2)  # no 2023 report, no undated one
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width + 1 or page.evaluate(
        "getComputedStyle(document.querySelector('.table-wrap')).overflowX"
    ) in ("auto", "scroll")
    page.screenshot(path=str(SHOTS / f"heatmap-{page.width}.png"), full_page=True)
    row = heat.locator("tr", has=page.locator("th.place", has_text="句容市"))
    row.locator("td.h6 a, td.h5 a, td.h4 a, td.h3 a, td.h2 a, td.h1 a").first.click()
    page.wait_for_url("**/report/002_368e49043dcb499b?q=*#hit-1")


def test_map_draws_the_slider_replays_and_a_click_opens_the_city(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/map?q={Q}")
    holder = page.locator("#spread-map")
    expect(holder).to_have_attribute("data-ready", "1")
    expect(holder.locator("canvas").first).to_be_visible()
    expect(holder).to_have_attribute("data-shown", "2")  # 镇江 (2023) and 句容 (2024) by 2024
    page.locator("#map-year").fill("2023")
    expect(holder).to_have_attribute("data-year", "2023")
    expect(holder).to_have_attribute("data-shown", "1")  # only 镇江 had used it by 2023
    expect(page.locator("#map-year-label")).to_have_text("2023年")
    page.screenshot(path=str(SHOTS / f"map-{page.width}.png"), full_page=True)
    page.locator("#map-year").fill("2024")
    expect(holder).to_have_attribute("data-shown", "2")
    # click the 镇江 circle: its pixel position comes from the chart's own projection
    point = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('spread-map'));
        const data = JSON.parse(document.getElementById('map-data').textContent);
        const c = data.cities.find(c => c.city === '镇江市');
        return chart.convertToPixel('geo', [c.lng, c.lat]);
    }""")
    box = holder.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url("**/city/*")
    # 句容 lies 30 km from 镇江: at this zoom their circles overlap, either is a right answer
    assert any(quote(city) in page.url for city in ("镇江市", "句容市")), page.url


def test_panel_form_builds_a_table_chart_and_downloads(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/panel")
    block = page.locator("fieldset.concept-block").first
    block.locator("input[name=name]").fill("乡村")
    block.locator("textarea[name=terms]").fill("乡村振兴\n乡村振兴战略")
    page.select_option("select[name=by]", "city-year")
    page.get_by_role("button", name="生成面板").click()
    page.wait_for_url("**/panel?*")
    expect(page.locator("table.panel-table tbody tr").first).to_be_visible()
    expect(page.locator(".multiple svg polyline, .multiple svg circle").first).to_be_attached()
    first = page.locator("table.panel-table tbody tr").first.locator("td")
    expect(first.nth(5)).to_have_text("乡村")  # concept column of the first row
    for fmt in ("csv", "xlsx", "dta"):
        href = page.locator(f"a.download-{fmt}").get_attribute("href")
        assert f"format={fmt}" in href and "by=city-year" in href
    response = page.request.get(server + page.locator("a.download-csv").get_attribute("href"))
    assert response.ok and response.text().lstrip("\ufeff").startswith("city,province")
    page.screenshot(path=str(SHOTS / f"panel-{page.width}.png"), full_page=True)


def test_concordance_sorts_by_column_and_opens_the_paragraph(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/search?q={Q}")
    page.locator("a.kwic-link").click()
    page.wait_for_url("**/kwic?q=*")
    rows = page.locator("table.kwic tbody tr")
    expect(rows).to_have_count(7)  # 园区整合: 2 + 3 + 2 occurrences in the seeds
    page.get_by_role("link", name="左侧上下文").click()
    page.wait_for_url("**sort=left*")
    lefts = [t[::-1] for t in rows.locator("td.left").all_inner_texts()]
    assert lefts == sorted(lefts)
    # the hit cell is centred between the two contexts
    box = rows.first.locator("td.match mark").bounding_box()
    cell = rows.first.locator("td.match").bounding_box()
    assert abs((box["x"] + box["width"] / 2) - (cell["x"] + cell["width"] / 2)) < 2
    page.screenshot(path=str(SHOTS / f"kwic-{page.width}.png"), full_page=True)
    target = rows.first.get_attribute("data-report")
    rows.first.locator("td.match a").click()
    page.wait_for_url(f"**/report/{target}?q=*#p-*")
    expect(page.locator("mark").first).to_be_visible()
