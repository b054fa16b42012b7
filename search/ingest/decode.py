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
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field

from ..errors import IngestError

__all__ = ["Decoded", "UndecodableError", "decode", "tidy_text"]


class UndecodableError(IngestError, ValueError):
    """The bytes are not text we can read: empty, binary, or no known encoding.

    An IngestError so the CLI prints it as one line; a ValueError so callers
    that only know the brief's contract (and the corpus walker) catch it.
    """


@dataclass
class Decoded:
    """Text of one file, the encoding it was read with, and what was repaired.

    ``encoding`` is a Python codec name (``utf-8``, ``utf-8-sig``,
    ``utf-16-le``, ``gb18030``, ``big5``...); readers of container formats
    put the format name there instead (``docx``, ``pdf``).  Each warning is
    a full sentence naming the file.
    """

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Tunables.  Ratios are deliberately loose: they separate text from binary or
# from a wrong encoding, which differ by an order of magnitude, not by 1 %.

#: UTF-8 is kept, with a warning, while at most this share of the non-ASCII
#: bytes is broken (a truncated character, a bad copy-paste).
UTF8_MAX_BAD_SHARE = 0.01
#: A decoded reading needs at least this score (see ``_score``) to be taken.
MIN_SCORE = 0.5
#: Legacy candidates are scored on this many bytes, so a 50 MB file costs
#: one full decode, not six.
SAMPLE_BYTES = 256 * 1024
#: A few stray NUL bytes in a text are dropped; more means binary.
MAX_NUL_SHARE = 0.001
#: More control bytes than this share (and more than 2) means binary.
MAX_CONTROL_SHARE = 0.01
#: Shorter BOM-less data with NUL bytes is called binary: too little to tell.
MIN_UTF16_BYTES = 16
#: charset-normalizer's fallback guess must be at most this chaotic.
MAX_FALLBACK_CHAOS = 0.1

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

# Tried in order; on equal scores the earlier wins (big5 before its
# Hong Kong superset, so plain Big5 files report "big5").
_LEGACY_CANDIDATES = ("gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be")
# What charset-normalizer may propose when no Chinese reading fits; on ties
# the earlier wins (cp1252 is the de-facto Western legacy encoding).
_FALLBACK_ENCODINGS = ("cp1252", "iso8859-1", "cp932", "shift_jis", "euc_jp", "cp949", "euc_kr")

_CONTROL_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0E, 0x20)) + b"\x7f"
_ASCII_BYTES = bytes(range(0x80))
_FIRST_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# Characters real text hardly ever has; a wrong decoding produces many.
_SUSPICIOUS = re.compile(
    "[\x01-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff\U000f0000-\U0010ffff]"
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
        decoded = _detect(data, name)
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


def _binary_error(name: str, why: str) -> UndecodableError:
    return UndecodableError(f"{name}: looks like a binary file ({why}), not text")


def _reject_known_binary(data: bytes, name: str) -> None:
    """Fail fast and precisely on formats a user can recognise by name."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _binary_error(name, kind)


def _decode_bom(data: bytes, name: str) -> Decoded | None:
    """A BOM is the writer's explicit statement; follow it, repairing little."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            attempt = _decode_tolerant(data, encoding, start=len(bom))
            attempt.text = attempt.text.rstrip("\0")  # NUL padding is harmless
            if attempt.errors > 0.1 * len(data) or not _looks_like_text(attempt.text):
                raise UndecodableError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but "
                    "most of the rest is not valid in that encoding"
                )
            label = "utf-8-sig" if encoding == "utf-8" else encoding
            return Decoded(attempt.text, label, _error_warnings(attempt, name, label))
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
        if text is not None and _looks_like_text(text):
            return Decoded(text, encoding, [])
        warning = f"{name}: declared charset {declared!r} does not match the bytes"
    result = _detect(data, name)
    result.warnings.insert(0, f"{warning}; detected {result.encoding}")
    return result


