"""The one CSV writer of the CLI and the web: spreadsheet-safe cells, one row per dict.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as a
formula by Excel, LibreOffice and Google Sheets ("CSV injection"); report titles and queries
come from outside, so such a text cell gets a leading apostrophe, which spreadsheets show as
plain text. Numbers are written as numbers (a negative number is not text and stays as is).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Columns of the stats downloads (``stats --csv`` and ``/stats.csv?by=report``; by city × year).
STATS_REPORT_FIELDS = [
    "report_id",
    "title",
    "city",
    "province",
    "prefecture",
    "year",
    "occurrences",
    "chars",
    "per_10k",
]
STATS_CITY_YEAR_FIELDS = ["city", "province", "year", "reports", "occurrences", "chars", "per_10k"]


def safe_cell(value):
    """A cell as a spreadsheet will show it, never run it: None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict], fields: list[str], bom: bool = False, header: bool = True) -> str:
    """CSV text (CRLF line ends, RFC 4180) of ``rows``' ``fields``; ``bom`` for Excel;
    ``header=False`` for the later chunks of a streamed download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(fields)
    for row in rows:
        writer.writerow([safe_cell(row.get(name)) for name in fields])
    return ("\ufeff" if bom else "") + out.getvalue()
