"""Suffix-array counts against brute force: every count equals search.matching.count.

The report store and suffix arrays are built by the real build over the seed reports (and,
for the overlap and boundary cases, from reports written here); the expectation is always a
scan of the normalized text with :mod:`search.matching`.
"""

from __future__ import annotations

import random
import re
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import matching, reportstore
from search.models import SECTION_KINDS, Paragraph, Report, Section
from search.query import suffixes
from search.query.suffixes import SuffixIndex, build_suffixes

SEED_PHRASES = [
    "发展",
    "园区整合",
    "G312",
    "g312",
    "镇江",
    "哈哈",
    "PM2.5",
    "15分钟",
    "，",
    "税",
    "项目招引",
    "四群八链",
    "2024",
    "GDP",
    "gdp",
    "5G",
    "数字 经济",
    "。",
    "的",
    "一",
    "鑫淼",
    "ZZZ9",
    "开发区",
    "生产总值",
    "城乡居民",
    "义务教育",
]


def per_report(index: SuffixIndex, phrase: str, n: int, kinds: tuple = ()) -> list[int]:
    hits = index.hits(phrase, kinds)
    return np.bincount(index.piece_report[hits.pieces], minlength=n).tolist()


def brute(reports, phrase: str, kinds: tuple = ()) -> list[int]:
    if not kinds:
        return [matching.count(r.text, phrase) for r in reports]
    return [
        sum(matching.count(r.text, phrase, s.start, s.end) for s in r.sections if s.kind in kinds)
        for r in reports
    ]


@pytest.fixture(scope="module")
def stored(engine):
    snap = engine.snapshot
    return snap.store.reports, snap.suffixes


@pytest.fixture(scope="module")
def segmented(tmp_path_factory, ingested):
    """The seeds again, in suffix-array segments of ~15,000 characters (a report each, at
    least), with an in-memory sample every 7 suffixes (windows of every size are searched)."""
    folder = tmp_path_factory.mktemp("segmented")
    reportstore.write_reports(folder, ingested.reports)
    old = suffixes.SEGMENT_CHARS, suffixes.SAMPLE_EVERY
    suffixes.SEGMENT_CHARS, suffixes.SAMPLE_EVERY = 15_000, 7
    try:
        build_suffixes(folder)
    finally:
        suffixes.SEGMENT_CHARS, suffixes.SAMPLE_EVERY = old
    return list(ingested.reports), SuffixIndex(folder)


def test_the_store_gives_back_every_report_field(engine, ingested):
    stored = {r.id: r for r in engine.snapshot.store.reports}
    for report in ingested.reports:
        assert stored[report.id].to_dict() == report.to_dict()
        assert stored[report.id].chars == len(report.text)


def test_several_segments_are_written_and_searched(segmented):
    reports, index = segmented
    assert len(index.segments) >= 3 and index.every == 7
    texts = "".join(r.text for r in reports)
    pairs = sorted({a + b for a, b in pairwise(texts) if "\n" not in a + b})
    for phrase in SEED_PHRASES + random.Random(3).sample(pairs, 300):
        assert per_report(index, phrase, len(reports)) == brute(reports, phrase), phrase


@pytest.mark.parametrize("kinds", [(), ("plan",), ("review", "notes"), ("government",)])
def test_seed_phrases_count_like_matching_whole_text_and_by_section(stored, kinds):
    reports, index = stored
    for phrase in SEED_PHRASES:
        assert per_report(index, phrase, len(reports), kinds) == brute(reports, phrase, kinds), (
            phrase,
            kinds,
        )


