"""The issue-14 operators in headless Chromium: each help example on / opens its search with
marked hits, and a malformed pattern shows the Chinese error saying where."""

from __future__ import annotations

from conftest import BROWSER

pytestmark = BROWSER


def test_help_examples_open_searches_with_marked_hits(page, server):
    from web.pages import OPERATORS

    for query, _ in OPERATORS:
        page.goto(server + "/")
        page.locator("tr.operator a", has_text=query).first.click()
        page.wait_for_load_state()
        assert page.locator("input[name=q]").first.input_value() == query
        assert page.locator("mark").count() > 0, query


def test_unclosed_slash_shows_where_in_chinese(page, server):
    page.goto(server + "/")
    page.fill("input[name=q]", "园区 /增长\\d+")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "缺少结尾的“/”" in body and "第 4 个字符" in body
