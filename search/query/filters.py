"""Filter tokens (``city:镇江市``, ``year:2020-2024`` …) → :class:`~search.query.nodes.Filters`.

The values follow the same rules as the ``city=``/``year=``/``section=`` parameters: the
year grammar and the section kinds are :mod:`search.params`' (one rule, one place); an error
is re-raised as a :class:`QuerySyntaxError` pointing at the filter in the box.
"""

from __future__ import annotations

import re

from .. import params
from .errors import syntax_error
from .lexer import Token, is_searchable
from .nodes import Filters, dedupe

_VALUE_SEPARATORS = re.compile(r"[,、]")
_EXAMPLES = {
    "city": "city:镇江市",
    "prefecture": "prefecture:镇江市",
    "province": "province:江苏省",
    "year": "year:2023 or year:2020-2024",
    "section": "section:plan",
    "min": "min:2",
}


def _split_values(tok: Token) -> list[str]:
    """Comma (or 、) separated values of one filter, blanks dropped."""
    values = [v.strip() for v in _VALUE_SEPARATORS.split(tok.value)]
    values = [v for v in values if v]
    if not values:
        example = _EXAMPLES[tok.text]
        raise syntax_error(
            f"{tok.text}: needs a value right after the colon, e.g. {example}",
            f"{tok.text}: 冒号后面需要写上值，例如 {example}",
            tok.pos,
        )
    return values


def _place_values(tok: Token) -> list[str]:
    """City/prefecture/province names: any text with a searchable character."""
    values = _split_values(tok)
    for value in values:
        if not is_searchable(value):
            raise syntax_error(
                f"{tok.text}:{value} is not a place name", f"{tok.text}:{value} 不是地名", tok.pos
            )
    return values


def _checked(tok: Token, check, value):
    """Run a :mod:`search.params` checker, pointing its error at the filter."""
    try:
        return check(value)
    except params.ParamError as error:
        raise syntax_error(
            f"{tok.raw}: {error.message}", f"{tok.raw}：{error.zh}", tok.pos
        ) from None


def _year_range(tok: Token) -> tuple[int | None, int | None]:
    if not tok.value.strip():
        _split_values(tok)  # raises "needs a value"
    return _checked(tok, params.year_range, tok.value)


def build_filters(tokens: list[Token]) -> Filters:
    """Combine filter tokens: same filter twice = any of the values."""
    places: dict[str, list[str]] = {"city": [], "prefecture": [], "province": [], "section": []}
    years = least = None
    for tok in tokens:
        if tok.text == "min":
            if least is not None:
                raise syntax_error("use only one min: filter", "只能有一个 min: 筛选", tok.pos)
            least = _checked(tok, params.min_hits, _split_values(tok)[0])
        elif tok.text == "year":
            if years is not None:
                raise syntax_error(
                    "use only one year: filter; for several years give a range like year:2020-2024",
                    "只能有一个 year: 筛选；多个年份请写成区间，如 year:2020-2024",
                    tok.pos,
                )
            years = _year_range(tok)
        elif tok.text == "section":
            places["section"].extend(_checked(tok, params.sections, _split_values(tok)))
        else:
            places[tok.text].extend(_place_values(tok))
    year_from, year_to = years or (None, None)
    return Filters(
        **{k: tuple(dedupe(v)) for k, v in places.items()},
        year_from=year_from,
        year_to=year_to,
        min_hits=least,
    )
