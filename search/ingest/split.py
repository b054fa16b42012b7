"""Split a compilation page (【篇1】…【篇2】…) into the reports it collects.

Web pages bundle several reports under one title and date of their own ("2023年吉林省…汇编",
2023-05-31). Everything before the first part marker belongs to the page, not to any report,
and is dropped; so are the part headings themselves, whose labels are the compiler's, not the
reports' (seed 004 labels a 苏州 and a 梧州 report "2023年吉林省政府工作报告").
"""

from __future__ import annotations

import re

PART_MARKER = re.compile(
    r"^\s*(?:[【\[［]\s*(?:篇|第)\s*[\d一二三四五六七八九十０-９]+\s*篇?\s*[】\]］]"
    r"|(?:范文|篇)\s*[\d一二三四五六七八九十０-９]+\s*[:：】]).*$"
)


def split_parts(lines: list[str]) -> list[list[str]]:
    """Lines of each report; a file without at least two part markers is one report."""
    marks = [i for i, line in enumerate(lines) if PART_MARKER.match(line)]
    if len(marks) < 2:
        return [lines]
    bounds = marks + [len(lines)]
    return [lines[bounds[k] + 1 : bounds[k + 1]] for k in range(len(marks))]
