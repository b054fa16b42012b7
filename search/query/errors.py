"""The one error the parser raises, and its limits (the numbers the syntax doc promises)."""

from __future__ import annotations

from ..errors import QueryError

MAX_QUERY_LENGTH = 500  # characters in the search box
MAX_PHRASES = 32  # search words in one query
MAX_NESTING = 20  # levels of grouping parentheses


class QuerySyntaxError(QueryError, ValueError):
    """The search box text cannot be parsed; str(e) is shown to the user (``zh`` on the web).

    ``position`` is the 0-based index of the offending character (None when the problem is
    the query as a whole), so a UI can point at it.
    """

    def __init__(self, message: str, position: int | None = None, zh: str | None = None):
        super().__init__(message, zh)
        self.position = position


def syntax_error(message: str, zh: str, pos: int | None = None) -> QuerySyntaxError:
    """A QuerySyntaxError whose messages end with the position (users count from 1)."""
    if pos is None:
        return QuerySyntaxError(message, None, zh)
    return QuerySyntaxError(f"{message} (character {pos + 1})", pos, f"{zh}（第 {pos + 1} 个字符）")
