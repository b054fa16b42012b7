"""Concepts: a name and a list of terms, counted as one measure (数字经济 = 数字经济, 数字化转型, …).

A term is a phrase (matched as :mod:`search.matching` defines: exact, Latin letters folded, at
letter/digit boundaries) or a ``/pattern/`` (RE2 syntax on the normalized text, leftmost
non-overlapping matches as ``finditer`` gives them).

**A term's count** is its own count alone — for a phrase the same number ``stats`` gives.

**A concept's count** is the number of non-overlapping matches of its terms found scanning the
text left to right, taking at each position the longest match any term has there: where
乡村振兴战略 stands, 乡村振兴 and 乡村振兴战略 together count once. Every start of every term
is a candidate (a phrase's occurrences may overlap each other here: 哈哈 in 哈哈哈 starts at 0
and 1), then the scan keeps the longest candidate at the leftmost free position and jumps past
its end.

Definitions come from a TOML file (``[concepts]`` table of name = [terms], or
``[[concept]]`` tables with ``name`` and ``terms``), a CSV file with columns ``concept,term``,
or inline ``NAME=T1,T2,/pattern/``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import matching
from ..engine import QueryError
from ..ingest.normalize import normalize_query

MAX_TERMS = 500


class ConceptError(QueryError):
    """A concept definition that cannot be used; the message names the file or the term."""


@dataclass(frozen=True, slots=True)
class Term:
    """A phrase, or a pattern when ``pattern`` is True (``text`` then holds the RE2 source)."""

    text: str
    pattern: bool = False

    @property
    def label(self) -> str:
        return f"/{self.text}/" if self.pattern else self.text

    def starts(self, text: str) -> list[tuple[int, int]]:
        """Every (start, end) where this term matches: all starts for a phrase, overlapping
        ones included; the leftmost non-overlapping matches for a pattern."""
        if self.pattern:
            return [
                (m.start(), m.end())
                for m in compiled(self.text).finditer(text)
                if m.end() > m.start()
            ]
        if matching.needs_rules(self.text):
            found: list[tuple[int, int]] = []
            at = 0
            while True:
                hits = matching.find_all(text, self.text, at)
                if not hits:
                    return found
                found.append((hits[0], hits[0] + len(self.text)))
                at = hits[0] + 1
        size, out, find = len(self.text), [], text.find
        at = find(self.text)
        while at >= 0:
            out.append((at, at + size))
            at = find(self.text, at + 1)
        return out

    def count(self, text: str) -> int:
        """The term's own count: non-overlapping occurrences (``stats``'s number)."""
        if self.pattern:
            return sum(1 for m in compiled(self.text).finditer(text) if m.end() > m.start())
        return matching.count(text, self.text)


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    terms: tuple[Term, ...]

    def count(self, text: str) -> int:
        """Longest term first at each position, non-overlapping (see the module docstring)."""
        fast = _alternation(self.terms)
        if fast is not None:
            return len(fast.findall(text))
        best: dict[int, int] = {}
        for term in self.terms:
            for start, end in term.starts(text):
                if end > best.get(start, -1):
                    best[start] = end
        total, free = 0, 0
        for start in sorted(best):
            if start >= free:
                total += 1
                free = best[start]
        return total

    def to_dict(self) -> dict:
        return {"name": self.name, "terms": [t.label for t in self.terms]}


@lru_cache(maxsize=256)
def _alternation(terms: tuple[Term, ...]):
    """For terms that are plain phrases (no pattern, no Latin/digit rules): one regex of the
    terms, longest first. A regex tries its alternatives in order at the leftmost position
    and resumes after the match, which is exactly "the longest term at each position,
    non-overlapping" — done in C. None when a term needs the general scan."""
    if any(t.pattern or matching.needs_rules(t.text) for t in terms):
        return None
    ordered = sorted({t.text for t in terms}, key=lambda t: (-len(t), t))
    return re.compile("|".join(map(re.escape, ordered)))


