"""What the CLI and the web show of reuse: one report, one pair, the corpus — plain dicts.

Everything here reads ``reuse.npz`` of the engine's current generation (loaded once per
generation and kept on the snapshot) and the reports' metadata; nothing is aligned per
request. Shares are fractions of a report's Han characters (what passages are measured in),
rounded to 4 places; formula passages are listed but never counted.
"""

from __future__ import annotations

import threading

from ..engine import place_matches
from ..errors import GovsearchError, UnknownReportError
from ..models import Report
from ..reportmeta import META_FIELDS, report_meta
from .direction import SOURCE_LEVELS, earlier, source_level
from .storage import Stored, read

DEFAULT_PAIRS = 50
MAX_PAIRS = 500
_LOAD_LOCK = threading.Lock()


class ReuseError(GovsearchError):
    """A reuse request that cannot be answered (bad filter); the message says why."""


class ReuseMissingError(GovsearchError):
    """The index was built without reuse data."""


def stored(engine) -> Stored:
    """The reuse data of the engine's snapshot, read on first use."""
    snap = engine.snapshot
    data = snap.memo("reuse", lambda: read(engine.index / snap.generation) or False)
    if data is False:
        raise ReuseMissingError(
            f"the index at {engine.index} holds no reuse data (built before it existed): "
            f"rebuild it with `python -m search build --corpus DIR --index {engine.index} "
            f"--force`"
        )
    return data


def _index(data: Stored, report_id: str) -> int:
    try:
        return data.position[report_id]
    except KeyError:
        raise UnknownReportError(f"no report with id {report_id!r}") from None


def _share(chars: int, total: int) -> float:
    return round(chars / total, 4) if total else 0.0


def report_reuse(engine, report_id: str) -> dict:
    """Which passages of a report appeared earlier elsewhere (CLI ``reuse ID``)."""
    engine.report(report_id)  # unknown id -> UnknownReportError
    data = stored(engine)
    me = _index(data, report_id)
    cols = data.passages
    total = int(data.han_chars[me])
    by_level = dict.fromkeys(SOURCE_LEVELS, 0)
    passages = []
    for row in data.passage_rows(me):
        source = data.ids[int(cols["source"][row])]
        formula = bool(cols["formula"][row])
        chars = int(cols["chars"][row])
        if not formula:
            by_level[source_level(engine.report(source).level)] += chars
        passages.append(
            {
                "start": int(cols["start"][row]),
                "end": int(cols["end"][row]),
                "source_id": source,
                "source_start": int(cols["source_start"][row]),
                "source_end": int(cols["source_end"][row]),
                "chars": chars,
                "similarity": round(float(cols["similarity"][row]), 4),
                "formula": formula,
            }
        )
    return {
        "report_id": report_id,
        "share": _share(sum(by_level.values()), total),
        "by_level": {k: _share(v, total) for k, v in by_level.items()},
        "passages": passages,
    }


def sources(engine, reuse: dict) -> list[dict]:
    """The summary of :func:`report_reuse` by source report, largest share first."""
    total_share, rows = reuse["share"], {}
    chars = sum(p["chars"] for p in reuse["passages"] if not p["formula"])
    for p in reuse["passages"]:
        if not p["formula"]:
            rows[p["source_id"]] = rows.get(p["source_id"], 0) + p["chars"]
    out = []
    for source, n in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
        share = round(total_share * n / chars, 4) if chars else 0.0
        out.append({**meta(engine.report(source)), "shared_chars": n, "share": share})
    return out


def meta(report: Report) -> dict:
    return report_meta(report, tuple(f for f in META_FIELDS if f != "prefecture"))


def _direction(ra: Report, rb: Report) -> str | None:
    first = earlier(ra, rb)
    return None if first is None else ("a" if first else "b")


