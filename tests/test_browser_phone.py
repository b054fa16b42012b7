"""Reading on a phone and citing on any screen, in headless Chromium at 1366 and 390 px:
the report page's bars (sticky title, one-line hit bar that never covers the hit it marks),
the folded metadata, the "复制引用" button's clipboard text, and the search page's facets."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import BROWSER, JR2024, SHOTS

PHRASE = "园区整合"
Q = quote(PHRASE)

pytestmark = BROWSER


@pytest.fixture
def page(screen):
    return screen  # every test here runs on a desktop and on a phone


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def assert_clear_of_the_bars(page, selector: str) -> None:
    """The element is on screen, below the sticky title and hit bar, not under them."""
    mark, nav, title = box(page, selector), box(page, "#hitnav"), box(page, ".report-head h1")
    assert title["y"] == 0 and nav["y"] >= title["y"] + title["height"] - 1, (title, nav)
    assert mark["y"] >= nav["y"] + nav["height"], (selector, mark, nav)
    assert mark["y"] + mark["height"] <= page.height, (selector, mark)


def citation(report: dict, paragraph_id: str, quoted: str, origin: str) -> str:
    where = "，".join(
        x for x in (report["city"], f"{report['year']}年" if report["year"] else "") if x
    )
    return (
        f"《{report['title']}》"
        + (f"（{where}）" if where else "")
        + f"，第{paragraph_id[2:]}段：“{quoted}”。{origin}/report/{report['id']}#{paragraph_id}"
    )


def paragraph_text(report: dict, paragraph_id: str) -> str:
    return next(
        p["text"] for s in report["sections"] for p in s["paragraphs"] if p["id"] == paragraph_id
    )


def test_report_reads_text_first_with_bars_that_never_cover_the_hit(page, server, engine):
    from playwright.sync_api import expect

    total = engine.report(JR2024).text.count(PHRASE)
    page.goto(f"{server}/report/{JR2024}?q={Q}")
    expect(page.locator("#hitnav .pos")).to_have_text(f"– / {total}")
    # the hit bar is one line: every visible item on the same row
    tops = page.evaluate("""Array.from(document.querySelectorAll('#hitnav > *'))
        .filter(e => e.offsetParent).map(e => e.getBoundingClientRect())
        .map(r => Math.round(r.top + r.height / 2))""")
    assert max(tops) - min(tops) <= 2, tops
    nav = box(page, "#hitnav")
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('hitnav')).lineHeight)"
    )
    assert nav["height"] < 2 * line, (nav, line)
    summary, panel = page.locator(".infobar > summary"), page.locator("dl.metadata")
    if page.width < 768:  # a phone: metadata and contents folded into one bar, text first
        expect(summary).to_have_text("报告信息 · 目录")
        expect(panel).to_be_hidden()
        expect(page.locator("#p-1")).to_be_in_viewport()
        page.screenshot(path=str(SHOTS / f"phone-report-top-{page.width}.png"))
        summary.click()
        expect(panel).to_be_visible()
        expect(page.locator(".toc")).to_be_visible()
        summary.click()
    else:  # a desktop: the side column shows them, no bar to open
        expect(summary).to_be_hidden()
        expect(panel).to_be_visible()
        assert box(page, ".side")["x"] > box(page, ".text")["x"] + box(page, ".text")["width"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width

    for n in range(1, total + 1):
        page.locator("#hitnav a.next").click()
        expect(page.locator(f"#hit-{n}")).to_have_class("current")
        expect(page.locator("#hitnav .pos")).to_have_text(f"{n} / {total}")
        assert_clear_of_the_bars(page, f"#hit-{n}")  # the sticky title stays at the top too
    page.screenshot(path=str(SHOTS / f"phone-report-jump-{page.width}.png"))

    # arriving by a link: a hit anchor, a paragraph anchor (as search snippets link) ...
    for anchor, hit in (("hit-2", "#hit-2"), ("p-12", "#p-12 mark")):
        page.goto(f"{server}/report/{JR2024}?q={Q}#{anchor}")
        page.wait_for_load_state("load")
        assert_clear_of_the_bars(page, hit)
    # ... and the report's longest paragraph, linked for a phrase found only at its very end
    paragraphs = [p for s in engine.show(JR2024)["sections"] for p in s["paragraphs"]]
    longest = max(paragraphs, key=lambda p: len(p["text"]))
    tail = longest["text"][int(len(longest["text"]) * 0.85) :]
    phrase = next(
        tail[i : i + 4]
        for i in range(len(tail) - 4, -1, -1)
        if re.fullmatch(r"[\u4e00-\u9fff]{4}", tail[i : i + 4])
        and engine.report(JR2024).text.count(tail[i : i + 4]) == 1
    )
    page.goto(f"{server}/report/{JR2024}?q={quote(phrase)}#{longest['id']}")
    page.wait_for_load_state("load")
    expect(page.locator(f"#{longest['id']} mark")).to_have_text(phrase)
    assert_clear_of_the_bars(page, f"#{longest['id']} mark")


def test_copy_citation_puts_the_standard_citation_on_the_clipboard(page, server, client):
    from playwright.sync_api import expect

    report = client.get(f"/api/report/{JR2024}").get_json()
    page.goto(f"{server}/report/{JR2024}?q={Q}#p-12")
    expect(page.locator("#p-12 .pno")).to_have_text("¶ 12")
    button = page.locator("#p-12 button.cite")
    expect(button).to_have_text("复制引用")
    button.click()
    expect(button).to_have_text("已复制")
    expected = citation(report, "p-12", paragraph_text(report, "p-12").strip(), server)
    assert PHRASE in expected and expected.endswith(f"{server}/report/{JR2024}#p-12")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.screenshot(path=str(SHOTS / f"phone-cite-{page.width}.png"))

    # a sentence the reader selected is quoted instead of the whole paragraph
    sentence = next(s + "。" for s in paragraph_text(report, "p-12").split("。") if PHRASE in s)
    page.evaluate(
        """sentence => {
        const p = document.getElementById('p-12');
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let text = '', nodes = [];
        while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
        const start = text.indexOf(sentence), end = start + sentence.length;
        const at = offset => { for (const [node, base] of nodes) {
            if (offset <= base + node.data.length) { return [node, offset - base]; } } };
        const range = document.createRange();
        range.setStart(...at(start)); range.setEnd(...at(end));
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""",
        sentence,
    )
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == citation(
        report, "p-12", sentence.strip(), server
    )


def test_citation_without_a_year_and_without_the_clipboard_api(
    screen_context, server, client, engine
):
    """An undated report cites no year; where navigator.clipboard is missing (plain http on a
    LAN address) the button copies through a selected textarea instead."""
    from playwright.sync_api import expect

    undated = next(r for r in engine.reports() if r.year is None and r.city)
    report = client.get(f"/api/report/{undated.id}").get_json()
    first = next(
        p["id"] for s in report["sections"] for p in s["paragraphs"] if len(p["text"].strip()) > 20
    )
    page = screen_context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{server}/report/{quote(undated.id)}")
    button = page.locator(f"#{first} button.cite")
    button.click()
    expect(button).to_have_text("已复制")
    reader = screen_context.new_page()  # a page with the Clipboard API reads what was copied
    reader.goto(f"{server}/")
    expected = citation(report, first, paragraph_text(report, first).strip(), server)
    assert f"（{undated.city}），第" in expected and "年份" not in expected
    assert reader.evaluate("navigator.clipboard.readText()") == expected


def test_search_facets_fold_into_a_bar_on_a_phone(page, server, engine):
    from playwright.sync_api import expect

    total = engine.report(JR2024).text.count(PHRASE)

    page.goto(f"{server}/search?q={Q}")
    expect(page.locator(".nav a[aria-current=page]")).to_have_text("搜索")
    facets, results = page.locator("aside.facets"), page.locator("#results")
    assert page.evaluate("""() => !!(document.querySelector('aside.facets')
        .compareDocumentPosition(document.getElementById('results')) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    year = facets.locator("section.facet", has_text="年份")
    if page.width < 768:
        expect(page.locator(".filterbar > summary")).to_have_text("筛选")
        expect(year).to_be_hidden()
        assert box(page, ".filterbar")["y"] < box(page, "#results")["y"]
        page.screenshot(path=str(SHOTS / f"phone-search-{page.width}.png"))
        page.locator(".filterbar > summary").click()
        expect(year).to_be_visible()
    else:
        expect(page.locator(".filterbar > summary")).to_be_hidden()
        expect(year).to_be_visible()
        assert box(page, "aside.facets")["x"] < box(page, "#results")["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    # section hit counts are readable: no smaller than 14 px
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.sections .n')).fontSize)"
    )
    assert size >= 14, size

    # the skip link appears when focused and lands on the results
    skip = page.locator("a.skip")
    skip.focus()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#results")

    # "查看全部 n 处" opens the concordance of that one report with n lines
    link = results.locator(f'li.result[data-id="{JR2024}"] a.all-hits')
    expect(link).to_have_text(f"查看全部 {total} 处")
    link.click()
    page.wait_for_url(f"**/kwic?q=*&report={JR2024}")
    expect(page.locator("table.kwic tbody tr[data-report]")).to_have_count(total)
    expect(page.locator("table.kwic mark")).to_have_text([PHRASE] * total)