def _detect(data: bytes, name: str) -> Decoded:
    """Find the encoding of BOM-less data, or decide it is not text."""
    body = data.rstrip(b"\0")  # NUL padding from crashed writers is harmless
    if not body:
        raise _binary_error(name, f"{len(data)} NUL bytes and nothing else")
    nuls = body.count(0)
    controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    many_controls = controls > 2 and controls > MAX_CONTROL_SHARE * len(body)
    if nuls or many_controls:
        found = _detect_utf16(data, body, name)
        if found is not None:
            return found
        if nuls > max(1, MAX_NUL_SHARE * len(body)):
            raise _binary_error(name, f"{nuls} NUL bytes")
        if many_controls:
            raise _binary_error(name, f"{controls} control bytes in {len(body)}")
    found = _detect_utf8(data, name)
    if found is None:
        found = _detect_mixed(data, name)
    if found is None:
        found = _detect_legacy(data, name)
    if nuls:
        found.warnings.append(f"{name}: removed {nuls} NUL byte(s)")
    return found


def _detect_utf8(data: bytes, name: str) -> Decoded | None:
    """UTF-8, strictly or with a few broken sequences dropped.

    A sample is checked first: a large GBK file read as UTF-8 has an error
    every few bytes, each a call to the error handler.
    """
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    sample = _sample(data)
    if len(sample) < len(data):
        if not _mostly_utf8(_decode_tolerant(sample, "utf-8", final=False), sample):
            return None
    attempt = _decode_tolerant(data, "utf-8")
    if not _mostly_utf8(attempt, data):
        return None
    return Decoded(attempt.text, "utf-8", _error_warnings(attempt, name, "utf-8"))


def _detect_mixed(data: bytes, name: str) -> Decoded | None:
    """UTF-8 with some lines in a legacy encoding (text pasted together from two sources).

    Line by line: a line that is valid UTF-8 is read as UTF-8; the others, together, pick
    the legacy encoding that reads them best (GB18030 or Big5) and are read with it. Only
    when both kinds of non-ASCII lines are there; a warning says how many lines needed the
    second encoding. Line breaks are safe split points: 0x0A is never part of a multibyte
    character in UTF-8, GB18030 or Big5.
    """
    lines = data.split(b"\n")
    utf8, other = [], []
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            other.append(number)
    # A legacy line that happens to be valid UTF-8 reads as rare characters: score it.
    if not utf8 or not other or _score("".join(utf8), 0) <= MIN_SCORE:
        return None
    encoding = _best_reading(
        b"\n".join(lines[n] for n in other), _LEGACY_CANDIDATES[:2], final=True
    )
    if encoding is None:
        return None
    errors = 0
    texts = [line.decode("utf-8") if line.isascii() else None for line in lines]
    legacy = set(other)
    for number, line in enumerate(lines):
        if texts[number] is None:
            attempt = _decode_tolerant(line, encoding if number in legacy else "utf-8")
            texts[number] = attempt.text
            errors += attempt.errors
    warnings = [
        f"{name}: mixed encodings: {len(other)} of {len(lines)} lines were not UTF-8 "
        f"and were read as {encoding}"
    ]
    if errors:
        warnings.append(f"{name}: removed {errors} invalid byte sequence(s) in those lines")
    return Decoded("\n".join(texts), f"utf-8+{encoding}", warnings)


def _mostly_utf8(attempt: _Attempt, data: bytes) -> bool:
    high = len(data) - len(data.translate(None, _ASCII_BYTES))
    return attempt.errors <= UTF8_MAX_BAD_SHARE * high


