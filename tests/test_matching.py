"""The definition of a match, checked against a regular expression written independently."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from search import matching

# Σσ é İ and the Kelvin sign: non-ASCII letters with case, matched case-sensitively; "?"
# is what the search skeleton turns non-ASCII characters into.
ALPHABET = st.sampled_from(list("aA1.2G5gPM 中文园区-ΣσéİK\u212a?"))


def reference(text: str, phrase: str, start: int, end: int) -> list[int]:
    before = r"(?<![A-Za-z0-9])" if re.match("[A-Za-z0-9]", phrase[0]) else ""
    after = r"(?![A-Za-z0-9])" if re.match("[A-Za-z0-9]", phrase[-1]) else ""
    pattern = re.compile(before + re.escape(phrase) + after, re.I | re.A)
    return [m.start() for m in pattern.finditer(text, start, end)]


@settings(max_examples=1500, deadline=None, database=None)
@given(
    text=st.text(ALPHABET, max_size=40),
    phrase=st.text(ALPHABET, min_size=1, max_size=4),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
def test_find_all_equals_the_reference_scan(text, phrase, cut):
    start = min(cut[0], len(text))
    end = max(start, min(cut[1], len(text)))
    assert matching.find_all(text, phrase, start, end) == reference(text, phrase, start, end)
    assert matching.count(text, phrase, start, end) == len(reference(text, phrase, start, end))


def test_chinese_phrases_count_like_str_count():
    text = "哈哈哈哈园区整合园区整合"
    assert matching.count(text, "哈哈") == text.count("哈哈") == 2
    assert matching.find_all(text, "园区整合") == [4, 8]


def test_latin_is_case_insensitive_at_alphanumeric_boundaries():
    text = "推进G312和g3125建设,PM2.5下降,12.5%"
    assert matching.find_all(text, "g312") == [2]
    assert matching.count(text, "2.5") == 0  # inside PM2.5 and 12.5
    assert matching.count(text, "pm2.5") == 1
