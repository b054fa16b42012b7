"""The concordance against a brute-force scan of the seed texts: lines, windows, order, CSV."""

from __future__ import annotations

import csv
import io

import commands
import pytest

from search import matching
from search.display import shown
from search.insight.concordance import all_lines, concordance


def brute_lines(reports, phrase, width):
    """(report id, start, left, match, right) of every occurrence, from the texts."""
    out = []
    for r in sorted(reports.values(), key=lambda r: (r.city or "", r.year or 0, r.id)):
        for at in matching.find_all(r.text, phrase):
            end = at + len(phrase)
            out.append(
                (
                    r.id,
                    at,
                    shown(r, max(0, at - width), at),
                    shown(r, at, end),
                    shown(r, end, end + width),
                )
            )
    return out


@pytest.mark.parametrize("phrase,width", [("园区整合", 30), ("高质量发展", 5), ("G312", 12)])
def test_every_line_and_window_equals_the_scan(engine, reports, phrase, width):
    data = concordance(engine, phrase, width=width, limit=1000)
    expected = brute_lines(reports, phrase, width)
    assert (
        data["total"]
        == len(expected)
        == sum(r["occurrences"] for r in engine.stats(phrase)["rows"])
    )
    got = [
        (ln["report_id"], ln["start"], ln["left"], ln["match"], ln["right"]) for ln in data["lines"]
    ]
    assert got == expected
    for ln in data["lines"]:
        r = reports[ln["report_id"]]
        p = next(p for p in r.paragraphs if p.start <= ln["start"] <= p.end)
        assert ln["paragraph"] == p.id
        s = next(s for s in r.sections if s.start <= ln["start"] < s.end)
        assert ln["section"] == s.kind


def test_windows_stop_at_the_report_edges(engine, reports):
    r = next(iter(reports.values()))
    first = r.text[:4]
    data = concordance(engine, f'"{first}"', width=30, limit=1000)
    line = next(ln for ln in data["lines"] if ln["report_id"] == r.id and ln["start"] == 0)
    assert line["left"] == "" and line["right"] == shown(r, 4, 34)


def test_sorting_left_reads_backwards_and_ties_keep_report_order(engine, reports):
    data = concordance(engine, "园区整合", sort="left", limit=1000)
    keys = [ln["left"][::-1] for ln in data["lines"]]
    assert keys == sorted(keys)
    right = concordance(engine, "园区整合", sort="right", limit=1000)
    assert [ln["right"] for ln in right["lines"]] == sorted(ln["right"] for ln in right["lines"])
    # a phrase whose left contexts repeat: ties stay in report order
    width0 = concordance(engine, "发展", width=0, sort="left", limit=1000)["lines"]
    report_order = [
        (ln["report_id"], ln["start"])
        for ln in concordance(engine, "发展", width=0, limit=1000)["lines"]
    ]
    assert [(ln["report_id"], ln["start"]) for ln in width0] == report_order


def test_pages_samples_and_one_report(engine, reports):
    everything = concordance(engine, "发展", limit=1000)["lines"]
    page2 = concordance(engine, "发展", limit=10, page=2)
    assert page2["lines"] == everything[10:20] and page2["pages"] == -(-len(everything) // 10)
    a = concordance(engine, "发展", sample=15, seed=7, limit=1000)
    b = concordance(engine, "发展", sample=15, seed=7, limit=1000)
    assert a["lines"] == b["lines"] and len(a["lines"]) == 15
    assert all(line in everything for line in a["lines"])
    one = concordance(engine, "发展", report_id="002_368e49043dcb499b", limit=1000)
    assert one["total"] == reports["002_368e49043dcb499b"].text.count("发展")


def test_csv_has_every_line_with_a_permalink(client, engine):
    total = concordance(engine, "发展", limit=1)["total"]
    response = client.get("/kwic.csv?q=发展")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == total
    assert rows[0]["permalink"].startswith(f"/report/{rows[0]['report_id']}?q=")
    assert rows[0]["permalink"].endswith("#" + rows[0]["paragraph"])


def test_cli_kwic_json_and_csv(index_dir, engine):
    run = ("kwic", "园区整合", "--index", index_dir)
    data = commands.search_json(*run, "--json", "--sort", "right")
    assert data == concordance(engine, "园区整合", sort="right")
    out = commands.search(*run, "--csv").stdout
    assert len(list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))) == data["total"] + 1


def test_web_twin_and_page(client, engine):
    data = client.get("/api/kwic?q=园区整合&sort=left&width=10").get_json()
    assert data == concordance(engine, "园区整合", width=10, sort="left")
    body = client.get("/kwic?q=园区整合").get_data(as_text=True)
    assert body.count("<mark>园区整合</mark>") == data["total"]
    assert client.get("/api/kwic?q=园区整合&sort=sideways").status_code == 400
    search = client.get("/search?q=园区整合").get_data(as_text=True)
    assert 'class="kwic-link" href="/kwic?q=' in search and "查看全部 3 处" in search


def test_all_lines_orders_like_the_pages(engine):
    lines = all_lines(engine, "园区整合", sort="left")
    assert [ln.to_dict() for ln in lines] == concordance(
        engine, "园区整合", sort="left", limit=1000
    )["lines"]


def test_contexts_are_the_reports_own_punctuation(engine, reports):
    """Seed 001 writes only full-width commas: the lines show ，, never the normalized ,."""
    from conftest import raw

    text = raw("zhenjiang2024")
    assert "，" in text and "," not in text
    data = concordance(engine, "发展", limit=1000, report_id="001_3849f19c405c524f")
    joined = "".join(ln["left"] + ln["right"] for ln in data["lines"])
    assert "，" in joined and "," not in joined


def test_near_lines_mark_their_partners_in_the_context(engine, reports, client):
    """A NEAR line is centred on A; the B occurrences that make it near are marked too."""
    from urllib.parse import quote

    data = concordance(engine, "园区 NEAR/5 整合", width=12, limit=1000)
    assert data["total"] and all(ln["match"] == "园区" for ln in data["lines"])
    marked = 0
    for ln in data["lines"]:
        text = reports[ln["report_id"]].text
        after = text.find("整合", ln["end"], ln["end"] + 5 + 2)  # a partner right after A
        for a, b in ln["right_marks"]:
            assert ln["right"][a:b] == "整合"
        for a, b in ln["left_marks"]:
            assert ln["left"][a:b] == "整合"
        if after != -1:
            assert ln["right_marks"], ln
        marked += bool(ln["right_marks"] or ln["left_marks"])
    assert marked == data["total"]  # every near A has a partner within the 12 characters
    body = client.get("/kwic?q=" + quote("园区 NEAR/5 整合")).get_data(as_text=True)
    assert '<mark class="partner">整合</mark>' in body
