"""Repeated blocks: sentences copied a second time into the same report.

Web pages and PDF conversions repeat part of a report: a paragraph pasted twice, the closing
appeal printed again in the middle, the tail of a page reprinted after a page break. The
copies are split into lines differently from the original, so the line-level filter of the
pipeline (identical lines) misses them; here they are found sentence by sentence.

Reports do restate things on purpose — a target in the review and again in the plan, the
thanks to the deputies twice — so a single repeated sentence is kept. What goes is a *block*:
consecutive sentences equal to consecutive sentences earlier in the report, at least
``MIN_SENTENCES`` of them and ``MIN_CHARS`` characters, or ``LONG_CHARS`` characters however
many. A copy that starts or ends mid-sentence leaves a fragment next to the block; a fragment
that is the end (before the block) or the start (after it) of the sentence next to the
original goes with the block.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .structure import Line

MIN_SENTENCES = 3
MIN_CHARS = 60
LONG_CHARS = 200
MIN_FRAGMENT = 6

_SENTENCE = re.compile(r"[^。！？!?；;]*[。！？!?；;]+|[^。！？!?；;]+$")


def _sentences(lines: list[Line]) -> list[tuple[int, int, int, str]]:
    """(line index, start, end, stripped text) of every sentence, in order."""
    out = []
    for i, line in enumerate(lines):
        for m in _SENTENCE.finditer(line.text):
            text = m.group().strip()
            if text:
                out.append((i, m.start(), m.end(), text))
    return out


def repeated_blocks(sentences: list[str]) -> list[int]:
    """Indexes of the sentences that belong to a repeated block (see the module docstring)."""
    first: dict[str, int] = {}
    drop: list[int] = []
    k, n = 0, len(sentences)
    while k < n:
        j = first.get(sentences[k])
        size = 0
        if j is not None:
            while k + size < n and j + size < k and sentences[k + size] == sentences[j + size]:
                size += 1
        chars = sum(len(s) for s in sentences[k : k + size])
        if size and ((size >= MIN_SENTENCES and chars >= MIN_CHARS) or chars >= LONG_CHARS):
            block = list(range(k, k + size))
            if k > 0 and j > 0 and _fragment(sentences[k - 1], sentences[j - 1].endswith):
                block.insert(0, k - 1)
            end, after = k + size, j + size
            if end < n and after < k and _fragment(sentences[end], sentences[after].startswith):
                block.append(end)
            drop.extend(i for i in block if not drop or i > drop[-1])
            k = block[-1] + 1
            continue
        first.setdefault(sentences[k], k)
        k += 1
    return drop


def _fragment(sentence: str, test) -> bool:
    return len(sentence) >= MIN_FRAGMENT and test(sentence)


def drop_repeated_blocks(lines: list[Line]) -> list[Line]:
    """``lines`` without repeated blocks; a line left empty goes too."""
    sentences = _sentences(lines)
    drop = repeated_blocks([s[3] for s in sentences])
    if not drop:
        return lines
    cuts: dict[int, list[tuple[int, int]]] = {}
    for index in drop:
        line, start, end, _ = sentences[index]
        cuts.setdefault(line, []).append((start, end))
    out = []
    for i, line in enumerate(lines):
        if i not in cuts:
            out.append(line)
            continue
        text, at, parts = line.text, 0, []
        for start, end in cuts[i]:
            parts.append(text[at:start])
            at = end
        parts.append(text[at:])
        kept = "".join(parts).strip()
        if kept:
            out.append(replace(line, text=kept))
    return out
