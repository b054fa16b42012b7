"""The report store: every report of a generation in a few flat files, opened in O(1).

A server process must not parse the whole corpus into Python objects at start-up, nor hold
its own copy of every text: at 10× the bench corpus that was ~1.4 GB across the workers.
So a generation keeps its reports as

``reports.meta.json``   one row per report: every :class:`~search.models.Report` field but
                        the text, sections and paragraphs (a new field flows through as is)
``texts.utf8``          the normalized texts, one after the other, read with ``pread``
``store.*.npy``         numpy arrays (memory-mapped; small): byte offsets of each text, sections
                        ``(report, ordinal, kind, start, end)``, paragraphs ``(section,
                        start, end)``, and per-report first-section/paragraph indexes
``section_titles.json`` section titles in section order
``codes.u16``           the texts as one big-endian uint16 code per character, ASCII
                        lowercased, reports separated by code 0 — what the suffix arrays of
                        :mod:`search.query.suffixes` sort and search
``alphabet.npy``        code -> Unicode code point (code 0 is the separator)

Every worker reads the same files, so the texts and arrays are shared through the page cache;
a process holds only what it is using. :class:`StoredReport` is a :class:`Report` whose
text, sections and paragraphs are read from the files when asked for; its metadata lives in
the object.
"""

from __future__ import annotations

import json
import os
import threading
from array import array
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import fields
from pathlib import Path

import numpy as np

from .models import SECTION_KINDS, Paragraph, Report, Section
from .store import REPORTS

TEXTS = "texts.utf8"
DISPLAY = "display.utf8"  # the shown texts (search.display), where they differ
CODES = "codes.u16"
ALPHABET = "alphabet.npy"
TITLES = "section_titles.json"
ARRAYS = (
    "text_bytes",
    "display_bytes",
    "code_starts",
    "sections",
    "section_first",
    "paragraphs",
    "paragraph_first",
)
#: Report fields kept in the maps, not in the metadata rows.
MAPPED = ("text", "sections", "paragraphs", "display")
SEPARATOR = 0
MAX_CODES = 1 << 16
TEXT_CACHE = 64  # decoded texts kept per store (snippets of one page read ~10)


def array_path(generation: Path, name: str) -> Path:
    return generation / f"store.{name}.npy"


def ascii_lower(points: np.ndarray) -> np.ndarray:
    """Code points with A-Z folded to a-z (the only case folding matching does)."""
    upper = (points >= 65) & (points <= 90)
    return np.where(upper, points + 32, points)


