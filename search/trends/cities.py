"""Which reports a trends question is about: the one city a name means, its years, the report
before a report, and the errors that say what exists instead."""

from __future__ import annotations

from .. import params
from ..engine import place_matches
from ..errors import BilingualError
from ..ingest.normalize import normalize_query
from ..models import Report


class TrendsError(BilingualError):
    """A trends request that cannot be answered; the message says what exists instead."""


class UnknownCityError(TrendsError):
    """No report of that city (or the name matches several cities)."""


class UnknownYearError(TrendsError):
    """The city has no report dated that year."""


def city_reports(engine, city: str) -> tuple[str, list[Report]]:
    """The one city ``city`` names, and all its reports (sorted by year, undated last, id)."""
    value = normalize_query(city or "").replace(" ", "")
    reports = list(engine.snapshot.reports.values())
    cities = sorted({r.city for r in reports if r.city})
    if not value:
        raise UnknownCityError(
            "give a city, e.g. " + _listing(cities),
            "请给出城市，例如：" + _listing(cities, zh=True),
        )
    matched = sorted({r.city for r in reports if place_matches(value, r.city)})
    if value in matched:
        matched = [value]  # the full name (吉林省) wins over the others it matches (吉林市)
    if not matched:
        near = [c for c in cities if any(ch in c for ch in value.rstrip("市区县省"))]
        raise UnknownCityError(
            f"no reports of {city!r} in the index; "
            f"cities{' like it' if near else ''}: {_listing(near or cities)}",
            f"索引中没有“{city}”的报告；{'相近的' if near else '有报告的'}城市："
            f"{_listing(near or cities, zh=True)}",
        )
    if len(matched) > 1:
        raise UnknownCityError(
            f"{city!r} matches several cities: {', '.join(matched)}; write the full name",
            f"“{city}”对应多个城市：{'、'.join(matched)}；请写全名。",
        )
    name = matched[0]
    own = [r for r in reports if r.city == name]
    own.sort(key=lambda r: (r.year is None, r.year or 0, r.id))
    return name, own


def _listing(names: list[str], most: int = 30, zh: bool = False) -> str:
    if not names:
        return "（无：索引是空的）" if zh else "(none: the index is empty)"
    if zh:
        shown = "、".join(names[:most])
        return shown if len(names) <= most else f"{shown}……（共 {len(names)} 个，见“城市”页）"
    if len(names) <= most:
        return ", ".join(names)
    return (
        ", ".join(names[:most]) + f", … ({len(names)} in all; "
        "list them with `python -m search reports`)"
    )


def _which_year(name: str, dated: list[Report], year) -> int:
    """``year`` as a number, or the city's latest dated year when None; it must exist."""
    years = sorted({r.year for r in dated})
    if year is None and years:
        return years[-1]
    wanted = None if year is None else params.year(year)
    if wanted in years:
        return wanted
    if not years:
        raise UnknownYearError(
            f"no {'dated' if wanted is None else wanted} report of {name}; "
            "it has: no dated reports",
            f"{name}的报告都没有标明年份，无法按年份比较。",
        )
    raise UnknownYearError(
        f"no {wanted} report of {name}; it has: {', '.join(map(str, years))}",
        f"{name}没有 {wanted} 年的报告；有：{'、'.join(map(str, years))} 年",
    )


def _pick(reports: list[Report]) -> Report:
    """Of several reports of one city and year (duplicates), the longest; ties by id."""
    return sorted(reports, key=lambda r: (-r.chars, r.id))[0]


def previous_report(reports: list[Report], year: int | None) -> Report | None:
    """The report :func:`diff` compares a report of ``year`` with, among one city's reports.

    The latest dated year before ``year`` (of several reports in that year, the longest,
    ties by id); None for an undated report or when nothing earlier is dated.
    """
    if year is None:
        return None
    earlier = [r for r in reports if r.year is not None and r.year < year]
    if not earlier:
        return None
    last = max(r.year for r in earlier)
    return _pick([r for r in earlier if r.year == last])


def previous_reports(engine, city: str) -> dict[str, Report]:
    """Report id → its :func:`previous_report`, for every report of the one city named."""
    _, own = city_reports(engine, city)
    out = {}
    for r in own:
        before = previous_report(own, r.year)
        if before is not None:
            out[r.id] = before
    return out


def previous_of(engine, report: Report) -> Report | None:
    """:func:`previous_report` of one report, among the reports of its own city."""
    if not report.city:
        return None
    return previous_report([r for r in engine.reports() if r.city == report.city], report.year)


def city_index(engine) -> dict:
    """Every city in the index with its number of reports and years, by province then name."""
    cities: dict[str, dict] = {}
    for r in engine.reports():
        if not r.city:
            continue
        row = cities.setdefault(
            r.city,
            {
                "city": r.city,
                "province": r.province,
                "prefecture": r.prefecture,
                "level": r.level,
                "reports": 0,
                "years": [],
                "undated": 0,
            },
        )
        row["reports"] += 1
        if r.year is None:
            row["undated"] += 1
        elif r.year not in row["years"]:
            row["years"].append(r.year)
    rows = sorted(cities.values(), key=lambda c: (c["province"] or "\uffff", c["city"]))
    for row in rows:
        row["years"].sort()
    return {"total": len(rows), "cities": rows}
