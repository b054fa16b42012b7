"""Hostile files and interrupted builds: nothing crashes a build or loses the index."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import commands
import pytest
from conftest import CORPUS, SEEDS, raw

from search import store
from search.build import build
from search.engine import Engine
from search.errors import BuildLockedError
from search.ingest.normalize import strip_pinyin
from search.ingest.pipeline import ingest_corpus

SEED = "002_368e49043dcb499b.txt"


def texts_by_source(folder: Path) -> dict[str, str]:
    return {r.source: r.text for r in ingest_corpus(folder).reports}


def test_the_same_report_in_every_encoding_gives_the_same_text_and_counts(tmp_path):
    # Big5 cannot encode pinyin tone letters, so every variant is made from one copy that
    # Big5 can hold: pinyin removed, then any character Big5 lacks dropped.
    text = strip_pinyin(raw("jurong2024")).encode("big5", "ignore").decode("big5")
    folder = tmp_path / "encodings"
    folder.mkdir()
    variants = {
        "utf8.txt": text.encode("utf-8"),
        "utf8bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16le.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "gb18030.txt": text.encode("gb18030"),
        "big5.txt": text.encode("big5"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
    }
    for name, data in variants.items():
        (folder / name).write_bytes(data)
    texts = texts_by_source(folder)
    assert sorted(texts) == sorted(variants)
    assert len(set(texts.values())) == 1
    index = tmp_path / "index"
    build(folder, index, progress=False)
    rows = Engine(index).stats("园区整合")["rows"]
    assert {r["report_id"]: r["occurrences"] for r in rows} == {name[:-4]: 2 for name in variants}


def test_full_width_digits_and_letters_are_folded(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "各位代表:我代表镇江市人民政府报告工作。新建５Ｇ基站１２００个。", "utf-8"
    )
    report = ingest_corpus(folder).reports[0]
    assert "新建5G基站1200个。" in report.text


def bad_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "good.txt").write_bytes((CORPUS / SEEDS["zhenjiang2024"]).read_bytes())
    (folder / "报告 “引号” 'quote'.txt").write_bytes((CORPUS / SEEDS["changzhou2024"]).read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    (folder / "random.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "english.txt").write_text("This report has no Chinese at all.\n", "utf-8")
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: rejected by size before it is read
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_bad_files_are_listed_one_line_each_and_the_rest_is_indexed(tmp_path):
    folder = bad_corpus(tmp_path)
    summary = build(folder, tmp_path / "index", progress=False)
    assert summary.reports == 2
    problems = {line.split(":")[0]: line for line in summary.problems}
    assert sorted(problems) == sorted(
        [
            "dangling.txt",
            "empty.txt",
            "english.txt",
            "huge.txt",
            "image.png",
            "loop.txt",
            "pipe.txt",
            "random.txt",
        ]
    )
    assert all(len(line.splitlines()) == 1 for line in summary.problems)
    assert "empty" in problems["empty.txt"]
    assert "Chinese" in problems["english.txt"]
    ids = [r.id for r in Engine(tmp_path / "index").reports()]
    assert "good" in ids and all(i.isascii() and "/" not in i for i in ids)


def test_build_exit_codes_with_and_without_strict(tmp_path):
    folder = bad_corpus(tmp_path)

    def run(*extra):
        return commands.build(folder, tmp_path / "index", *extra)

    plain = run()
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.count("skipped: ") == 8 and "Traceback" not in plain.stderr
    strict = run("--force", "--strict")
    assert strict.returncode == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_reported(tmp_path):
    folder = tmp_path / "perm"
    folder.mkdir()
    locked = folder / "locked.txt"
    locked.write_text("各位代表:我代表镇江市人民政府报告工作。", "utf-8")
    locked.chmod(0)
    summary = build(folder, tmp_path / "index", progress=False)
    assert [p.split(":")[0] for p in summary.problems] == ["locked.txt"]


def test_missing_corpus_and_index_give_one_line_errors(tmp_path):
    for args in (
        ["build", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")],
        ["reports", "--index", str(tmp_path / "nope"), "--json"],
        ["query", "税", "--index", str(tmp_path / "nope")],
    ):
        result = commands.search(*args, timeout=60)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0); os.write(fd, str(os.getpid()).encode())
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_build_is_refused_while_the_lock_is_held(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    holder = commands.start_script(HOLD_LOCK, index / store.LOCK, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildLockedError) as error:
            build(CORPUS, index, progress=False)
        assert str(holder.pid) in str(error.value)
    finally:
        holder.kill()
        holder.wait()
    # The holder died: the kernel released its lock, and the file left behind (naming a
    # dead process) is no lock at all.
    assert (index / store.LOCK).read_text() == str(holder.pid)
    assert build(CORPUS, index, progress=False).reports == 7


def test_a_build_killed_halfway_leaves_the_previous_index_serving(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for n in range(10):
        for name in SEEDS.values():
            (big / f"{n:02d}_{name}").write_bytes((CORPUS / name).read_bytes())
    index = tmp_path / "index"
    build(CORPUS, index, progress=False)
    before = Engine(index).stats("园区整合")["total"]
    proc = commands.start("build", "--corpus", big, "--index", index, "--workers", "1")
    deadline = time.time() + 60
    # killed while the new generation's report store is being written (texts, codes)
    while len(list(index.glob("gen-*/texts.utf8"))) < 2 and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    engine = Engine(index)
    assert engine.stats("园区整合")["total"] == before == 7
    assert (index / store.LOCK).exists()  # left behind by the killed build: stale
    summary = build(big, index, progress=False)
    assert summary.reports == 7 * 10
    assert Engine(index).stats("园区整合")["total"] == 7 * 10
    assert len(list(index.glob("gen-*"))) <= 2


def test_a_build_killed_while_writing_suffix_arrays_leaves_the_previous_index_serving(tmp_path):
    """The suffix arrays are part of the generation: a build killed while writing them
    publishes nothing, and the next build replaces the half-written generation."""
    index = tmp_path / "index"
    build(CORPUS, index, progress=False)
    before = Engine(index).search("发展 OR G312")
    # tiny segments, and the third one held up, so the kill lands in the middle of the phase
    script = "\n".join(
        [
            "import sys, time",
            "import search.query.suffixes as s",
            "s.SEGMENT_CHARS = 300",
            "sample, calls = s._sample, []",
            "def held(*args):",
            "    calls.append(1)",
            "    if len(calls) == 3:",
            "        time.sleep(600)",
            "    return sample(*args)",
            "s._sample = held",
            "from search.cli import main",
            "sys.exit(main(sys.argv[1:]))",
        ]
    )
    proc = commands.start_script(script, "build", "--corpus", CORPUS, "--index", index, "--force")
    deadline = time.time() + 60
    while not list(index.glob("gen-*/sa-002.npy")) and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = [g for g in index.glob("gen-*") if g.name != store.generation_id(index)]
    assert partial and not (partial[0] / "suffixes.json").exists()  # killed halfway
    assert Engine(index).search("发展 OR G312") == before
    build(CORPUS, index, progress=False, force=True)
    assert Engine(index).search("发展 OR G312") == before
    assert not partial[0].exists()  # pruned when the next build was published


def test_build_json_summary(tmp_path):
    data = commands.search_json("build", "--corpus", CORPUS, "--index", tmp_path / "i", "--json")
    assert (data["files"], data["reports"], data["problems"]) == (5, 7, [])
