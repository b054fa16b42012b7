"""End to end in headless Chromium against the real app under its real server
(``python -m search serve``, gunicorn) on a free port.

Screenshots of every step go to tests/screenshots/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from conftest import BROWSER, JR2024, ZJ2023, ZJ2024, shot

pytestmark = BROWSER


def test_search_filter_open_report_and_navigate_hits(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/")
    shot(page, "01-home")
    page.fill("input[name=q]", "园区整合")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("li.result")
    expect(results).to_have_count(3)
    titles = page.locator("li.result h2").all_inner_texts()
    # 2023 镇江's file has its own title line, 政府工作报告 (title_source "text", issue 20)
    assert "2024年镇江市政府工作报告" in titles and "政府工作报告" in titles
    assert "2024年句容市政府工作报告" in titles
    marks = page.locator("li.result mark").all_inner_texts()
    assert len(marks) == 7 and set(marks) == {"园区整合"}
    expect(page.locator("p.summary")).to_contain_text("共 7 次")
    shot(page, "02-results")

    # filter by year through the facet
    page.locator("aside.facets section.facet", has_text="年份").get_by_role(
        "link", name="2024"
    ).click()
    page.wait_for_url("**year=2024*")
    expect(results).to_have_count(2)
    assert {page.locator("li.result").nth(i).get_attribute("data-id") for i in range(2)} == {
        ZJ2024,
        JR2024,
    }
    expect(page.locator(".chip")).to_contain_text("年份：2024")
    shot(page, "03-filtered-2024")

    # open the 句容 report from its first snippet: lands on the highlighted paragraph
    page.locator(f'li.result[data-id="{JR2024}"] ul.snippets a').first.click()
    page.wait_for_url(f"**/report/{JR2024}?q=*#p-12")
    assert page.url.endswith("#p-12")
    mark = page.locator("#p-12 mark")
    expect(mark).to_have_text("园区整合")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class("current")  # report.js picked up the hash
    expect(page.locator("#hitnav .pos")).to_have_text("1 / 2")
    shot(page, "04-report-landed")

    page.locator("#hitnav a.next").click()
    expect(page.locator("#hit-2")).to_have_class("current")
    expect(page.locator("#hit-2")).to_be_in_viewport()
    expect(page.locator("#hitnav .pos")).to_have_text("2 / 2")
    assert page.url.endswith("#hit-2")
    page.locator("#hitnav a.next").click()  # wraps around to the first hit
    expect(page.locator("#hit-1")).to_have_class("current")
    shot(page, "05-report-next-hit")


def test_report_anchors_work_without_javascript(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{server}/report/{ZJ2024}?q={quote('园区整合')}#p-37")
    expect(page.locator("#p-37 mark")).to_be_in_viewport()
    page.locator("#hitnav a.next").click()  # plain anchor: the first hit
    assert page.url.endswith("#hit-1")
    expect(page.locator("#hit-1")).to_be_in_viewport()
    shot(page, "06-report-no-js")
    context.close()


def test_stats_page_csv_download(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/stats?q={quote('园区整合')}")
    expect(page.locator("svg.bars rect.bar")).to_have_count(3)
    expect(page.locator("table.city-year tbody tr")).to_have_count(3)
    shot(page, "07-stats")
    with page.expect_download() as info:
        page.locator("a.csv").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    assert "园区整合" in download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "city,province,year,reports,occurrences,chars,per_10k"
    assert lines[1:] == [
        "句容市,江苏省,2024,1,2,14309,1.398",
        "镇江市,江苏省,2023,1,2,11172,1.79",
        "镇江市,江苏省,2024,1,3,15005,1.999",
    ]
    # a number in the table opens the search behind it
    page.locator("table.city-year tbody tr").nth(2).locator("a").nth(1).click()
    page.wait_for_url("**/search?*")
    expect(page.locator("li.result")).to_have_count(1)
    expect(page.locator("li.result .count")).to_have_text("共 3 次")


def test_script_query_opens_no_dialog(page, server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    evil = "<script>alert(1)</script>"
    page.goto(server + "/")
    page.fill("input[name=q]", evil)
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("load")
    assert page.input_value("input[name=q]") == evil
    shot(page, "08-script-query")
    for url in (
        f"/report/{JR2024}?q={quote(evil)}",
        f"/stats?q={quote(evil)}",
        f"/search?q={quote('OR ' + evil)}",
    ):
        page.goto(server + url)
        page.wait_for_load_state("load")
    assert dialogs == []


def test_phone_width_layout(phone, server):
    page = phone
    for url in ("/", "/reports", f"/report/{JR2024}/original", f"/search?q={quote('园区整合')}"):
        page.goto(server + url)
        # nothing wider than the screen: no horizontal scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    shot(page, "09-phone-results")
    page.goto(f"{server}/report/{JR2024}?q={quote('园区整合')}#p-12")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "10-phone-report")
    page.goto(f"{server}/stats?q={quote('园区整合')}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "11-phone-stats")


def test_city_timeline_diff_count_lands_on_the_hit_and_compare(page, server):
    from playwright.sync_api import expect

    # from a report to its city's timeline, then to what 2024 says anew
    page.goto(f"{server}/report/{ZJ2024}")
    page.locator(".report-head .meta").get_by_role("link", name="镇江市").click()
    page.wait_for_url("**/city/*")
    expect(page.locator("li.year-report")).to_have_count(2)
    shot(page, "12-city-timeline")
    page.get_by_role("link", name="比 2023 年有什么新提法").click()
    page.wait_for_url("**/diff?year=2024")
    expect(page.locator("h1")).to_have_text("镇江市 2024 年报告有什么新提法")
    row = page.locator("#new tr", has=page.get_by_role("link", name="智改数转网联", exact=True))
    expect(row.locator("td.now a")).to_have_text("3")
    expect(row.locator("td.before a")).to_have_text("0")
    shot(page, "13-diff")
    # the count opens the 2024 report on the first of the 3 highlighted hits
    row.locator("td.now a").click()
    page.wait_for_url(f"**/report/{ZJ2024}?q=*#hit-1")
    expect(page.locator("#hit-1")).to_have_class("current")
    expect(page.locator("#hit-1")).to_be_in_viewport()
    expect(page.locator("#hitnav .pos")).to_have_text("1 / 3")
    shot(page, "14-diff-count-landed")
    # and compare the two years side by side through the form
    page.goto(f"{server}/compare")
    page.select_option("select[name=a]", ZJ2023)
    page.select_option("select[name=b]", ZJ2024)
    page.get_by_role("button", name="对比").click()
    page.wait_for_url(f"**/compare?a={ZJ2023}&b={ZJ2024}")
    shared = page.locator("#shared tr", has=page.get_by_role("link", name="四群八链", exact=True))
    expect(shared.locator("td.a a")).to_have_text("4")
    expect(shared.locator("td.b a")).to_have_text("4")
    expect(page.locator("table.sections")).to_have_count(2)
    shot(page, "15-compare")


def test_diff_context_line_marks_the_phrase_and_opens_its_paragraph(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/city/{quote('镇江市')}/diff")  # no year: the city's latest
    expect(page.locator("h1")).to_have_text("镇江市 2024 年报告有什么新提法")
    row = page.locator("#new tr", has=page.get_by_role("link", name="智改数转网联", exact=True))
    line = row.locator("a.ctx")
    expect(line.locator("mark")).to_have_text("智改数转网联")
    anchor = line.get_attribute("href").rsplit("#", 1)[1]
    line.click()
    page.wait_for_url(f"**/report/{ZJ2024}?q=*#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect(page.locator(f"#{anchor} mark").first).to_have_text("智改数转网联")


def test_trend_pages_fit_a_phone(phone, server):
    page = phone
    city = quote("镇江市")
    for url in (
        "/cities",
        f"/city/{city}",
        f"/city/{city}/diff?year=2024",
        f"/compare?a={ZJ2023}&b={ZJ2024}",
        f"/stats?q={quote('园区整合')}#spread",
    ):
        page.goto(server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    shot(page, "16-phone-spread")


def test_report_metadata_shows_its_evidence_on_hover_and_tap(page, phone, server):
    """Issue 20: each metadata value shows the words that decided it; the sentence links to
    its paragraph. Expected words come from the report's evidence in the JSON twin."""
    import json
    from urllib.request import urlopen

    from playwright.sync_api import expect

    data = json.load(urlopen(f"{server}/api/report/{ZJ2024}"))
    level = data["evidence"]["level"]
    page.goto(f"{server}/report/{ZJ2024}")
    value = page.locator('.metadata .ev[data-field="level"]')
    popup = value.locator(".ev-pop")
    expect(popup).to_be_hidden()
    value.hover()
    expect(popup).to_be_visible()
    assert "依据" in popup.inner_text()
    assert popup.locator(".ev-rule").get_attribute("title") == level["rule"]
    link = popup.locator("a.ev-sentence")
    target = link.get_attribute("href")
    paragraph = page.locator(target)
    assert level["text"] in paragraph.inner_text()
    assert link.locator("strong").inner_text() == level["text"]  # the deciding words, marked
    link.click()
    assert page.url.endswith(target)
    expect(paragraph).to_be_in_viewport()
    shot(page, "20-evidence-hover")
    title = page.locator("h1.built-title")
    assert data["title_source"] == "built"
    expect(title.locator(".untitled")).to_have_text("无标题")

    tab = phone
    tab.goto(f"{server}/report/{ZJ2024}")
    tab.locator("details.infobar > summary").tap()  # on a phone the metadata are folded away
    year = tab.locator('.metadata .ev[data-field="year"]')
    year.tap()
    expect(year.locator(".ev-pop")).to_be_visible()
    assert data["evidence"]["year"]["text"] in year.locator(".ev-pop").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    shot(tab, "21-evidence-tap-phone")


