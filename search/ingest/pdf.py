"""PDF reader of :mod:`search.ingest.formats`: text with pdfminer.six, one paragraph a line."""

from __future__ import annotations

import io
import re

from .decode import Decoded, UndecodableError, tidy_text
from .formats_budget import UnsupportedFormatError
from .formats_html import SPACES

#: pdfminer writes "(cid:123)" for a glyph its font cannot map to Unicode.
_CID = re.compile(r"\(cid:\d+\)")
#: Past this share of unmappable glyphs the text is not worth indexing.
MAX_CID_SHARE = 0.2


def read_pdf(data: bytes, name: str) -> Decoded:
    """Text of a PDF with pdfminer.six, one paragraph per line.

    pdfminer.six is pure Python and maintained; it maps the CID fonts of
    Chinese PDFs through the CMaps it ships.  Scanned PDFs have no text and
    are refused with a message saying so.
    """
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextBox
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:
        raise UnsupportedFormatError(
            f"{name}: reading PDF needs the pdfminer.six package "
            "(pip install pdfminer.six), or convert the file to .txt"
        ) from exc
    paragraphs: list[str] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            lines = [
                line
                for box in page
                if isinstance(box, LTTextBox)
                for line in box
                if line.get_text().strip()
            ]
            paragraphs.extend(_paragraphs(lines))
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise UndecodableError(
            f"{name}: the PDF is encrypted or password-protected; save an unprotected copy"
        ) from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise UndecodableError(
            f"{name}: damaged PDF, cannot read it ({type(exc).__name__}: {exc})"
        ) from exc
    return _pdf_result("\n".join(paragraphs), name)


def _paragraphs(lines) -> list[str]:
    """Join a page's wrapped text lines back into paragraphs.

    pdfminer's own boxes are no help: at the 1.5-2x line spacing of Chinese
    official documents every line is a box of its own.  So, as a reader
    does: a line indented from the page's left margin starts a paragraph
    (Chinese paragraphs open with a two-character indent; titles are
    centred), and a line ending well before the right margin ends one.
    Wrapped lines are joined with a space, which the normaliser drops
    between Chinese characters.
    """
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    paragraphs, current = [], []
    for line in lines:
        em = max(line.height, 1.0)
        if current and line.x0 - left > 1.5 * em:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line.get_text().strip())
        if right - line.x1 > 1.5 * em:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _pdf_result(text: str, name: str) -> Decoded:
    """Refuse PDFs without usable text; drop unmappable glyphs with a warning."""
    unmapped = len(_CID.findall(text))
    text = _CID.sub("", text)
    visible = len(SPACES.sub("", text))
    if visible == 0:
        raise UndecodableError(
            f"{name}: the PDF has no extractable text (scanned pages?); "
            "OCR it or provide a text version"
        )
    if unmapped > MAX_CID_SHARE * (visible + unmapped):
        raise UndecodableError(
            f"{name}: the PDF's fonts do not map {unmapped} of its glyphs to "
            "characters; provide a text version"
        )
    text, warnings = tidy_text(text, name)
    if unmapped:
        warnings.append(f"{name}: dropped {unmapped} PDF glyph(s) without a character")
    return Decoded(text, "pdf", warnings)
