"""The index on disk: checksums, damaged generations, the build lock, a full disk, GC."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import commands
import pytest
from conftest import CORPUS

from search import checksums, store
from search.build import build
from search.engine import Engine
from search.errors import IndexDamagedError


@pytest.fixture
def built(tmp_path):
    index = tmp_path / "index"
    build(CORPUS, index, progress=False)
    return index


def live(index: Path) -> Path:
    return store.current_generation(index)


def biggest(folder: Path, suffix: str) -> Path:
    return max(folder.rglob(f"*{suffix}"), key=lambda p: p.stat().st_size)


def test_the_checksum_manifest_lists_every_file_of_the_generation(built):
    generation = live(built)
    recorded = json.loads((generation / checksums.FILENAME).read_text("utf-8"))["files"]
    on_disk = {
        p.relative_to(generation).as_posix()
        for p in generation.rglob("*")
        if p.is_file() and p.name != checksums.FILENAME
    }
    assert set(recorded) == on_disk and store.REPORTS in on_disk
    for name, (size, digest) in recorded.items():
        assert size == (generation / name).stat().st_size
        assert digest == checksums.file_hash(generation / name)
    result = commands.search("check", "--index", built, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "index": str(built),
        "generation": generation.name,
        "files": len(on_disk),
        "ok": True,
        "problems": [],
    }


def garbage_line(generation: Path) -> str:
    with open(generation / store.REPORTS, "a", encoding="utf-8") as out:
        out.write("this is not a report\n")
    return store.REPORTS


def truncated(generation: Path, suffix: str) -> str:
    path = biggest(generation, suffix)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    return path.name


def same_size_garbage(generation: Path) -> str:
    """Overwrite bytes in the middle of a large file: only a full check can see it."""
    path = biggest(generation, ".pst")
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(b"\x00garbage\x00")
    return path.name


@pytest.mark.parametrize(
    "damage",
    [garbage_line, lambda g: truncated(g, ".trm"), lambda g: truncated(g, ".pst")],
    ids=["garbage-line", "truncated-trm", "truncated-pst"],
)
def test_a_damaged_generation_is_refused_named_and_rebuilt(built, damage):
    name = damage(live(built))
    with pytest.raises(IndexDamagedError) as error:
        Engine(built)
    assert name in str(error.value) and "rebuild" in str(error.value)
    check = commands.search("check", "--index", built)
    assert check.returncode == 2 and name in check.stderr and "Traceback" not in check.stderr
    serve = commands.search("serve", "--index", built, "--port", "0", timeout=60)
    assert serve.returncode == 2 and name in serve.stderr and "Traceback" not in serve.stderr
    again = commands.build(CORPUS, built)
    assert again.returncode == 0 and again.stdout.startswith("built "), again.stdout
    assert "damaged" in again.stderr
    assert commands.search("check", "--index", built).returncode == 0
    assert Engine(built).stats("园区整合")["total"] == 7


def test_a_full_check_finds_a_change_that_keeps_the_size(built):
    name = same_size_garbage(live(built))
    result = commands.search("check", "--index", built, "--json")
    assert result.returncode == 2
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 1 and name in problems[0] and "checksum" in problems[0]


def test_a_damaged_live_generation_falls_back_to_the_previous_intact_one(built, tmp_path):
    first = live(built).name
    two = tmp_path / "two"
    two.mkdir()
    shutil.copy(CORPUS / "002_368e49043dcb499b.txt", two)
    build(two, built, progress=False)
    second = live(built)
    truncated(second, ".trm")
    engine = Engine(built)
    assert engine.snapshot.generation == first and second.name in engine.snapshot.note
    assert engine.stats("园区整合")["total"] == 7  # the seed corpus: the first generation
    assert engine.refresh() is False  # no reopening on every request while CURRENT is damaged
    serve_check = commands.search("check", "--index", built)
    assert serve_check.returncode == 2


def test_build_keeps_two_intact_generations_and_removes_dead_and_damaged_ones(built):
    names = [live(built).name]
    for _ in range(2):
        build(CORPUS, built, force=True, progress=False)
        names.append(live(built).name)
    dead = [built / f"gen-dead-{n}" for n in range(3)]  # what killed builds leave
    for folder in dead:
        (folder / "whoosh").mkdir(parents=True)
        (folder / "reports.jsonl.partial").write_text("{", "utf-8")
    truncated(built / names[1], ".trm")  # the previous generation is damaged
    build(CORPUS, built, force=True, progress=False)
    left = sorted(p.name for p in built.glob("gen-*"))
    assert left == sorted([live(built).name, names[2]])
    assert all(store.damage(built / name) == [] for name in left)


def test_build_with_an_unchanged_corpus_and_intact_index_is_kept(built):
    result = commands.build(CORPUS, built)
    assert result.stdout.startswith("unchanged, kept"), result.stdout


LOCK_RACER = """
import os, sys, time
from pathlib import Path
from search import store
from search.errors import BuildLockedError
index, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
try:
    with store.build_lock(index):
        mine = index / f"inside-{os.getpid()}"
        mine.touch()
        time.sleep(0.2)
        print(len(list(index.glob("inside-*"))))
        mine.unlink()
except BuildLockedError:
    print("refused")
"""


def test_the_build_lock_has_one_holder_among_many_racing_processes(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / store.LOCK).write_text("999999999")  # a stale lock file from a dead build
    for round_ in range(4):
        go = tmp_path / f"go-{round_}"
        racers = [
            commands.start_script(LOCK_RACER, index, go, stdout=subprocess.PIPE, text=True)
            for _ in range(12)
        ]
        time.sleep(1.0)  # all started and waiting
        go.touch()
        answers = [racer.communicate(timeout=60)[0].strip() for racer in racers]
        holders = [a for a in answers if a != "refused"]
        assert holders and all(a == "1" for a in holders), answers


def test_a_killed_lock_holder_releases_the_lock(tmp_path):
    index = tmp_path / "index"
    holder = commands.start_script(LOCK_RACER.replace("0.2", "60"), index, tmp_path)
    deadline = time.time() + 30
    while not list(index.glob("inside-*")) and time.time() < deadline:
        time.sleep(0.05)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert build(CORPUS, index, progress=False).reports == 7


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_says_so_with_the_path_and_leaves_nothing_behind(tiny_disk):
    index = tiny_disk / "index"
    result = commands.build(CORPUS, index, "--workers", "1")
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "no space left on device" in line and str(index) in line
    assert list(index.glob("gen-*")) == [] and not (index / store.CURRENT).exists()


def test_a_file_size_limit_is_reported_like_a_full_disk_and_the_old_index_serves(built):
    before = live(built).name

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    result = commands.build(CORPUS, built, "--force", "--workers", "1", preexec_fn=limit)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "file size limit exceeded writing" in result.stderr and str(built) in result.stderr
    assert [p.name for p in built.glob("gen-*")] == [before] == [live(built).name]


def test_the_web_answers_503_naming_the_check_command_for_a_damaged_index(built):
    from web import create_app

    garbage_line(live(built))
    client = create_app({"INDEX": str(built)}).test_client()
    response = client.get("/api/search?q=园区整合")
    assert response.status_code == 503
    assert "python -m search check" in response.get_json()["error"]["message"]
