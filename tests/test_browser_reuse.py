"""Reuse in headless Chromium: underlines on the report page, the source card and its link
to the same passage in the source, and the side-by-side view (issue 17)."""

from __future__ import annotations

from conftest import BROWSER, shot

pytestmark = BROWSER

ZJ2024, JR2024 = "001_3849f19c405c524f", "002_368e49043dcb499b"


def test_underlines_hold_exactly_the_passages_and_link_to_their_source(page, server, engine):
    from playwright.sync_api import expect

    from search.display import shown
    from search.reuse.views import report_reuse

    data = report_reuse(engine, JR2024)
    report = engine.report(JR2024)
    page.goto(f"{server}/report/{JR2024}")
    spans = page.locator("span.reuse")
    expect(spans.first).to_be_attached()
    # each passage's underlined pieces, joined, are its text minus the paragraph breaks
    for number, p in enumerate(data["passages"]):
        pieces = page.locator(f'span.reuse[data-passage="{number}"]').all_inner_texts()
        # the page shows the report's own characters (search.display), not the normalized ones
        assert "".join(pieces) == shown(report, p["start"], p["end"]).replace("\n", "")
        cls = page.locator(f'span.reuse[data-passage="{number}"]').first.get_attribute("class")
        assert ("reuse-formula" in cls) == p["formula"]
    first = data["passages"][0]
    source = engine.report(first["source_id"])
    page.locator('span.reuse[data-passage="0"]').first.hover()
    card = page.locator(".reuse-pop")
    expect(card).to_be_visible()
    expect(card).to_contain_text(f"{source.city} {source.year}")
    expect(card).to_contain_text(f"{first['chars']} 字")
    shot(page, "reuse-01-card")
    card.get_by_role("link", name="在来源中查看").click()
    page.wait_for_url(f"**/report/{source.id}#reuse-*")
    target = page.locator(".reuse-target")
    expect(target.first).to_be_in_viewport()
    assert "".join(target.all_inner_texts()) == shown(
        source, first["source_start"], first["source_end"]
    ).replace("\n", "")
    shot(page, "reuse-02-source")


def test_underlines_keep_search_hits_marked(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/report/{JR2024}?q=预期目标")
    expect(page.locator("span.reuse mark, mark span.reuse").first).to_be_attached()
    expect(page.locator("#hitnav .pos")).to_contain_text("/")


def test_side_by_side_aligns_the_shared_passages(page, server, engine):
    from playwright.sync_api import expect

    from search.reuse.views import pair_view

    data = pair_view(engine, ZJ2024, JR2024)
    page.goto(f"{server}/reuse")
    page.select_option("select[name=a] >> nth=-1", ZJ2024)
    page.select_option("select[name=b] >> nth=-1", JR2024)
    page.locator("form.pick button >> nth=-1").click()
    page.wait_for_url("**/reuse?a=*")
    rows = page.locator("tr.passage")
    expect(rows).to_have_count(len(data["passages"]))
    for n, p in enumerate(data["passages"]):
        row = rows.nth(n)
        a_box, b_box = (
            row.locator("td.side.a").bounding_box(),
            row.locator("td.side.b").bounding_box(),
        )
        assert a_box["y"] == b_box["y"] and a_box["x"] < b_box["x"]  # one row, side by side
        assert row.locator("td.side.a").inner_text().endswith(p["a_text"].replace("\n", " ")[-10:])
    shot(page, "reuse-03-pair")
    rows.nth(0).locator("td.side.b a.at").click()
    page.wait_for_url(f"**/report/{JR2024}#reuse-*")
    expect(page.locator(".reuse-target").first).to_be_in_viewport()
