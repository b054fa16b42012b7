"""Which characters are Chinese: the one definition every stage uses.

The exact view indexes these one by one (and in pairs), ingest decides where spaces between
Chinese text are noise, key phrases are cut from runs of them. One range, so a character
cannot be Chinese to one stage and not to another.
"""

from __future__ import annotations

import re

#: Regex class body: CJK Unified Ideographs and Extension A; Extensions B–F and I with the
#: compatibility supplement (U+20000–U+2FFFF); Extensions G and H (U+30000–U+323AF);
#: the compatibility ideographs (U+F900–U+FAFF); and ``〇`` (U+3007), a numeral in dates
#: such as 二〇二三年, though Unicode files it apart from the Han blocks.
CJK_CHARS = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\U00030000-\U000323af\u3007"
)

CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


def is_cjk(char: str) -> bool:
    """Whether the one character ``char`` is Chinese (in :data:`CJK_CHARS`)."""
    return bool(CJK_CHAR.fullmatch(char))
