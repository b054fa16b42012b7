"""The fast build (worker-side term counts, CountedSegmentWriter) makes the index Whoosh makes.

Reference: the same reports written with Whoosh's own ``ix.writer()`` and the text as the
value of the counted fields (``write_whoosh(..., fast=False)``). Every field, every term:
doc frequency, postings (docnum, weight, value), block statistics; stored fields and field
lengths of every document.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import commands
import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from search import reportstore, store
from search.analysis import (
    CountedText,
    PackedCounts,
    exact_analyzer,
    exact_counts,
    pack_counts,
    term_counts,
    word_analyzer,
    word_counts,
)
from search.build import COUNTED, build, make_schema, write_whoosh
from search.fastwrite import CountedSegmentWriter
from search.ingest.pipeline import Ingested, stream_corpus_files

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

ALPHABET = "园区整合发展高质量〇镇GDPgdp12 ,。\n\t“”-_.\U00020001\u3400\uf900a"


def _random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def _texts(ingested) -> list[str]:
    return [r.text for r in ingested.reports]


def test_exact_counts_equal_the_analyzer_on_seed_and_random_texts(ingested):
    analyzer = exact_analyzer()
    for text in _texts(ingested) + _random_texts(2000):
        assert exact_counts(text) == Counter(t.text for t in analyzer(text))


def test_word_counts_equal_the_analyzer_on_seed_and_random_texts(ingested):
    analyzer = word_analyzer()
    for text in _texts(ingested) + _random_texts(500):
        assert word_counts(text) == Counter(t.text for t in analyzer(text))


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_word_counts_backends_agree_with_their_token_stream(ingested, backend):
    if backend == "rjieba":
        pytest.importorskip("rjieba")
    from search.segment import is_word, segmenter

    for text in _texts(ingested)[:3] + _random_texts(100):
        stream = Counter(w.lower() for w, _, _ in segmenter(backend)(text) if is_word(w))
        assert word_counts(text, backend=backend) == stream


def test_packed_counts_round_trip():
    import pickle

    counts = exact_counts("推进园区整合,GDP增长5%")
    packed = pickle.loads(pickle.dumps(pack_counts(counts)))
    assert isinstance(packed, PackedCounts)
    assert dict(packed.items()) == counts
    assert packed.terms() == [t.encode("utf-8") for t in counts]
    assert list(packed.frequencies()) == list(counts.values())
    assert dict(pack_counts({}).items()) == {}
    assert pack_counts({"a\0b": 1}) == {"a\0b": 1}  # a NUL in a term: left as a dict


def test_counted_text_index_takes_text_mapping_or_packed():
    field = CountedText("exact")
    text = "推进园区整合GDP"
    expected = sorted(field.index(text))
    assert sorted(field.index(exact_counts(text))) == expected
    assert sorted(field.index(pack_counts(exact_counts(text)))) == expected
    assert expected[0][0] == b"gdp" and expected[0][1:3] == (1, 1.0)


def test_stream_counts_in_the_workers_equal_counting_the_text(ingested):
    result = Ingested()
    pairs = list(stream_corpus_files(CORPUS, result, workers=1, views=("exact", "words")))
    assert [r.id for r, _ in pairs] == [r.id for r in ingested.reports]
    assert result.files == ingested.files and result.problems == ingested.problems
    for report, counts in pairs:
        for view in ("exact", "words"):
            assert dict(counts[view].items()) == term_counts(view, report.text)


def _dump(folder: Path) -> dict:
    """Everything a reader sees: per field and term the postings, plus per-doc data."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        schema = ix.schema
        terms: dict = {}
        for fieldname, tbytes in reader.all_terms():
            info = reader.term_info(fieldname, tbytes)
            matcher = reader.postings(fieldname, tbytes)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            terms[fieldname, tbytes] = (
                reader.doc_frequency(fieldname, tbytes),
                reader.frequency(fieldname, tbytes),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
                postings,
            )
        docs = []
        for docnum in range(reader.doc_count_all()):
            lengths = {name: reader.doc_field_length(docnum, name) for name in schema.names()}
            docs.append((reader.stored_fields(docnum), lengths))
        totals = {name: reader.field_length(name) for name in schema.names()}
        return {
            "terms": terms,
            "docs": docs,
            "totals": totals,
            "doc_count": reader.doc_count_all(),
            "fields": sorted(reader.indexed_field_names()),
        }


