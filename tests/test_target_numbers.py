"""Property tests for reading figures: Arabic and Chinese numerals, percentages, ranges, counts.

Chinese numerals are written by an independent writer below (the common 十二 / 一百零五 forms),
so the parser is checked against how numbers are spelled, not against itself.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from search.ingest.normalize import normalize_query
from search.targets.numbers import (
    QUALIFIERS_AFTER,
    chinese_to_decimal,
    parse_count,
    parse_percent,
)

DIGITS = "零一二三四五六七八九"
SEPARATORS = ["—", "——", "-", "~", "到", "至", "－", "～"]  # the last two full-width


def chinese(n: int) -> str:
    """0 ≤ n < 10000 in Chinese numerals: 十二, 一百零五, 二千零三十."""
    if n == 0:
        return "零"
    if 10 <= n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // size % 10
        if digit:
            out += ("零" if zero and out else "") + DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


tenths = st.integers(min_value=0, max_value=999).map(lambda n: Decimal(n) / 10)


def dec(value) -> Decimal:
    """A parsed figure (int or float as JSON holds it) as the exact decimal it was written as."""
    return Decimal(str(value))


def show(value: Decimal) -> str:
    return format(value.normalize(), "f")


@given(st.integers(min_value=0, max_value=9999))
def test_chinese_integers(n):
    assert chinese_to_decimal(chinese(n)) == n


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=9))
def test_percent_in_words(whole, tenth):
    spelled = chinese(whole) + ("点" + DIGITS[tenth] if tenth else "")
    _, low, high, qualifier = parse_percent("百分之" + spelled)
    assert dec(low) == dec(high) == Decimal(whole) + Decimal(tenth) / 10 and qualifier == ""


@given(tenths, st.sampled_from(("%", "个百分点")), st.sampled_from(("",) + QUALIFIERS_AFTER))
def test_single_figures_with_a_qualifier(value, unit, qualifier):
    text = show(value) + unit + qualifier + "，其他"
    match, low, high, found = parse_percent(text)
    assert dec(low) == dec(high) == value
    assert found == qualifier
    assert text[match.start() : match.end()] == show(value) + unit + qualifier


@given(tenths, tenths, st.sampled_from(SEPARATORS), st.booleans())
def test_ranges(a, b, separator, both_percent):
    low, high = sorted((a, b))
    text = normalize_query(show(low) + ("%" if both_percent else "") + separator + show(high) + "%")
    _, found_low, found_high, _ = parse_percent(text)
    assert (dec(found_low), dec(found_high)) == (low, high)


@given(
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=1, max_value=20),
    st.sampled_from(["到", "至", "—"]),
)
def test_ranges_in_words(a, b, separator):
    low, high = sorted((a, b))
    _, found_low, found_high, _ = parse_percent(
        f"百分之{chinese(low)}{separator}百分之{chinese(high)}"
    )
    assert (found_low, found_high) == (low, high)


@given(tenths, st.sampled_from(("不低于", "不超过", "高于")))
def test_bounds_before_the_figure(value, bound):
    _, low, _, qualifier = parse_percent(f"{bound}{show(value)}%")
    assert dec(low) == value and qualifier == bound


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(("", "以上", "左右")))
def test_counts_of_people_in_wan(hundredths, qualifier):
    wan = Decimal(hundredths) / 100
    _, low, high, found = parse_count(f"{show(wan)}万人{qualifier}")
    assert dec(low) == dec(high) == wan * 10000 and found == qualifier


@given(st.integers(min_value=1, max_value=99999))
def test_counts_of_people(n):
    assert parse_count(f"{n}人")[1] == n


def test_what_is_not_a_figure():
    assert parse_percent("5倍") is None
    assert parse_percent("2023年") is None
    assert parse_count("6.05万人次") is None
    assert parse_count("3万个") is None


@given(st.text(alphabet="ab1 \n\u3000\t", max_size=40))
def test_the_compact_text_maps_back_to_every_kept_character(text):
    from bisect import bisect_left

    from search.targets.extract import Compact

    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = Compact(text)
    assert compact.text == "".join(text[i] for i in kept)
    assert [compact.original(i) for i in range(len(kept))] == kept
    assert [compact.index(o) for o in range(len(text) + 1)] == [
        bisect_left(kept, o) for o in range(len(text) + 1)
    ]
