"""An optional ``manifest.csv`` beside a corpus completes or overrides extracted metadata.

Columns: ``file`` (required, relative to the corpus folder), ``part`` (1-based, for a
compilation), ``city``, ``province``, ``prefecture``, ``level``, ``year``, ``date``, ``title``,
``source`` (provenance, stored as ``origin``). Unknown columns are ignored with a warning; an
empty cell leaves the extracted value alone.
"""
from __future__ import annotations

import csv
from pathlib import Path

from ..errors import IngestError
from ..models import Report
from . import gazetteer
from .metadata import compose_title

COLUMNS = ("file", "part", "city", "province", "prefecture", "level", "year", "date", "title",
           "source")
FILENAME = "manifest.csv"


def load_manifest(corpus: Path) -> tuple[dict[tuple[str, int | None], dict], list[str]]:
    """Rows keyed by (file, part); warnings for unknown columns."""
    path = corpus / FILENAME
    if not path.is_file():
        return {}, []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if "file" not in fields:
            raise IngestError(f"{path}: a manifest needs a 'file' column (has: {', '.join(fields)})")
        warnings = [f"{path}: unknown column '{name}' ignored" for name in fields
                    if name not in COLUMNS]
        rows = {}
        for number, row in enumerate(reader, start=2):
            part = (row.get("part") or "").strip()
            try:
                key = (row["file"].strip(), int(part) if part else None)
            except ValueError:
                raise IngestError(
                    f"{path}, line {number}: part must be a number, not {part!r}") from None
            rows[key] = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
    return rows, warnings


def apply_manifest(report: Report, row: dict) -> None:
    """Override the report's metadata with the row's non-empty cells."""
    city = row.get("city")
    if city and city != report.city:
        found = gazetteer.resolve(city)
        report.city = city
        report.province = found.province if found else None
        report.prefecture = found.prefecture if found else None
        report.level = found.level if found else None
    for key in ("province", "prefecture", "level", "date", "title"):
        if row.get(key):
            setattr(report, key, row[key])
    if row.get("year"):
        try:
            report.year = int(row["year"])
        except ValueError:
            raise IngestError(f"manifest row for {row['file']}: year must be a number, "
                              f"not {row['year']!r}") from None
    if row.get("source"):
        report.origin = row["source"]
    if not row.get("title"):
        report.title = compose_title(report)
