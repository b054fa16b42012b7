"""/targets in headless Chromium: the table, the chart, a number's link to its sentence."""

from __future__ import annotations

from conftest import BROWSER, shot

pytestmark = BROWSER

ZJ23 = "000_8747d7cb4eceb50d"


def test_targets_table_chart_and_link_to_the_sentence(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/targets")
    expect(page).to_have_url(server + "/targets?indicator=gdp")
    expect(page.locator("table.target-table")).to_be_visible()
    expect(page.locator("svg[aria-label='镇江市历年目标与实际'] circle")).to_have_count(3)
    shot(page, "targets-01-gdp")
    met = page.locator("div.cell.met")
    expect(met).to_have_count(1)
    expect(met).to_have_css("background-color", "rgb(227, 244, 225)")
    met.get_by_role("link", name="5%以上").click()
    expect(page).to_have_url(server + f"/report/{ZJ23}#p-17")
    expect(page.locator("#p-17")).to_contain_text("地区生产总值增长5%以上")
    expect(page.locator("details.targets-box")).to_contain_text("上年实际")
    shot(page, "targets-02-sentence")

    page.goto(server + "/targets?indicator=gdp")
    page.select_option("select[name=indicator]", "jobs")
    page.click("form.target-filters button")
    expect(page.locator("h1")).to_contain_text("城镇新增就业")
    expect(page.locator("table.target-table")).to_contain_text("2.4万人以上")
    shot(page, "targets-03-jobs")
