"""An optional ``manifest.csv`` beside a corpus completes or overrides extracted metadata.

Columns: ``file`` (required, relative to the corpus folder), ``part`` (1-based, for a
compilation), ``city``, ``province``, ``prefecture``, ``level``, ``year``, ``date``, ``title``,
``source`` (provenance, stored as ``origin``). Unknown columns are ignored with a warning; an
empty cell leaves the extracted value alone. A row that cannot be used is skipped with a
warning naming its line (``build --strict`` makes warnings fatal: exit 3).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import IngestError
from ..models import PLACE_FIELDS, Report
from . import gazetteer
from .decode import decode
from .metadata import compose_title

COLUMNS = (
    "file",
    "part",
    *PLACE_FIELDS,
    "year",
    "date",
    "title",
    "source",
)
FILENAME = "manifest.csv"


def load_manifest(corpus: Path) -> tuple[dict[tuple[str, int | None], dict], list[str]]:
    """Rows keyed by (file, part), and one warning per problem.

    The file is decoded like a report (UTF-8, GBK/GB18030, UTF-16 as Excel writes it on
    Chinese Windows). A row that cannot be used (a bad part or year, a file that is not in
    the corpus, a repeat of an earlier row) is skipped with a warning naming its line; the
    build goes on. Each row keeps its line number as ``row["line"]``.
    """
    path = corpus / FILENAME
    if not path.is_file():
        return {}, []
    try:
        decoded = decode(path.read_bytes(), str(path))
    except (OSError, ValueError) as error:
        raise IngestError(f"{path}: cannot read the manifest ({error})") from None
    header = decoded.text.split("\n", 1)[0]
    tabs = "\t" in header and "," not in header  # Excel's "Unicode text" (UTF-16) uses tabs
    reader = csv.DictReader(io.StringIO(decoded.text, newline=""), delimiter="\t" if tabs else ",")
    fields = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = fields
    if "file" not in fields:
        raise IngestError(f"{path}: a manifest needs a 'file' column (has: {', '.join(fields)})")
    warnings = list(decoded.warnings)
    warnings += [
        f"{path}: unknown column '{name}' ignored" for name in fields if name not in COLUMNS
    ]
    rows: dict[tuple[str, int | None], dict] = {}
    for row in reader:
        number = reader.line_num
        # A cell is one line: line breaks and tabs (Excel keeps them in quoted cells) would
        # break every one-line-per-report output.
        cells = {k: " ".join((v or "").split()) for k, v in row.items() if k in COLUMNS}
        key, problem = _check_row(corpus, cells, rows)
        if problem:
            warnings.append(f"{path}, line {number}: {problem}; row skipped")
            continue
        rows[key] = {**cells, "line": number}
    return rows, warnings


def _check_row(corpus: Path, cells: dict, rows: dict) -> tuple[tuple | None, str | None]:
    """The row's key, or why the row cannot be used."""
    name, part = cells.get("file", ""), cells.get("part", "")
    if not name:
        return None, "no file named"
    if part and not (part.isdigit() and int(part) >= 1):
        return None, f"part must be a number from 1, not {part!r}"
    year = cells.get("year", "")
    if year and not (year.isdigit() and len(year) == 4):
        return None, f"year must be a four-digit number, not {year!r}"
    key = (name, int(part) if part else None)
    if key in rows:
        return None, (
            f"repeats line {rows[key]['line']} for {name}"
            f"{f' part {part}' if part else ''} (the first row is kept)"
        )
    target = corpus / name
    if not (target.is_file() or target.is_symlink()):
        return None, f"{name} is not a file in the corpus"
    return key, None


def unused_rows(rows: dict, used: set) -> list[str]:
    """Warnings for rows that matched no indexed report (a part the file does not have,
    or a file that was skipped)."""
    return [
        f"{FILENAME}, line {row['line']}: no indexed report is {row['file']}"
        f"{' part ' + row['part'] if row.get('part') else ''}; row not used"
        for key, row in sorted(rows.items(), key=lambda item: item[1]["line"])
        if key not in used
    ]


def apply_manifest(report: Report, row: dict) -> None:
    """Override the report's metadata with the row's non-empty cells.

    A city the gazetteer knows takes the same form as an extracted one (a district is
    prefixed with its prefecture: 东安区 → 牡丹江市东安区, see :func:`.gazetteer.canonical`).
    Each value the row gives gets evidence with rule ``manifest``.
    """
    given = {"text": None, "start": None, "end": None, "rule": "manifest"}
    city = row.get("city")
    if city:
        found = gazetteer.resolve(city)
        canonical = gazetteer.canonical(city)
        if canonical != report.city:
            report.city = canonical
            report.province = found.province if found else None
            report.prefecture = found.prefecture if found else None
            report.level = found.level if found else None
            for key in ("province", "level"):
                report.evidence[key] = dict(given, text=city) if getattr(report, key) else None
            report.conflicts.pop("level", None)
        report.evidence["city"] = dict(given, text=city)
    for key in ("province", "prefecture", "level", "date", "title"):
        if row.get(key):
            setattr(report, key, row[key])
            if key in ("province", "level", "date"):
                report.evidence[key] = dict(given, text=row[key])
    if row.get("level"):
        report.conflicts.pop("level", None)
    if row.get("year"):
        try:
            report.year = int(row["year"])
        except ValueError:
            raise IngestError(
                f"manifest row for {row['file']}: year must be a number, not {row['year']!r}"
            ) from None
        report.evidence["year"] = dict(given, text=row["year"])
    if row.get("source"):
        report.origin = row["source"]
    if row.get("title"):
        report.title_source = "manifest"
    elif report.title_source != "text":
        report.title, report.title_source = compose_title(report), "built"
