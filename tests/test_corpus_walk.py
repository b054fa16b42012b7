"""Every file under the corpus folder is indexed or listed with its reason, whatever its name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import commands
from conftest import CORPUS, SEEDS

from search.build import build
from search.engine import Engine
from search.ingest.walk import display_name


def seed(name: str) -> bytes:
    return (CORPUS / SEEDS[name]).read_bytes()


def odd_corpus(tmp_path: Path) -> tuple[Path, set[str]]:
    """A corpus with every kind of entry; returns it and the names that must be indexed."""
    folder = tmp_path / "odd"
    (folder / "sub" / "..dir").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.txt").write_bytes(seed("jurong2024"))
    (folder / "a.txt").write_bytes(seed("zhenjiang2023"))
    (folder / "sub" / "b.txt").write_bytes(seed("zhenjiang2024"))
    (folder / "sub" / "..dir" / "c.txt").write_bytes(seed("changzhou2024"))
    (folder / ".hidden" / "d.txt").write_bytes(seed("changzhou2024"))
    (folder / ".hidden" / "e.txt").write_bytes(seed("changzhou2024"))
    (folder / ".dotfile.txt").write_bytes(seed("jurong2024"))
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (folder / "linked-file.txt").symlink_to(outside / "far.txt")
    (folder / "inner-link.txt").symlink_to(folder / "a.txt")
    return folder, {"a.txt", "sub/b.txt"}


def test_every_entry_is_indexed_or_listed_with_its_reason(tmp_path):
    folder, indexed = odd_corpus(tmp_path)
    summary = build(folder, tmp_path / "index", progress=False)
    sources = {r.source for r in Engine(tmp_path / "index").reports()}
    assert sources == indexed
    reasons = dict(line.split(": ", 1) for line in summary.problems)
    assert sorted(reasons) == sorted(
        [
            ".dotfile.txt",
            ".hidden/",
            "inner-link.txt",
            "linked-dir/",
            "linked-file.txt",
            "sub/..dir/",
        ]
    )
    assert reasons[".hidden/"] == "hidden folder, not read (2 files in it)"
    assert reasons["sub/..dir/"] == "hidden folder, not read (1 files in it)"
    assert reasons[".dotfile.txt"] == "hidden file, not read"
    for name in ("linked-dir/", "linked-file.txt", "inner-link.txt"):
        assert reasons[name].startswith("symbolic link") and "not followed" in reasons[name]
    # Every regular file and link under the folder is accounted for, none twice.
    on_disk = 0
    for _, dirs, names in os.walk(folder):
        on_disk += len(names) + sum((Path(_) / d).is_symlink() for d in dirs)
    assert on_disk == len(indexed) + 3 + 1 + 2 + 1  # + links, dotfile, .hidden/ and ..dir/ files
    assert summary.files == len(indexed) + len(summary.problems)


def test_original_is_served_for_every_indexed_report_and_links_are_not(tmp_path):
    from web import create_app

    folder, indexed = odd_corpus(tmp_path)
    build(folder, tmp_path / "index", progress=False)
    client = create_app({"INDEX": str(tmp_path / "index"), "TESTING": True}).test_client()
    engine = Engine(tmp_path / "index")
    for report in engine.reports():
        answer = client.get(f"/api/report/{report.id}/original")
        assert answer.status_code == 200
        assert report.text[:20].replace("\n", "") or answer.get_json()["text"]


def bad_name_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "names"
    folder.mkdir()
    base = os.fsencode(folder)
    for raw, name in ((b"bad\xff\xfe.txt", "zhenjiang2023"), (b"bad\xfe\xff.txt", "jurong2024")):
        with open(base + b"/" + raw, "wb") as out:
            out.write(seed(name))
    (folder / "line\nbreak.txt").write_bytes(seed("changzhou2024"))
    (folder / "empty\nname.txt").write_bytes(b"")
    return folder


def test_names_that_are_not_utf8_are_read_shown_with_replacement_and_kept_apart(tmp_path):
    folder = bad_name_corpus(tmp_path)
    result = commands.build(folder, tmp_path / "index")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    reports = Engine(tmp_path / "index").reports()
    by_source = {}
    for report in reports:
        by_source.setdefault(report.source, []).append(report.id)
    assert by_source["bad\ufffd\ufffd.txt"] and len(by_source["bad\ufffd\ufffd.txt"]) == 2
    assert len({r.id for r in reports}) == len(reports) == 3
    # One line per skipped file: the name with a line break is quoted.
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert skipped == ['skipped: "empty\\nname.txt": file is empty']
    assert display_name("line\nbreak.txt") == json.dumps("line\nbreak.txt")


def test_cli_arguments_that_are_not_utf8_give_one_line_and_exit_2(index_dir):
    for args in (
        [b"query", b"\xff\xfe"],
        [b"stats", b"\xd6\xd0", b"--city", b"ok"],
        [b"query", b"ok", b"--city", b"\xff"],
    ):
        result = commands.search(*args, b"--index", str(index_dir).encode(), text=False)
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2 and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1 and "not valid UTF-8" in err
