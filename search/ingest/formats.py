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
- TooLargeError: over ``max_bytes``, or over a reader budget: a .docx that
  unpacks past DOCX_MAX_UNPACKED or DOCX_MAX_RATIO (counted while unpacking),
  a parse longer than MAX_SECONDS, text longer than MAX_CHARS;
- UnsupportedFormatError: a format we recognise but cannot read
  (.doc, RTF, a ZIP that is not a .docx, PDF without pdfminer.six);
- UndecodableError (from ``decode``): empty, binary, damaged, no text.
"""

from __future__ import annotations

import io
import re
import signal
import stat
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import IngestError
from .decode import Decoded, UndecodableError, decode, tidy_text

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

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Budgets of one file (docs/reliability.md, "Reader budgets"): a file over any of them is
# skipped with its reason, so one hostile file cannot take the build's time or memory.
#: Bytes a .docx may unpack to, counted while unpacking (declared sizes can lie).
DOCX_MAX_UNPACKED = 100 * 1024 * 1024
#: Unpacked-to-packed ratio of a .docx member past DOCX_RATIO_FLOOR bytes (Word XML: ~5-20).
DOCX_MAX_RATIO = 100
DOCX_RATIO_FLOOR = 1024 * 1024
#: Characters of text one file may hold (a report has 10-60 thousand, a yearbook a million).
MAX_CHARS = 5_000_000
#: Seconds one file's parse may take (where a timer can interrupt it: the main thread).
MAX_SECONDS = 60.0

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
#: Suffixes read_text reads on purpose.  Files without a suffix, or with an
#: unknown one, are read too when their content is text.
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


class ReadError(IngestError, ValueError):
    """The file cannot be read at all (missing, permissions, not a file)."""


class TooLargeError(IngestError, ValueError):
    """The file is larger than the caller's limit; nothing was parsed."""


class UnsupportedFormatError(IngestError, ValueError):
    """A format we recognise but do not read; the message says what to convert to."""


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
    with time_budget(name, MAX_SECONDS):
        if kind == "pdf":
            from .pdf import read_pdf

            result = read_pdf(data, name)
        elif kind == "docx":
            result = _read_docx(data, name, max_bytes)
        elif kind == "html":
            result = _read_html(data, name)
        else:
            result = decode(data, name)
    _check_size(name, len(result.text), MAX_CHARS, what="its text has", unit="characters")
    result.warnings[:0] = warnings
    return result


class _OverTime(BaseException):
    """Raised by the timer inside a parser; a BaseException so no parser's own
    ``except Exception`` can swallow it."""


@contextmanager
def time_budget(name: str, seconds: float):
    """Stop a parse that runs past ``seconds`` with TooLargeError (main thread only: a timer
    signal can only interrupt that one; elsewhere the other budgets still hold)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise _OverTime

    over = TooLargeError(
        f"{name}: reading it took over {seconds:g} s, the limit for one file; split or simplify it"
    )
    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OverTime:
        raise over from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The alarm's exception can be swallowed by C code it lands in; the clock cannot.
    if time.monotonic() - started > seconds:
        raise over


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
        _check_size(name, info.st_size, max_bytes)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # +1: notice a file that grew
    except OSError as exc:
        raise ReadError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    _check_size(name, len(data), max_bytes)
    return data


def _check_size(
    name: str, size: int, limit: int, what: str = "file is", unit: str = "bytes"
) -> None:
    if size > limit:
        amount = (
            f"{size:,} characters, over the limit of {limit:,}"
            if unit == "characters"
            else f"{_human(size)}, over the limit of {_human(limit)}"
        )
        raise TooLargeError(f"{name}: {what} {amount}; split it into smaller files")


def _human(size: int) -> str:
    return f"{size:,} bytes ({size / 2**20:.1f} MiB)"


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
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(data)):
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


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)


def _looks_like_html(data: bytes) -> bool:
    """An HTML page saved without a telling suffix (.asp, .jsp, .doc, none)."""
    return _HTML_START.match(data[:4096].removeprefix(b"\xef\xbb\xbf")) is not None


# --------------------------------------------------------------------------
# HTML


_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)

# Never visible, or page chrome rather than the report.
_DROPPED_TAGS = frozenset(
    "script style noscript template head title nav iframe object embed svg canvas select".split()
)
# Page chrome too, except inside an <article> or <main>, where they hold
# the report's own title, date or source.
_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main"})
# Elements that start a new line.
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 tr section article ul ol dl dt dd table thead "
    "tbody tfoot caption blockquote pre hr main aside figure figcaption address "
    "center form fieldset legend details summary body html header footer".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_SPACES = re.compile(r"\s+")  # Unicode-aware: also U+00A0 (&nbsp;) and U+3000


def _read_html(data: bytes, name: str) -> Decoded:
    """Decode with the page's declared charset if it fits, then extract the text."""
    decoded = decode(data, name, declared=_declared_charset(data))
    text, warnings = tidy_text(html_to_text(decoded.text), name)
    return Decoded(text, decoded.encoding, decoded.warnings + warnings)


