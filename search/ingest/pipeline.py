"""Ingest: file → text → parts → normalized lines → report model with metadata.

:func:`ingest_text` is the whole chain on a string; :func:`ingest_corpus` walks a folder and
never stops at a bad file: each problem becomes one line in ``Ingested.problems`` and the rest
is ingested.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import display
from ..models import Report
from .boilerplate import clean_inline, drop_reason, strip_markdown
from .frontmatter import FrontMatter
from .manifest import apply_manifest, load_manifest, unused_rows
from .metadata import describe
from .normalize import CJK, before_nfkc, normalize_text
from .repeats import drop_repeated_blocks
from .split import split_parts
from .structure import Line, outline, split_note_flag
from .walk import display_name, name_bytes, walk_corpus

MIN_DUPLICATE = 20


@dataclass
class Ingested:
    """The reports of a corpus, with per-file warnings and problems (files not ingested)."""

    reports: list[Report] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: int = 0
    #: Called with each file's decoded text just before its reports are yielded (the build
    #: stores it for ``/report/<id>/original``); None: texts are not kept.
    keep_original: Callable[[str], None] | None = None


def clean_lines(text: str, front: FrontMatter) -> list[Line]:
    """Normalized body lines: noise dropped, front matter moved into ``front``."""
    lines = []
    seen = set()
    for raw in normalize_text(text).split("\n"):
        line = split_note_flag(raw)
        body, markdown = strip_markdown(line.text)
        body = clean_inline(body)
        if not body or drop_reason(body) or front.take(body):
            continue
        if len(body) >= MIN_DUPLICATE:
            if body in seen:
                continue
            seen.add(body)
        lines.append(Line(body, markdown, line.note))
    return lines


def report_id(source: str, part: int | None, key: bytes | None = None) -> str:
    """Stable, URL-safe id from the file path: readable when the path is plain ASCII.

    ``key`` is the name's bytes on disk when they are not UTF-8: two such names shown alike
    (replacement characters) still get two ids.
    """
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source)
    if key is None and re.fullmatch(r"[A-Za-z0-9_.\-/]+", stem):
        base = stem.replace("/", "--")
    else:
        base = "r" + hashlib.sha1(key or source.encode("utf-8")).hexdigest()[:12]
    return f"{base}-{part}" if part else base


def ingest_text(text: str, source: str = "<text>", key: bytes | None = None) -> list[Report]:
    """All reports in one file's decoded text; none if it holds no Chinese at all."""
    if not re.search(f"[{CJK}]", text):
        return []
    parts = split_parts(text.split("\n"))
    reports = []
    for number, lines in enumerate(parts, start=1):
        part = number if len(parts) > 1 else None
        front = FrontMatter()
        body = drop_repeated_blocks(clean_lines("\n".join(lines), front))
        if not any(line.text for line in body):
            continue
        text_, sections, paragraphs = outline(body).build()
        report = Report(
            id=report_id(source, part, key),
            source=source,
            text=text_,
            sections=sections,
            paragraphs=paragraphs,
            part=part,
        )
        report.display, report.display_map = display.build(before_nfkc("\n".join(lines)), text_)
        describe(report, front)
        reports.append(report)
    return reports


def corpus_files(corpus: Path) -> list[Path]:
    """The files of ``corpus`` that are read, sorted (see :mod:`search.ingest.walk`)."""
    return walk_corpus(corpus)[0]


def ingest_file(path: Path, corpus: Path) -> tuple[list[Report], list[str]]:
    reports, warnings, _ = read_file(path, corpus)
    return reports, warnings


