"""Character-level normalization: every stage is a function ``str -> str``, testable alone.

Order matters and is fixed by :func:`normalize_text`:

1. ``mark_note_entries`` — a footnote marker that *starts* a line (``①“四上”企业:…``) is
   replaced by a sentinel, so the structure stage can still tell footnote entries apart after
   the markers themselves are gone.
2. ``strip_invisible`` — zero-width characters, soft hyphens, BOMs, control and private-use
   characters left by PDF extraction carry no text and break phrases in two.
3. ``strip_pinyin`` — reading aids such as ``現(xiàn)``; the syllable must carry a tone mark,
   so ordinary bracketed Latin (``(PPP)``) is kept. A re-encoding that lost the ``(`` leaves
   ``?xiàng)``, which is removed the same way.
4. ``strip_note_markers`` — ①…⑳, ⑴…, ❶… in the body; must run before NFKC, which would turn
   ``①`` into a plain ``1`` glued to the neighbouring number.
5. ``nfkc`` — full-width letters, digits and punctuation become their plain forms; a
   combining mark NFKC could not compose with the character before it (``园\u0301``) is
   stray and dropped (``strip_stray_marks``), so it cannot split a phrase.
6. ``to_simplified`` — OpenCC ``t2s`` (never ``tw2sp``: it rewrites 新增→添加), then 著→着.
7. ``collapse_spaces`` — OCR and newspaper layout put spaces between Chinese characters;
   spaces between two Latin/digit characters are real and kept.

Lossless stages (1–5) are kept apart from the lossy conversion to simplified characters (6).
The same chain normalizes queries (:func:`normalize_query`), so a traditional or full-width
query finds the simplified text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..cjk import CJK_CHARS
from ..errors import InvalidTextError

NOTE_SENTINEL = "\x1a"  # not whitespace to str.strip, kept by every later stage

CJK = CJK_CHARS  # one definition: search/cjk.py
# Chinese punctuation that never takes a space next to it either.
_CJK_PUNCT = "，。、；：！？“”‘’《》〈〉【】（）「」『』…—·"

# Footnote markers: circled/parenthesized/full-stop numbers and dingbat circled numbers.
_NOTE_MARKERS = (
    "\u2460-\u249b"  # ①…⑳ ⑴…⒇ ⒈…⒛
    "\u24ea-\u24ff"  # ⓪ ⓫…⓿
    "\u2776-\u2793"  # ❶…❿ ➀…➓
    "\u3251-\u325f\u32b1-\u32bf"
)  # ㉑…㊿
_NOTE_MARKER = f"[{_NOTE_MARKERS}]"
# A '?' where a marker glyph was lost in a re-encoding (“美家美户”? 行动); a real question
# mark follows a question word and is not followed by 。 or a Chinese character.
_LOST_MARKER = re.compile(f'(?<=[{CJK}”"])(?<![吗呢么何谁哪啊吧])\\?(?=[{CJK}“”"、。，,;； ])')
_LINE_START_MARKER = re.compile(
    f'^([ \t\u3000]*)(?:{_NOTE_MARKER}+|\\?(?=[“" \t{CJK}]))[ \t\u3000]*', re.M
)

_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffd"
    "\ue000-\uf8ff\U000f0000-\U0010ffff"
    "\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f-\x9f]"
)

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(f"[(（?]\\s?[a-z{_TONED}]{{0,6}}[{_TONED}][a-z{_TONED}]{{0,6}}\\s?[)）]")

_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")
_CJK_SIDE = f"[{CJK}{_CJK_PUNCT}]"
_CJK_SPACE = re.compile(
    f"(?<={_CJK_SIDE})[ \t\u3000\u00a0]+(?=\\S)|(?<=\\S)[ \t\u3000\u00a0]+(?={_CJK_SIDE})"
)

# 著 stays only in the senses modern simplified text keeps (著名, 显著, 著作 …); everywhere else
# OpenCC's t2s leaves a 著 that modern text writes 着 (著力, 面临著, 随著).
_ZHE_KEEP = (
    "著名",
    "显著",
    "著作",
    "卓著",
    "昭著",
    "论著",
    "名著",
    "专著",
    "原著",
    "巨著",
    "编著",
    "著称",
    "著述",
    "著录",
    "土著",
    "遗著",
    "译著",
    "合著",
    "新著",
    "拙著",
    "著书",
    "著者",
    "彰著",
    "著有",
    "撰著",
    "著文",
    "参著",
)
_ZHE = re.compile("|".join(_ZHE_KEEP) + "|著")


def mark_note_entries(text: str) -> str:
    """Replace a footnote marker that opens a line by :data:`NOTE_SENTINEL`."""
    text = text.replace(NOTE_SENTINEL, "")
    return _LINE_START_MARKER.sub(lambda m: m.group(1) + NOTE_SENTINEL, text)


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def strip_pinyin(text: str) -> str:
    return _PINYIN.sub("", text)


def strip_note_markers(text: str) -> str:
    text = re.sub(_NOTE_MARKER, "", text)
    return _LOST_MARKER.sub("", text)


# What NFKC changes in report text, character by character: full-width ASCII, the ideographic
# and other spaces, Roman numerals, circled and parenthesized numbers, the ellipsis.
_NFKC_CHARS = {
    c: unicodedata.normalize("NFKC", chr(c))
    for c in [
        *range(0xFF01, 0xFF5F),
        0x3000,
        0xA0,
        *range(0x2000, 0x200B),
        0x202F,
        0x205F,
        *range(0x2160, 0x2180),
        *range(0x2460, 0x2500),
        0x2026,
    ]
}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on report text.

    The characters report text mostly holds (，：１９９７, ①, Ⅲ, no-break spaces) are mapped to
    their NFKC form by a C translate table first; only lines still not in NFKC after that
    (㈠, ℃, compatibility ideographs…) go through the full algorithm.
    A character and its compatibility decomposition normalize alike, so the result is the
    same (tests/test_ingest.py compares it with unicodedata on every seed line and on
    random text).
    """
    text = text.translate(_NFKC_CHARS)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join(
        line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
        for line in text.split("\n")
    )