def _declared_charset(data: bytes) -> str | None:
    """Charset from ``<meta charset>``/``http-equiv`` or an XML declaration."""
    head = data[:8192]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one paragraph (or table row) per line.

    Script, style and page chrome (nav; header and footer outside an
    article) are dropped; block elements and ``<br>`` break lines; table
    cells are separated by a tab; whitespace runs (``&nbsp;`` included)
    become one space, except that ``<pre>`` keeps its line breaks.  Spaces
    between Chinese characters left by source line wraps are the
    normaliser's job.  The walk is iterative: scraped pages can nest deeper
    than Python's recursion limit.
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    out: list[str] = []
    stack = [(soup, iter(soup.contents))]
    depth = {"pre": 0, "article": 0, "main": 0}  # how many of each are open
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag.name in depth:
                depth[tag.name] -= 1
            if tag.name in _BLOCK_TAGS:
                out.append("\n")
        elif isinstance(child, Tag):
            name = child.name
            in_content = depth["article"] or depth["main"]
            if name in _DROPPED_TAGS or (name in _CHROME_TAGS and not in_content):
                continue
            if name == "br":
                out.append("\n")
                continue
            if name in _BLOCK_TAGS:
                out.append("\n")
            elif name in _CELL_TAGS:
                out.append("\t")
            if name in depth:
                depth[name] += 1
            stack.append((child, iter(child.contents)))
        elif type(child) is NavigableString:  # not comments, doctype, CDATA, <rt>
            pre = depth["pre"]
            out.append(child.replace("\xa0", " ") if pre else _SPACES.sub(" ", child))
    return _tidy_lines("".join(out))


def _tidy_lines(text: str) -> str:
    """Strip each line, tidy cell separators, drop empty lines."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r" *\t[ \t]*", "\t", re.sub(r" {2,}", " ", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------
# DOCX


def _read_docx(data: bytes, name: str, max_bytes: int) -> Decoded:
    """Paragraphs and table rows of the main document body, in order."""
    _check_docx_package(data, name, max_bytes)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document.element.body, document))
    except Exception as exc:  # python-docx/lxml raise many types on damaged files
        raise UndecodableError(
            f"{name}: damaged .docx, cannot read it ({type(exc).__name__}: {exc}); "
            "open and re-save it in Word or WPS"
        ) from exc
    text, warnings = tidy_text("\n".join(line for line in lines if line.strip()), name)
    return Decoded(text, "docx", warnings)


def _check_docx_package(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse damaged ZIPs, ZIPs that are not Word files, and ZIP bombs before parsing.

    Every member is unpacked in chunks, counting the bytes that come out, so a member that
    lies about its size is caught too; unpacking stops at the first budget exceeded
    (DOCX_MAX_UNPACKED in all, DOCX_MAX_RATIO per member).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if not any(m.filename.startswith("word/") for m in members):
                raise UnsupportedFormatError(
                    f"{name}: a ZIP package but not a Word .docx (an .xlsx, .pptx, .odt or "
                    "archive?), which is not supported"
                )
            total = 0
            for member in members:
                total = _unpack_member(package, member, total, name)
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        if isinstance(exc, IngestError):
            raise
        raise UndecodableError(f"{name}: damaged ZIP/.docx file ({exc})") from exc


def _unpack_member(package, member, total: int, name: str) -> int:
    """Unpack one member to nowhere, within budget; returns the running total."""
    size = 0
    allowed = max(DOCX_MAX_RATIO * max(member.compress_size, 1), DOCX_RATIO_FLOOR)
    with package.open(member) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if total + size > DOCX_MAX_UNPACKED:
                raise TooLargeError(
                    f"{name}: the .docx unpacks to over {_human(DOCX_MAX_UNPACKED)} "
                    "(a ZIP bomb?), the limit; split it into smaller files"
                )
            if size > allowed:
                raise TooLargeError(
                    f"{name}: the .docx member {member.filename} unpacks to over "
                    f"{DOCX_MAX_RATIO} times its packed size ({member.compress_size:,} "
                    "bytes; a ZIP bomb?), over the limit"
                )
    return total + size


def _docx_lines(parent, document):
    """Lines of a body or content control: paragraphs, then rows joined by tabs.

    Walks the XML rather than ``iter_inner_content`` so text inside content
    controls (``w:sdt``, e.g. Word's cover pages with the title) is kept.
    """
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, document))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_lines(content, document)


def _table_lines(table):
    """One line per row, cells joined by tabs; merged cells appear once."""
    seen = set()
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:  # a horizontal or vertical span repeats it
                continue
            seen.add(cell._tc)
            cells.append(" ".join(_cell_parts(cell)))
        yield "\t".join(cells)


def _cell_parts(cell):
    """Non-empty paragraphs of a cell, including those of nested tables."""
    for paragraph in cell.paragraphs:
        if paragraph.text.strip():
            yield paragraph.text.strip()
    for nested in cell.tables:
        for line in _table_lines(nested):
            if line.strip():
                yield line.replace("\t", " ")
