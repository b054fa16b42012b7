"""Build the index: ingest a corpus, write the report store and the Whoosh index, swap it in.

One Whoosh document per report (see docs/design.md): the report is what results list and
rank, and Whoosh's cost is per posting, i.e. per distinct term per document — per-section
documents repeat every shared bigram once per section. Sections are still indexed (their
kinds and titles) and filtered exactly on the text by offsets. Text is not stored in Whoosh:
the report store holds the normalized text once, and counts and snippets are computed from it
exactly.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from . import store
from .analysis import CountedText, word_analyzer
from .errors import IngestError
from .ingest.pipeline import corpus_files, ingest_corpus_files
from .models import Report

SCHEMA_VERSION = 2


def make_schema() -> Schema:
    return Schema(
        report=ID(stored=True, unique=True),
        city=ID(stored=True),
        province=ID(stored=True),
        prefecture=ID(stored=True),
        level=ID(stored=True),
        year=NUMERIC(int, stored=True, signed=False),
        kinds=KEYWORD(stored=True, commas=True),
        title=TEXT(analyzer=word_analyzer(), field_boost=2.0),
        sections=TEXT(analyzer=word_analyzer()),
        words=CountedText("words"),
        exact=CountedText("exact"),
    )


@dataclass
class BuildSummary:
    """What a build did; ``problems`` lists the files that were not indexed, one line each."""

    corpus: str
    index: str
    files: int = 0
    reports: int = 0
    sections: int = 0
    chars: int = 0
    seconds: float = 0.0
    skipped: bool = False
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def fingerprint(corpus: Path) -> str:
    """Cheap identity of a corpus (paths, sizes, mtimes) to skip a rebuild of the same files."""
    digest = hashlib.sha1(f"schema={SCHEMA_VERSION}".encode())
    for path in corpus_files(corpus):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(corpus)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    manifest = corpus / "manifest.csv"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def report_document(report: Report) -> dict:
    return dict(
        report=report.id,
        city=report.city or "",
        province=report.province or "",
        prefecture=report.prefecture or "",
        level=report.level or "",
        year=report.year if report.year is not None else 0,
        kinds=",".join(sorted({s.kind for s in report.sections})),
        title=report.title or "",
        sections=" ".join(s.title for s in report.sections if s.title),
        words=report.text,
        exact=report.text,
    )


SEGMENT_REPORTS = 256


def write_whoosh(generation: Path, reports: list[Report], progress: bool) -> int:
    """Write the Whoosh index, one unmerged segment per SEGMENT_REPORTS reports.

    Whoosh sorts a segment's postings in one pool: one segment for the whole bench corpus
    overflows the pool and grows worse than linearly (172 s), bounded segments keep the
    build linear (106 s), and a search over five segments costs nothing measurable.
    Single-process on purpose: Whoosh's multiprocess writer measured 2.5× slower here
    (documents pickled through pipes, then merged), while analysis is already cheap (terms
    are counted in C, see analysis.CountedText). ``compound=False`` keeps a segment's files
    separate: a compound file is read through in-memory copies, ~120 MB per searcher on the
    bench corpus, and the server keeps one searcher per thread.
    """
    folder = generation / store.WHOOSH
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    items = _progress(reports, progress, "indexing")
    writer, pending = None, 0
    for report in items:
        if writer is None:
            writer = ix.writer(limitmb=1024, compound=False)
        writer.add_document(**report_document(report))
        pending += 1
        if pending == SEGMENT_REPORTS:
            writer.commit(merge=False)
            writer, pending = None, 0
    if writer is not None:
        writer.commit(merge=False)
    return sum(len(r.sections) for r in reports)


def _progress(items, enabled: bool, label: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="report", file=sys.stderr, leave=False)


def check_unique_ids(reports: list[Report]) -> None:
    seen: dict[str, str] = {}
    for report in reports:
        if report.id in seen:
            report.id = f"{report.id}-{hashlib.sha1(report.source.encode()).hexdigest()[:6]}"
        seen[report.id] = report.source


def build(corpus: Path, index: Path, force: bool = False, progress: bool | None = None,
          workers: int | None = None) -> BuildSummary:
    """Build ``index`` from ``corpus``; the previous index serves until the new one is complete."""
    corpus, index = Path(corpus), Path(index)
    if not corpus.is_dir():
        raise IngestError(f"corpus folder not found: {corpus}")
    progress = sys.stderr.isatty() if progress is None else progress
    started = time.perf_counter()
    summary = BuildSummary(str(corpus), str(index))
    with store.build_lock(index):
        stamp = fingerprint(corpus)
        if not force and _up_to_date(index, stamp):
            summary.skipped = True
            summary.seconds = time.perf_counter() - started
            info = store.read_build_info(store.current_generation(index))
            summary.files, summary.reports = info.get("files", 0), info.get("reports", 0)
            return summary
        ingested = ingest_corpus_files(corpus, progress=progress, workers=workers)
        reports = ingested.reports
        check_unique_ids(reports)
        generation = store.new_generation(index)
        try:
            store.write_reports(generation, reports)
            summary.sections = write_whoosh(generation, reports, progress)
            summary.files, summary.reports = ingested.files, len(reports)
            summary.chars = sum(r.chars for r in reports)
            summary.warnings, summary.problems = ingested.warnings, ingested.problems
            store.write_build_info(generation, {
                "fingerprint": stamp, "schema": SCHEMA_VERSION, "files": summary.files,
                "reports": summary.reports, "sections": summary.sections,
                "chars": summary.chars, "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "corpus": str(corpus.resolve()), "problems": summary.problems,
                "warnings": summary.warnings})
            store.publish(index, generation)
        except BaseException:
            store.discard(generation)
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def _up_to_date(index: Path, stamp: str) -> bool:
    try:
        generation = store.current_generation(index)
    except Exception:
        return False
    return store.read_build_info(generation).get("fingerprint") == stamp and os.path.isdir(
        generation / store.WHOOSH)
