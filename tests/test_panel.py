"""Concept panels, checked row by row against a brute-force scan of the normalized texts."""

from __future__ import annotations

import io
import json

import commands
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.insight import tables
from search.insight.concepts import ConceptError, Term, concept, from_file, gather, inline
from search.insight.panel import build_panel

CONCEPTS = [
    "乡村=乡村振兴,乡村振兴战略,农业农村",
    "园区=园区整合,/园区\\S{0,2}整合/",
    "创新=科技创新,创新",
]


def brute_concept(text: str, terms: list[str]) -> int:
    """At each position the longest term that starts there; jump past it; count."""
    i, n = 0, 0
    while i < len(text):
        found = [t for t in terms if text.startswith(t, i)]
        if found:
            n += 1
            i += max(map(len, found))
        else:
            i += 1
    return n


def test_longest_term_first_counts_once_where_both_stand():
    c = inline("乡村=乡村振兴,乡村振兴战略")
    text = "实施乡村振兴战略，推进乡村振兴。乡村振兴战略"
    assert c.count(text) == 3 == brute_concept(text, ["乡村振兴", "乡村振兴战略"])
    assert Term("乡村振兴").count(text) == 3 and Term("乡村振兴战略").count(text) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="甲乙丙丁", max_size=40),
    st.lists(st.text(alphabet="甲乙丙丁", min_size=1, max_size=4), min_size=1, max_size=4),
)
def test_concept_count_equals_the_brute_force_scan(text, terms):
    assert concept("c", terms).count(text) == brute_concept(text, list(dict.fromkeys(terms)))


@pytest.mark.parametrize("by", ["report", "city-year"])
def test_every_panel_row_equals_a_scan_of_the_text(engine, reports, by):
    concepts = gather(inline_defs=CONCEPTS)
    panel = build_panel(engine, concepts, by)
    defs = {c.name: c for c in concepts}
    terms = {c.name: {t.label: t for t in c.terms} for c in concepts}

    def expected(report, name, label):
        if label == "":
            c = defs[name]
            if all(not t.pattern for t in c.terms):
                return brute_concept(report.text, [t.text for t in c.terms])
            return c.count(report.text)
        t = terms[name][label]
        if t.pattern:
            import re

            return len(re.findall(t.text, report.text))
        return report.text.count(t.text)

    if by == "report":
        assert len(panel.rows) == len(reports) * sum(1 + len(c.terms) for c in concepts)
        for row in panel.rows:
            r = reports[row["report_id"]]
            assert row["occurrences"] == expected(r, row["concept"], row["term"]), row
            assert row["chars"] == len(r.text)
            assert (row["city"], row["year"], row["level"]) == (r.city, r.year, r.level)
        return
    dated = [r for r in reports.values() if r.year is not None]
    years = range(min(r.year for r in dated), max(r.year for r in dated) + 1)
    places = {r.city for r in dated}
    assert len(panel.rows) == len(places) * len(years) * sum(1 + len(c.terms) for c in concepts)
    for row in panel.rows:
        group = [r for r in dated if r.city == row["city"] and r.year == row["year"]]
        assert row["reports"] == len(group)
        if not group:  # a missing report is not zero attention
            assert row["occurrences"] is None and row["chars"] is None and row["per_10k"] is None
            continue
        assert row["occurrences"] == sum(expected(r, row["concept"], row["term"]) for r in group)
        assert row["chars"] == sum(len(r.text) for r in group)
    assert panel.about["undated_reports"] == len(reports) - len(dated)


def test_term_counts_equal_stats(engine):
    panel = build_panel(engine, gather(terms=["园区整合"]))
    stats = {r["report_id"]: r["occurrences"] for r in engine.stats("园区整合")["rows"]}
    for row in panel.rows:
        assert row["occurrences"] == stats.get(row["report_id"], 0)


