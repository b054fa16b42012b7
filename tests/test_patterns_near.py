"""Patterns (RE2), wildcards and NEAR windows against brute-force evaluations."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query.near import near
from search.query.patterns import (
    PatternError,
    check_narrowable,
    hits,
    is_wildcard,
    required_literals,
    wildcard_pattern,
)


def test_pattern_hits_are_leftmost_non_overlapping_matches():
    text = "增长5%左右，增长6.5%左右，增长7%"
    assert hits(r"增长\d+(\.\d+)?%左右", text) == [(0, 6), (7, 15)]
    assert hits(r"增长\d+(\.\d+)?%左右", text, 1) == [(7, 15)]
    assert hits(r"a*", "bbb") == []  # empty matches are not occurrences


@pytest.mark.parametrize(
    "source,expected",
    [
        (r"增长\d+(\.\d+)?%左右", ("增长", "左右")),
        (r"园区(优化)?整合", ("园区", "整合")),
        (r"(园区|开发区)整合", ("整合",)),
        (r"(园区整合)+推进", ("园区整合", "推进")),
        (r"GDP\d+", ()),
        (r"[园区]整合", ("整合",)),
    ],
)
def test_required_literals(source, expected):
    assert required_literals(source) == expected


def test_patterns_without_a_literal_or_with_bad_syntax_are_refused():
    with pytest.raises(PatternError, match="no Chinese characters"):
        check_narrowable(r"\d+%")
    with pytest.raises(PatternError, match="not valid RE2") as error:
        check_narrowable(r"(增长")
    assert "正则表达式" in error.value.zh
    with pytest.raises(PatternError, match="not valid RE2"):
        check_narrowable(r"(增长)\1")  # backreferences do not exist in RE2


def test_wildcards_expand_to_up_to_four_chinese_characters():
    assert is_wildcard("园区*整合") and not is_wildcard("*") and not is_wildcard("a*b")
    source = wildcard_pattern("园区*整合")
    text = "园区优化整合，园区整合，园区的资源再整合，园区的各类资源再整合，园区abc整合"
    assert [text[a:b] for a, b in hits(source, text)] == [
        "园区优化整合",
        "园区整合",
        "园区的资源再整合",
    ]


def brute_near(text, a, b, distance=None, unit=None):
    """For each A occurrence, look at every B occurrence."""

    def find(p):
        return [(m.start(), m.start() + len(p)) for m in re.finditer(f"(?={re.escape(p)})", text)]

    def unit_id(at, marks):
        return sum(1 for i in range(at) if text[i] in marks)

    found = []
    for x in find_nonoverlap(text, a):
        for y in find_nonoverlap(text, b):
            if not (y[0] >= x[1] or y[1] <= x[0]):
                continue
            if unit is None:
                gap = y[0] - x[1] if y[0] >= x[1] else x[0] - y[1]
                ok = gap <= distance
            else:
                marks = "。！？!?\n" if unit == "s" else "\n"
                ok = unit_id(x[0], marks) == unit_id(y[0], marks)
            if ok:
                found.append(x)
                break
    return found


def find_nonoverlap(text, p):
    out, at = [], text.find(p)
    while at >= 0:
        out.append((at, at + len(p)))
        at = text.find(p, at + len(p))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="甲乙丙。\n", max_size=40),
    st.sampled_from(["甲", "甲乙", "乙"]),
    st.sampled_from(["丙", "乙", "乙丙"]),
    st.integers(0, 6),
    st.sampled_from([None, "s", "p"]),
)
def test_near_equals_the_brute_force(text, a, b, distance, unit):
    got, partners = near(
        text, find_nonoverlap(text, a), find_nonoverlap(text, b), None if unit else distance, unit
    )
    assert got == brute_near(text, a, b, distance, unit)
    assert all(p in find_nonoverlap(text, b) for p in partners)


def test_near_examples_from_the_issue():
    text = "推进园区优化整合。整合各类园区，园区建设"
    a, b = find_nonoverlap(text, "园区"), find_nonoverlap(text, "整合")
    assert a == [(2, 4), (13, 15), (16, 18)] and b == [(6, 8), (9, 11)]
    found, partners = near(text, a, b, 4)
    assert found == [(2, 4), (13, 15)]  # 园区优化整合, 整合各类园区; 整合…，园区 is 5 apart
    assert partners == [(6, 8), (9, 11)]
    assert near(text, a, b, 5)[0] == a
    assert near(text, a, b, unit="s")[0] == a  # each 园区 shares a sentence with a 整合
    assert near(text, a[:1], b[1:], unit="s") == ([], [])  # 。 ends the first sentence
    assert near(text, a[:1], b[1:], unit="p")[0] == a[:1]  # …but not the paragraph
