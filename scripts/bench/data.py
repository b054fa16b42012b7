"""The bench corpus (unpacked from ``../shared/corpus-bench`` if missing), its manifest,
deterministic subsets and the query set ``scripts/bench_queries.txt``."""

from __future__ import annotations

import csv
import os
import shutil
import tarfile
from pathlib import Path

from .common import PHRASE_CATEGORIES, QUERIES, ROOT, log

SHARED = ROOT.parent / "shared"


def _unpack(tarball: Path, data: Path) -> None:
    log(f"unpacking {tarball} into {data}")
    data.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:xz") as tar:
        members = [
            m
            for m in tar.getmembers()
            if m.name.startswith("reports/") and Path(m.name).name != "manifest.csv"
        ]
        try:
            tar.extractall(data, members=members, filter="data")
        except TypeError:  # Python without extraction filters
            tar.extractall(data, members=members)


def ensure_data(data: Path, shared: Path = SHARED) -> Path:
    """DATA/reports (unpacked from SHARED/corpus-bench if missing); the manifest lives in
    DATA/, never inside DATA/reports, where it would override the metadata the ingest
    extracts from the text (the quality part measures exactly that extraction)."""
    reports = data / "reports"
    tarball = shared / "corpus-bench" / "reports.tar.xz"
    if not reports.is_dir() or not any(reports.glob("*.txt")):
        if not tarball.is_file():
            raise SystemExit(f"{reports} is missing and there is no tarball at {tarball}")
        _unpack(tarball, data)
    manifest = data / "manifest.csv"
    if not manifest.is_file():
        if (tarball.parent / "manifest.csv").is_file():
            shutil.copyfile(tarball.parent / "manifest.csv", manifest)
    stray = reports / "manifest.csv"
    if stray.is_file():
        log(f"WARNING: {stray} would override the extracted metadata; moving it to {manifest}")
        if manifest.is_file():
            stray.unlink()
        else:
            stray.replace(manifest)
    return reports


def subset(reports: Path, files: list[Path], folder: Path) -> Path:
    """A corpus folder of hard links to ``files`` (deterministic subsets of the bench corpus);
    copies where a hard link is not possible. Not symlinks: the build never follows those
    (docs/reliability.md)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for f in files:
        try:
            os.link(f.resolve(), folder / f.name)
        except OSError:
            shutil.copyfile(f, folder / f.name)
    return folder


def load_manifest(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def load_queries(path: Path = QUERIES) -> list[dict]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, _, query = line.partition("\t")
        out.append({"category": category.strip(), "query": query.strip()})
    return out


def is_phrase_query(q: dict) -> bool:
    return q["category"].startswith(PHRASE_CATEGORIES)