def _mark_ranges() -> str:
    """A regex class of every combining mark (categories Mn, Me; none lie in planes 3-13)."""
    ranges, start, last = [], None, None
    for code in [*range(0x300, 0x30000), *range(0xE0000, 0xE1000)]:
        if unicodedata.category(chr(code)) in ("Mn", "Me"):
            if start is None or code != last + 1:
                if start is not None:
                    ranges.append((start, last))
                start = code
            last = code
    ranges.append((start, last))
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


_STRAY_MARKS = re.compile(f"[{_mark_ranges()}]")
#: Blocks report text is made of (Latin, punctuation, symbols, CJK, full-width forms) that
#: hold no combining mark (tests/test_query_text.py checks): only runs of other characters
#: are searched for marks, since a class of 700 ranges is slow to test on every character.
MARK_FREE = (
    "\x00-\u02ff\u2000-\u20cf\u2100-\u2bff\u3000-\u3029\u3030-\u3098\u309b-\u9fff\uff00-\uffef"
)
_MAY_HOLD_MARKS = re.compile(f"[^{MARK_FREE}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def strip_stray_marks(text: str) -> str:
    """Drop combining marks left after NFKC: none composed with the character before them."""
    if text.isascii():
        return text
    return _MAY_HOLD_MARKS.sub(lambda run: _STRAY_MARKS.sub("", run.group()), text)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    text = _opencc().convert(text)
    return _ZHE.sub(lambda m: m.group(0) if len(m.group(0)) > 1 else "着", text)


def collapse_spaces(text: str) -> str:
    """Drop spaces that touch a Chinese character; fold other space runs to one space."""
    text = _CJK_SPACE.sub("", text)
    return _SPACE_RUN.sub(" ", text)


def before_nfkc(text: str) -> str:
    """Stages 1–4: what is deleted before NFKC; the display text (search.display) starts here."""
    text = mark_note_entries(text)
    text = strip_invisible(text)
    text = strip_pinyin(text)
    return strip_note_markers(text)


def normalize_text(text: str) -> str:
    """The whole chain for a report body; line structure (``\\n``) is preserved."""
    text = strip_stray_marks(nfkc(before_nfkc(text)))
    text = to_simplified(text)
    return "\n".join(collapse_spaces(line).strip() for line in text.split("\n"))


def normalize_query(text: str) -> str:
    """Normalize a query like report text, so 園區整合 finds 园区整合.

    Spaces are kept (folded to one): in the search box they are operators (AND), and the
    characters either side of a stray space still find the text together. Combining marks
    are composed (NFC, then NFKC) or dropped as in report text; a lone surrogate (what
    bytes that are not UTF-8 become in a command-line argument) cannot be normalized and is
    refused with InvalidTextError.
    """
    bad = _SURROGATE.search(text)
    if bad:
        raise InvalidTextError(
            f"the query is not valid text: character {bad.start() + 1} is a lone surrogate "
            f"(U+{ord(bad.group()):04X}), i.e. bytes that are not UTF-8; retype the query"
        )
    text = strip_invisible(re.sub(r"\s", " ", text.replace(NOTE_SENTINEL, " ")))
    text = to_simplified(strip_stray_marks(nfkc(unicodedata.normalize("NFC", text))))
    return _SPACE_RUN.sub(" ", text).strip()
