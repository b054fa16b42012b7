"""Chinese place names, levels and parents from the offline gazetteer shipped with ``cpca``.

We read cpca's ``adcodes.csv`` directly (name + 6-digit administrative code): the code alone
says the level (``xx0000`` province, ``xxxx00`` prefecture, else county-level) and the parents,
so no hand-written list of cities is needed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
)
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass(frozen=True)
class Place:
    """A resolved government: ``city`` is the display name used in results."""

    name: str
    adcode: str
    level: str
    province: str | None
    prefecture: str | None

    @property
    def city(self) -> str:
        if self.level == "district" and self.prefecture and self.prefecture != self.name:
            return self.prefecture + self.name
        return self.name


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    data = resources.files("cpca.resources").joinpath("adcodes.csv").read_text("utf-8")
    codes = {}
    for row in csv.DictReader(io.StringIO(data)):
        code, name = row["adcode"][:6], row["name"].strip()
        if name and name not in _PLACEHOLDERS:
            codes.setdefault(code, name)
    return codes


def government_names() -> list[str]:
    """Every government name the gazetteer knows (江苏省, 镇江市, 京口区 …)."""
    return list(_codes().values())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for code, name in _codes().items():
        index.setdefault(name, []).append(code)
    return index


def short_name(name: str) -> str:
    """镇江市 → 镇江, 广西壮族自治区 → 广西; names of two characters are kept whole."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "district" if name.endswith("区") and not name.endswith("林区") else "county"


def place(code: str) -> Place:
    codes = _codes()
    name = codes[code]
    level = _level(code, name)
    province = codes.get(code[:2] + "0000")
    if level == "province":
        prefecture = None
    elif level == "prefecture":
        prefecture = name
    else:
        prefecture = codes.get(code[:4] + "00")
        if prefecture is None and code[:2] in MUNICIPALITIES:
            prefecture = province
    return Place(name, code, level, province, prefecture)


def resolve(name: str, context: str = "") -> Place | None:
    """Resolve a government name as written (句容市, 苏州市相城区, 江苏省) to a Place.

    An ambiguous bare name (朝阳区) is settled by its parent named in ``name`` itself or, failing
    that, by which candidate's prefecture ``context`` mentions most; otherwise None.
    """
    name = re.sub(r"\s", "", name)
    for candidate in _candidates(name):
        codes = _by_name().get(candidate[1], [])
        parent = candidate[0]
        if parent:
            codes = [
                c
                for c in codes
                if _codes().get(c[:4] + "00") == parent or _codes().get(c[:2] + "0000") == parent
            ]
        if len(codes) == 1:
            return place(codes[0])
        if len(codes) > 1 and context:
            scored = sorted(
                ((context.count(short_name(place(c).prefecture or "")), c) for c in codes),
                reverse=True,
            )
            if scored[0][0] > scored[1][0]:
                return place(scored[0][1])
    return None


def _candidates(name: str):
    """(parent, name) splits of a written name: 苏州市相城区 → ('苏州市', '相城区') …"""
    yield "", name
    for i in range(2, len(name) - 1):
        head, tail = name[:i], name[i:]
        if head in _by_name() and tail in _by_name():
            yield head, tail
    if not name.endswith(("市", "省", "区", "县", "州", "盟", "旗")):
        for suffix in ("市", "省", "自治区"):
            yield "", name + suffix


def canonical(name: str) -> str:
    """The form the ``city`` field uses for a government name.

    A province or prefecture, county or county-level city: its own name (江苏省, 镇江市,
    句容市). A district: prefixed with its prefecture (苏州市相城区), because district names
    repeat across prefectures (朝阳区 is in 北京市 and 长春市); ``prefecture`` holds the
    prefecture alone. A name the gazetteer does not know (全国, a former name) stays as written.
    """
    found = resolve(name)
    if found is None:
        return name
    return found.province if found.level == "province" else found.city