def _detect_utf16(data: bytes, body: bytes, name: str) -> Decoded | None:
    """UTF-16 without BOM, the usual reason for NUL or control bytes in text.

    Both byte orders are scored like any reading: NUL parity alone misleads,
    since common hanzi such as 一 (U+4E00) have a NUL byte too.
    """
    if len(body) < MIN_UTF16_BYTES:
        return None  # too short to tell UTF-16 from binary
    # Keep the NUL high byte of a final ASCII character (e.g. "\n\0").
    trimmed = data[: len(body) + len(body) % 2]
    sample = trimmed[:SAMPLE_BYTES]
    best = _best_reading(sample, ("utf-16-le", "utf-16-be"), final=sample == trimmed)
    if best is None:
        return None
    attempt = _decode_tolerant(trimmed, best)
    return Decoded(attempt.text, best, _error_warnings(attempt, name, best))


def _detect_legacy(data: bytes, name: str) -> Decoded:
    """Pick the Chinese legacy encoding whose reading looks most like Chinese."""
    sample = _sample(data)
    final = len(sample) == len(data)
    encoding = _best_reading(sample, ("utf-8",) + _LEGACY_CANDIDATES, final=final)
    if encoding is None:
        return _fallback(data, sample, name)
    attempt = _decode_tolerant(data, encoding)
    non_ascii = len(attempt.text) - len(attempt.text.encode("ascii", "ignore"))
    if attempt.errors > 0.1 * (non_ascii + attempt.errors) or not _looks_like_text(attempt.text):
        raise UndecodableError(
            f"{name}: only parts of the file read as {encoding}; is it several files "
            "in different encodings, or text mixed with binary data?"
        )
    return Decoded(attempt.text, encoding, _error_warnings(attempt, name, encoding))


def _fallback(data: bytes, sample: bytes, name: str) -> Decoded:
    """Ask charset-normalizer about non-Chinese legacy text (cp1252, Shift-JIS...).

    Only now, because on short Chinese texts it guesses wrongly (cp949 for
    GBK), and only for encodings a report plausibly comes in: on short data
    it happily proposes EBCDIC, Urdu or DOS code pages.
    """
    import charset_normalizer  # only needed on this rare path

    chaos = {
        codecs.lookup(m.encoding).name: m.chaos
        for m in charset_normalizer.from_bytes(sample)
        if m.chaos <= MAX_FALLBACK_CHAOS
    }
    plausible = [e for e in _FALLBACK_ENCODINGS if e in chaos]
    if not plausible:
        raise UndecodableError(
            f"{name}: cannot tell the text encoding (not UTF-8, UTF-16, GB18030 or "
            "Big5) or it is binary; convert the file to UTF-8"
        )
    encoding = min(plausible, key=lambda e: (chaos[e], _FALLBACK_ENCODINGS.index(e)))
    attempt = _decode_tolerant(data, encoding)
    if attempt.errors > MAX_CONTROL_SHARE * len(data) or not _looks_like_text(attempt.text):
        raise _binary_error(name, f"no readable text even as {encoding}")
    warnings = [f"{name}: not UTF-8, GB18030 or Big5; guessed {encoding}, check the text"]
    return Decoded(attempt.text, encoding, warnings + _error_warnings(attempt, name, encoding))


def _looks_like_text(text: str) -> bool:
    """Few control, private-use or non-characters: what any real text has.

    Same rule as for control bytes: binary is more than 2 and more than 1 %.
    """
    odd = len(_SUSPICIOUS.findall(text)) + text.count("\0")
    return odd <= 2 or odd <= MAX_CONTROL_SHARE * len(text)


# --------------------------------------------------------------------------
# Scoring and tolerant decoding


@dataclass
class _Attempt:
    """Result of decoding while dropping invalid sequences."""

    text: str
    errors: int = 0  # number of invalid sequences dropped
    first_offset: int = -1  # byte offset of the first one


# Decoding errors become this lone surrogate, which no valid decoding can
# produce, so counting it counts the errors exactly; one C-speed pass, where
# catching one exception per error would copy the rest of the data each time.
_MARK = "\ud800"
_MARK_ERRORS = "govsearch-mark"
codecs.register_error(_MARK_ERRORS, lambda exc: (_MARK, exc.end))