def read_file(path: Path, corpus: Path) -> tuple[list[Report], list[str], str]:
    """A file's reports, warnings and decoded text (what ``/original`` shows)."""
    from .formats import read_text

    relative = path.relative_to(corpus)
    source = display_name(relative)
    raw = name_bytes(relative)
    decoded = read_text(path)
    reports = ingest_text(decoded.text, source, key=None if _utf8(raw) else raw)
    warnings = [w.replace(str(path), source).replace("\n", " ") for w in decoded.warnings]
    for report in reports:
        report.warnings = list(warnings)
    return reports, warnings, decoded.text


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _ingest_one(args):
    """Worker: one file's reports, or the one-line problem that kept it out.

    With ``views`` (names of analysis.term_counts views), each report's term counts are
    computed here too, in the worker, and returned packed, one tuple of views per report.
    """
    path, corpus = args[0], args[1]
    views = args[2] if len(args) > 2 else ()
    name = display_name(path.relative_to(corpus))
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # follows links; a FIFO would block a read
            return name, [], [], f"{name}: not a regular file, skipped", [], ""
        reports, warnings, text = read_file(path, corpus)
    except (ValueError, OSError, RecursionError) as error:
        if isinstance(error, OSError) and error.strerror:
            return name, [], [], f"{name}: cannot read it ({error.strerror.lower()})", [], ""
        message = str(error).replace(str(path), name).replace("\n", " ")
        return name, [], [], message if message.startswith(name) else f"{name}: {message}", [], ""
    if not reports:
        return name, [], warnings, f"{name}: no Chinese report text found", [], ""
    counts = []
    if views:
        from ..analysis import pack_counts, term_counts

        counts = [{view: pack_counts(term_counts(view, r.text)) for view in views} for r in reports]
    return name, reports, warnings, None, counts, text


def stream_corpus_files(
    corpus: Path,
    result: Ingested,
    progress: bool = False,
    workers: int | None = None,
    views: tuple[str, ...] = (),
):
    """Ingest a folder, yielding ``(report, counts)`` in file order as reports arrive.

    Like :func:`ingest_corpus_files` but streaming, so a consumer (the index writer) works
    while the worker processes still ingest; ``result`` gets the file count and manifest
    warnings at once, and each file's warnings and problems as it is consumed (its
    ``reports`` stay empty). ``counts`` is ``{view: analysis.PackedCounts}`` for each of
    ``views``, computed in the workers, or ``{}`` without views.
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        from ..errors import IngestError

        raise IngestError(f"corpus folder not found: {corpus}")
    rows, result.warnings = load_manifest(corpus)
    files, result.problems = walk_corpus(corpus)
    result.files = len(files) + len(result.problems)
    jobs = [(path, corpus, tuple(views)) for path in files]
    return _stream(jobs, rows, result, progress, workers)


def _stream(jobs, rows, result: Ingested, progress: bool, workers: int | None):
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 16:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = _progress(pool.imap(_ingest_one, jobs, chunksize=4), progress, len(jobs))
            yield from _collect(outcomes, rows, result)
    else:
        outcomes = (_ingest_one(job) for job in _progress(jobs, progress, len(jobs)))
        yield from _collect(outcomes, rows, result)


def _collect(outcomes, rows, result: Ingested):
    used = set()
    for name, reports, warnings, problem, counts, text in outcomes:
        result.warnings += warnings
        if problem:
            result.problems.append(problem)
        if reports and result.keep_original is not None:
            result.keep_original(text)
        for number, report in enumerate(reports):
            key = (report.source, report.part)
            if key not in rows and report.part is None:
                key = (report.source, None)
            if key in rows:
                used.add(key)
                apply_manifest(report, rows[key])
            yield report, counts[number] if counts else {}
    result.warnings += unused_rows(rows, used)


def ingest_corpus_files(
    corpus: Path, progress: bool = False, workers: int | None = None
) -> Ingested:
    """Ingest a folder; bad files are reported, never fatal (the caller decides --strict).

    Files are ingested in parallel processes when there are enough of them to pay for it.
    """
    result = Ingested()
    stream = stream_corpus_files(corpus, result, progress=progress, workers=workers)
    result.reports = [report for report, _ in stream]
    return result


def _progress(items, enabled: bool, total: int):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc="ingesting", unit="file", file=sys.stderr, leave=False)


ingest_corpus = ingest_corpus_files
