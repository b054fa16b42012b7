"""Tables out: CSV for Excel, XLSX and Stata files that say how they were made.

CSV is UTF-8 with a BOM (so Excel shows Chinese) and CRLF line ends; a text cell that a
spreadsheet would run as a formula (= + - @ at its start) gets a leading apostrophe. XLSX has
the data on one sheet and ``about`` (definitions, index generation, filters) on a second;
Stata ``.dta`` (version 118, Unicode) carries ``about`` as its data label in short and the
full definitions as a JSON sidecar written beside it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..csvout import to_csv


def csv_text(columns: list[str], rows, bom: bool = True, header: bool = True) -> str:
    """CSV through the product's one writer (search/csvout.py): the same escaping everywhere."""
    return to_csv(rows, columns, bom=bom, header=header)


def frame(columns: list[str], rows):
    import pandas as pd

    return pd.DataFrame.from_records(list(rows), columns=columns)


def xlsx_bytes(columns: list[str], rows, about: dict, sheet: str = "panel") -> bytes:
    import pandas as pd

    out = io.BytesIO()
    info = pd.DataFrame(
        [
            (k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
            for k, v in about.items()
        ],
        columns=["key", "value"],
    )
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame(columns, rows).to_excel(writer, sheet_name=sheet, index=False)
        info.to_excel(writer, sheet_name="about", index=False)
    return out.getvalue()


def dta_bytes(columns: list[str], rows, about: dict) -> bytes:
    """Stata 118: numbers stay numeric with missing values where a cell is empty."""
    df = frame(columns, rows)
    for name in ("year", "occurrences", "chars", "reports"):
        if name in df:  # None -> Stata missing (.), which needs a float column
            df[name] = df[name].astype("float64" if df[name].isna().any() else "int64")
    for name in df.columns:
        if df[name].dtype == object:
            df[name] = df[name].fillna("").astype(str)
    label = f"govsearch panel, index {about.get('index_generation', '?')}"[:80]
    out = io.BytesIO()
    df.to_stata(
        out,
        write_index=False,
        version=118,
        data_label=label,
        variable_labels={c: c for c in df.columns},
    )
    return out.getvalue()


def write_sidecar(path: Path, about: dict) -> Path:
    side = path.with_name(path.name + ".about.json")
    side.write_text(json.dumps(about, ensure_ascii=False, indent=1), "utf-8")
    return side
