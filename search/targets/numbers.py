"""Numbers as reports write them: 6.5, 百分之六点五, 6%—6.5%, 两个百分点, 2.4万人.

Targets are written in a handful of shapes — a single figure (增长5%), a range (6%—6.5%,
6-7%, 百分之六到百分之七), a bound (5%以上, 3%以内, 不低于6%) — after the normalizer has
turned full-width digits and signs into ASCII (％ → %, － → -, ～ → ~). This module owns the
regular expressions for those shapes and turns a match into plain numbers; it knows nothing of
indicators (see :mod:`search.targets.indicators`).
"""

from __future__ import annotations

import re
from decimal import Decimal

#: Chinese digits and the multipliers used inside one number (十, 百, 千; 万/亿 are units).
CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}

ARABIC = r"\d+(?:\.\d+)?"
CHINESE = r"[零〇○一二两三四五六七八九十百千]+(?:点[零〇○一二三四五六七八九]+)?"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"

#: A percentage: 6%, 6.5个百分点, 百分之六, 百分之六点五.
PERCENT = rf"(?:{ARABIC}\s*%|{NUMBER}\s*个百分点|百分之{NUMBER})"
#: Range separators as they survive normalization (— is not a compatibility character).
RANGE_SEPARATOR = r"(?:—{1,2}|–|-|~|〜|到|至)"
#: Words after a figure that bound it, and words before it that do.
QUALIFIERS_AFTER = ("左右", "以上", "以内", "以下", "上下", "之内", "内")
QUALIFIERS_BEFORE = ("不低于", "不少于", "不超过", "不高于", "高于", "低于", "超过", "突破")
AFTER = "|".join(QUALIFIERS_AFTER)
BEFORE = "|".join(QUALIFIERS_BEFORE)

#: A percentage figure or range with its qualifiers: groups ``pre``, ``a``, ``b``, ``post``.
PERCENT_VALUE = (
    rf"(?:(?P<pre>{BEFORE})\s*)?(?P<a>{PERCENT}|{NUMBER}(?=\s*{RANGE_SEPARATOR}))"
    rf"(?:\s*{RANGE_SEPARATOR}\s*(?P<b>{PERCENT}))?(?:\s*(?P<post>{AFTER}))?"
)
#: A count of people: 5万人, 2.4万人以上, 1500人, 十万人.
COUNT_VALUE = (
    rf"(?:(?P<pre>{BEFORE})\s*)?(?P<a>{NUMBER}\s*万?)"
    rf"(?:\s*{RANGE_SEPARATOR}\s*(?P<b>{NUMBER}\s*万?))?\s*(?:人|名)(?!次)"
    rf"(?:\s*(?P<post>{AFTER}))?"
)

_PERCENT_RE = re.compile(PERCENT_VALUE)
_COUNT_RE = re.compile(COUNT_VALUE)


def chinese_to_decimal(text: str) -> Decimal:
    """百分之六点五's 六点五 → 6.5; 十二 → 12; 一百零五 → 105; 二〇二三 digit by digit."""
    whole, _, fraction = text.partition("点")
    if whole and all(ch in CN_DIGITS for ch in whole) and len(whole) > 1:
        value = Decimal("".join(str(CN_DIGITS[ch]) for ch in whole))
    else:
        value = Decimal(_chinese_integer(whole))
    if fraction:
        value += Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    return value


def _chinese_integer(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_MULTIPLIERS:
            total += (1 if digit is None else digit) * CN_MULTIPLIERS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese number: {text!r}")
    return total + (digit or 0)


def to_decimal(text: str) -> Decimal:
    """A number written in Arabic or Chinese digits, with any %/个百分点/百分之 stripped."""
    core = re.sub(r"\s+", "", text)
    core = core.removeprefix("百分之").removesuffix("%").removesuffix("个百分点")
    if re.fullmatch(ARABIC, core):
        return Decimal(core)
    return chinese_to_decimal(core)


def plain(value: Decimal) -> float | int:
    """JSON-friendly: 6 rather than 6.0, 6.5 as 6.5 (exact decimal, no binary residue)."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _bounds(match: re.Match, scale) -> tuple[float | int, float | int, str]:
    low = scale(match.group("a"))
    high = scale(match.group("b")) if match.group("b") else low
    qualifier = match.group("pre") or match.group("post") or ""
    if match.group("pre") and match.group("post"):
        qualifier = match.group("pre") + match.group("post")
    return plain(low), plain(high), qualifier


def parse_percent(text: str, at: int = 0) -> tuple[re.Match, float | int, float | int, str] | None:
    """A percentage figure or range starting exactly at ``text[at]``: (match, low, high, qualifier)."""
    match = _PERCENT_RE.match(text, at)
    if not match:
        return None
    return (match, *_bounds(match, to_decimal))


def _people(text: str) -> Decimal:
    text = re.sub(r"\s+", "", text)
    if text.endswith("万"):
        return to_decimal(text[:-1]) * 10000
    return to_decimal(text)


def parse_count(text: str, at: int = 0) -> tuple[re.Match, float | int, float | int, str] | None:
    """A count of people starting at ``text[at]`` (万人 → persons): (match, low, high, qualifier)."""
    match = _COUNT_RE.match(text, at)
    if not match:
        return None
    if (
        match.group("b")
        and not match.group("b").strip().endswith("万")
        and match.group("a").strip().endswith("万")
    ):
        return None
    a = match.group("a").strip()
    b = match.group("b")
    if b is not None and b.strip().endswith("万") and not a.endswith("万"):
        a += "万"  # 2-3万人: both ends are in 万
    low = _people(a)
    high = _people(b) if b else low
    qualifier = match.group("pre") or match.group("post") or ""
    return match, plain(low), plain(high), qualifier
