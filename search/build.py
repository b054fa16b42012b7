"""Build the index: ingest a corpus, write the report store and the Whoosh index, swap it in.

One Whoosh document per report (see docs/design.md): the report is what results list and
rank, and Whoosh's cost is per posting, i.e. per distinct term per document — per-section
documents repeat every shared bigram once per section. Section kinds are indexed; sections
are filtered exactly on the text by offsets. The words field (jieba words) serves
suggestions and related terms (:mod:`search.vocabulary`); titles are ranked from the report
store (no Whoosh field reads them, so none is written). Text is not stored in Whoosh:
the report store holds the normalized text once, and counts and snippets are computed from it
exactly.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import time
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, Schema

from . import reportstore, reuse, store
from .analysis import CountedText
from .errors import IngestError
from .ingest.pipeline import Ingested, corpus_files, stream_corpus_files
from .models import Report
from .originals import INDEX as ORIGINALS_INDEX
from .originals import OriginalsWriter
from .phaseclock import PhaseClock
from .query.suffixes import build_suffixes
from .targets import table as targets

SCHEMA_VERSION = 5  # 3: title/sections fields dropped; 4: reuse.npz; 5: display.utf8


def make_schema() -> Schema:
    return Schema(
        report=ID(stored=True, unique=True),
        city=ID(stored=True),
        province=ID(stored=True),
        prefecture=ID(stored=True),
        level=ID(stored=True),
        year=NUMERIC(int, stored=True, signed=False),
        kinds=KEYWORD(stored=True, commas=True),
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
    #: Wall and CPU seconds of each phase that ran, in order (:data:`PHASES`).
    phases: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


#: Build phases in order (wall and CPU seconds each in BuildSummary.phases). ingest: ingest
#: workers, report store and Whoosh documents, streaming; reuse_start: skeletons, pairs,
#: alignment workers started (they run beside the next three); reuse: waiting for them
#: (their CPU counts here) and writing reuse.npz. No reuse phases with text_reuse=False.
PHASES = ("ingest", "reuse_start", "targets", "whoosh_commit", "suffixes", "reuse")


def fingerprint(corpus: Path) -> str:
    """Cheap identity of a corpus (paths, sizes, mtimes) to skip a rebuild of the same files."""
    digest = hashlib.sha1(f"schema={SCHEMA_VERSION}".encode())
    for path in corpus_files(corpus):
        try:
            stat = path.stat()
        except OSError:
            continue
        # Names are bytes on disk: one that is not UTF-8 is hashed as its bytes.
        digest.update(
            os.fsencode(path.relative_to(corpus))
            + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
        )
    manifest = corpus / "manifest.csv"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def report_document(report: Report, counts: dict | None = None) -> dict:
    """The Whoosh document of a report; ``counts`` maps CountedText fields to their
    precomputed term counts (see :data:`COUNTED`), which then replace the text."""
    document = dict(
        report=report.id,
        city=report.city or "",
        province=report.province or "",
        prefecture=report.prefecture or "",
        level=report.level or "",
        year=report.year if report.year is not None else 0,
        kinds=",".join(sorted({s.kind for s in report.sections})),
        words=report.text,
        exact=report.text,
    )
    if counts:
        for name, view in COUNTED.items():
            if view in counts:
                document[name] = counts[view]
    return document


#: CountedText fields of the schema and the analysis view each counts.
COUNTED = {
    name: field.counter for name, field in make_schema().items() if isinstance(field, CountedText)
}

#: Reports per segment. With the counted fields kept out of Whoosh's sorting pool
#: (search.fastwrite) one segment holds the whole bench corpus (1,163 reports, 12 M
#: postings) with the build's main process peaking at ~350 MB; one segment instead of five
#: also shrinks the index (225 -> 120 MB: no repeated terms tables). The bound only keeps
#: memory in check for much larger corpora.
SEGMENT_REPORTS = 4096
#: Reports per segment of the plain Whoosh writer (``fast=False``): past a few hundred
#: reports its pool overflows and sorting grows worse than linearly.
PLAIN_SEGMENT_REPORTS = 256


class WhooshWriter:
    """Adds reports to a new Whoosh index in ``generation``, in unmerged segments.

    ``fast`` (the default) writes with :class:`~search.fastwrite.CountedSegmentWriter`,
    which groups the postings of the counted fields per term instead of sorting them, in
    segments of SEGMENT_REPORTS; ``fast=False`` is Whoosh's own ``ix.writer()`` in segments
    of PLAIN_SEGMENT_REPORTS, the reference the fast writer is tested against (same terms,
    postings, lengths and stored fields). ``compound=False`` keeps a segment's files
    separate: a compound file is read through in-memory copies, ~120 MB per searcher on the
    bench corpus, and the server keeps one searcher per thread.
    """

    def __init__(self, generation: Path, fast: bool = True):
        folder = generation / store.WHOOSH
        folder.mkdir()
        self.ix = whoosh_index.create_in(str(folder), make_schema())
        self.fast = fast and fast_writer_usable()
        self.limit = SEGMENT_REPORTS if self.fast else PLAIN_SEGMENT_REPORTS
        self.writer = None
        self.pending = 0
        self.sections = 0

    def add(self, report: Report, counts: dict | None = None) -> None:
        if self.writer is None:
            if self.fast:
                from .fastwrite import CountedSegmentWriter

                self.writer = CountedSegmentWriter(self.ix, limitmb=256, compound=False)
            else:
                self.writer = self.ix.writer(limitmb=1024, compound=False)
        self.writer.add_document(**report_document(report, counts))
        self.sections += len(report.sections)
        self.pending += 1
        if self.pending == self.limit:
            self._commit()

    def _commit(self) -> None:
        if self.writer is not None:
            self.writer.commit(merge=False)
        self.writer, self.pending = None, 0

    def commit(self) -> None:
        self._commit()

    def cancel(self) -> None:
        if self.writer is not None:
            try:
                self.writer.cancel()
            finally:
                self.writer = None


def fast_writer_usable() -> bool:
    """Whether :mod:`search.fastwrite` imports: it refuses to on a Whoosh it was not tested
    with (it writes through Whoosh's private parts). Then Whoosh's own writer, with a warning."""
    try:
        importlib.import_module(".fastwrite", __package__)
    except ImportError as error:
        warnings.warn(
            f"{error}; writing the index with Whoosh's own writer (slower)",
            RuntimeWarning,
            stacklevel=2,
        )
        return False
    return True


def write_whoosh(generation: Path, reports, progress: bool = False, fast: bool = True) -> int:
    """Write the Whoosh index of ``reports`` (Report, or ``(Report, counts)`` pairs).

    Returns the number of sections. See :class:`WhooshWriter`.
    """
    writer = WhooshWriter(generation, fast=fast)
    try:
        for item in _progress(reports, progress, "indexing"):
            report, counts = item if isinstance(item, tuple) else (item, None)
            writer.add(report, counts)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return writer.sections


def _progress(items, enabled: bool, label: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="report", file=sys.stderr, leave=False)


def _make_unique(report: Report, seen: dict[str, str]) -> None:
    if report.id in seen:
        report.id = f"{report.id}-{hashlib.sha1(report.source.encode()).hexdigest()[:6]}"
    seen[report.id] = report.source


def build(
    corpus: Path,
    index: Path,
    force: bool = False,
    progress: bool | None = None,
    workers: int | None = None,
    fast: bool = True,
    text_reuse: bool = True,
) -> BuildSummary:
    """Build ``index`` from ``corpus``; the previous index serves until the new one is complete.

    Streaming: reports go to the store and the Whoosh writer as the ingest workers deliver
    them (their term counts made in the workers too), so ingesting overlaps with writing.
    ``fast=False`` writes with plain Whoosh from the text instead (see :class:`WhooshWriter`).
    ``summary.phases`` times each phase (:data:`PHASES`).
    """
    corpus, index = Path(corpus), Path(index)
    if not corpus.is_dir():
        raise IngestError(f"corpus folder not found: {corpus}")
    progress = sys.stderr.isatty() if progress is None else progress
    started = time.perf_counter()
    summary = BuildSummary(str(corpus), str(index))
    with store.build_lock(index):
        store.collect_garbage(index)  # generations of killed builds, damaged ones
        stamp = fingerprint(corpus)
        if not force and _up_to_date(index, stamp, summary):
            _skipped(index, summary)
        else:
            generation = store.new_generation(index)
            run = None
            try:
                run = _Run(generation, summary, fast)
                run.ingest(corpus, progress, workers, text_reuse)
                run.finish(workers, text_reuse)
                store.write_build_info(generation, _build_info(summary, stamp, corpus))
                store.publish(index, generation)
            except BaseException as error:
                if run is not None:
                    run.cancel()
                store.discard(generation)
                store.raise_disk_full(error, generation)
                raise
    summary.seconds = time.perf_counter() - started
    return summary


class _Run:
    """One build into a new generation: its writers, the reports kept for the reuse pass,
    and the clock of its phases."""

    def __init__(self, generation: Path, summary: BuildSummary, fast: bool):
        self.generation, self.summary, self.fast = generation, summary, fast
        self.clock = PhaseClock(summary.phases)
        self.writer: WhooshWriter | None = None
        self.originals = OriginalsWriter(generation)
        self.kept: list[Report] = []  # for the reuse pass (search.reuse)

    def ingest(self, corpus: Path, progress: bool, workers: int | None, text_reuse: bool):
        """Ingest, store and index every report as the ingest workers deliver it."""
        summary, originals = self.summary, self.originals
        file_number = [0]  # the stored original of the file whose reports come next

        def keep(text: str) -> None:
            file_number[0] = originals.add_file(text)

        ingested = Ingested(keep_original=keep)
        with self.clock("ingest"):
            stream = stream_corpus_files(
                corpus,
                ingested,
                progress=progress,
                workers=workers,
                views=tuple(sorted(set(COUNTED.values()))) if self.fast else (),
            )
            writer = self.writer = WhooshWriter(self.generation, fast=self.fast)
            seen: dict[str, str] = {}

            def indexed():
                for report, counts in stream:
                    _make_unique(report, seen)
                    originals.link(report.id, file_number[0])
                    writer.add(report, counts)
                    if text_reuse:
                        self.kept.append(report)
                    summary.reports += 1
                    summary.chars += report.chars
                    yield report

            with closing(stream):
                reportstore.write_reports(self.generation, indexed())
        summary.files = ingested.files
        summary.warnings += ingested.warnings
        summary.problems = ingested.problems

    def finish(self, workers: int | None, text_reuse: bool) -> None:
        """Targets, Whoosh, suffixes and reuse, whose alignment workers run beside the other
        three (each mostly one core): its last phase is what is left to wait for."""
        pending = None
        if text_reuse:  # off: pages that need it say the index has no reuse data
            with self.clock("reuse_start"):
                pending = reuse.start(self.kept, workers=workers)
            self.kept = []
        try:
            with self.clock("targets"):
                targets.write(self.generation)  # figures each report sets and reports
            with self.clock("whoosh_commit"):
                self.writer.commit()
                self.originals.close()
            self.summary.sections = self.writer.sections
            with self.clock("suffixes"):
                build_suffixes(self.generation)
            if pending is not None:
                with self.clock("reuse"):
                    reuse.finish_into(self.generation, pending)
        finally:
            if pending is not None:
                pending.close()

    def cancel(self) -> None:
        self.originals.cancel()
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:  # a full disk can fail the cancel too; the cause matters
                pass


def _skipped(index: Path, summary: BuildSummary) -> None:
    """The summary of a build skipped because the live index is up to date."""
    summary.skipped = True
    info = store.read_build_info(store.current_generation(index))
    summary.files, summary.reports = info.get("files", 0), info.get("reports", 0)


def _build_info(summary: BuildSummary, stamp: str, corpus: Path) -> dict:
    kept = ("files", "reports", "sections", "chars", "problems", "warnings", "phases")
    info = {"fingerprint": stamp, "schema": SCHEMA_VERSION}
    info.update({name: getattr(summary, name) for name in kept})
    info.update(built=time.strftime("%Y-%m-%dT%H:%M:%S"), corpus=str(corpus.resolve()))
    return info


def _up_to_date(index: Path, stamp: str, summary: BuildSummary) -> bool:
    """The live generation was built from these files and is intact (else: rebuild)."""
    try:
        generation = store.current_generation(index)
    except Exception:
        return False
    if store.read_build_info(generation).get("fingerprint") != stamp:
        return False
    damage = store.damage(generation, published=True)
    if damage:
        summary.warnings.append(f"the live index generation is damaged ({damage[0]}): rebuilt")
    return (
        not damage
        and os.path.isdir(generation / store.WHOOSH)
        and (generation / ORIGINALS_INDEX).is_file()
    )  # built before originals were stored: rebuild
