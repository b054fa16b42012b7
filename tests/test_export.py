"""OpenSearch/Elasticsearch export: bulk NDJSON of the normalized reports and the mapping.

The analyzer's tokenizer is checked by running the same pattern in Python over the seeds: a
``match_phrase`` (contiguous tokens) must find exactly the reports a substring scan finds.
"""

from __future__ import annotations

import json
import re

import pytest
from test_search import PHRASES

from search import matching
from search.analysis import CJK_CHARS
from search.cli import main
from search.export import TOKEN_PATTERN, index_definition
from search.ingest.normalize import normalize_query


def test_bulk_file_holds_every_report_with_its_normalized_text(
    index_dir, reports, tmp_path, capsys
):
    out, mapping = tmp_path / "bulk.ndjson", tmp_path / "mapping.json"
    assert (
        main(
            [
                "export",
                "--index",
                str(index_dir),
                "--out",
                str(out),
                "--mapping",
                str(mapping),
                "--name",
                "gov",
            ]
        )
        == 0
    )
    assert f"exported {len(reports)} reports" in capsys.readouterr().err
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 2 * len(reports)
    actions, docs = [json.loads(x) for x in lines[::2]], [json.loads(x) for x in lines[1::2]]
    assert [a["index"]["_id"] for a in actions] == [d["report_id"] for d in docs]
    assert {a["index"]["_index"] for a in actions} == {"gov"}
    assert sorted(d["report_id"] for d in docs) == sorted(reports)
    properties = json.loads(mapping.read_text("utf-8"))["mappings"]["properties"]
    for doc in docs:
        report = reports[doc["report_id"]]
        assert doc["text"] == report.text and doc["chars"] == len(report.text)
        assert (doc["city"], doc["year"], doc["level"]) == (report.city, report.year, report.level)
        assert [(s["start"], s["end"], s["kind"]) for s in doc["sections"]] == [
            (s.start, s.end, s.kind) for s in report.sections
        ]
        assert set(doc) <= set(properties)  # the mapping is strict: no unmapped field


def _python_tokens(text: str) -> list[str]:
    pattern = TOKEN_PATTERN.replace(r"\p{IsHan}", CJK_CHARS.replace("\u3007", ""))
    return [t.lower() for t in re.findall(pattern, text)]


def _match_phrase(tokens: list[str], phrase: list[str]) -> bool:
    return f"\0{chr(0).join(phrase)}\0" in f"\0{chr(0).join(tokens)}\0"


@pytest.mark.parametrize("phrase", PHRASES)
def test_the_mapping_tokenizer_finds_exactly_the_reports_a_scan_finds(reports, phrase):
    phrase = normalize_query(phrase)
    wanted = {r.id for r in reports.values() if matching.contains(r.text, phrase)}
    found = {
        r.id
        for r in reports.values()
        if _match_phrase(_python_tokens(r.text), _python_tokens(phrase))
    }
    assert found == wanted


def test_index_definition_uses_the_exact_analyzer_with_shingles():
    definition = index_definition(shards=2)
    assert definition["settings"]["number_of_shards"] == 2
    text = definition["mappings"]["properties"]["text"]
    assert text == {
        "type": "text",
        "analyzer": "exact",
        "index_phrases": True,
        "index_options": "positions",
        "norms": False,
    }
    assert definition["settings"]["analysis"]["tokenizer"]["char_exact"]["pattern"] == TOKEN_PATTERN
