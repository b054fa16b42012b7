"""The HTML reader of :mod:`.formats`: the page's visible text, one paragraph per line."""

from __future__ import annotations

import re

from .decode import Decoded, decode, tidy_text

_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)


def looks_like_html(data: bytes) -> bool:
    """An HTML page saved without a telling suffix (.asp, .jsp, .doc, none)."""
    return _HTML_START.match(data[:4096].removeprefix(b"\xef\xbb\xbf")) is not None


_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)

# Never visible, or page chrome rather than the report.
_DROPPED_TAGS = frozenset(
    "script style noscript template head title nav iframe object embed svg canvas select".split()
)
# Page chrome too, except inside an <article> or <main>, where they hold
# the report's own title, date or source.
_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main"})
# Elements that start a new line.
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 tr section article ul ol dl dt dd table thead "
    "tbody tfoot caption blockquote pre hr main aside figure figcaption address "
    "center form fieldset legend details summary body html header footer".split()
)
_CELL_TAGS = frozenset({"td", "th"})
SPACES = re.compile(r"\s+")  # Unicode-aware: also U+00A0 (&nbsp;) and U+3000


def read_html(data: bytes, name: str) -> Decoded:
    """Decode with the page's declared charset if it fits, then extract the text."""
    decoded = decode(data, name, declared=_declared_charset(data))
    text, warnings = tidy_text(html_to_text(decoded.text), name)
    return Decoded(text, decoded.encoding, decoded.warnings + warnings)


def _declared_charset(data: bytes) -> str | None:
    """Charset from ``<meta charset>``/``http-equiv`` or an XML declaration."""
    head = data[:8192]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one paragraph (or table row) per line.

    Script, style and page chrome (nav; header and footer outside an
    article) are dropped; block elements and ``<br>`` break lines; table
    cells are separated by a tab; whitespace runs (``&nbsp;`` included)
    become one space, except that ``<pre>`` keeps its line breaks.  Spaces
    between Chinese characters left by source line wraps are the
    normaliser's job.  The walk is iterative: scraped pages can nest deeper
    than Python's recursion limit.
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    out: list[str] = []
    stack = [(soup, iter(soup.contents))]
    depth = {"pre": 0, "article": 0, "main": 0}  # how many of each are open
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag.name in depth:
                depth[tag.name] -= 1
            if tag.name in _BLOCK_TAGS:
                out.append("\n")
        elif isinstance(child, Tag):
            name = child.name
            in_content = depth["article"] or depth["main"]
            if name in _DROPPED_TAGS or (name in _CHROME_TAGS and not in_content):
                continue
            if name == "br":
                out.append("\n")
                continue
            if name in _BLOCK_TAGS:
                out.append("\n")
            elif name in _CELL_TAGS:
                out.append("\t")
            if name in depth:
                depth[name] += 1
            stack.append((child, iter(child.contents)))
        elif type(child) is NavigableString:  # not comments, doctype, CDATA, <rt>
            pre = depth["pre"]
            out.append(child.replace("\xa0", " ") if pre else SPACES.sub(" ", child))
    return _tidy_lines("".join(out))


def _tidy_lines(text: str) -> str:
    """Strip each line, tidy cell separators, drop empty lines."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r" *\t[ \t]*", "\t", re.sub(r" {2,}", " ", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)
