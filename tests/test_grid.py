"""The city × year grid and the spread map, checked cell by cell against a scan of the texts."""

from __future__ import annotations

from collections import defaultdict

import commands
import pytest

from search import matching
from search.ingest.gazetteer import position
from search.insight.collate import pinyin_key
from search.insight.grid import city_year_grid, stats_with_grid
from search.insight.spreadmap import spread_map

PHRASES = ["园区整合", "高质量发展", "新质生产力", "G312", "不存在的词语甲乙"]


def brute_cells(reports, phrase):
    """(city, year) -> [reports, occurrences, chars] from str.count on the normalized texts."""
    cells = defaultdict(lambda: [0, 0, 0])
    for r in reports.values():
        cell = cells[(r.city, r.year)]
        cell[0] += 1
        cell[1] += matching.count(r.text, phrase)
        cell[2] += len(r.text)
    return cells


@pytest.mark.parametrize("phrase", PHRASES)
def test_every_cell_equals_a_scan_and_missing_reports_are_empty(engine, reports, phrase):
    grid = city_year_grid(engine, phrase)
    expected = brute_cells(reports, phrase)
    years = sorted({y for _, y in expected if y is not None})
    assert grid.years == list(range(years[0], years[-1] + 1))
    assert {row.city for row in grid.rows} == {c for c, _ in expected}
    seen = set()
    for row in grid.rows:
        for year, cell in zip(grid.years, row.cells):
            if (row.city, year) not in expected:
                assert cell is None  # no report that year: empty, never 0
                continue
            n, hits, chars = expected[(row.city, year)]
            assert (cell.reports, cell.occurrences, cell.chars) == (n, hits, chars)
            seen.add((row.city, year))
        if (row.city, None) in expected:
            n, hits, chars = expected[(row.city, None)]
            assert (row.unknown.reports, row.unknown.occurrences) == (n, hits)
            seen.add((row.city, None))
        else:
            assert row.unknown is None
    assert seen == set(expected)
    assert grid.reports_total == len(reports)
    assert grid.reports_with == sum(1 for r in reports.values() if matching.count(r.text, phrase))


def test_zero_is_a_report_without_the_phrase(engine, reports):
    grid = city_year_grid(engine, "园区整合").to_dict()
    changzhou = next(r for r in grid["rows"] if r["city"] == "常州市")
    cells = {c["year"]: c for c in changzhou["cells"] if c}
    (report,) = [r for r in reports.values() if r.city == "常州市"]
    assert report.text.count("园区整合") == 0
    assert cells[report.year]["occurrences"] == 0 and cells[report.year]["reports"] == 1
    assert changzhou["first_year"] is None


def test_sorts_group_by_province_in_pinyin_order(engine):
    for sort in ("province", "first", "total"):
        rows = city_year_grid(engine, "园区整合", sort).rows
        provinces = [r.province for r in rows]
        assert provinces == sorted(provinces, key=pinyin_key)  # grouped, groups in pinyin order
    rows = city_year_grid(engine, "园区整合", "total").rows
    jiangsu = [r for r in rows if r.province == "江苏省"]
    assert [r.occurrences for r in jiangsu] == sorted(
        (r.occurrences for r in jiangsu), reverse=True
    )
    rows = city_year_grid(engine, "园区整合", "pinyin").rows
    assert [r.city for r in rows] == sorted((r.city for r in rows), key=pinyin_key)
    assert pinyin_key("常州市") < pinyin_key("句容市") < pinyin_key("镇江市")  # c < j < z


def test_filters_narrow_the_grid(engine, reports):
    grid = city_year_grid(engine, "园区整合", province=("江苏",), year="2024")
    assert grid.years == [2024]
    assert grid.reports_total == sum(
        1 for r in reports.values() if r.year == 2024 and r.province == "江苏省"
    )


def test_section_filter_counts_only_those_sections(engine, reports):
    grid = city_year_grid(engine, "园区整合", section=("plan",))
    for row in grid.rows:
        for cell in [c for c in row.cells if c]:
            texts = [reports[i] for i in cell.report_ids]
            spans = [(s.start, s.end) for r in texts for s in r.sections if s.kind == "plan"]
            assert cell.chars == sum(b - a for a, b in spans)
            assert cell.occurrences == sum(
                r.text.count("园区整合", s.start, s.end)
                for r in texts
                for s in r.sections
                if s.kind == "plan"
            )


def test_stats_with_grid_keeps_the_stats_shape(engine):
    data = stats_with_grid(engine, "园区整合")
    grid = data.pop("grid")
    assert data == engine.stats("园区整合")
    assert set(grid) == {
        "query",
        "normalized",
        "years",
        "sort",
        "reports_with",
        "reports_total",
        "unknown_year",
        "rows",
    }


def test_map_points_have_positions_and_running_totals(engine, reports):
    data = spread_map(engine, "园区整合").to_dict()
    by_city = {c["city"]: c for c in data["cities"]}
    zhenjiang = by_city["镇江市"]
    assert (zhenjiang["lng"], zhenjiang["lat"]) == position("镇江市")
    texts = {r.year: r.text for r in reports.values() if r.city == "镇江市"}
    running = [
        texts[2023].count("园区整合"),
        texts[2023].count("园区整合") + texts[2024].count("园区整合"),
    ]
    assert [y["occurrences"] for y in zhenjiang["years"]] == running
    assert zhenjiang["first_year"] == 2023
    assert by_city["句容市"]["first_year"] == 2024
    assert by_city["常州市"]["first_year"] is None and by_city["常州市"]["occurrences"] == 0
    assert data["unplaced"] == []


def test_position_is_null_for_an_ambiguous_or_unknown_name():
    assert position("朝阳区") is None  # two districts of that name: no guessed point
    assert position("国务院") is None and position(None) is None
    assert position("句容市") is not None


def test_map_page_and_json_twin(client):
    data = client.get("/api/map?q=园区整合").get_json()
    assert [c["city"] for c in data["cities"]][:1] and data["reports_with"] == 3
    body = client.get("/map?q=园区整合").get_data(as_text=True)
    assert 'id="spread-map"' in body and "vendor/echarts/echarts.min.js" in body
    assert '<script type="application/json" id="map-data">' in body
    assert client.get("/static/vendor/echarts/china.json").status_code == 200
    assert client.get("/map").status_code == 200
    assert client.get("/api/map").status_code == 400


def test_cli_stats_json_has_the_grid_and_map_command(index_dir):
    data = commands.search_json(
        "stats", "园区整合", "--index", index_dir, "--json", "--sort", "total"
    )
    assert data["grid"]["sort"] == "total" and data["grid"]["reports_with"] == 3
    data = commands.search_json("map", "园区整合", "--index", index_dir, "--json")
    assert {c["city"] for c in data["cities"]} >= {"镇江市", "句容市"}
