"""One CSV writer for the CLI and the web: cells a spreadsheet would run are escaped."""

from __future__ import annotations

import csv
import io

import commands
from conftest import SEEDS

from search.build import build
from search.csvout import safe_cell, to_csv

TITLES = {
    "zhenjiang2023": '=HYPERLINK("http://evil.example","x")',
    "zhenjiang2024": "+1+1",
    "jurong2024": "-2+3",
    "changzhou2024": "@SUM(A1)",
}


def test_cells_that_start_a_formula_get_an_apostrophe():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\t=1", "\r=1", "a=1", None, -5)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\t=1",
        "'\r=1",
        "a=1",
        "",
        -5,
    ]
    assert to_csv([{"a": "=x", "b": None}], ["a", "b"]) == "a,b\r\n'=x,\r\n"


def test_cli_and_web_csv_are_the_same_escaped_bytes(corpus_copy, tmp_path):
    from web import create_app

    rows = ["file,title"] + [
        f'{SEEDS[k]},"{v.replace(chr(34), chr(34) * 2)}"' for k, v in TITLES.items()
    ]
    (corpus_copy / "manifest.csv").write_text("\n".join(rows) + "\n", "utf-8")
    index = tmp_path / "index"
    build(corpus_copy, index, progress=False)
    cli = commands.search("stats", "园区整合", "--csv", "--index", index, text=False).stdout
    cli = cli.decode("utf-8")
    client = create_app({"INDEX": str(index)}).test_client()
    web = client.get("/stats.csv?q=园区整合&by=report").get_data().decode("utf-8")
    assert web == "\ufeff" + cli
    titles = {row["title"] for row in csv.DictReader(io.StringIO(cli))}
    found = {t for t in TITLES.values() if "'" + t in titles}
    assert found and not any(t in titles for t in TITLES.values())
    assert all(t[:1] not in "=+-@" for t in titles)
