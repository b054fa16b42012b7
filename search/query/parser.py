"""Pass 2 of the parser: tokens → a normalised :class:`~search.query.nodes.ParsedQuery`.

Recursive descent, one method per precedence level, loosest first::

    or      := and (OR and)*
    and     := near (AND? near)*
    near    := unary (NEAR term)?        (the left unary must be a term)
    unary   := (NOT | -)* primary
    primary := PHRASE | PATTERN | FILTER | ( or )
    term    := PHRASE | PATTERN

A new operator gets its own level between two of these and its node in :mod:`search.query.nodes`. Filters are parsed
in place, then lifted out of the tree (:func:`lift`), because they restrict the whole query.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import nodes
from .errors import MAX_NESTING, MAX_PHRASES, MAX_QUERY_LENGTH, QuerySyntaxError, syntax_error
from .filters import build_filters
from .lexer import Token, clean, tokenize

__all__ = ["parse"]


@dataclass(frozen=True)
class _FilterNode:
    """A filter still sitting in the tree; lifted out before returning."""

    token: Token


_UNARY_START = ("PHRASE", "PATTERN", "FILTER", "LP", "NOT", "NEG")
_PRIMARY_START = ("PHRASE", "PATTERN", "FILTER", "LP")
_TERM_START = ("PHRASE", "PATTERN")
_NEAR_EXAMPLE = (
    "write a word or quoted text on each side, like 园区 NEAR/5 整合",
    "两边各写一个词或引号中的文字，如 园区 NEAR/5 整合",
)


def _near_error(op: Token, what: tuple[str, str]) -> QuerySyntaxError:
    return syntax_error(
        f"{op.raw} {what[0]}; {_NEAR_EXAMPLE[0]}", f"{op.raw} {what[1]}；{_NEAR_EXAMPLE[1]}", op.pos
    )


def _term(tok: Token):
    """The node of a PHRASE or PATTERN token."""
    if tok.kind == "PATTERN":
        return nodes.Pattern(tok.text, tok.value)
    return nodes.Phrase(tok.text)


def _needs_terms(op: Token) -> QuerySyntaxError:
    return syntax_error(f"{op.kind} needs a term on each side", f"{op.kind} 两边都需要有词", op.pos)


def _unexpected_close(pos: int | None) -> QuerySyntaxError:
    return syntax_error("unexpected ')'", "多余的“)”", pos)


class _Parser:
    """Recursive descent over the token list; nesting depth is bounded by MAX_NESTING, so
    there is never a RecursionError."""

    def __init__(self, tokens: list[Token]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def starts(self, kinds: tuple) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind in kinds

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        expr = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise _unexpected_close(tok.pos)
        return expr

    def or_expr(self):
        items = [self.and_expr()]
        while self.starts(("OR",)):
            op = self.take()
            if not self.starts(_UNARY_START):
                raise _needs_terms(op)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else nodes.Or(tuple(items))

    def and_expr(self):
        items = [self.near()]
        while True:
            if self.starts(("AND",)):
                op = self.take()
                if not self.starts(_UNARY_START):
                    raise _needs_terms(op)
            elif not self.starts(_UNARY_START):
                break
            items.append(self.near())
        return items[0] if len(items) == 1 else nodes.And(tuple(items))

    def near(self):
        """``A NEAR/n B``: both sides single terms (a phrase, quoted text or a pattern)."""
        left = self.unary()
        if not self.starts(("NEAR",)):
            return left
        op = self.take()
        if not isinstance(left, (nodes.Phrase, nodes.Pattern)):
            raise _near_error(
                op,
                (
                    "needs a single word before it, not a group, filter or NOT",
                    "前面需要一个词（不能是括号、筛选条件或 NOT）",
                ),
            )
        if not self.starts(_TERM_START):
            raise _near_error(op, ("needs a word after it", "后面缺少要找的词"))
        right = _term(self.take())
        if self.starts(("NEAR",)):
            raise _near_error(
                self.peek(),
                (
                    "cannot follow another NEAR; combine two NEARs with a space (AND)",
                    "不能接在另一个 NEAR 后面；两个 NEAR 请用空格（AND）连接",
                ),
            )
        unit = op.text if op.text in ("s", "p") else None
        return nodes.Near(left, right, None if unit else int(op.text), unit)

    def unary(self):
        negations, last = 0, None
        while self.starts(("NOT", "NEG")):
            last = self.take()
            negations += 1
        if last is not None and not self.starts(_PRIMARY_START):
            raise syntax_error("NOT needs a term after it", "NOT 后面需要有词", last.pos)
        node = self.primary()
        return nodes.Not(node) if negations % 2 else node

    def primary(self):
        tok = self.peek()
        if tok is None:
            raise syntax_error("the query has nothing to search for", "查询中没有要搜索的词")
        self.i += 1
        if tok.kind in _TERM_START:
            return _term(tok)
        if tok.kind == "NEAR":
            raise _near_error(tok, ("needs a word before it", "前面缺少要找的词"))
        if tok.kind == "FILTER":
            return _FilterNode(tok)
        if tok.kind == "LP":
            return self.group(tok)
        if tok.kind in ("OR", "AND"):
            raise _needs_terms(tok)
        raise _unexpected_close(tok.pos)

    def group(self, open_tok: Token):
        if self.starts(("RP",)):
            raise syntax_error(
                "the parentheses are empty; put words inside or remove them",
                "括号里是空的，请在括号中写上词或删去括号",
                open_tok.pos,
            )
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise syntax_error(
                f"too many nested parentheses (the limit is {MAX_NESTING})",
                f"括号嵌套太多（最多 {MAX_NESTING} 层）",
                open_tok.pos,
            )
        expr = self.or_expr()
        if not self.starts(("RP",)):
            raise syntax_error(
                "'(' is never closed; add a ')' or put the text in quotes",
                "“(”没有配对的“)”，请补上“)”或把这段文字放进引号",
                open_tok.pos,
            )
        self.i += 1
        self.depth -= 1
        return expr


def lift(node, found: list[Token], context: tuple[str, str] | None):
    """Remove filters from the tree into `found`, normalising as we rebuild.

    Filters restrict the whole query, so one under OR/NOT has no meaning
    and is reported instead of guessed at. ``context`` is (English, Chinese).
    """
    if isinstance(node, _FilterNode):
        if context is not None:
            raw = node.token.raw
            raise syntax_error(
                f"filters apply to the whole query, so '{raw}' cannot be used "
                f"{context[0]}; put it next to the other words instead",
                f"筛选条件作用于整个查询，“{raw}”不能用在{context[1]}，请把它和其他词并列",
                node.token.pos,
            )
        found.append(node.token)
        return None
    if isinstance(node, nodes.Not):
        return nodes.negate(lift(node.item, found, ("after NOT or -", "NOT 或 - 之后")))
    if isinstance(node, nodes.Or):
        inner = context or ("inside an OR", "OR 之中")
        return nodes.make_or([lift(item, found, inner) for item in node.items])
    if isinstance(node, nodes.And):
        lifted = [lift(item, found, context) for item in node.items]
        return nodes.make_and([item for item in lifted if item is not None])
    return node


def _check_positive(expr) -> None:
    """Reject queries that could only be answered by scanning every report."""
    if nodes.needs_phrase(expr):
        return
    if isinstance(expr, nodes.Or) and any(nodes.needs_phrase(item) for item in expr.items):
        raise syntax_error(
            "each side of OR needs a word to search for; NOT/- only excludes "
            "(write 园区 -开发区, not 园区 OR -开发区)",
            "OR 两边都需要有要搜索的词；NOT/- 只用于排除"
            "（应写 园区 -开发区，而不是 园区 OR -开发区）",
        )
    raise syntax_error(
        "add at least one word to search for; NOT/- only excludes",
        "请至少写一个要搜索的词；NOT/- 只用于排除",
    )


def _check_input(text) -> str:
    """Reject non-text, over-long and blank input before any parsing."""
    if not isinstance(text, str):
        raise syntax_error("the query must be text", "查询必须是文字")
    if len(text) > MAX_QUERY_LENGTH:
        raise syntax_error(
            f"the query is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}",
            f"查询有 {len(text)} 个字符，最多 {MAX_QUERY_LENGTH} 个",
        )
    cleaned = clean(text)
    if not cleaned.strip():
        raise syntax_error(
            "the search box is empty; type a word to search for", "搜索框是空的，请输入要搜索的词"
        )
    return cleaned


def parse(text: str) -> nodes.ParsedQuery:
    """Parse search-box text (already normalised) into a ParsedQuery.

    Raises QuerySyntaxError, and nothing else, when the text cannot be used.
    """
    tokens = tokenize(_check_input(text))
    count = sum(tok.kind in _TERM_START for tok in tokens)
    if count > MAX_PHRASES:
        raise syntax_error(
            f"the query has {count} search words; the limit is {MAX_PHRASES}",
            f"查询有 {count} 个搜索词，最多 {MAX_PHRASES} 个",
        )
    found: list[Token] = []
    expr = lift(_Parser(tokens).parse(), found, None)
    if expr is not None:
        _check_positive(expr)
    return nodes.ParsedQuery(expr, build_filters(found))