def same_place(value: str, name: str | None) -> bool:
    """Whether a filter ``value`` names the place ``name`` (a ``city`` field value).

    镇江 and 镇江市 are the same place; a district or county given alone (相城区) matches its
    prefixed form (苏州市相城区), and the prefixed form matches itself.
    """
    if not name or not value:
        return False
    if name == value or short_name(name) == short_name(value):
        return True
    return len(value) >= 3 and value.endswith(("区", "县", "市", "旗")) and name.endswith(value)


@lru_cache(maxsize=1)
def _short_names() -> dict[str, tuple[str, ...]]:
    """Short names of provinces and prefectures → their codes, for counting mentions."""
    index: dict[str, list[str]] = {}
    for code, name in _codes().items():
        if code.endswith("00"):
            index.setdefault(short_name(name), []).append(code)
    return {k: tuple(v) for k, v in index.items() if len(k) >= 2}


_WORD_SUFFIXES = ("市", "县", "区", "州", "盟", "旗", "省", "市委", "市政府", "人")


@cache
def _unambiguous(level: str) -> dict[str, str]:
    """Short name -> code of the places of ``level`` that no other place of it shares."""
    shorts = {}
    for short, codes in _short_names().items():
        codes = [c for c in codes if _level(c, _codes()[c]) == level]
        if len(codes) == 1:
            shorts[short] = codes[0]
    return shorts


_SUFFIX_ENDS = frozenset(s[-1] for s in _WORD_SUFFIXES)
#: Words after which a place name names something else: 深圳工业园 is a park in 襄樊.
_NAMED_AFTER = frozenset(
    (
        "工业园",
        "工业园区",
        "产业园",
        "产业园区",
        "科技园",
        "路",
        "大道",
        "大街",
        "街",
        "办事处",
        "商会",
        "证券交易所",
    )
)


def mentions(text: str, level: str) -> list[tuple[int, str]]:
    """(count, code) of each unambiguous province or prefecture the text names, most first.

    A name counts only where it stands as a word (or with its suffix: 长治市, 长治人): 长治久安,
    朝阳产业 and 世界大同 are phrases, not places; nor does it count as the first word of a
    park, street or office named after it (深圳工业园, 上海路, 北京办事处).
    """
    import rjieba

    shorts = _unambiguous(level)
    known = set(shorts.values())
    by_name = _by_name()
    counts: dict[str, int] = {}
    words = rjieba.cut(text)
    for i, word in enumerate(words):
        if i + 1 < len(words) and words[i + 1] in _NAMED_AFTER:
            continue  # 深圳工业园 in 襄樊, 北京路 in 昆明: a place named after another
        code = shorts.get(word)
        if code is None and word[-1:] in _SUFFIX_ENDS:
            for suffix in _WORD_SUFFIXES:
                if word.endswith(suffix) and word[: -len(suffix)] in shorts:
                    code = shorts[word[: -len(suffix)]]
                    break
        if code is None and word in by_name:
            code = next((c for c in by_name[word] if c in known), None)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
    return sorted(((n, code) for code, n in counts.items()), reverse=True)


def most_mentioned(text: str, level: str, ratio: float = 1.5) -> Place | None:
    """The province or prefecture a text names most, if it clearly dominates.

    Dominates: named at least 3 times as a word and ``ratio`` times as often as the next one.
    """
    counts = mentions(text, level)
    if not counts or counts[0][0] < 3:
        return None
    if len(counts) > 1 and counts[0][0] < ratio * counts[1][0]:
        return None
    return place(counts[0][1])


@lru_cache(maxsize=1)
def _positions() -> dict[str, tuple[float, float]]:
    """Administrative code → (longitude, latitude) from cpca's table (the seat of government)."""
    data = resources.files("cpca.resources").joinpath("adcodes.csv").read_text("utf-8")
    out: dict[str, tuple[float, float]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        try:
            out.setdefault(row["adcode"][:6], (float(row["longitude"]), float(row["latitude"])))
        except (KeyError, ValueError):
            continue  # a row without coordinates: the place simply has no position
    return out


def position(name: str | None) -> tuple[float, float] | None:
    """Where a government sits on the map (``镇江市``, ``苏州市相城区``), or None when the name
    does not resolve to exactly one place — a point on the map is never a guess."""
    if not name:
        return None
    found = resolve(name)
    return _positions().get(found.adcode) if found else None