def compiled(source: str):
    """An RE2 pattern (linear time: no query can hang the server); ``re`` where RE2 is absent."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return re.compile(source)
    options = re2.Options()
    options.encoding = re2.Options.Encoding.UTF8
    try:
        return re2.compile(source, options)
    except re2.error as error:
        raise ConceptError(f"bad pattern /{source}/: {error}") from None


def parse_term(raw: str) -> Term:
    """``/…/`` is a pattern, anything else a phrase normalized like the search box."""
    raw = raw.strip()
    if len(raw) >= 2 and raw.startswith("/") and raw.endswith("/"):
        source = raw[1:-1]
        if not source:
            raise ConceptError("an empty pattern // matches nothing")
        compiled(source)
        return Term(source, True)
    text = normalize_query(raw).strip()
    if not text:
        raise ConceptError(f"empty term {raw!r}")
    return Term(text)


SEPARATORS = ",，、"


def _split_terms(value: str) -> list[str]:
    """Terms separated by commas (，、 too); a term that opens with ``/`` runs to the ``/``
    that is followed by a separator or the end, so ``/\\S{0,2}/`` keeps its comma."""
    out, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i] in SEPARATORS or value[i].isspace()):
            i += 1
        if i >= n:
            break
        j = i + 1
        if value[i] == "/":
            while j < n and not (
                value[j] == "/"
                and value[j - 1] != "\\"
                and (j + 1 == n or value[j + 1] in SEPARATORS or value[j + 1].isspace())
            ):
                j += 1
            out.append(value[i : j + 1])
        else:
            while j < n and value[j] not in SEPARATORS:
                j += 1
            out.append(value[i:j].strip())
        i = j + 1
    return [t for t in out if t]


def concept(name: str, terms) -> Concept:
    name = name.strip()
    if not name:
        raise ConceptError("a concept needs a name: NAME=TERM1,TERM2")
    parsed = tuple(dict.fromkeys(parse_term(t) for t in terms if str(t).strip()))
    if not parsed:
        raise ConceptError(f"concept {name!r} has no terms")
    return Concept(name, parsed)


def inline(definition: str) -> Concept:
    """``数字经济=数字经济,数字化转型,/数字\\S{0,2}产业/``."""
    name, sep, terms = definition.partition("=")
    if not sep:
        raise ConceptError(f"write a concept as NAME=TERM1,TERM2, not {definition!r}")
    return concept(name, _split_terms(terms))


def from_file(path: str | Path) -> list[Concept]:
    """Concepts of a ``.toml`` or ``.csv`` file (UTF-8, BOM allowed)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConceptError(f"cannot read concepts file {path}: {error}") from None
    if path.suffix.lower() == ".toml":
        return _from_toml(text, path)
    return _from_csv(text, path)


def _from_toml(text: str, path: Path) -> list[Concept]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConceptError(f"{path}: not valid TOML: {error}") from None
    out = [
        concept(str(name), _as_list(terms, path, name))
        for name, terms in (data.get("concepts") or {}).items()
    ]
    for table in data.get("concept") or []:
        out.append(
            concept(
                str(table.get("name", "")), _as_list(table.get("terms"), path, table.get("name"))
            )
        )
    if not out:
        raise ConceptError(f"{path}: no [concepts] table or [[concept]] entries")
    return out


def _as_list(terms, path: Path, name) -> list[str]:
    if isinstance(terms, str):
        return _split_terms(terms)
    if not isinstance(terms, list):
        raise ConceptError(f"{path}: concept {name!r} needs a list of terms")
    return [str(t) for t in terms]


def _from_csv(text: str, path: Path) -> list[Concept]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"concept", "term"} <= set(rows[0]):
        raise ConceptError(f"{path}: a concepts CSV needs the columns concept,term")
    grouped: dict[str, list[str]] = {}
    for row in rows:
        if (row.get("concept") or "").strip() and (row.get("term") or "").strip():
            grouped.setdefault(row["concept"].strip(), []).append(row["term"])
    return [concept(name, terms) for name, terms in grouped.items()]


def gather(files=(), inline_defs=(), terms=(), extra=()) -> list[Concept]:
    """All concepts of a request: files, inline definitions, single ``--term`` s (each its
    own concept named by the term) and ``extra`` ones already made. Names must be distinct."""
    out: list[Concept] = list(extra)
    for path in files:
        out.extend(from_file(path))
    out.extend(inline(d) for d in inline_defs)
    out.extend(concept(t.strip(), [t]) for t in terms if t.strip())
    if not out:
        raise ConceptError("define at least one concept (--concept NAME=T1,T2) or --term")
    names = [c.name for c in out]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConceptError(f"concept {duplicate!r} is defined twice")
    if sum(len(c.terms) for c in out) > MAX_TERMS:
        raise ConceptError(f"at most {MAX_TERMS} terms in one panel")
    return out
