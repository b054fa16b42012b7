"""Regular-expression terms (``/增长\\d+(\\.\\d+)?%左右/``) and the ``*`` wildcard.

Patterns run under **RE2** (PyPI ``google-re2``): matching time is linear in the text, there
are no backreferences or look-around, so no query can hang the server. They match the
normalized text (full-width digits and ％ are ASCII there; Latin letters keep their case
unless the pattern says ``(?i)``). A pattern's occurrences are its non-empty, leftmost,
non-overlapping matches, as ``finditer`` gives them.

Candidates come from the index, as code-search engines do (Russ Cox, "Regular Expression
Matching with a Trigram Index"): :func:`required_literals` reads off the runs of Chinese
characters every match must contain; only reports holding all of them are scanned. A pattern
with no such run would have to scan every report, so it is refused with a message saying
what to write instead.

``*`` inside a run of Chinese characters (``园区*整合``) stands for up to
:data:`WILDCARD_MAX` Chinese characters: a shorthand for the pattern
``园区[汉字]{0,4}整合``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..cjk import CJK_CHARS, CJK_RUN

CJK_CLASS = f"[{CJK_CHARS}]"

WILDCARD_MAX = 4
MAX_PATTERN = 200


class PatternError(ValueError):
    """A pattern RE2 cannot compile, or one the index cannot narrow; ``zh`` for the web."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


@lru_cache(maxsize=512)
def compile_pattern(source: str):
    """The RE2 program of ``source`` (UTF-8, offsets in characters)."""
    import re2

    if len(source) > MAX_PATTERN:
        raise PatternError(
            f"the pattern /{source[:20]}…/ is longer than {MAX_PATTERN} characters",
            f"正则表达式超过 {MAX_PATTERN} 个字符",
        )
    options = re2.Options()
    options.encoding = re2.Options.Encoding.UTF8
    options.log_errors = False
    try:
        return re2.compile(source, options)
    except re2.error as error:
        error = _reason(error)
        raise PatternError(
            f"the pattern /{source}/ is not valid RE2 ({error}); RE2 has no backreferences "
            "or look-around",
            f"正则表达式 /{source}/ 有误（{error}）；RE2 不支持反向引用和"
            "前后断言，请检查括号、转义和量词",
        ) from None


def _reason(error: Exception) -> str:
    """RE2's message as text (google-re2 gives it as UTF-8 bytes)."""
    reason = error.args[0] if error.args else str(error)
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def hits(source: str, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the non-empty leftmost non-overlapping matches in ``text[start:end]``."""
    program = compile_pattern(source)
    end = len(text) if end is None else end
    return [m.span() for m in program.finditer(text, start, end) if m.end() > m.start()]


@lru_cache(maxsize=512)
def required_literals(source: str) -> tuple[str, ...]:
    """Runs of Chinese characters that every match of ``source`` contains, longest first.

    Read off Python's parse of the pattern (RE2 syntax is a subset for what matters here):
    literals of the top-level sequence and of groups and repeats that must occur at least
    once; alternatives, optional parts and classes break a run and contribute nothing.
    """
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse
    try:
        tree = sre_parse.parse(source)
    except (re.error, OverflowError, RecursionError):
        return ()
    runs: list[str] = []
    _walk(list(tree), runs)
    pieces = {piece for run in runs for piece in CJK_RUN.findall(run)}
    return tuple(sorted(pieces, key=lambda p: (-len(p), p)))


def _walk(items, runs: list[str]) -> None:
    """Append the literal runs of a parsed sequence; a non-literal item ends the run."""
    from re import _constants as c  # type: ignore[attr-defined]

    current = ""
    for op, arg in items:
        if op is c.LITERAL:
            current += chr(arg)
            continue
        if current:
            runs.append(current)
            current = ""
        if op is c.SUBPATTERN:
            _walk(list(arg[-1]), runs)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            _walk(list(arg[2]), runs)
    if current:
        runs.append(current)


def check_narrowable(source: str) -> tuple[str, ...]:
    """The pattern's required literals, or PatternError when it has none."""
    compile_pattern(source)
    found = required_literals(source)
    if not found:
        raise PatternError(
            f"the pattern /{source}/ has no Chinese characters that every match must "
            "contain, so it would have to scan every report; add one, e.g. /增长\\d+%/",
            f"正则表达式 /{source}/ 中没有每个匹配都必须包含的汉字，无法用索引缩小范围；"
            "请至少写出一个固定的汉字词，例如 /增长\\d+%/",
        )
    return found


_WILDCARD = re.compile(f"^{CJK_CLASS}*(?:\\*{CJK_CLASS}*)+$")


def is_wildcard(word: str) -> bool:
    """``园区*整合``: Chinese characters with ``*`` between them (not at both ends only)."""
    return "*" in word and bool(_WILDCARD.match(word)) and bool(word.strip("*"))


def wildcard_pattern(word: str) -> str:
    """The RE2 pattern a wildcard word stands for."""
    parts = word.split("*")
    gap = f"{CJK_CLASS}{{0,{WILDCARD_MAX}}}"
    return gap.join(re.escape(p) for p in parts)
