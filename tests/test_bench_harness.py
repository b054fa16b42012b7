"""The benchmark harness itself: the report renders every section from the committed JSON,
and a corpus fraction keeps the chosen files with exactly their manifest rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from scripts.bench.report import NOTES_END, NOTES_START, render, targets
from scripts.bench.scale import fraction_of

ROOT = Path(__file__).resolve().parent.parent


def test_report_renders_every_target_and_the_scale_section_from_the_json():
    res = json.loads((ROOT / "docs" / "benchmarks.json").read_text("utf-8"))
    text = render(res)
    assert targets(res) == res["targets"]
    for t in res["targets"] + res.get("scale", {}).get("targets", []):
        assert f"| {t['target']} | {t['measured']} |" in text
    assert text.count(NOTES_START) == 1 and text.count(NOTES_END) == 1
    if res.get("scale"):
        assert "## Scale: 1× and 10× corpora" in text


def test_a_fraction_keeps_every_kth_file_with_its_manifest_row(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = [f"r{i:02d}.txt" for i in range(10)]
    for name in names:
        (corpus / name).write_text(name, "utf-8")
    with open(corpus / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "city"])
        writer.writerows([name, "镇江市"] for name in names)
    part = fraction_of(corpus, 0.25, tmp_path / "part")
    kept = sorted(p.name for p in part.glob("*.txt"))
    assert kept == names[::4]
    with open(part / "manifest.csv", encoding="utf-8", newline="") as handle:
        assert [row["file"] for row in csv.DictReader(handle)] == kept
    assert all((part / n).read_text("utf-8") == n for n in kept)
