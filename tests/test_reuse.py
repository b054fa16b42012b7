"""Text reuse (issue 17) on a planted corpus built from the real seed reports, and on the seeds.

Expectations are derived from the texts: where a passage was planted, which characters were
changed, how many place names it holds; the seeds' shared passages were read by hand and are
located here with ``str.find``.
"""

from __future__ import annotations

import csv
import json
import re

import commands
import pytest
from conftest import CORPUS, JR2024, SEEDS, ZJ2023, ZJ2024

from search.analysis import CJK_CHARS

HAN = re.compile(f"[{CJK_CHARS}]")
FILLERS = 25


def han(text: str) -> str:
    return "".join(HAN.findall(text))


def _change(text: str, at: int) -> str:
    """``text`` with the Han character at ``at`` replaced by another one."""
    assert HAN.fullmatch(text[at])
    return text[:at] + ("甲" if text[at] != "甲" else "乙") + text[at + 1 :]


def _first_200(paragraph: str) -> str | None:
    """The paragraph up to its 200th Han character, if it has that many."""
    ends = [m.end() for m in HAN.finditer(paragraph)]
    return paragraph[: ends[199]] if len(ends) >= 200 else None


@pytest.fixture(scope="module")
def planted(tmp_path_factory, reports):
    """A corpus where B (常州 2024) repeats 200 characters of A (镇江 2023) with the city name
    swapped and two characters changed, and C repeats a formula 25 other reports hold."""
    a = reports[ZJ2023]
    copied = next(
        c
        for c in map(_first_200, (a.paragraph_text(p) for p in a.paragraphs))
        if c and c.count("镇江") == 1 and HAN.fullmatch(c[0])
    )
    planted_text = _change(_change(copied.replace("镇江", "常州"), 70), 140)
    folder = tmp_path_factory.mktemp("planted")
    (folder / "a.txt").write_text((CORPUS / SEEDS["zhenjiang2023"]).read_text("utf-8"), "utf-8")
    lines = (CORPUS / SEEDS["changzhou2024"]).read_text("utf-8").split("\n")
    middle = len(lines) // 2
    (folder / "b.txt").write_text(
        "\n".join(lines[:middle] + [planted_text] + lines[middle:]), "utf-8"
    )
    # the formula: a sentence of 梧州's report; the filler reports: slices of 苏州's
    wz, sz = reports["004_02169182387663be-3"], reports["004_02169182387663be-2"]
    formula = next(
        wz.paragraph_text(p) for p in wz.paragraphs if len(han(wz.paragraph_text(p))) >= 60
    )[:60]
    rows = [{"file": "a.txt"}, {"file": "b.txt"}]
    size = len(sz.text) // FILLERS
    for n in range(FILLERS):
        body = sz.text[n * size : (n + 1) * size]
        (folder / f"f{n:02d}.txt").write_text(body + "\n" + formula + "\n", "utf-8")
        rows.append({"file": f"f{n:02d}.txt", "city": "梧州市", "year": "2020"})
    c_body = reports[JR2024].text
    assert formula not in c_body and formula not in sz.text
    (folder / "c.txt").write_text(
        c_body[:4000] + "\n" + formula + "\n" + c_body[4000:8000], "utf-8"
    )
    rows.append({"file": "c.txt", "city": "句容市", "year": "2024"})
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["file", "city", "year"])
        writer.writeheader()
        writer.writerows(rows)
    from search.build import build
    from search.engine import Engine

    index = tmp_path_factory.mktemp("planted-index")
    build(folder, index, progress=False, workers=1)
    return {
        "engine": Engine(index),
        "index": index,
        "copied": copied,
        "planted": planted_text,
        "formula": formula,
    }


def _by_source(engine, file: str) -> str:
    return next(r.id for r in engine.reports() if r.source == file)