def pair_view(engine, a: str, b: str) -> dict:
    """The passages two reports share, aligned, each side's share (``/reuse?a=&b=``)."""
    ra, rb = engine.report(a), engine.report(b)
    data = stored(engine)
    ia, ib = _index(data, a), _index(data, b)
    cols = data.pairs
    flip = ia > ib  # rows are stored with the lower index as "a"
    passages = []
    for row in data.pair_rows(ia, ib):
        x = {
            k: int(cols[k][row])
            for k in ("a_start", "a_end", "b_start", "b_end", "a_chars", "b_chars")
        }
        if flip:
            x = {("b" if k[0] == "a" else "a") + k[1:]: v for k, v in x.items()}
        x["similarity"] = round(float(cols["similarity"][row]), 4)
        x["formula"] = bool(cols["formula"][row])
        x["a_text"] = ra.text[x["a_start"] : x["a_end"]]
        x["b_text"] = rb.text[x["b_start"] : x["b_end"]]
        passages.append(x)
    passages.sort(key=lambda p: (p["a_start"], p["b_start"]))
    chars_a, chars_b = data.total(ia, ib)
    return {
        "a": meta(ra),
        "b": meta(rb),
        "earlier": _direction(ra, rb),
        "chars_a": chars_a,
        "chars_b": chars_b,
        "share_a": _share(chars_a, int(data.han_chars[ia])),
        "share_b": _share(chars_b, int(data.han_chars[ib])),
        "passages": passages,
    }


def _whole(name: str, value, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ReuseError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise ReuseError(f"{name} must be between {low} and {high}, not {number}")
    return number


def corpus_view(engine, province: str | None = None, year=None, limit=DEFAULT_PAIRS) -> dict:
    """The pairs sharing the most non-formula text (``reuse --pairs``, ``/reuse``).

    A pair is listed when either of its reports matches the filters (province, year).
    ``a`` is the earlier report when the order is known. With both filters, also
    ``province_year``: for that province and year, how much of each city's report it
    shares with the province's own report.
    """
    data = stored(engine)
    province = (province or "").strip() or None
    year = None if year in (None, "") else _whole("year", year, 1949, 2100)
    limit = _whole("limit", limit, 1, MAX_PAIRS)
    reports = [engine.report(i) for i in data.ids]
    ok = [
        (province is None or place_matches(province, r.province))
        and (year is None or r.year == year)
        for r in reports
    ]
    totals = data.totals
    rows = []
    for a, b, ca, cb in zip(*(totals[k].tolist() for k in ("a", "b", "a_chars", "b_chars"))):
        if (ok[a] or ok[b]) and (ca or cb):
            if _direction(reports[a], reports[b]) == "b":
                a, b, ca, cb = b, a, cb, ca
            rows.append((max(ca, cb), a, b, ca, cb))
    rows.sort(key=lambda r: (-r[0], data.ids[r[1]], data.ids[r[2]]))
    pairs = [_pair_row(data, reports, a, b, ca, cb) for _, a, b, ca, cb in rows[:limit]]
    return {
        "filters": {"province": province, "year": year},
        "total": len(rows),
        "limit": limit,
        "pairs": pairs,
        "province_year": province_year(data, reports, province, year)
        if province and year
        else None,
    }


def _pair_row(data: Stored, reports: list[Report], a: int, b: int, ca: int, cb: int) -> dict:
    return {
        "a": meta(reports[a]),
        "b": meta(reports[b]),
        "earlier": _direction(reports[a], reports[b]),
        "chars_a": ca,
        "chars_b": cb,
        "share_a": _share(ca, int(data.han_chars[a])),
        "share_b": _share(cb, int(data.han_chars[b])),
    }


def province_year(data: Stored, reports: list[Report], province: str, year: int) -> dict:
    """How much each city's report of ``year`` in ``province`` shares with the province's
    report(s) of that year (non-formula characters of the city's report)."""
    own = [
        i
        for i, r in enumerate(reports)
        if r.level == "province" and r.year == year and place_matches(province, r.province)
    ]
    cities = []
    for i, r in enumerate(reports):
        if (
            r.year != year
            or r.level in ("province", "national")
            or not place_matches(province, r.province)
        ):
            continue
        taken = {reports[p].id: data.total(i, p)[0] for p in own}
        chars = max(taken.values(), default=0)
        cities.append(
            {
                **meta(r),
                "taken_chars": chars,
                "share": _share(chars, int(data.han_chars[i])),
                "by_report": taken,
            }
        )
    cities.sort(key=lambda c: (-c["share"], c["id"]))
    return {
        "province": province,
        "year": year,
        "reports": [meta(reports[p]) for p in own],
        "cities": cities,
    }
