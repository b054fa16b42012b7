"""Tests for search.query: exact trees, filters, errors, and fuzzing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.query import (
    MAX_PHRASES,
    MAX_QUERY_LENGTH,
    SECTION_KINDS,
    And,
    Filters,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    QuerySyntaxError,
    is_searchable,
    parse,
)

P = Phrase


# ----------------------------------------------------------------- exact trees

TREES = [
    ("园区整合", P("园区整合")),
    ("园区整合 镇江", And((P("园区整合"), P("镇江")))),
    ("园区整合 AND 镇江", And((P("园区整合"), P("镇江")))),
    ("园区整合 OR 项目招引", Or((P("园区整合"), P("项目招引")))),
    ("园区整合|项目招引", Or((P("园区整合"), P("项目招引")))),
    ("园区整合 || 项目招引", Or((P("园区整合"), P("项目招引")))),
    ("(园区整合 OR 项目招引) 镇江", And((Or((P("园区整合"), P("项目招引"))), P("镇江")))),
    # precedence: NOT > AND > OR
    ("a b OR c", Or((And((P("a"), P("b"))), P("c")))),
    ("a OR b c", Or((P("a"), And((P("b"), P("c")))))),
    ("NOT a b", And((Not(P("a")), P("b")))),
    ("园区 -开发区", And((P("园区"), Not(P("开发区"))))),
    ("园区 NOT 开发区", And((P("园区"), Not(P("开发区"))))),
    ("c -(a OR b)", And((P("c"), Not(Or((P("a"), P("b"))))))),
    ("a NOT NOT b", And((P("a"), P("b")))),
    # '-' only negates at the start of a word
    ("增长-5%", P("增长-5%")),
    ('a "-5%"', And((P("a"), P("-5%")))),
    ("a --b", And((P("a"), Not(P("-b"))))),
    # literal parentheses inside words
    ("中日(苏州)地方发展合作示范区", P("中日(苏州)地方发展合作示范区")),
    ("十四五规划纲要(草案)", P("十四五规划纲要(草案)")),
    ("(十四五规划纲要(草案) OR 园区整合)", Or((P("十四五规划纲要(草案)"), P("园区整合")))),
    ("((a OR b))", Or((P("a"), P("b")))),
    ("( a OR b ) c", And((Or((P("a"), P("b"))), P("c")))),
    ("(a)(b)", And((P("a"), P("b")))),
    ("(一)加快发展", P("(一)加快发展")),
    ("十四五(草案", P("十四五(草案")),
    ("a)b", P("a)b")),
    # ')' glued to c, so the pair is literal text and only OR remains
    ("(a OR b)c", Or((P("(a"), P("b)c")))),
    # quotes
    ('"数字 经济"', P("数字 经济")),
    ("“四群八链”", P("四群八链")),
    ('" 数字 经济 "', P("数字 经济")),
    ('"a OR (b" c', And((P("a OR (b"), P("c")))),
    ("“四群八链”“两业融合”", And((P("四群八链"), P("两业融合")))),
    ("提出“四群八链”工作", P("提出“四群八链”工作")),
    ('"园区 整合', P("园区 整合")),  # unclosed: runs to the end
    ('"OR"', P("OR")),
    ('-"a b" c', And((Not(P("a b")), P("c")))),
    ('("a b" OR c)', Or((P("a b"), P("c")))),
    ("(“草案”)十四五", P("(“草案”)十四五")),
    # keywords only in capitals, not after '-'
    ("a or b", And((P("a"), P("or"), P("b")))),
    ("a -OR", And((P("a"), Not(P("OR"))))),
    # unknown prefixes with colons are text
    ("foo:bar", P("foo:bar")),
    ("注:数据", P("注:数据")),
    ("http://www.gov.cn", P("http://www.gov.cn")),
    # control characters separate words
    ("园区\x00整合\t镇江\n", And((P("园区"), P("整合"), P("镇江")))),
    ("园区\u200b整合", And((P("园区"), P("整合")))),
    # normalisation: flatten, dedupe
    ("a (b c)", And((P("a"), P("b"), P("c")))),
    ("a OR (b OR c)", Or((P("a"), P("b"), P("c")))),
    ("a a", P("a")),
]


@pytest.mark.parametrize("text,expr", TREES, ids=[t for t, _ in TREES])
def test_exact_tree(text, expr):
    parsed = parse(text)
    assert parsed.expr == expr
    assert parsed.filters == Filters()


# ----------------------------------------------------------------- filters

FILTERED = [
    ("园区 city:镇江市", P("园区"), Filters(city=("镇江市",))),
    ("city:镇江市 园区", P("园区"), Filters(city=("镇江市",))),
    ("园区 (city:镇江市 产业)", And((P("园区"), P("产业"))), Filters(city=("镇江市",))),
    ("prefecture:镇江市 园区", P("园区"), Filters(prefecture=("镇江市",))),
    ("province:江苏省 园区", P("园区"), Filters(province=("江苏省",))),
    ('city:"镇江市" 园区', P("园区"), Filters(city=("镇江市",))),
    ("city:镇江市 city:苏州市 city:镇江市", None, Filters(city=("镇江市", "苏州市"))),
    ("city:镇江市,苏州市", None, Filters(city=("镇江市", "苏州市"))),
    ("City:镇江市", None, Filters(city=("镇江市",))),
    ("year:2023", None, Filters(year_from=2023, year_to=2023)),
    ("year:2020-2024 a", P("a"), Filters(year_from=2020, year_to=2024)),
    ("year:2020-", None, Filters(year_from=2020)),
    ("year:-2015", None, Filters(year_to=2015)),
    ("year:2023年", None, Filters(year_from=2023, year_to=2023)),
    ('year:"2020 - 2024"', None, Filters(year_from=2020, year_to=2024)),
    ("section:plan", None, Filters(section=("plan",))),
    ("section:Plan,review a", P("a"), Filters(section=("plan", "review"))),
    ("(city:镇江市)", None, Filters(city=("镇江市",))),
    (
        "a (b OR c) city:镇江市 year:2023 section:review",
        And((P("a"), Or((P("b"), P("c"))))),
        Filters(city=("镇江市",), year_from=2023, year_to=2023, section=("review",)),
    ),
]


@pytest.mark.parametrize("text,expr,filters", FILTERED, ids=[t for t, _, _ in FILTERED])
def test_filters(text, expr, filters):
    assert parse(text) == ParsedQuery(expr, filters)


def test_every_section_kind_is_accepted():
    for kind in SECTION_KINDS:
        assert parse(f"section:{kind}").filters.section == (kind,)


def test_phrases_are_positive_in_order_and_deduplicated():
    parsed = parse("(a OR b) -c a NOT (d -e) f")
    assert parsed.phrases() == ["a", "b", "e", "f"]
    assert parse("city:镇江市").phrases() == []


# ----------------------------------------------------------------- errors

ERRORS = [
    ("", "empty"),
    ("   \t\x00 ", "empty"),
    ("a" * (MAX_QUERY_LENGTH + 1), "limit is 500"),
    ("(a OR b", "never closed"),
    ("a (b", "never closed"),
    ("a OR b)", "no matching"),
    ("a ) b", "no matching"),
    ("OR", "OR needs a term on each side"),
    ("OR a", "OR needs a term on each side"),
    ("a OR", "OR needs a term on each side"),
    ("a OR OR b", "OR needs a term on each side"),
    ("(a OR) b", "OR needs a term on each side"),
    ("| a", "OR needs a term on each side"),
    ("AND a", "AND needs a term on each side"),
    ("a AND", "AND needs a term on each side"),
    ("a NOT", "NOT needs a term after it"),
    ("a NOT OR b", "NOT needs a term after it"),
    ("a () b", "parentheses are empty"),
    ("，。!!", "no searchable characters"),
    ("园区 ——", "no searchable characters"),
    ('"，。"', "no searchable characters"),
    ("a - b", "'-' on its own"),
    ('a ""', "quotes are empty"),
    ('a "', "nothing after it"),
    ("-园区", "add at least one word to search for"),
    ("-a NOT b", "add at least one word to search for"),
    ("a OR -b", "each side of OR needs a word"),
    (" ".join(f"w{i}" for i in range(MAX_PHRASES + 1)), "limit is 32"),
    ("(" * 21 + "a" + ")" * 21, "nested parentheses"),
    ("a OR city:镇江市", "filters apply to the whole query"),
    ("a -city:镇江市", "filters apply to the whole query"),
    ("a NOT (b city:镇江市)", "filters apply to the whole query"),
    ("a city:", "needs a value"),
    ("a city: 镇江市", "needs a value"),
    ("year:abc", "not a year"),
    ("year:20234", "not a year"),
    ("year:-", "not a year"),
    ("year:2024-2020", "reversed"),
    ("year:1066", "out of range"),
    ("year:2020 year:2021", "only one year"),
    ("section:plans", "review, plan, government, notes, other"),
]


@pytest.mark.parametrize("text,message", ERRORS, ids=[t[:40] for t, _ in ERRORS])
def test_errors(text, message):
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    assert message in str(info.value)


def test_error_positions_point_at_the_problem():
    with pytest.raises(QuerySyntaxError) as info:
        parse("园区 OR OR 镇江")
    assert info.value.position == 3  # the first OR lacks a right side
    assert "(character 4)" in str(info.value)
    with pytest.raises(QuerySyntaxError) as info:
        parse("a (b c")
    assert info.value.position == 2


def test_exactly_at_the_limits_is_fine():
    assert parse("a" * MAX_QUERY_LENGTH).expr == P("a" * MAX_QUERY_LENGTH)
    words = [f"w{i}" for i in range(MAX_PHRASES)]
    assert parse(" ".join(words)).expr == And(tuple(P(w) for w in words))
    assert parse("(" * 20 + "a" + ")" * 20).expr == P("a")


def test_non_text_input_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError):
        parse(None)  # type: ignore[arg-type]


# ----------------------------------------------------------------- fuzzing

FRAGMENTS = [
    "园区整合",
    "镇江",
    "十四五",
    "规划纲要",
    "中日",
    "苏州",
    "草案",
    "a",
    "Zb",
    "2023",
    "OR",
    "AND",
    "NOT",
    "or",
    "|",
    "||",
    "-",
    "--",
    "(",
    ")",
    "((",
    "))",
    '"',
    "“",
    "”",
    ":",
    "city:",
    "prefecture:",
    "province:",
    "year:",
    "section:",
    "plan",
    "foo:",
    "2020-2024",
    "2024-2020",
    "，",
    "。",
    "!!",
    "、",
    ",",
    "年",
    " ",
    "  ",
    "\t",
    "\n",
    "\x00",
    "\x1f",
    "\u200b",
    "\ud800",
    "\u3000",
    "é",
    "α",
]


def _walk(node):
    """Yield every node of an expression tree."""
    yield node
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from _walk(item)
    elif isinstance(node, Not):
        yield from _walk(node.item)


def _check_result(parsed):
    """Invariants every successful parse must satisfy."""
    nodes = list(_walk(parsed.expr)) if parsed.expr is not None else []
    phrases = [n for n in nodes if isinstance(n, Phrase)]
    assert len(phrases) <= MAX_PHRASES
    for phrase in phrases:
        assert phrase.text and is_searchable(phrase.text)
        assert phrase.text == phrase.text.strip()
    for node in nodes:
        assert isinstance(node, (Phrase, And, Or, Not))
        if isinstance(node, (And, Or)):
            assert len(node.items) >= 2
            assert not any(isinstance(i, type(node)) for i in node.items)
    if parsed.expr is not None:
        assert not isinstance(parsed.expr, Not)
        assert parsed.phrases()
    assert all(s in SECTION_KINDS for s in parsed.filters.section)
    f = parsed.filters
    if f.year_from is not None and f.year_to is not None:
        assert f.year_from <= f.year_to


def _parse_checked(text):
    try:
        parsed = parse(text)
    except QuerySyntaxError as error:
        assert str(error)
        return
    _check_result(parsed)


queries = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
FUZZ = settings(
    max_examples=2000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@FUZZ
@given(queries)
def test_fuzz_fragments_only_raise_syntax_errors(text):
    _parse_checked(text)


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(max_size=MAX_QUERY_LENGTH + 20))
def test_fuzz_arbitrary_text_only_raises_syntax_errors(text):
    _parse_checked(text)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=100, max_size=300).map("".join))
def test_fuzz_long_input_only_raises_syntax_errors(text):
    _parse_checked(text)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"“'), min_size=1, max_size=50)
)
def test_quoting_a_searchable_phrase_returns_it(text):
    """Anything searchable without '"' can be found by quoting it."""
    inner = " ".join(text.split())
    try:
        parsed = parse(f'"{inner}"')
    except QuerySyntaxError:
        assert not is_searchable(inner) or not inner.isprintable()
        return
    if inner.isprintable():
        assert parsed.expr == P(inner.strip())