class ReportStoreWriter:
    """Streams reports into a generation's store; :meth:`close` writes the small files.

    Memory stays small: texts go straight to the files, offsets into compact ``array``s.
    Character codes are handed out in order of first appearance.
    """

    def __init__(self, generation: Path):
        self.generation = Path(generation)
        self.files = ExitStack()
        self.texts = self.files.enter_context(open(self.generation / TEXTS, "wb"))
        self.displays = self.files.enter_context(open(self.generation / DISPLAY, "wb"))
        self.display_bytes = array("q", [0])
        self.codes = self.files.enter_context(open(self.generation / CODES, "wb"))
        self.lut = np.full(0x110000, -1, np.int32)  # code point -> code
        self.lut_alphabet = [0]  # code -> code point; 0 is the separator
        self.rows: list[list] = []
        self.names = [f.name for f in fields(Report) if f.name not in MAPPED]
        self.titles: list[str | None] = []
        self.text_bytes = array("q", [0])
        self.code_starts = array("q", [1])
        self.sections = array("i")
        self.section_first = array("q", [0])
        self.paragraphs = array("i")
        self.paragraph_first = array("q", [0])
        self.ids: list[str] = []
        self.codes.write(b"\0\0")  # the separator before the first report

    def add(self, report: Report) -> Report:
        data = report.text.encode("utf-8")
        self.texts.write(data)
        self.text_bytes.append(self.text_bytes[-1] + len(data))
        shown = (report.display or "").encode("utf-8")
        self.displays.write(shown)
        self.display_bytes.append(self.display_bytes[-1] + len(shown))
        self.codes.write(self._encode(report.text))
        self.codes.write(b"\0\0")
        self.code_starts.append(self.code_starts[-1] + len(report.text) + 1)
        number = len(self.rows)
        self.rows.append([getattr(report, name) for name in self.names])
        for s in report.sections:
            self.sections.extend((number, s.ordinal, SECTION_KINDS.index(s.kind), s.start, s.end))
            self.titles.append(s.title)
        self.section_first.append(len(self.titles))
        for p in report.paragraphs:
            self.ids.append(p.id)
            self.paragraphs.extend((p.section, p.start, p.end))
        self.paragraph_first.append(len(self.ids))
        return report

    def _encode(self, text: str) -> bytes:
        points = ascii_lower(np.frombuffer(text.encode("utf-32-le"), "<u4").astype(np.int64))
        new = np.unique(points[self.lut[points] < 0])
        if new.size:
            if len(self.lut_alphabet) + new.size > MAX_CODES:
                raise ValueError("the corpus uses more than 65,535 distinct characters")
            self.lut[new] = np.arange(len(self.lut_alphabet), len(self.lut_alphabet) + new.size)
            self.lut_alphabet.extend(int(c) for c in new)
        return self.lut[points].astype(">u2").tobytes()

    def close(self) -> None:
        self.files.close()
        g = self.generation
        np.save(g / ALPHABET, np.array(self.lut_alphabet, np.uint32))
        shapes = {"sections": 5, "paragraphs": 3}
        for name in ARRAYS:
            data = np.frombuffer(getattr(self, name), dtype=getattr(self, name).typecode)
            width = shapes.get(name)
            np.save(array_path(g, name), data.reshape(-1, width) if width else data)
        (g / TITLES).write_text(json.dumps(self.titles, ensure_ascii=False), "utf-8")
        regular = self._regular_ids()
        meta = {
            "fields": self.names,
            "rows": self.rows,
            "paragraph_ids": None if regular else self.ids,
        }
        (g / REPORTS).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    def _regular_ids(self) -> bool:
        """True if every paragraph id is ``p-N``, N its place in its report (then not stored)."""
        first, ids = self.paragraph_first, self.ids
        return all(
            ids[k] == f"p-{k - first[r] + 1}"
            for r in range(len(first) - 1)
            for k in range(first[r], first[r + 1])
        )

    def cancel(self) -> None:
        self.files.close()


def write_reports(generation: Path, reports) -> int:
    """Write an iterable of reports (consumed lazily) as the generation's store."""
    writer = ReportStoreWriter(generation)
    try:
        count = 0
        for report in reports:
            writer.add(report)
            count += 1
        writer.close()
    except BaseException:
        writer.cancel()
        raise
    return count


