"""One reading of bytes in one encoding: tolerant decoding, its score, and its result.

The parts every step of :mod:`.decode` and :mod:`.decode_detect` share: :class:`Decoded`
(what decoding returns), :class:`UndecodableError`, decoding that drops and counts invalid
sequences (:func:`decode_tolerant`), and :func:`chinese_score`, how much a reading looks like Chinese
text, which picks between candidate encodings (:func:`best_reading`).
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field

from ..errors import IngestError


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
# Tunables (more in decode_detect).  Ratios are deliberately loose: they separate text from
# binary or from a wrong encoding, which differ by an order of magnitude, not by 1 %.

#: A decoded reading needs at least this score (see ``chinese_score``) to be taken.
MIN_SCORE = 0.5
#: Legacy candidates are scored on this many bytes, so a 50 MB file costs
#: one full decode, not six.
SAMPLE_BYTES = 256 * 1024
#: More control bytes than this share (and more than 2) means binary.
MAX_CONTROL_SHARE = 0.01

_FIRST_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# Characters real text hardly ever has; a wrong decoding produces many.
_SUSPICIOUS = re.compile(
    "[\x01-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff\U000f0000-\U0010ffff]"
)


def binary_error(name: str, why: str) -> UndecodableError:
    """The one wording of "this is not text", naming the file and the evidence."""
    return UndecodableError(f"{name}: looks like a binary file ({why}), not text")


def looks_like_text(text: str) -> bool:
    """Few control, private-use or non-characters: what any real text has.

    Same rule as for control bytes: binary is more than 2 and more than 1 %.
    """
    odd = len(_SUSPICIOUS.findall(text)) + text.count("\0")
    return odd <= 2 or odd <= MAX_CONTROL_SHARE * len(text)


# --------------------------------------------------------------------------
# Scoring and tolerant decoding


@dataclass
class Attempt:
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


def decode_tolerant(data: bytes, encoding: str, *, start: int = 0, final: bool = True) -> Attempt:
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
        return Attempt(text)
    first = -1
    try:
        raw.decode(encoding)  # fails, at the first error: its offset is all we need
    except UnicodeDecodeError as exc:
        first = start + exc.start
    return Attempt(text.replace(_MARK, ""), errors, first)


def best_reading(sample: bytes, encodings: tuple[str, ...], final: bool) -> str | None:
    """Return the encoding whose reading of sample scores best, if good enough.

    ``final`` is False when sample was cut from a longer file, so a
    character cut at its end is no error.
    """
    best, best_score = None, MIN_SCORE
    for encoding in encodings:
        attempt = decode_tolerant(sample, encoding, final=final)
        score = chinese_score(attempt.text, attempt.errors)
        if score > best_score or (best is None and score == best_score):
            best, best_score = encoding, score
    return best


def chinese_score(text: str, errors: int) -> float:
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


def take_sample(data: bytes) -> bytes:
    """Up to SAMPLE_BYTES starting at the first non-ASCII byte.

    Starting there matters for HTML, whose first kilobytes are often pure
    ASCII markup; the start is kept even so UTF-16 stays aligned.
    """
    match = _FIRST_HIGH_BYTE.search(data)
    begin = match.start() & ~1 if match else 0
    return data[begin : begin + SAMPLE_BYTES]


def error_warnings(attempt: Attempt, name: str, encoding: str) -> list[str]:
    if not attempt.errors:
        return []
    return [
        f"{name}: removed {attempt.errors} invalid {encoding} byte sequence(s) "
        f"(first at byte offset {attempt.first_offset})"
    ]


# Labels as found in HTML/XML declarations.  GB2312 and GBK pages routinely
# contain characters only their superset has, and a UTF-16 label in an
# ASCII-readable <meta> is impossible, so browsers treat it as UTF-8.
