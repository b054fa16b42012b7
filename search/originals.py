"""The original text of each indexed file, stored by the build and served in pages.

``/report/<id>/original`` shows a file as it was read (decoded, before normalization). The
build stores that text once per file, so a request never parses a file again (a hostile
.docx took minutes and gigabytes per request when it did) and the page shown always agrees
with what was indexed, even after the corpus folder changed or moved.

Layout in a generation: ``originals.txt`` (UTF-8 texts one after another) and
``originals.json`` (per file: characters stored and read, and the byte offset of every page
of :data:`PAGE_CHARS` characters; per report id: its file). A file's text is stored up to
:data:`MAX_CHARS` characters; past that the page says it is cut.
"""

from __future__ import annotations

import json
from pathlib import Path

TEXT = "originals.txt"
INDEX = "originals.json"
#: Characters per page of ``/report/<id>/original``.
PAGE_CHARS = 100_000
#: Characters stored per file (a report is ~10-60 thousand).
MAX_CHARS = 2_000_000


class OriginalsWriter:
    """Appends files' texts to a generation; :meth:`close` writes the index."""

    def __init__(self, generation: Path):
        self.generation = generation
        self.out = open(generation / TEXT, "wb")
        self.files: list[dict] = []
        self.reports: dict[str, int] = {}

    def add_file(self, text: str) -> int:
        """Store one file's text; returns its number for :meth:`link`."""
        stored = text[:MAX_CHARS]
        pages = []
        for start in range(0, max(len(stored), 1), PAGE_CHARS):
            pages.append(self.out.tell())
            self.out.write(stored[start : start + PAGE_CHARS].encode("utf-8", "replace"))
        pages.append(self.out.tell())
        self.files.append({"chars": len(stored), "total_chars": len(text), "pages": pages})
        return len(self.files) - 1

    def link(self, report_id: str, number: int) -> None:
        self.reports[report_id] = number

    def close(self) -> None:
        self.out.close()
        with open(self.generation / INDEX, "w", encoding="utf-8") as out:
            json.dump(
                {"page_chars": PAGE_CHARS, "files": self.files, "reports": self.reports},
                out,
                ensure_ascii=False,
            )

    def cancel(self) -> None:
        self.out.close()


def read_page(generation: Path, report_id: str, page: int = 1) -> dict | None:
    """One page of the report's original text, or None when the build stored none.

    ``{"text", "page", "pages", "chars", "total_chars", "truncated"}``: ``chars`` is what
    the build stored, ``total_chars`` what the file held; ``page`` is clamped to the pages
    there are.
    """
    try:
        index = json.loads((generation / INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    number = index["reports"].get(report_id)
    if number is None:
        return None
    entry = index["files"][number]
    offsets = entry["pages"]
    pages = len(offsets) - 1
    page = min(max(1, page), pages)
    with open(generation / TEXT, "rb") as handle:
        handle.seek(offsets[page - 1])
        text = handle.read(offsets[page] - offsets[page - 1]).decode("utf-8", "replace")
    return {
        "text": text,
        "page": page,
        "pages": pages,
        "chars": entry["chars"],
        "total_chars": entry["total_chars"],
        "truncated": entry["total_chars"] > entry["chars"],
    }
