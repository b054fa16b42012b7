"""Orderings of Chinese names that a reader expects.

``pinyin_key``: GB2312 lists its 3,755 level-1 characters (nearly every place name) in pinyin
order, and GB18030 keeps that order, so the encoded bytes sort by pinyin without a pinyin
dictionary. Level-2 characters follow, ordered by radical; characters outside GB18030's
two-byte range come last. One rule, used wherever a list is "sorted by pinyin".
"""

from __future__ import annotations


def pinyin_key(name: str | None) -> bytes:
    """Sort key: pinyin order for common characters; ``None`` and empty names last."""
    if not name:
        return b"\xff\xff"
    return name.encode("gb18030", errors="replace")
