"""Export the normalized reports for OpenSearch / Elasticsearch (see docs/scaling.md §4).

The cluster only has to find a superset of the reports holding a phrase; the app still
normalizes queries and counts on the normalized text. So what leaves here is the text
*after* govsearch's ingest (never re-normalized by the cluster), the metadata, the section
outline with character offsets, and an index definition whose analyzer emits one token per
CJK character, per ASCII letter/digit run, per punctuation mark and per line break, with
2-character shingles (``index_phrases``) for fast ``match_phrase``. The tantivy run of the
benchmark with that tokenization matched brute force exactly on every report set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from .models import Report
from .reportmeta import report_meta

#: The metadata of a report document, after its id (search.reportmeta reads them).
DOCUMENT_FIELDS = tuple(
    "title city province prefecture level year date speaker source chars".split()
)
#: Java regex for the pattern tokenizer. \p{IsHan} covers the Han blocks govsearch indexes
#: (search/cjk.py: CJK_CHARS) and 〇 (U+3007) is added, as there.
TOKEN_PATTERN = r"[\p{IsHan}\u3007]|[A-Za-z0-9]+|\n|[^\sA-Za-z0-9\p{IsHan}\u3007]"


def index_definition(shards: int = 1) -> dict:
    """Settings and mappings for ``PUT <index>``."""
    return {
        "settings": {
            "number_of_shards": shards,
            "index.codec": "best_compression",
            "analysis": {
                "tokenizer": {
                    "char_exact": {"type": "pattern", "pattern": TOKEN_PATTERN, "group": 0}
                },
                "analyzer": {
                    "exact": {"type": "custom", "tokenizer": "char_exact", "filter": ["lowercase"]}
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "report_id": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "exact", "index_phrases": True},
                "city": {"type": "keyword"},
                "province": {"type": "keyword"},
                "prefecture": {"type": "keyword"},
                "level": {"type": "keyword"},
                "year": {"type": "short"},
                "date": {"type": "keyword"},
                "speaker": {"type": "keyword"},
                "source": {"type": "keyword", "index": False},
                "chars": {"type": "integer"},
                "sections": {
                    "type": "nested",
                    "properties": {
                        "ordinal": {"type": "short"},
                        "kind": {"type": "keyword"},
                        "title": {"type": "text", "analyzer": "exact"},
                        "start": {"type": "integer", "index": False},
                        "end": {"type": "integer", "index": False},
                    },
                },
                "text": {
                    "type": "text",
                    "analyzer": "exact",
                    "index_phrases": True,
                    "index_options": "positions",
                    "norms": False,
                },
            },
        },
    }


def document(report: Report) -> dict:
    """One report as a document: offsets are in characters of ``text``, as in govsearch."""
    return {
        "report_id": report.id,
        **report_meta(report, DOCUMENT_FIELDS),
        "sections": [
            {"ordinal": s.ordinal, "kind": s.kind, "title": s.title, "start": s.start, "end": s.end}
            for s in report.sections
        ],
        "text": report.text,
    }


def bulk_lines(reports: Iterable[Report], index: str) -> Iterator[str]:
    """``_bulk`` NDJSON: an ``index`` action line, then the document, per report."""
    for report in reports:
        yield json.dumps({"index": {"_index": index, "_id": report.id}}, ensure_ascii=False)
        yield json.dumps(document(report), ensure_ascii=False)


def write_bulk(reports: Iterable[Report], index: str, out: TextIO) -> int:
    """Write the bulk body to ``out``; returns the number of documents."""
    n = 0
    for n, line in enumerate(bulk_lines(reports, index), start=1):
        out.write(line + "\n")
    return n // 2