def test_suggestions_under_the_search_box_work_with_the_keyboard(page, server):
    import json
    from urllib.request import urlopen

    from playwright.sync_api import expect

    def api(prefix: str) -> list[str]:
        with urlopen(server + "/api/suggest?prefix=" + quote(prefix)) as response:
            return [s["text"] for s in json.load(response)["suggestions"]]

    page.goto(server + "/")
    box = page.locator("input[name=q]")
    box.press_sequentially("发")
    listbox = page.get_by_role("listbox", name="搜索建议")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expected = api("发")
    assert len(expected) > 2
    expect(options).to_have_count(len(expected))
    assert [t.split()[0] for t in options.all_inner_texts()] == expected
    expect(box).to_have_attribute("aria-expanded", "true")
    shot(page, "20-suggest-open")

    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("ArrowUp")
    box.press("ArrowUp")  # wraps to the last
    expect(options.nth(len(expected) - 1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")  # back to the first
    box.press("ArrowDown")
    box.press("Enter")  # takes the second word, does not submit
    expect(box).to_have_value(expected[1])
    expect(listbox).to_be_hidden()
    assert page.url.rstrip("/") == server

    # the word being typed (after a space) is the one completed
    box.press_sequentially(" 园")
    expect(options).to_have_count(len(api("园")))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    box.press("Enter")  # nothing highlighted: the search runs
    page.wait_for_url("**/search?q=*")
    expect(page.locator("input[name=q]")).to_have_value(expected[1] + " 园")


def test_related_terms_link_to_their_search(page, server):
    import json
    from urllib.request import urlopen

    from playwright.sync_api import expect

    with urlopen(server + "/api/related?q=" + quote("园区整合")) as response:
        related = [t["text"] for t in json.load(response)["related"]]
    assert related
    page.goto(server + "/search?q=" + quote("园区整合"))
    links = page.locator("p.related a")
    assert links.all_inner_texts() == related
    shot(page, "21-related")
    links.first.click()
    page.wait_for_url("**/search?q=*")
    expect(page.locator("input[name=q]")).to_have_value(related[0])
