"""Collocates and keyness against brute-force counts on the seed texts."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from search.analysis import segmenter, word_counts
from search.insight.association import (
    keyness_g2,
    log_dice,
    log_likelihood,
    log_ratio,
    mutual_information,
    p_value,
)
from search.insight.collocates import collocates
from search.insight.keyness import keyness


def brute_windows(reports, phrase, window, margin=8):
    """Words jieba finds in each hit's neighbourhood (window + margin each side, within the
    paragraph; touching neighbourhoods as one) whose span lies within ``window`` of a hit."""
    counts = Counter()
    for r in reports.values():
        text, hits = r.text, []
        at = text.find(phrase)
        while at >= 0:
            a = text.rfind("\n", 0, at) + 1
            b = text.find("\n", at)
            hits.append((at, at + len(phrase), a, len(text) if b < 0 else b))
            at = text.find(phrase, at + len(phrase))
        groups = []
        for h in hits:
            lo, hi = max(h[2], h[0] - window - margin), min(h[3], h[1] + window + margin)
            if groups and lo < groups[-1][1] and groups[-1][0] >= h[2]:
                groups[-1] = [groups[-1][0], max(groups[-1][1], hi), groups[-1][2] + [h]]
            else:
                groups.append([lo, hi, [h]])
        spots = set()
        for lo, hi, inside in groups:
            for w, s, e in segmenter()(text[lo:hi]):
                s, e = s + lo, e + lo
                if not any(ch.isalnum() for ch in w):
                    continue
                for start, end, a, b in inside:
                    if (
                        max(a, start - window) <= s
                        and e <= start
                        or end <= s
                        and e <= min(b, end + window)
                    ):
                        spots.add((s, e, w.lower()))
        counts.update(w for _, _, w in spots)
    return counts


@pytest.mark.parametrize("phrase,window", [("高质量发展", 10), ("园区", 5)])
def test_collocate_counts_equal_the_brute_force_windows(engine, reports, phrase, window):
    data = collocates(engine, phrase, window=window, minimum=1, limit=10_000)
    expected = brute_windows(reports, phrase, window)
    assert {c["word"]: c["count"] for c in data["collocates"]} == dict(expected)
    assert data["hits"] == sum(r.text.count(phrase) for r in reports.values())
    assert data["window_tokens"] == sum(expected.values())


def test_collocate_measures_follow_their_formulas(engine):
    data = collocates(engine, "高质量发展", window=10, minimum=3)
    r1, n, node = data["window_tokens"], data["corpus_tokens"], data["hits"]
    for c in data["collocates"]:
        o, f = c["count"], c["frequency"]
        assert c["expected"] == round(r1 * f / n, 3)
        assert c["ll"] == round(log_likelihood(o, r1, f, n), 3)
        assert c["mi"] == round(math.log2(o / (r1 * f / n)), 3)
        assert c["logdice"] == round(14 + math.log2(2 * o / (node + f)), 3)
    assert [c["ll"] for c in data["collocates"]] == sorted(
        (c["ll"] for c in data["collocates"]), reverse=True
    )


def test_g2_of_a_textbook_table():
    # o11=10, r1=100, c1=50, n=10000: E11 = 0.5; G² by hand from the four cells
    cells = [(10, 0.5), (90, 99.5), (40, 49.5), (9860, 9850.5)]
    expected = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert log_likelihood(10, 100, 50, 10_000) == pytest.approx(expected)
    assert mutual_information(10, 100, 50, 10_000) == pytest.approx(math.log2(20))
    assert log_dice(10, 20, 50) == pytest.approx(14 + math.log2(20 / 70))
    assert p_value(3.841) == pytest.approx(0.05, abs=1e-3)
    assert log_ratio(0, 4, 100, 100) == pytest.approx(math.log2(0.5 / 4))


def test_keyness_counts_and_scores_equal_a_brute_force_count(engine, reports):
    data = keyness(engine, "city:镇江市", "city:句容市", minimum=5, limit=10_000)
    a = Counter()
    for r in reports.values():
        if r.city == "镇江市":
            a.update(word_counts(r.text))
    b = Counter()
    for r in reports.values():
        if r.city == "句容市":
            b.update(word_counts(r.text))
    ta, tb = sum(a.values()), sum(b.values())
    assert (data["a"]["tokens"], data["b"]["tokens"]) == (ta, tb)
    assert data["a"]["reports"] == sum(1 for r in reports.values() if r.city == "镇江市")
    rows = data["a_over_b"] + data["b_over_a"]
    for row in rows:
        assert (row["count_a"], row["count_b"]) == (a[row["word"]], b[row["word"]])
        assert row["g2"] == round(keyness_g2(a[row["word"]], b[row["word"]], ta, tb), 3)
    assert {r["word"] for r in rows} <= {w for w in a.keys() | b.keys() if a[w] + b[w] >= 5}
    assert all(r["count_a"] / ta > r["count_b"] / tb for r in data["a_over_b"])
    assert "句容" in {r["word"] for r in data["b_over_a"][:20]}


def test_an_empty_group_is_a_clear_error(client):
    response = client.get(
        "/api/keyness", query_string={"a": "city:不存在的城市", "b": "city:句容市"}
    )
    assert response.status_code == 400
    assert "selects no report" in response.get_json()["error"]["message"]


def test_web_twins_equal_the_core(client, engine):
    data = client.get("/api/collocates", query_string={"q": "高质量发展"}).get_json()
    assert data == collocates(engine, "高质量发展")
    data = client.get("/api/keyness", query_string={"a": "city:镇江市", "b": "city:句容市"})
    assert data.get_json()["a_over_b"] == keyness(engine, "city:镇江市", "city:句容市")["a_over_b"]
    assert client.get("/collocates?q=高质量发展").status_code == 200
    assert client.get("/keyness?a=city:镇江市&b=city:句容市").status_code == 200
    assert client.get("/api/collocates?q=高质量发展&window=99").status_code == 400