def test_planted_passage_is_found_with_its_source_and_exact_spans(planted):
    from rapidfuzz.distance import Indel

    from search.reuse.views import report_reuse

    engine = planted["engine"]
    a_id, b_id = _by_source(engine, "a.txt"), _by_source(engine, "b.txt")
    a, b = engine.report(a_id), engine.report(b_id)
    start = b.text.index(planted["planted"])
    source_start = a.text.index(planted["copied"])
    data = report_reuse(engine, b_id)
    length = len(planted["copied"])
    found = [p for p in data["passages"] if p["start"] < start + length and p["end"] > start]
    chars = len(han(planted["copied"]))
    assert chars == 200
    # Indel distance: each changed character and each of the two characters of 镇江→常州
    # is one deletion plus one insertion
    similarity = round(1 - (2 * 2 + 2 * 2) / (2 * chars), 4)
    assert found == [
        {
            "start": start,
            "end": start + length,
            "source_id": a_id,
            "source_start": source_start,
            "source_end": source_start + length,
            "chars": chars,
            "similarity": similarity,
            "formula": False,
        }
    ]
    assert similarity == round(
        Indel.normalized_similarity(han(planted["copied"]), han(planted["planted"])), 4
    )


def test_a_formula_in_more_than_K_reports_is_grey_and_not_counted(planted):
    from search.reuse.views import report_reuse

    engine = planted["engine"]
    c_id = _by_source(engine, "c.txt")
    c = engine.report(c_id)
    start = c.text.index(planted["formula"])
    end = start + len(planted["formula"])
    data = report_reuse(engine, c_id)
    fillers = sorted(r.id for r in engine.reports() if r.source.startswith("f"))
    hits = [p for p in data["passages"] if p["start"] < end and p["end"] > start]
    assert len(hits) == 1 and hits[0]["formula"] is True
    # the earliest holder (all fillers are of 2020 and one level: the first id) is its source
    assert hits[0]["source_id"] == fillers[0]
    assert (hits[0]["start"], hits[0]["end"]) == (start, end)
    counted = sum(p["chars"] for p in data["passages"] if not p["formula"])
    assert data["share"] == round(counted / len(han(c.text)), 4)