class ReportStore:
    """The read side: metadata rows as objects, everything else memory-mapped."""

    def __init__(self, generation: Path):
        g = Path(generation)
        self.generation = g
        meta = json.loads((g / REPORTS).read_text("utf-8"))
        self._names = meta["fields"]
        self._paragraph_ids = meta.get("paragraph_ids")
        self.arrays = {name: np.load(array_path(g, name), mmap_mode="r") for name in ARRAYS}
        self.text_bytes, self.code_starts = self.arrays["text_bytes"], self.arrays["code_starts"]
        self._texts = os.open(g / TEXTS, os.O_RDONLY)
        self._displays = os.open(g / DISPLAY, os.O_RDONLY)
        self._titles: list | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()  # key -> decoded text (see _read)
        self.reports = [self._make(number, row) for number, row in enumerate(meta["rows"])]

    def __len__(self) -> int:
        return len(self.reports)

    def __del__(self):
        for fd in ("_texts", "_displays"):
            try:
                os.close(getattr(self, fd))
            except (AttributeError, OSError):
                pass

    def _make(self, number: int, row: list) -> StoredReport:
        report = object.__new__(StoredReport)
        for name, value in zip(self._names, row):
            setattr(report, name, value)
        for f in fields(Report):  # a field added since this store was written
            if f.name not in MAPPED and f.name not in self._names:
                setattr(
                    report,
                    f.name,
                    f.default_factory() if callable(f.default_factory) else f.default,
                )
        report._store, report._number = self, number
        return report

    def chars(self, number: int) -> int:
        return int(self.code_starts[number + 1] - self.code_starts[number] - 1)

    def display(self, number: int) -> str:
        """The report's shown text ("" where it equals the normalized text), read on use."""
        offsets = self.arrays["display_bytes"]
        a, b = int(offsets[number]), int(offsets[number + 1])
        return self._read(("display", number), self._displays, a, b) if b > a else ""

    def text(self, number: int) -> str:
        a, b = int(self.text_bytes[number]), int(self.text_bytes[number + 1])
        return self._read(number, self._texts, a, b)

    def _read(self, key, fd: int, a: int, b: int) -> str:
        """Bytes ``[a, b)`` of a store file as text, the last TEXT_CACHE kept decoded."""
        with self._lock:
            text = self._cache.get(key)
            if text is not None:
                self._cache.move_to_end(key)
                return text
        text = os.pread(fd, b - a, a).decode("utf-8")
        with self._lock:
            self._cache[key] = text
            while len(self._cache) > TEXT_CACHE:
                self._cache.popitem(last=False)
        return text

    def titles(self) -> list:
        if self._titles is None:
            self._titles = json.loads((self.generation / TITLES).read_text("utf-8"))
        return self._titles

    def sections(self, number: int) -> list[Section]:
        first = self.arrays["section_first"]
        a, b = int(first[number]), int(first[number + 1])
        titles = self.titles()
        return [
            Section(o, titles[a + i], SECTION_KINDS[k], s, e)
            for i, (_, o, k, s, e) in enumerate(self.arrays["sections"][a:b].tolist())
        ]

    def paragraphs(self, number: int) -> list[Paragraph]:
        first = self.arrays["paragraph_first"]
        a, b = int(first[number]), int(first[number + 1])
        ids = self._paragraph_ids
        return [
            Paragraph(ids[a + i] if ids else f"p-{i + 1}", o, s, e)
            for i, (o, s, e) in enumerate(self.arrays["paragraphs"][a:b].tolist())
        ]

    def paragraph_at(self, number: int, offset: int) -> Paragraph | None:
        """The paragraph holding ``offset`` (see :func:`search.snippets.paragraph_at`),
        by binary search on the arrays instead of a list of every paragraph."""
        first = self.arrays["paragraph_first"]
        a, b = int(first[number]), int(first[number + 1])
        rows = self.arrays["paragraphs"][a:b]
        i = int(np.searchsorted(rows[:, 2], offset, "left"))
        if i == b - a or rows[i, 1] > offset:
            return None
        ordinal, start, end = (int(v) for v in rows[i])
        ids = self._paragraph_ids
        return Paragraph(ids[a + i] if ids else f"p-{i + 1}", ordinal, start, end)


class StoredReport(Report):
    """A report of a :class:`ReportStore`: text, sections and paragraphs read on access."""

    __slots__ = ("_number", "_store")

    @property
    def text(self) -> str:
        return self._store.text(self._number)

    @property
    def display(self) -> str:
        return self._store.display(self._number)

    @property
    def sections(self) -> list[Section]:
        return self._store.sections(self._number)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self._store.paragraphs(self._number)

    @property
    def chars(self) -> int:
        return self._store.chars(self._number)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        return self._store.paragraph_at(self._number, offset)

    @property
    def number(self) -> int:
        """Position in the store (the row of every per-report array)."""
        return self._number


def read_reports(generation: Path) -> list[Report]:
    return ReportStore(generation).reports
