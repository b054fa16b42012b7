"""Suggestions, related terms and title-first ranking, checked against brute force on the
seed reports: the words field's document frequencies are recomputed by segmenting every
report's text, hit paragraphs by a substring scan of every paragraph."""

from __future__ import annotations

import json
import math
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import vocabulary
from search.analysis import accurate_tokens, word_counts
from search.errors import QueryError
from search.snippets import sentence_around
from search.stopwords import FUNCTION_WORDS, GENERIC_WORDS


@pytest.fixture(scope="module")
def words_df(engine):
    """word -> number of reports whose text segments into it (the words field, recomputed)."""
    df: dict[str, int] = {}
    for report in engine.reports():
        for word in word_counts(report.text):
            df[word] = df.get(word, 0) + 1
    return df


def expected_suggestions(words_df, prefix: str, limit: int = 10) -> list[dict]:
    found = sorted(((-n, w) for w, n in words_df.items() if w.startswith(prefix)))
    return [{"text": w, "reports": -n} for n, w in found[:limit]]


@pytest.mark.parametrize("prefix", ["发", "发展", "园", "园区", "产业", "g", "镇江"])
def test_suggestions_are_the_words_starting_with_the_prefix_most_reports_first(
    engine, words_df, prefix
):
    data = vocabulary.suggest(engine, prefix)
    assert data == {"prefix": prefix, "suggestions": expected_suggestions(words_df, prefix)}


def test_suggestion_limit_and_unknown_prefix(engine, words_df):
    assert vocabulary.suggest(engine, "发", 3)["suggestions"] == expected_suggestions(
        words_df, "发", 3
    )
    assert len(expected_suggestions(words_df, "发", 50)) > 3
    assert vocabulary.suggest(engine, "龘龘")["suggestions"] == []


@pytest.mark.parametrize(
    "prefix, limit, message",
    [
        ("", 10, "give a prefix"),
        ("   ", 10, "give a prefix"),
        ("园" * 51, 10, "the limit is 50"),
        ("园", 0, "limit must be between 1 and 50"),
        ("园", "x", "limit must be a whole number"),
    ],
)
def test_bad_suggestion_requests_say_why(engine, prefix, limit, message):
    with pytest.raises(QueryError, match=message):
        vocabulary.suggest(engine, prefix, limit)


def test_suggest_api_and_cli_give_the_core_dict(client, engine, capsys, index_dir):
    from search.cli import main

    api = client.get("/api/suggest?prefix=" + quote("园区")).get_json()
    assert api == vocabulary.suggest(engine, "园区")
    assert main(["suggest", "园区", "--index", str(index_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == api
    response = client.get("/api/suggest?prefix=")
    assert response.status_code == 400
    assert "请给出要补全的前缀" in response.get_json()["error"]["message"]
    response = client.get("/api/suggest?prefix=" + quote("发") + "&limit=0")
    assert response.status_code == 400
    assert "参数 limit 应在 1 到 50 之间" in response.get_json()["error"]["message"]


# -- related terms ----------------------------------------------------------------------------
def hit_sentence_words(report, phrases: list[str]) -> set[str]:
    """Brute force: every occurrence by str.find, the first ten, their sentences, their words."""
    text = report.text
    hits = []
    for phrase in phrases:
        at = text.find(phrase)
        while at >= 0:
            hits.append((at, at + len(phrase)))
            at = text.find(phrase, at + len(phrase))
    spans = sorted({sentence_around(text, a, b) for a, b in sorted(hits)[:10]})
    return {w.lower() for w, _, _ in accurate_tokens("\n".join(text[a:b] for a, b in spans))}


@pytest.mark.parametrize("query", ["园区整合", "营商环境", "新质生产力 OR 智改数转", "发展"])
def test_related_terms_come_from_the_hit_sentences_of_the_top_reports(engine, words_df, query):
    data = engine.search(query, limit=100)
    phrases = data["phrases"]
    top = [engine.report(r["id"]) for r in data["results"][: vocabulary.RELATED_REPORTS]]
    data = engine.related(query)
    used = [hit_sentence_words(r, phrases) for r in top]
    total = len(engine.reports())
    expected = []
    for word in set().union(*used):
        n = sum(word in words for words in used)
        if (
            n < min(2, len(top))
            or len(word) < 2
            or not word.isalpha()
            or word in FUNCTION_WORDS
            or word in GENERIC_WORDS
            or any(word in p or p in word for p in phrases)
            or words_df.get(word, 0) > total / 2
        ):
            continue
        expected.append((-n * math.log(total / max(1, words_df.get(word, 0))), -n, word))
    expected.sort()
    assert data["related"] == [
        {"text": w, "reports": -n} for _, n, w in expected[: vocabulary.RELATED_LIMIT]
    ]
    for term in data["related"]:  # and each is really in that many reports' hit sentences
        assert term["reports"] == sum(term["text"] in words for words in used) >= 2


def test_related_terms_exist_for_a_common_phrase(engine):
    assert engine.related("园区整合")["related"]


def test_a_search_without_phrases_has_no_related_terms(engine):
    assert engine.related("city:镇江市")["related"] == []


def test_related_terms_are_links_on_the_search_page(client, engine):
    body = client.get("/search?q=" + quote("园区整合")).get_data(as_text=True)
    related = engine.related("园区整合")["related"]
    assert client.get("/api/related?q=" + quote("园区整合")).get_json()["related"] == related
    assert "related" not in client.get("/api/search?q=" + quote("园区整合")).get_json()
    assert '<p class="related">相关词：' in body
    for term in related:
        assert f">{term['text']}</a>" in body


# -- titles first ------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["镇江", "句容", "常州 OR 镇江", "政府"])
def test_reports_whose_title_holds_the_phrase_rank_first(engine, query):
    data = engine.search(query, limit=100)
    titled = [any(p in (r["title"] or "") for p in data["phrases"]) for r in data["results"]]
    assert titled == sorted(titled, reverse=True)
    # Within each group the BM25F order stands.
    for flag in (True, False):
        scores = [r["score"] for r, t in zip(data["results"], titled) if t is flag]
        assert scores == sorted(scores, reverse=True)


def test_a_title_match_outranks_a_higher_score(engine):
    # 镇江 stands in one title (2024年镇江市政府工作报告); the 2023 report, titled just
    # 政府工作报告 in its file, uses 镇江 more often and scores higher, yet comes second.
    results = engine.search("镇江", limit=100)["results"]
    titled = [r for r in results if "镇江" in (r["title"] or "")]
    assert len(titled) == 1 and titled[0]["id"] == results[0]["id"]
    assert max(r["score"] for r in results[1:]) > results[0]["score"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_prefix_gets_an_answer_or_a_clear_400(client, prefix):
    response = client.get("/api/suggest", query_string={"prefix": prefix})
    assert response.status_code in (200, 400), prefix
    data = response.get_json()
    if response.status_code == 400:
        assert data["error"]["message"]
    else:
        counts = [s["reports"] for s in data["suggestions"]]
        assert counts == sorted(counts, reverse=True)
