"""The .docx reader of :mod:`.formats`: paragraphs and table rows of the body, in order.

The package is unpacked in chunks, within :mod:`.formats_budget`'s budgets, before python-docx
parses it: a ZIP bomb is refused while it unpacks.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import IngestError
from . import formats_budget as budget
from .decode import Decoded, UndecodableError, tidy_text
from .formats_budget import TooLargeError, UnsupportedFormatError, human


def read_docx(data: bytes, name: str, max_bytes: int) -> Decoded:
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
    allowed = max(budget.DOCX_MAX_RATIO * max(member.compress_size, 1), budget.DOCX_RATIO_FLOOR)
    with package.open(member) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if total + size > budget.DOCX_MAX_UNPACKED:
                raise TooLargeError(
                    f"{name}: the .docx unpacks to over {human(budget.DOCX_MAX_UNPACKED)} "
                    "(a ZIP bomb?), the limit; split it into smaller files"
                )
            if size > allowed:
                raise TooLargeError(
                    f"{name}: the .docx member {member.filename} unpacks to over "
                    f"{budget.DOCX_MAX_RATIO} times its packed size ({member.compress_size:,} "
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