def test_jurong_2024_shares_the_opening_and_the_targets_sentence_with_zhenjiang_2024(engine):
    """Read by hand: 句容 2024 and 镇江 2024 share no exact run of 30 Han characters (the
    longest is 25), but two passages with small edits: the opening (报告工作/作工作报告,
    予/予以, the city's name) and the sentence of the year's targets (以上/左右, 5.2%/5%)."""
    from search.reuse.views import pair_view

    a, b = engine.report(ZJ2024).text, engine.report(JR2024).text
    assert _longest_common_run(han(a), han(b)) == 25
    data = pair_view(engine, ZJ2024, JR2024)
    spans = [(p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in data["passages"]]
    lead = "年全市经济社会发展的主要预期目标是"
    ta, tb = a.index(lead), b.index(lead)
    tail = "一般公共预算收入增长"
    assert spans == [
        (0, a.index("各位政协委员") + 6, 0, b.index("各位政协委员") + 6),
        (ta, a.index(tail, ta) + len(tail), tb, b.index(tail, tb) + len(tail)),
    ]
    assert data["earlier"] == "a"  # same year: the prefecture before its county-level city
    assert [p["formula"] for p in data["passages"]] == [False, False]


def _longest_common_run(x: str, y: str) -> int:
    """Brute force: the longest string both hold (dynamic programme over all positions)."""
    best, previous = 0, [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        row = [0] * (len(y) + 1)
        xi = x[i - 1]
        for j in range(1, len(y) + 1):
            if xi == y[j - 1]:
                row[j] = previous[j - 1] + 1
                best = max(best, row[j])
        previous = row
    return best


def test_every_stored_passage_measures_what_its_offsets_hold(engine):
    """chars = Han characters of the span; similarity = Indel similarity of the two spans'
    Han characters; every passage is at least 30 characters on both sides."""
    from rapidfuzz.distance import Indel

    from search.reuse.views import pair_view, report_reuse

    ids = [r.id for r in engine.reports()]
    for x in ids:
        for p in report_reuse(engine, x)["passages"]:
            text = engine.report(x).text[p["start"] : p["end"]]
            assert p["chars"] == len(han(text)) >= 30
        for y in ids:
            if x < y:
                for p in pair_view(engine, x, y)["passages"]:
                    ha, hb = han(p["a_text"]), han(p["b_text"])
                    assert (p["a_chars"], p["b_chars"]) == (len(ha), len(hb))
                    assert min(len(ha), len(hb)) >= 30
                    assert p["similarity"] == round(Indel.normalized_similarity(ha, hb), 4)


def test_cli_reuse_prints_exactly_the_issue_shape(index_dir):
    def run(*args):
        return commands.search("reuse", *args, "--index", index_dir, "--json")

    out = run(JR2024)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["report_id", "share", "by_level", "passages"]
    assert set(data["by_level"]) == {"national", "province", "city", "unknown"}
    assert data["passages"] and all(
        list(p)
        == [
            "start",
            "end",
            "source_id",
            "source_start",
            "source_end",
            "chars",
            "similarity",
            "formula",
        ]
        for p in data["passages"]
    )
    pairs = json.loads(run("--pairs", "--province", "江苏", "--year", "2024").stdout)
    assert pairs["filters"] == {"province": "江苏", "year": 2024}
    assert pairs["pairs"][0]["chars_b"] >= pairs["pairs"][-1]["chars_b"]
    missing = run("no-such-report")
    assert missing.returncode == 2 and "no-such-report" in missing.stderr


def test_no_pairs_still_stores_and_reads_back(tmp_path, reports):
    from search.reuse import build_into
    from search.reuse.storage import read

    one = [reports[ZJ2023]]
    for batch in ([], one):
        build_into(tmp_path, batch, workers=1)
        stored = read(tmp_path)
        assert stored.ids == [r.id for r in batch]
        assert len(stored.passages["report"]) == len(stored.pairs["a"]) == 0


def test_edits_between_runs_chain_and_stray_runs_do_not():
    """Chaining rules on a toy skeleton: a 2-character substitution and a 3-character
    insertion join two runs into one passage; a gap longer than max_gap does not."""
    import numpy as np

    from search.reuse.align import chain
    from search.reuse.params import ReuseParams

    params = ReuseParams()
    runs = np.array([(0, 0, 20), (22, 22, 20), (42, 45, 15), (70, 90, 20)])
    passages = chain(runs, params)
    assert [(p.a0, p.a1, p.b0, p.b1) for p in passages] == [(0, 57, 0, 60), (70, 90, 90, 110)]
    assert passages[0].to_b(30) == 30 and passages[0].to_b(50) == 53


def test_a_passage_at_the_start_of_one_text_is_not_stretched_past_it():
    """Re-synchronising towards the start stops at the first character: the anchor is never
    looked for at the other end of the text (a negative slice end would do that)."""
    from search.reuse.align import Passage, stretch
    from search.reuse.params import ReuseParams

    core = "天地玄黄宇宙洪荒日月盈昃辰宿列张"
    sa = "甲乙丙丁戊己庚辛壬癸子丑" + core
    sb = core + "乙丙丁戊己庚" + "寅"  # 6 characters 5 before core in sa, near sb's end
    p = Passage(12, 12 + len(core), 0, len(core), [(12, 0, len(core))])
    stretch(p, sa, sb, ReuseParams())
    assert (p.a0, p.a1, p.b0, p.b1) == (12, 12 + len(core), 0, len(core))


def test_workers_running_beside_the_build_give_the_serial_result(monkeypatch, reports):
    """The alignments run in forked workers started at once and collected later (the build
    writes other parts meanwhile): exactly the columns of a serial run; workers closed early
    are gone."""
    import numpy as np

    from search.reuse import compute

    batch = list(reports.values())
    serial = compute.compute(batch, workers=1)
    assert len(serial.pairs["a"]) and len(serial.passages["report"])  # the seeds share text
    monkeypatch.setattr(compute, "CHUNK", 1)  # a chunk per pair: more than one, so a pool
    pending = compute.Pending(batch, workers=2)
    assert pending.pool is not None
    parallel = pending.finish()
    assert parallel.ids == serial.ids
    for part in ("pairs", "passages", "totals"):
        mine, theirs = getattr(parallel, part), getattr(serial, part)
        assert mine.keys() == theirs.keys()
        for name, column in theirs.items():
            assert np.array_equal(mine[name], column), (part, name)
    abandoned = compute.Pending(batch, workers=2)
    processes = list(abandoned.pool._pool)
    abandoned.close()
    assert processes and not any(p.is_alive() for p in processes)