@pytest.fixture(scope="module")
def both(ingested, tmp_path_factory):
    """Plain Whoosh with text values vs the fast writer with worker-made packed counts."""
    reports = list(ingested.reports)
    plain = tmp_path_factory.mktemp("plain")
    write_whoosh(plain, reports, fast=False)
    fast = tmp_path_factory.mktemp("fast")
    counted = [
        (r, {view: pack_counts(term_counts(view, r.text)) for view in COUNTED.values()})
        for r in reports
    ]
    write_whoosh(fast, counted, fast=True)
    return plain / store.WHOOSH, fast / store.WHOOSH


def test_fast_writer_makes_the_same_index_as_whoosh(both):
    plain, fast = (_dump(folder) for folder in both)
    assert plain["doc_count"] == fast["doc_count"] > 1
    assert plain["fields"] == fast["fields"]
    assert {"exact", "words", "report", "year"} <= set(plain["fields"])
    assert plain["totals"] == fast["totals"]
    assert plain["totals"]["exact"] > 0 and plain["totals"]["words"] > 0
    assert plain["docs"] == fast["docs"]
    assert plain["terms"].keys() == fast["terms"].keys()
    for key, value in plain["terms"].items():
        assert fast["terms"][key] == value, key
    # The counted fields really are in there, with multi-block posting lists.
    exact = [k for k in plain["terms"] if k[0] == "exact"]
    assert len(exact) > 10000
    assert any(len(v[-1]) > 1 for k, v in plain["terms"].items() if k[0] == "words")


@pytest.mark.parametrize("parallel", [False, True])
def test_multi_block_postings_are_the_same(tmp_path, monkeypatch, parallel):
    """Over 128 documents a posting list spans blocks; lengths vary so block stats differ."""
    from search.fastwrite import helper
    from search.models import Report

    monkeypatch.setattr(helper, "PARALLEL_POSTINGS", 0 if parallel else 10**12)
    rng = random.Random(3)
    reports = []
    for number in range(300):
        text = "".join(rng.choice("园区整合发展镇GDP ,") for _ in range(rng.randint(1, 400)))
        reports.append(Report(id=f"r{number}", source=f"r{number}.txt", text=text))
    plain, fast = tmp_path / "plain", tmp_path / "fast"
    plain.mkdir(), fast.mkdir()
    write_whoosh(plain, reports, fast=False)  # two segments: 256 + 44 reports
    write_whoosh(fast, reports, fast=True)  # one segment
    a, b = _dump(plain / store.WHOOSH), _dump(fast / store.WHOOSH)
    assert a == b
    assert max(len(v[-1]) for v in a["terms"].values()) == 300


def _segment_files(folder: Path) -> dict[str, bytes]:
    """A one-segment index's files by extension (segment names are random)."""
    files = {}
    for path in (folder / store.WHOOSH).glob("MAIN_*"):
        if path.name != "MAIN_WRITELOCK":
            files[path.name.split(".", 1)[1]] = path.read_bytes()
    return files


@pytest.mark.parametrize("mode", ["serial", "parallel", "blocks"])
def test_fast_writer_writes_the_same_bytes_as_whoosh(ingested, tmp_path, monkeypatch, mode):
    """With one segment (< 256 reports) the files are byte for byte Whoosh's own: postings
    encoded by fastwrite.encode, in one process or split with the forked helper, or
    through W3PostingsWriter's block buffer (DIRECT off)."""
    from search.fastwrite import helper, writer

    monkeypatch.setattr(helper, "PARALLEL_POSTINGS", 0 if mode == "parallel" else 10**12)
    monkeypatch.setattr(writer, "DIRECT", mode != "blocks")
    started = []
    original = helper.Helper.start.__func__

    def start(cls, *args):
        helper = original(cls, *args)
        started.append(helper is not None)
        return helper

    monkeypatch.setattr(helper.Helper, "start", classmethod(start))
    reports = list(ingested.reports)
    plain, fast = tmp_path / "plain", tmp_path / "fast"
    plain.mkdir(), fast.mkdir()
    write_whoosh(plain, reports, fast=False)
    write_whoosh(
        fast,
        [(r, {v: pack_counts(term_counts(v, r.text)) for v in COUNTED.values()}) for r in reports],
        fast=True,
    )
    assert started == [mode == "parallel"]
    one, other = _segment_files(plain), _segment_files(fast)
    assert sorted(one) == sorted(other) and {"pst", "trm", "_stored.col"} <= set(one)
    for ext in one:
        assert one[ext] == other[ext], ext
    assert len(one["pst"]) > 1_000_000


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    from search.engine import Engine

    fast, plain = tmp_path_factory.mktemp("fast-ix"), tmp_path_factory.mktemp("plain-ix")
    build(CORPUS, fast, progress=False, workers=2)
    build(CORPUS, plain, progress=False, workers=1, fast=False)
    return Engine(fast), Engine(plain)


