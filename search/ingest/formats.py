"""Read one report file, whatever its format, into text: one paragraph per line.

``read_text`` reads the bytes (refusing what is unreadable or too large),
decides the format from the content first and the suffix second, and hands
the bytes to one reader: plain text, HTML, DOCX or PDF (``pdf.py``).  Content wins over
the suffix because mislabelled files are common in scraped corpora (a PDF
saved as ``.txt``, an HTML page saved as ``.doc``); a plain text sniff is
the default, so an unknown suffix holding text is still read and one holding
binary data fails with UndecodableError.

Every problem is an ``IngestError`` (so the CLI prints one line) and a
``ValueError`` (so the corpus walker reports the file and goes on), with a
message that starts with the file name:

- ReadError: missing, permission denied, a directory, a FIFO, a symlink loop
  (the OSError is chained as ``__cause__``);
- TooLargeError: over ``max_bytes``, or over a reader budget
  (:mod:`.formats_budget`): a .docx that unpacks past DOCX_MAX_UNPACKED or
  DOCX_MAX_RATIO (counted while unpacking), a parse longer than MAX_SECONDS,
  text longer than MAX_CHARS;
- UnsupportedFormatError: a format we recognise but cannot read
  (.doc, RTF, a ZIP that is not a .docx, PDF without pdfminer.six);
- UndecodableError (from ``decode``): empty, binary, damaged, no text.

One module per reader: :mod:`.formats_html`, :mod:`.formats_docx`, :mod:`.pdf`; plain text
is :func:`.decode.decode`.
"""

from __future__ import annotations

import stat
from pathlib import Path

from . import formats_budget as budget
from .decode import Decoded, UndecodableError, decode
from .formats_budget import (
    DEFAULT_MAX_BYTES,
    ReadError,
    TooLargeError,
    UnsupportedFormatError,
    check_size,
    time_budget,
)
from .formats_docx import read_docx
from .formats_html import html_to_text, looks_like_html, read_html

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ReadError",
    "TooLargeError",
    "UndecodableError",
    "UnsupportedFormatError",
    "html_to_text",
    "read_text",
]


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
#: Suffixes read_text reads on purpose.  Files without a suffix, or with an
#: unknown one, are read too when their content is text.
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


def read_text(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Text of one report file, with the encoding used and per-file warnings.

    Raises ReadError, TooLargeError, UnsupportedFormatError or
    UndecodableError (see the module docstring); nothing else for any file
    content, so a caller can report the file in one line and go on.
    """
    path = Path(path)
    name = str(path)
    data = _read_bytes(path, name, max_bytes)
    kind, warnings = _kind(data, path.suffix.lower(), name)
    with time_budget(name, budget.MAX_SECONDS):
        if kind == "pdf":
            from .pdf import read_pdf

            result = read_pdf(data, name)
        elif kind == "docx":
            result = read_docx(data, name, max_bytes)
        elif kind == "html":
            result = read_html(data, name)
        else:
            result = decode(data, name)
    check_size(name, len(result.text), budget.MAX_CHARS, what="its text has", unit="characters")
    result.warnings[:0] = warnings
    return result


# --------------------------------------------------------------------------
# Reading bytes and choosing a reader


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, checked before reading so nothing huge is loaded."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(f"{name}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{name}: not a regular file (a device, FIFO or socket)")
        check_size(name, info.st_size, max_bytes)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # +1: notice a file that grew
    except OSError as exc:
        raise ReadError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    check_size(name, len(data), max_bytes)
    return data


_CONTAINER_MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04"}
_CONTAINER_SUFFIXES = {"pdf": {".pdf"}, "docx": {".docx", ".docm"}}


def _kind(data: bytes, suffix: str, name: str) -> tuple[str, list[str]]:
    """Which reader to use ("pdf", "docx", "html", "text"), plus a warning
    when content and suffix disagree (the content wins)."""
    _reject_unsupported(data, name)
    for kind, magic in _CONTAINER_MAGIC.items():
        if data.startswith(magic):
            if suffix in _CONTAINER_SUFFIXES[kind]:
                return kind, []
            return kind, [f"{name}: content is {kind.upper()}, read as such despite its suffix"]
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(data)):
        kind = "html"
    else:
        kind = "text"
    if suffix in {".pdf", ".docx"}:
        return kind, [f"{name}: not really a {suffix} file; read as {kind}"]
    return kind, []


def _reject_unsupported(data: bytes, name: str) -> None:
    """Formats users do have, named so they know what to convert."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedFormatError(
            f"{name}: a Word/WPS 97-2003 file (.doc, .wps), which is not supported; "
            "save it as .docx or .txt"
        )
    if data.startswith(b"{\\rtf"):
        raise UnsupportedFormatError(
            f"{name}: an RTF document, which is not supported; save it as .docx or .txt"
        )