def test_xlsx_and_dta_read_back_with_the_same_numbers(engine, tmp_path):
    import pandas as pd

    panel = build_panel(engine, gather(inline_defs=CONCEPTS[:1]), "city-year")
    sheet = pd.read_excel(
        io.BytesIO(tables.xlsx_bytes(panel.columns, panel.rows, panel.about)), sheet_name=None
    )
    assert set(sheet) == {"panel", "about"}
    assert list(sheet["panel"]["occurrences"].fillna(-1)) == [
        -1 if r["occurrences"] is None else r["occurrences"] for r in panel.rows
    ]
    about = dict(zip(sheet["about"]["key"], sheet["about"]["value"]))
    assert about["index_generation"] == engine.generation
    dta = pd.read_stata(io.BytesIO(tables.dta_bytes(panel.columns, panel.rows, panel.about)))
    assert list(dta["occurrences"].fillna(-1)) == list(sheet["panel"]["occurrences"].fillna(-1))
    assert list(dta["city"]) == [r["city"] for r in panel.rows]


def test_cli_panel_formats_and_sidecar(index_dir, tmp_path):
    run = ("panel", "--index", index_dir, "--concept", CONCEPTS[0], "--term", "园区整合")
    data = commands.search_json(*run, "--json")
    assert data["about"]["concepts"][0] == {
        "name": "乡村",
        "terms": ["乡村振兴", "乡村振兴战略", "农业农村"],
    }
    out = commands.search(*run, "--csv")
    assert out.stdout.startswith("\ufeffreport_id,title,city")
    assert out.stdout.count("\n") == len(data["rows"]) + 1  # (text mode folds CRLF)
    target = tmp_path / "panel.dta"
    assert commands.search(*run, "--dta", "--out", target, "--by", "city-year").returncode == 0
    assert json.loads((tmp_path / "panel.dta.about.json").read_text("utf-8"))["by"] == "city-year"
    bad = commands.search(*run, "--xlsx")
    assert bad.returncode == 2 and "--out" in bad.stderr


def test_definitions_from_toml_and_csv_files(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text(
        '[concepts]\n"数字经济" = ["数字经济", "数字化转型", "/数字\\\\S{0,2}产业/"]\n', "utf-8"
    )
    (c,) = from_file(toml)
    assert [t.label for t in c.terms] == ["数字经济", "数字化转型", "/数字\\S{0,2}产业/"]
    table = tmp_path / "c.csv"
    table.write_text("\ufeffconcept,term\n绿色,绿色发展\n绿色,低碳\n", "utf-8")
    (c,) = from_file(table)
    assert c.name == "绿色" and [t.text for t in c.terms] == ["绿色发展", "低碳"]


def test_bad_definitions_say_what_is_wrong():
    for bad, words in [("无等号", "NAME=TERM"), ("x=/(/", "bad pattern"), ("=a", "name")]:
        with pytest.raises(ConceptError, match=words):
            inline(bad)
    with pytest.raises(ConceptError, match="twice"):
        gather(inline_defs=["a=x", "a=y"])


def test_panel_web_json_twin_and_downloads(client, engine):
    import pandas as pd

    params = {"concept": CONCEPTS[0], "by": "city-year"}
    data = client.get("/api/panel", query_string=params).get_json()
    expected = build_panel(engine, gather(inline_defs=CONCEPTS[:1]), "city-year").to_dict()
    assert data["rows"] == expected["rows"]
    body = client.get("/panel", query_string={**params, "format": "csv"})
    assert body.headers["Content-Type"].startswith("text/csv")
    assert body.data.decode("utf-8-sig").count("\r\n") == len(data["rows"]) + 1
    dta = client.get("/panel", query_string={**params, "format": "dta"})
    assert len(pd.read_stata(io.BytesIO(dta.data))) == len(data["rows"])
    form = client.get("/panel", query_string={"name": "乡村", "terms": "乡村振兴\n乡村振兴战略"})
    assert form.status_code == 200 and "乡村振兴战略" in form.get_data(as_text=True)
    assert client.get("/api/panel").status_code == 400