@pytest.mark.parametrize(
    "phrase", ["发展", "园区整合", "高质量发展", "GDP", "G312", "镇", "镇江 发展"]
)
def test_phrase_searches_count_the_same(engines, phrase):
    from search import matching

    fast, plain = engines
    a, b = fast.search(phrase, limit=100), plain.search(phrase, limit=100)
    assert a["total"] == b["total"] and a["hits"] == b["hits"]
    assert [(r["id"], r["counts"], r["score"]) for r in a["results"]] == [
        (r["id"], r["counts"], r["score"]) for r in b["results"]
    ]
    if " " not in phrase:
        expected = {r.id: matching.count(r.text, phrase) for r in fast.reports()}
        assert {r["id"]: r["hits"] for r in a["results"]} == {
            k: v for k, v in expected.items() if v
        }
    assert phrase in ("镇江 发展", "GDP") or a["hits"] > 0


def test_fast_writer_rejects_boost_on_counted_field(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = CountedSegmentWriter(ix)
    try:
        with pytest.raises(ValueError):
            writer.add_document(report="x", exact="发展", _exact_boost=2.0)
        writer.add_document(report="y", exact="发展")
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    with ix.searcher() as searcher:
        assert [hit["report"] for hit in searcher.search(Term("exact", "发展"))] == ["y"]


def test_build_streams_into_one_segment_and_matches_the_store(tmp_path):
    summary = build(CORPUS, tmp_path / "ix", progress=False, workers=2)
    generation = store.current_generation(tmp_path / "ix")
    reports = reportstore.read_reports(generation)
    assert summary.reports == len(reports) > 1
    assert summary.chars == sum(r.chars for r in reports)
    assert summary.sections == sum(len(r.sections) for r in reports)
    ix = whoosh_index.open_dir(str(generation / store.WHOOSH))
    assert len(ix._segments()) == 1
    with ix.reader() as reader:
        assert [reader.stored_fields(n)["report"] for n in range(reader.doc_count_all())] == [
            r.id for r in reports
        ]
        for number, report in enumerate(reports):
            counts = term_counts("exact", report.text)
            for term in ("发展", "镇", "gdp"):
                matcher = reader.postings("exact", term) if ("exact", term) in reader else None
                found = {}
                while matcher is not None and matcher.is_active():
                    found[matcher.id()] = matcher.value_as("frequency")
                    matcher.next()
                assert found.get(number, 0) == counts.get(term, 0)


def test_a_failing_helper_leaves_the_work_to_the_writer(ingested, tmp_path, monkeypatch):
    from search.fastwrite import helper

    def fail(*args):
        raise RuntimeError("helper broke")

    monkeypatch.setattr(helper, "PARALLEL_POSTINGS", 0)
    monkeypatch.setattr(helper, "encode_tails", fail)
    reports = list(ingested.reports)[:2]
    plain, fast = tmp_path / "plain", tmp_path / "fast"
    plain.mkdir(), fast.mkdir()
    write_whoosh(plain, reports, fast=False)
    write_whoosh(fast, reports, fast=True)
    assert _segment_files(plain) == _segment_files(fast)


def test_on_another_whoosh_version_the_build_falls_back_to_whooshs_writer(tmp_path, index_dir):
    """fastwrite writes through Whoosh's private parts: on any Whoosh version but the tested
    one it refuses to load, and the build says so and writes with Whoosh's own writer."""
    index = tmp_path / "index"
    script = (
        "import sys, whoosh; whoosh.__version__ = (3, 55, 0)\n"
        "from search.cli import main\n"
        f"code = main(['build', '--corpus', {str(CORPUS)!r}, '--index', {str(index)!r}])\n"
        "assert 'search.fastwrite' not in sys.modules\n"
        "sys.exit(code)\n"
    )
    built = commands.script(script, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "search.fastwrite is tested with Whoosh 3.54.0, not 3.55.0" in built.stderr
    assert "Whoosh's own writer" in built.stderr

    def query(folder):
        data = commands.search_json("query", "园区整合", "--json", "--index", folder)
        return data["total"], data["hits"], [(r["id"], r["hits"]) for r in data["results"]]

    assert query(index) == query(index_dir)