def test_every_character_pairs_and_every_latin_run_in_any_case(stored):
    reports, index = stored
    texts = "".join(r.text for r in reports)
    chars = sorted({c for c in texts if not c.isspace()})
    pairs = sorted({a + b for a, b in pairwise(texts) if "\n" not in a + b})
    latin = sorted({m.group() for m in re.finditer("[A-Za-z0-9]+", texts)})
    phrases = chars + random.Random(7).sample(pairs, 400) + latin + [w.swapcase() for w in latin]
    for phrase in phrases:
        assert per_report(index, phrase, len(reports)) == brute(reports, phrase), phrase
    assert len(chars) > 1500 and len(latin) > 50


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_substrings_of_the_seeds(stored, data):
    reports, index = stored
    report = reports[data.draw(st.integers(0, len(reports) - 1))]
    size = data.draw(st.integers(1, 8))
    start = data.draw(st.integers(0, report.chars - size))
    phrase = report.text[start : start + size]
    kinds = data.draw(st.sampled_from([(), ("plan",), ("review",)]))
    if "\n" in phrase or phrase != phrase.strip() or not phrase:
        return
    assert per_report(index, phrase, len(reports), kinds) == brute(reports, phrase, kinds)


OVERLAPS = [
    "哈哈哈哈哈，哈哈。哈哈哈",
    "aaaa AAA aa a",
    "abab ababab ABABA",
    "a1a1a1 1a1a",
    "G312 G3125 g312x xG312 G312",
    "2.5 12.5 2.55 2.5%",
    "。。。。",
    "x哈x哈x哈",
]


def test_self_overlapping_phrases_and_latin_boundaries(tmp_path):
    """Non-overlapping counts like str.count, letter/digit boundaries like matching."""
    reports = []
    for i, line in enumerate(OVERLAPS):
        text = f"{line}\n{line.upper()}\n{line}哈"
        cut, second = len(line), len(line) + 1 + len(line)
        sections = [
            Section(1, None, "review", 0, cut),
            Section(2, "二、", "plan", cut + 1, second),
            Section(3, None, "other", second + 1, len(text)),
        ]
        paragraphs = [
            Paragraph(f"p-{k + 1}", s.ordinal, s.start, s.end) for k, s in enumerate(sections)
        ]
        reports.append(Report(f"r{i}", f"r{i}.txt", text, sections, paragraphs, year=2020 + i))
    reportstore.write_reports(tmp_path, reports)
    build_suffixes(tmp_path)
    index = SuffixIndex(tmp_path)
    phrases = [
        "哈哈",
        "哈哈哈",
        "哈",
        "aa",
        "aaa",
        "AA",
        "a",
        "abab",
        "aba",
        "ABA",
        "a1a",
        "1a1",
        "G312",
        "g312",
        "2.5",
        ".5",
        "5",
        "。。",
        "。。。",
        "x哈x",
        "哈x哈",
        "哈x",
    ]
    for phrase in phrases:
        for kinds in [(), ("plan",), ("review", "other")]:
            assert per_report(index, phrase, len(reports), kinds) == brute(
                reports, phrase, kinds
            ), (phrase, kinds)
    # 哈哈哈哈哈 holds two, not four: str.count does not overlap
    assert per_report(index, "哈哈", len(reports))[0] == reports[0].text.count("哈哈") == 13


def test_section_kinds_of_hits_are_the_kinds_of_their_sections(stored):
    reports, index = stored
    for phrase in ["发展", "G312", "园区整合"]:
        hits = index.hits(phrase)
        cells = {
            (int(index.piece_report[p]), SECTION_KINDS[index.piece_kind[p]])
            for p in hits.pieces
            if index.piece_kind[p] >= 0
        }
        expected = {
            (i, s.kind)
            for i, r in enumerate(reports)
            for s in r.sections
            if matching.contains(r.text, phrase, s.start, s.end)
        }
        assert cells == expected, phrase


def test_a_stored_report_finds_paragraphs_like_the_linear_rule(engine, reports):
    """paragraph_at by binary search equals the first paragraph with start <= at <= end."""
    for stored in engine.snapshot.store.reports:
        report = reports[stored.id]
        for at in range(0, report.chars + 1, 97):
            expected = next((p for p in report.paragraphs if p.start <= at <= p.end), None)
            assert stored.paragraph_at(at) == expected
