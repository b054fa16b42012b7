"""Small multiples for the panel page: per concept, per-10k by year, one line per place.

Geometry only (points, paths, labels); the template draws the SVG. Years without a report
break the line instead of dropping to zero: a missing report is not zero attention.
"""

from __future__ import annotations

from collections import defaultdict

from search.measures import per_10k

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 320, 170, 38, 22, 10
COLOURS = [
    "#8c1c13",
    "#1a4f9c",
    "#2e7d32",
    "#c77700",
    "#6a1b9a",
    "#00838f",
    "#5d4037",
    "#ad1457",
    "#455a64",
    "#9e9d24",
]


def series(data) -> dict[str, dict[str, dict[int, tuple[int, int]]]]:
    """concept -> place -> year -> (occurrences, chars), from either panel shape."""
    out: dict = defaultdict(lambda: defaultdict(dict))
    for row in data.rows:
        if row["term"] or row["year"] is None or row["occurrences"] is None:
            continue
        place = row["city"] or "未知"
        n, c = out[row["concept"]][place].get(row["year"], (0, 0))
        out[row["concept"]][place][row["year"]] = (n + row["occurrences"], c + row["chars"])
    return out


def small_multiples(data, top: int = 6) -> list[dict]:
    charts = []
    for name, places in series(data).items():
        ranked = sorted(places, key=lambda p: (-sum(n for n, _ in places[p].values()), p))
        chosen = [p for p in ranked if sum(n for n, _ in places[p].values())][:top]
        years = sorted({y for p in places.values() for y in p})
        if not years:
            continue
        rates = {p: {y: per_10k(n, c) for y, (n, c) in places[p].items()} for p in chosen}
        high = max((v for r in rates.values() for v in r.values()), default=0) or 1
        charts.append(chart(name, years, rates, high))
    return charts


def chart(name: str, years: list[int], rates: dict, high: float) -> dict:
    span = max(1, years[-1] - years[0])
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP

    def x(year):
        return round(LEFT + inner_w * (year - years[0]) / span, 1)

    def y(value):
        return round(TOP + inner_h * (1 - value / high), 1)

    lines = []
    for i, (place, values) in enumerate(rates.items()):
        segments, current = [], []
        for year in range(years[0], years[-1] + 1):
            if year in values:
                current.append(f"{x(year)},{y(values[year])}")
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        lines.append(
            {
                "place": place,
                "colour": COLOURS[i % len(COLOURS)],
                "segments": [" ".join(s) for s in segments],
                "dots": [
                    {"x": x(yr), "y": y(v), "title": f"{place} {yr}年：每万字 {v:.2f}"}
                    for yr, v in sorted(values.items())
                ],
            }
        )
    ticks = [{"x": x(yr), "label": str(yr)} for yr in (years[0], years[-1])]
    return {
        "name": name,
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "ticks": ticks,
        "top": f"{high:.2f}",
        "left": LEFT,
        "base": HEIGHT - BOTTOM,
        "topy": TOP,
    }