def _decode_tolerant(data: bytes, encoding: str, *, start: int = 0, final: bool = True) -> _Attempt:
    """Decode data[start:], dropping invalid sequences and counting them.

    One per maximal invalid subpart, like errors="replace".  ``final=False``
    ignores a character cut at the end, for samples cut from longer data.
    """
    raw = data[start:] if start else data
    text = raw.decode(encoding, _MARK_ERRORS)
    if not final and text.endswith(_MARK):
        text = text[:-1]
    errors = text.count(_MARK)
    if not errors:
        return _Attempt(text)
    first = -1
    try:
        raw.decode(encoding)  # fails, at the first error: its offset is all we need
    except UnicodeDecodeError as exc:
        first = start + exc.start
    return _Attempt(text.replace(_MARK, ""), errors, first)


def _best_reading(sample: bytes, encodings: tuple[str, ...], final: bool) -> str | None:
    """Return the encoding whose reading of sample scores best, if good enough.

    ``final`` is False when sample was cut from a longer file, so a
    character cut at its end is no error.
    """
    best, best_score = None, MIN_SCORE
    for encoding in encodings:
        attempt = _decode_tolerant(sample, encoding, final=final)
        score = _score(attempt.text, attempt.errors)
        if score > best_score or (best is None and score == best_score):
            best, best_score = encoding, score
    return best


def _score(text: str, errors: int) -> float:
    """How much a reading looks like Chinese (or plain) text, in [-inf, 1].

    (common hanzi + CJK punctuation - errors - suspicious characters) over
    (non-ASCII characters + errors).  A right reading of a report scores
    ~0.99; GBK read as Big5 ~0.4, Big5 read as GB18030 ~0.3, random ~0.2.
    Pure ASCII scores 1 (that is UTF-8 anyway).
    """
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    total = non_ascii + errors
    suspicious = len(_SUSPICIOUS.findall(text))
    if total == 0:
        return 0.0 if suspicious else 1.0
    good = len(text) - len(text.translate(_good_chars()))
    return (good - errors - suspicious) / total


@functools.cache
def _good_chars() -> dict[int, None]:
    """Translate table deleting the characters a Chinese report is made of.

    The common hanzi are GB2312 level 1 (3,755 simplified) and Big5 level 1
    (5,401 traditional): derived from the codecs, so no data file is needed.
    Built once, in about 40 ms.
    """
    table: dict[int, None] = {}
    for cp in range(0x4E00, 0xA000):
        char = chr(cp)
        if _lead_byte(char, "gb2312") in range(0xB0, 0xD8) or _lead_byte(char, "big5") in range(
            0xA4, 0xC7
        ):
            table[cp] = None
    # Punctuation, full-width forms, circled numbers and Roman numerals; not
    # all of U+2000-206F, whose spaces are what UTF-16 misreads of ASCII give.
    for low, high in ((0x3000, 0x303F), (0xFF01, 0xFF5E), (0x2150, 0x218F), (0x2460, 0x24FF)):
        table.update(dict.fromkeys(range(low, high + 1)))
    table.update(dict.fromkeys(map(ord, "·×÷°±—–‘’“”…‥•※‰′″￥")))
    return table


def _lead_byte(char: str, encoding: str) -> int:
    try:
        return char.encode(encoding)[0]
    except UnicodeEncodeError:
        return -1


def _sample(data: bytes) -> bytes:
    """Up to SAMPLE_BYTES starting at the first non-ASCII byte.

    Starting there matters for HTML, whose first kilobytes are often pure
    ASCII markup; the start is kept even so UTF-16 stays aligned.
    """
    match = _FIRST_HIGH_BYTE.search(data)
    begin = match.start() & ~1 if match else 0
    return data[begin : begin + SAMPLE_BYTES]


def _error_warnings(attempt: _Attempt, name: str, encoding: str) -> list[str]:
    if not attempt.errors:
        return []
    return [
        f"{name}: removed {attempt.errors} invalid {encoding} byte sequence(s) "
        f"(first at byte offset {attempt.first_offset})"
    ]


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
