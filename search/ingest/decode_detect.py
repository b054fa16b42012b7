"""Which encoding BOM-less bytes are in, or that they are not text (steps 3-5 of :mod:`.decode`).

NUL or control bytes mean UTF-16 without a BOM, or binary; then strict UTF-8, UTF-8 with a
few broken sequences, UTF-8 with some lines in a legacy encoding (repaired line by line);
then the legacy Chinese encodings by score; charset-normalizer only when no Chinese reading
fits.
"""

from __future__ import annotations

import codecs

from .decode_reading import (
    MAX_CONTROL_SHARE,
    MIN_SCORE,
    SAMPLE_BYTES,
    Attempt,
    Decoded,
    UndecodableError,
    best_reading,
    binary_error,
    chinese_score,
    decode_tolerant,
    error_warnings,
    looks_like_text,
    take_sample,
)

#: UTF-8 is kept, with a warning, while at most this share of the non-ASCII
#: bytes is broken (a truncated character, a bad copy-paste).
UTF8_MAX_BAD_SHARE = 0.01
#: A few stray NUL bytes in a text are dropped; more means binary.
MAX_NUL_SHARE = 0.001
#: Shorter BOM-less data with NUL bytes is called binary: too little to tell.
MIN_UTF16_BYTES = 16
#: charset-normalizer's fallback guess must be at most this chaotic.
MAX_FALLBACK_CHAOS = 0.1

# Tried in order; on equal scores the earlier wins (big5 before its
# Hong Kong superset, so plain Big5 files report "big5").
_LEGACY_CANDIDATES = ("gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be")
# What charset-normalizer may propose when no Chinese reading fits; on ties
# the earlier wins (cp1252 is the de-facto Western legacy encoding).
_FALLBACK_ENCODINGS = ("cp1252", "iso8859-1", "cp932", "shift_jis", "euc_jp", "cp949", "euc_kr")

_CONTROL_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0E, 0x20)) + b"\x7f"
_ASCII_BYTES = bytes(range(0x80))


def detect(data: bytes, name: str) -> Decoded:
    """Find the encoding of BOM-less data, or decide it is not text."""
    body = data.rstrip(b"\0")  # NUL padding from crashed writers is harmless
    if not body:
        raise binary_error(name, f"{len(data)} NUL bytes and nothing else")
    nuls = body.count(0)
    controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    many_controls = controls > 2 and controls > MAX_CONTROL_SHARE * len(body)
    if nuls or many_controls:
        found = _detect_utf16(data, body, name)
        if found is not None:
            return found
        if nuls > max(1, MAX_NUL_SHARE * len(body)):
            raise binary_error(name, f"{nuls} NUL bytes")
        if many_controls:
            raise binary_error(name, f"{controls} control bytes in {len(body)}")
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
    sample = take_sample(data)
    if len(sample) < len(data):
        if not _mostly_utf8(decode_tolerant(sample, "utf-8", final=False), sample):
            return None
    attempt = decode_tolerant(data, "utf-8")
    if not _mostly_utf8(attempt, data):
        return None
    return Decoded(attempt.text, "utf-8", error_warnings(attempt, name, "utf-8"))


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
    if not utf8 or not other or chinese_score("".join(utf8), 0) <= MIN_SCORE:
        return None
    encoding = best_reading(b"\n".join(lines[n] for n in other), _LEGACY_CANDIDATES[:2], final=True)
    if encoding is None:
        return None
    errors = 0
    texts = [line.decode("utf-8") if line.isascii() else None for line in lines]
    legacy = set(other)
    for number, line in enumerate(lines):
        if texts[number] is None:
            attempt = decode_tolerant(line, encoding if number in legacy else "utf-8")
            texts[number] = attempt.text
            errors += attempt.errors
    warnings = [
        f"{name}: mixed encodings: {len(other)} of {len(lines)} lines were not UTF-8 "
        f"and were read as {encoding}"
    ]
    if errors:
        warnings.append(f"{name}: removed {errors} invalid byte sequence(s) in those lines")
    return Decoded("\n".join(texts), f"utf-8+{encoding}", warnings)


def _mostly_utf8(attempt: Attempt, data: bytes) -> bool:
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
    best = best_reading(sample, ("utf-16-le", "utf-16-be"), final=sample == trimmed)
    if best is None:
        return None
    attempt = decode_tolerant(trimmed, best)
    return Decoded(attempt.text, best, error_warnings(attempt, name, best))


def _detect_legacy(data: bytes, name: str) -> Decoded:
    """Pick the Chinese legacy encoding whose reading looks most like Chinese."""
    sample = take_sample(data)
    final = len(sample) == len(data)
    encoding = best_reading(sample, ("utf-8",) + _LEGACY_CANDIDATES, final=final)
    if encoding is None:
        return _fallback(data, sample, name)
    attempt = decode_tolerant(data, encoding)
    non_ascii = len(attempt.text) - len(attempt.text.encode("ascii", "ignore"))
    if attempt.errors > 0.1 * (non_ascii + attempt.errors) or not looks_like_text(attempt.text):
        raise UndecodableError(
            f"{name}: only parts of the file read as {encoding}; is it several files "
            "in different encodings, or text mixed with binary data?"
        )
    return Decoded(attempt.text, encoding, error_warnings(attempt, name, encoding))


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
    attempt = decode_tolerant(data, encoding)
    if attempt.errors > MAX_CONTROL_SHARE * len(data) or not looks_like_text(attempt.text):
        raise binary_error(name, f"no readable text even as {encoding}")
    warnings = [f"{name}: not UTF-8, GB18030 or Big5; guessed {encoding}, check the text"]
    return Decoded(attempt.text, encoding, warnings + error_warnings(attempt, name, encoding))
