"""Turn the raw bytes of a report into clean text, or say clearly why not.

Reports reach us as UTF-8 (with or without a BOM), UTF-16/32 with a BOM,
or the legacy Chinese encodings GB18030/GBK/GB2312 (mainland) and Big5
(Taiwan, Hong Kong).  Detection order, cheapest and most certain first:

1. empty data and well-known binary signatures are rejected;
2. a BOM is trusted;
3. NUL bytes or control characters mean UTF-16 without a BOM or binary;
4. strict UTF-8, then UTF-8 with a few broken sequences (dropped, warned);
5. legacy candidates scored by how much their decoded text looks like
   Chinese (share of common hanzi and CJK punctuation, minus errors);
   charset-normalizer is only asked when no Chinese reading fits, because
   it guesses wrongly on short Chinese texts (e.g. cp949 for GBK).

Whatever wins is normalised the same way (``\\n`` line ends, no NUL, BOM,
U+FFFD or stray control characters) so every later offset means the same.

Steps 1, 2 and the tidying live here; step 3-5's detectors in :mod:`.decode_detect`; the
tolerant decoding and scoring they share in :mod:`.decode_reading`.
"""

from __future__ import annotations

import codecs
import re

from .decode_detect import detect
from .decode_reading import (
    Decoded,
    UndecodableError,
    binary_error,
    decode_tolerant,
    error_warnings,
    looks_like_text,
)

__all__ = ["Decoded", "UndecodableError", "decode", "tidy_text"]

# Signatures of binary formats people drop into a corpus folder by mistake.
# PDF and ZIP (.docx) are read by ``formats``; here they are still binary.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office 97-2003 document"),
    (b"\x1f\x8b", "gzip-compressed file"),
    (b"BZh", "bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"{\\rtf", "RTF document"),
)

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Regexes rather than str.translate: several times faster on large texts.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# NUL (padding, UTF-16 artefacts), the BOM character (also found mid-text in
# concatenated files) and other C0/C1 controls.  \x1a goes too: the
# normaliser downstream uses it as a sentinel.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff]")


# --------------------------------------------------------------------------
# Public API


def decode(data: bytes, name: str = "<bytes>", *, declared: str | None = None) -> Decoded:
    """Decode the bytes of one text file into normalised text.

    ``declared`` is a charset the file claims (an HTML ``<meta charset>``);
    it is used when the bytes decode cleanly with it, because authors'
    declarations are right far more often than a guess on short texts, and
    ignored with a warning when they do not.  Raises UndecodableError with
    a message naming ``name`` for empty, binary or undecodable data.
    """
    if not data:
        raise UndecodableError(f"{name}: file is empty")
    _reject_known_binary(data, name)
    decoded = _decode_bom(data, name)
    if decoded is None and declared:
        decoded = _decode_declared(data, name, declared)
    if decoded is None:
        decoded = detect(data, name)
    text, warnings = tidy_text(decoded.text, name)
    return Decoded(text, decoded.encoding, decoded.warnings + warnings)


def tidy_text(text: str, name: str = "<text>") -> tuple[str, list[str]]:
    """Give decoded text the one shape later stages rely on; report losses.

    Every line break becomes ``\\n`` (``str.splitlines()`` honours them all,
    so leaving any would make line numbers depend on the API used).  NUL,
    U+FEFF and stray control characters go silently: artefacts of encoding,
    never content.  U+FFFD marks a character lost before the file reached
    us; it can never match a query, so it goes too, with a warning.  Also
    used by ``formats`` on text extracted from HTML, DOCX and PDF.
    """
    text = _DROPPED.sub("", _LINE_BREAKS.sub("\n", text))
    lost = text.count("\ufffd")
    if not lost:
        return text, []
    text = text.replace("\ufffd", "")
    return text, [
        f"{name}: removed {lost} U+FFFD replacement character(s) already in the "
        "file (text damaged before it reached us)"
    ]


# --------------------------------------------------------------------------
# Steps of decode()


def _reject_known_binary(data: bytes, name: str) -> None:
    """Fail fast and precisely on formats a user can recognise by name."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise binary_error(name, kind)


def _decode_bom(data: bytes, name: str) -> Decoded | None:
    """A BOM is the writer's explicit statement; follow it, repairing little."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            attempt = decode_tolerant(data, encoding, start=len(bom))
            attempt.text = attempt.text.rstrip("\0")  # NUL padding is harmless
            if attempt.errors > 0.1 * len(data) or not looks_like_text(attempt.text):
                raise UndecodableError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but "
                    "most of the rest is not valid in that encoding"
                )
            label = "utf-8-sig" if encoding == "utf-8" else encoding
            return Decoded(attempt.text, label, error_warnings(attempt, name, label))
    return None


def _decode_declared(data: bytes, name: str, declared: str) -> Decoded:
    """Use a declared charset if it decodes the bytes without any error."""
    encoding = _resolve_label(declared)
    if encoding is None:
        warning = f"{name}: ignored unknown declared charset {declared!r}"
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and looks_like_text(text):
            return Decoded(text, encoding, [])
        warning = f"{name}: declared charset {declared!r} does not match the bytes"
    result = detect(data, name)
    result.warnings.insert(0, f"{warning}; detected {result.encoding}")
    return result


# Labels as found in HTML/XML declarations.  GB2312 and GBK pages routinely
# contain characters only their superset has, and a UTF-16 label in an
# ASCII-readable <meta> is impossible, so browsers treat it as UTF-8.
_LABEL_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}


def _resolve_label(label: str) -> str | None:
    """Python codec name for a declared charset label, or None if unknown."""
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
