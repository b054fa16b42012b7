"""Reading the trend pages in tests: a table's rows (phrase, count links) and the report
behind a count link, so a test can follow each link and count the hits it highlights."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit


def link(href: str) -> tuple[str, dict]:
    """An href from a page as (path, query parameters), unescaped and decoded."""
    parts = urlsplit(html.unescape(href))
    return unquote(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}


def hits_behind(client, href: str) -> int:
    """How many hits the report page an href points to highlights (via its JSON twin)."""
    parts = urlsplit(html.unescape(href))
    assert parts.path.startswith("/report/")
    data = client.get("/api" + parts.path + "?" + parts.query).get_json()
    return len(data["hits"])


CHANGE_ROW = re.compile(
    r'<tr>\s*<td><a href="([^"]+)"[^>]*>([^<]+)</a>(?:<a class="ctx" [^>]*>.*?</a>)?</td>\s*'
    r'<td class="num (?:now|a)"><a href="([^"]+)"(?: class="zero")?>(\d+)</a></td>\s*'
    r'(?:<td class="num (?:before|b)"><a href="([^"]+)"(?: class="zero")?>(\d+)</a></td>)?'
)


def table_rows(body: str, section_id: str) -> list[tuple]:
    """(phrase, href, count, href, count) of every row of one <section id=…> table."""
    match = re.search(rf'<section class="change" id="{section_id}">(.*?)</section>', body, re.S)
    assert match, section_id
    return [
        (phrase, a_href, int(a), b_href, int(b) if b else None)
        for _, phrase, a_href, a, b_href, b in CHANGE_ROW.findall(match.group(1))
    ]


def by_phrase(rows):
    return {row[0]: row for row in rows}
