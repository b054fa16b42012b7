"""Tests for search.analysis on real report text, against a real Whoosh index."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import STORED, TEXT, Schema
from whoosh.query import And, Phrase, Term

from search.analysis import (
    ExactTokenizer,
    WordTokenizer,
    exact_analyzer,
    exact_grams,
    exact_pieces,
    exact_terms_query,
    is_cjk,
    segmenter,
    word_analyzer,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORT = CORPUS / "001_3849f19c405c524f.txt"
REPORTS = [REPORT, CORPUS / "003_d14e6f6731d1bfab.txt"]

SAMPLE = "推进园区整合,G312和PM2.5"


def tuples(analyzer, text, **kwargs):
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in analyzer(text, positions=True, chars=True, **kwargs)
    ]


def paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


# Tokens


def test_exact_tokens_of_sample():
    assert tuples(exact_analyzer(), SAMPLE) == [
        ("推", 0, 0, 1), ("推进", 0, 0, 2),
        ("进", 1, 1, 2), ("进园", 1, 1, 3),
        ("园", 2, 2, 3), ("园区", 2, 2, 4),
        ("区", 3, 3, 4), ("区整", 3, 3, 5),
        ("整", 4, 4, 5), ("整合", 4, 4, 6),
        ("合", 5, 5, 6),
        ("g312", 7, 7, 11),
        ("和", 11, 11, 12),
        ("pm2", 12, 12, 15),
        ("5", 16, 16, 17),
    ]  # fmt: skip


def test_word_tokens_of_sample():
    assert tuples(word_analyzer(), SAMPLE) == [
        ("推进", 0, 0, 2), ("园区", 1, 2, 4), ("整合", 2, 4, 6), ("g312", 3, 7, 11),
        ("和", 4, 11, 12), ("pm2", 5, 12, 15), ("5", 6, 16, 17),
    ]  # fmt: skip


def test_word_search_mode_emits_subwords_at_their_own_positions():
    assert tuples(word_analyzer(), "中华人民共和国") == [
        ("中华", 0, 0, 2), ("华人", 1, 1, 3), ("人民", 2, 2, 4),
        ("共和", 3, 4, 6), ("共和国", 4, 4, 7), ("中华人民共和国", 5, 0, 7),
    ]  # fmt: skip


def test_start_pos_and_start_char_are_offsets():
    text = "园区整合G312"
    for analyzer in (word_analyzer(), exact_analyzer()):
        plain = tuples(analyzer, text)
        shifted = tuples(analyzer, text, start_pos=10, start_char=100)
        assert shifted == [(w, p + 10, s + 100, e + 100) for w, p, s, e in plain]


def test_tokenize_false_yields_the_value_as_one_term():
    for tokenizer in (WordTokenizer(), ExactTokenizer()):
        assert tuples(tokenizer, "园区 整合", tokenize=False) == [("园区 整合", 0, 0, 5)]


def test_tokens_without_positions_or_chars_carry_no_offsets():
    token = next(iter(exact_analyzer()("园区")))
    assert token.text == "园" and not hasattr(token, "pos") and not hasattr(token, "startchar")


def test_word_positions_are_sequential_on_a_report():
    text = REPORT.read_text(encoding="utf-8")
    tokens = tuples(word_analyzer(), text)
    assert len(tokens) > 8000
    assert [pos for _, pos, _, _ in tokens] == list(range(len(tokens)))
    assert all(word == text[s:e].lower() for word, _, s, e in tokens)
    assert all(any(ch.isalnum() for ch in word) for word, _, _, _ in tokens)


def test_exact_positions_are_char_offsets_on_a_report():
    text = REPORT.read_text(encoding="utf-8")
    tokens = tuples(exact_analyzer(), text)
    assert all(word == text[s:e].lower() and pos == s for word, pos, s, e in tokens)
    unigrams = {s for word, _, s, _ in tokens if len(word) == 1 and is_cjk(word)}
    assert unigrams == {i for i, ch in enumerate(text) if is_cjk(ch)}
    bigrams = {s for word, _, s, e in tokens if e - s == 2 and is_cjk(word[0])}
    assert bigrams == {i for i in range(len(text) - 1) if is_cjk(text[i]) and is_cjk(text[i + 1])}


def test_cjk_ranges_include_extensions_and_ling():
    assert [g for g, _ in exact_grams("〇𠀀㐀,a")] == ["〇", "〇𠀀", "𠀀", "𠀀㐀", "㐀", "a"]
    assert not is_cjk("。") and not is_cjk("、") and not is_cjk("a")


# Pickling: Whoosh stores the schema, analyzers included, as a pickle.


@pytest.mark.parametrize("make", [word_analyzer, exact_analyzer])
def test_analyzers_pickle_round_trip(make):
    analyzer = make()
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone == analyzer
    assert tuples(clone, SAMPLE) == tuples(analyzer, SAMPLE)


# Segmentation backend


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_rjieba_yields_exactly_jieba_tokens(path):
    pytest.importorskip("rjieba")
    text = path.read_text(encoding="utf-8")
    jieba_tokens = [tuple(t) for t in segmenter("jieba")(text)]
    rjieba_tokens = [tuple(t) for t in segmenter("rjieba")(text)]
    assert len(jieba_tokens) > 8000
    assert rjieba_tokens == jieba_tokens


def test_unknown_backend_is_rejected():
    with pytest.raises(ValueError, match="backend"):
        segmenter("thulac")


# Queries


def test_exact_pieces_split_on_non_runs_and_lowercase_latin():
    assert exact_pieces(SAMPLE) == ["推进园区整合", "g312", "和", "pm2", "5"]
    assert exact_pieces("“四群八链”、") == ["四群八链"]


def test_exact_terms_query_shapes():
    assert exact_terms_query("e", "税") == Term("e", "税")
    assert exact_terms_query("e", "园区") == Term("e", "园区")
    assert exact_terms_query("e", "G312") == Term("e", "g312")
    assert exact_terms_query("e", "园区整合") == And(
        [Term("e", "园区"), Term("e", "区整"), Term("e", "整合")]
    )
    with pytest.raises(ValueError, match="has no searchable characters"):
        exact_terms_query("e", " 、。“”——,.")


# A real index


@pytest.fixture(scope="module")
def report_index(tmp_path_factory):
    schema = Schema(
        exact=TEXT(analyzer=exact_analyzer(), phrase=True),
        words=TEXT(analyzer=word_analyzer(), phrase=True),
        n=STORED,
    )
    directory = tmp_path_factory.mktemp("report_index")
    writer = index.create_in(directory, schema).writer()
    for n, text in enumerate(paragraphs(REPORT)):
        writer.add_document(exact=text, words=text, n=n)
    writer.commit()
    # Reopen, so the schema (and its analyzers) really went through pickle.
    ix = index.open_dir(directory)
    with ix.searcher() as searcher:
        yield searcher


def found(searcher, query) -> set[int]:
    return {hit["n"] for hit in searcher.search(query, limit=None)}


def containing(phrase: str) -> set[int]:
    return {n for n, text in enumerate(paragraphs(REPORT)) if phrase.lower() in text.lower()}


PHRASES = [
    "税", "碳", "的", "一",                   # 1 char; 的 and 一 are in dozens of paragraphs
    "长江", "群八",                            # 2 chars; 群八 is no jieba word
    "区整合", "制造业", "产业链", "习近平",      # 3 chars; 区整合 cuts across 园区|整合
    "园区整合", "四群八链", "项目招引", "营商环境", "民生实事", "专精特新", "人民群众",
    "高质量发展",
    "中国特色社会主义",                        # 8 chars
    "G312", "g312", "PM2.5", "4A", "2023",   # Latin/digit runs, whole
]  # fmt: skip


@pytest.mark.parametrize("phrase", PHRASES)
def test_exact_terms_query_finds_every_paragraph_containing_the_phrase(report_index, phrase):
    truth = containing(phrase)
    assert truth, f"{phrase} must occur in {REPORT.name}"
    assert found(report_index, exact_terms_query("exact", phrase)) >= truth


def test_absent_phrases_find_nothing(report_index):
    # 5G is not in this report; 整园 and 合整 are reversed pairs of present characters.
    for phrase in ("5G", "整园", "园区合整"):
        assert not containing(phrase)
        assert found(report_index, exact_terms_query("exact", phrase)) == set()


def test_latin_matches_whole_runs_only(report_index):
    # "20" is a substring of 2023, 202x, 1200...; the exact view only knows whole runs.
    whole_run = {
        n
        for n, text in enumerate(paragraphs(REPORT))
        if re.search(r"(?<![A-Za-z0-9])20(?![A-Za-z0-9])", text)
    }
    hits = found(report_index, exact_terms_query("exact", "20"))
    assert hits == whole_run
    assert hits < containing("20")


def test_several_pieces_give_candidates_not_answers(report_index):
    for phrase in ("2023年工作回顾", "园区整合、项目招引"):
        truth = containing(phrase)
        assert truth
        assert found(report_index, exact_terms_query("exact", phrase)) >= truth


def test_word_phrase_matches_with_sequential_positions(report_index):
    assert found(report_index, Phrase("words", ["园区", "整合"])) == containing("园区整合")


def test_jieba_chinese_analyzer_misses_phrases(tmp_path):
    """Why this module exists: jieba's own Whoosh analyzer stores char offsets as positions."""
    from jieba.analyse import ChineseAnalyzer

    naive = ChineseAnalyzer()
    schema = Schema(naive=TEXT(analyzer=naive, phrase=True), n=STORED)
    writer = index.create_in(tmp_path, schema).writer()
    for n, text in enumerate(paragraphs(REPORT)):
        writer.add_document(naive=text, n=n)
    writer.commit()
    phrase = "园区整合"
    words = [t.text for t in naive(phrase)]
    assert words == ["园区", "整合"]
    with index.open_dir(tmp_path).searcher() as searcher:
        hits = found(searcher, Phrase("naive", words))
        assert found(searcher, And([Term("naive", w) for w in words])) >= containing(phrase)
    assert len(containing(phrase)) == 3
    assert hits < containing(phrase)
    assert hits == set()  # 园区 at offset c, 整合 at c + 2: never adjacent positions
