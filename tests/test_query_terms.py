"""Patterns, wildcards, NEAR and min:N end to end (issue 14): parsed, counted by the engine,
served by the web app — every count checked against a brute-force evaluation written here
independently (Python's ``re`` for patterns, all pairs for NEAR, a prefix count of sentence
ends for NEAR/s and NEAR/p)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.query import Near, Pattern, Phrase, QuerySyntaxError, parse, positive_terms

SENT = "。！？!?\n"


# -- brute force ---------------------------------------------------------------------------------
def occurrences(text: str, regex: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(regex, text) if m.end() > m.start()]


def unit_index(text: str, unit: str) -> list[int]:
    """unit_index[x] = how many unit ends lie before offset x."""
    ends = SENT if unit == "s" else "\n"
    out, n = [0], 0
    for ch in text:
        n += ch in ends
        out.append(n)
    return out


def near_count(text: str, a_regex: str, b_regex: str, how) -> int:
    a, b = occurrences(text, a_regex), occurrences(text, b_regex)
    units = unit_index(text, how) if how in ("s", "p") else None
    count = 0
    for s1, e1 in a:
        for s2, e2 in b:
            if s2 < e1 and s1 < e2:
                continue  # overlapping
            if units is not None:
                ok = units[s1] == units[s2]
            else:
                ok = (s2 - e1 if s2 >= e1 else s1 - e2) <= how
            if ok:
                count += 1
                break
    return count


def brute(reports, term_count) -> dict[str, int]:
    counts = {rid: term_count(r.text) for rid, r in reports.items()}
    return {rid: n for rid, n in counts.items() if n}


def engine_counts(engine, query: str) -> dict[str, int]:
    data = engine.search(query, limit=100)
    assert data["total"] <= 100
    return {r["id"]: r["hits"] for r in data["results"]}


# -- parsing -------------------------------------------------------------------------------------
def test_the_new_terms_parse_to_their_nodes():
    assert parse("园区 NEAR/5 整合").expr == Near(Phrase("园区"), Phrase("整合"), 5, None)
    assert parse(r"/增长\d+%/").expr == Pattern(r"增长\d+%")
    assert parse(r"/a\/b增长/").expr == Pattern("a/b增长")
    wild = parse("园区*整合").expr
    assert isinstance(wild, Pattern) and wild.key == "园区*整合"
    q = parse('"园区" NEAR/s /整合\\w/ 镇江 -开发区 min:3')
    assert q.filters.min_hits == 3
    assert [t.key for t in positive_terms(q.expr)] == ["园区 NEAR/s /整合\\w/", "镇江"]
    assert q.phrases() == ["园区 NEAR/s /整合\\w/", "镇江"]
    # NEAR binds tighter than AND, OR loosest
    assert parse("a NEAR/p b c OR d").expr.items[0].items[0] == Near(
        Phrase("a"), Phrase("b"), None, "p"
    )
    assert parse("near/5 园区").expr.items[0] == Phrase("near/5")  # capitals only


@pytest.mark.parametrize(
    "query, where, words",
    [
        ("园区 /增长\\d+", 4, "缺少结尾的“/”"),
        ("园区 NEAR/5", 4, "后面缺少要找的词"),
        ("园区 NEAR/x 整合", 4, "NEAR/s（同一句）"),
        ("园区 NEAR 整合", 4, "NEAR/数字"),
        ("NEAR/5 园区", 1, "前面缺少要找的词"),
        ("/增长(/", 1, "RE2"),
        (r"/\d+%/", 1, "固定的汉字词"),
        ("园区 min:0", 4, "min_hits"),
    ],
)
def test_malformed_queries_say_where_and_what_to_write(query, where, words):
    with pytest.raises(QuerySyntaxError) as error:
        parse(query)
    assert error.value.position == where - 1
    assert words in error.value.zh and f"第 {where} 个字符" in error.value.zh


def test_web_errors_are_chinese_and_400(client):
    for q in ("园区 /增长", "园区 NEAR/", "/增长(/", r"/\d+/"):
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code == 400, q
        page = client.get("/search", query_string={"q": q})
        assert page.status_code == 400 and "个字符" in page.get_data(as_text=True)


# -- counting ------------------------------------------------------------------------------------
CASES = [
    (r"/增长\d+(\.\d+)?%左右/", lambda t: len(occurrences(t, r"增长\d+(\.\d+)?%左右"))),
    ("园区*整合", lambda t: len(occurrences(t, "园区[\u4e00-\u9fff]{0,4}整合"))),
    ("园区 NEAR/5 整合", lambda t: near_count(t, "园区", "整合", 5)),
    ("整合 NEAR/0 园区", lambda t: near_count(t, "整合", "园区", 0)),
    ("园区 NEAR/s 整合", lambda t: near_count(t, "园区", "整合", "s")),
    ("园区 NEAR/p 整合", lambda t: near_count(t, "园区", "整合", "p")),
    (r"发展 NEAR/3 /\d+%/", None),
    (r"/增长\d+%/ NEAR/s 左右", lambda t: near_count(t, r"增长\d+%", "左右", "s")),
]


@pytest.mark.parametrize("query, count", [c for c in CASES if c[1]])
def test_counts_equal_brute_force(engine, reports, query, count):
    expected = brute(reports, count)
    assert expected, "each example must have hits on the seeds"
    assert engine_counts(engine, query) == expected


def test_a_pattern_without_a_chinese_literal_inside_near_is_refused(engine):
    with pytest.raises(QuerySyntaxError):
        engine.search(r"发展 NEAR/3 /\d+%/")


def test_min_hits_keeps_reports_with_at_least_n_hits(engine, reports):
    every = brute(reports, lambda t: t.count("园区整合"))
    for n in (1, 2, 3, 4):
        want = {rid: c for rid, c in every.items() if c >= n}
        assert engine_counts(engine, f"园区整合 min:{n}") == want
        assert engine_counts(engine, "园区整合") == every
        assert {r["report_id"] for r in engine.stats("园区整合", min_hits=n)["rows"]} == set(want)


def test_near_snippets_mark_both_sides(engine):
    result = engine.search("园区 NEAR/s 整合")["results"][0]
    html = " ".join(result["snippets"])
    assert "<mark>" in html and "整合" in html


def test_cli_min_hits(index_dir, capsys):
    import json

    from search.cli import main

    assert main(["stats", "园区整合", "--min-hits", "3", "--index", str(index_dir), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows and all(r["occurrences"] >= 3 for r in rows)


# -- random queries ------------------------------------------------------------------------------
WORDS = ["园区", "整合", "发展", "增长", "经济", "项目", "建设", "改革"]
ATOMS = [r"\d", r"\d+", "[0-9]", ".", r"\.", "%", "左右", "[一-龥]"]


@st.composite
def patterns(draw):
    """(RE2 source, Python regex) from a small grammar with one required Chinese word."""
    word = draw(st.sampled_from(WORDS))
    parts = draw(st.lists(st.sampled_from(ATOMS), max_size=3))
    quant = draw(st.sampled_from(["", "?", "{0,3}", "+"]))
    before = draw(st.booleans())
    tail = "".join(parts)
    if tail and quant:
        tail = f"(?:{tail}){quant}"
    source = f"{tail}{word}" if before else f"{word}{tail}"
    return source, source.replace("[一-龥]", "[\u4e00-\u9fa5]")


@st.composite
def near_queries(draw):
    side = st.one_of(
        st.sampled_from(WORDS).map(lambda w: (w, re.escape(w))),
        patterns().map(lambda p: (f"/{p[0]}/", p[1])),
    )
    (a, ra), (b, rb) = draw(side), draw(side)
    how = draw(st.one_of(st.integers(0, 40), st.sampled_from(["s", "p"])))
    return f"{a} NEAR/{how} {b}", lambda t: near_count(t, ra, rb, how)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        patterns().map(lambda p: (f"/{p[0]}/", lambda t: len(occurrences(t, p[1])))), near_queries()
    )
)
def test_random_patterns_and_near_agree_with_brute_force_on_the_web(client, reports, case):
    query, count = case
    response = client.get("/api/search", query_string={"q": query, "limit": 100})
    assert response.status_code < 500
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert {r["id"]: r["hits"] for r in data["results"]} == brute(reports, count)


# -- help on / -----------------------------------------------------------------------------------
def test_home_help_shows_each_operator_with_a_live_example(client, engine):
    from urllib.parse import quote

    from web.pages import OPERATORS

    body = client.get("/").get_data(as_text=True)
    assert "RE2" in body and "反向引用" in body and "固定的汉字词" in body
    examples = [op["query"] for op in client.get("/api/").get_json()["operators"]]
    assert examples == [q for q, _ in OPERATORS]
    assert {"园区 NEAR/5 整合", r"/增长\d+(\.\d+)?%左右/", "园区*整合", "园区整合 min:2"} == set(
        examples
    )
    for query in examples:
        assert quote(query, safe="").replace("%20", "+") in body or quote(query) in body, query
        data = client.get("/api/search", query_string={"q": query}).get_json()
        assert data["total"] > 0 and data["hits"] > 0, query


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=list('/\\()[]{}*+?|.-"园区整合增长 5spNEAR:min'), max_size=30))
def test_any_query_made_of_the_new_syntax_never_gives_a_5xx(client, query):
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code in (200, 400), (query, response.status_code)
    if response.status_code == 400:
        assert response.get_json()["error"]


@pytest.mark.parametrize("query, count", [c for c in CASES if c[1]][:5])
def test_section_filter_counts_each_chosen_section_on_its_own(engine, reports, query, count):
    expected = {}
    for rid, r in reports.items():
        n = sum(count(r.text[s.start : s.end]) for s in r.sections if s.kind == "plan")
        if n:
            expected[rid] = n
    data = engine.search(query, section="plan", limit=100)
    assert {x["id"]: x["hits"] for x in data["results"]} == expected


def test_section_facet_of_a_near_query_counts_the_sections_holding_its_hits(engine, reports):
    want: dict[str, int] = {}
    for r in reports.values():
        kinds = set()
        for s in r.sections:
            if near_count(r.text[s.start : s.end], "园区", "整合", "s"):
                kinds.add(s.kind)  # a sentence never spans two sections (they are lines)
        for kind in kinds:
            want[kind] = want.get(kind, 0) + 1
    facet = engine.search("园区 NEAR/s 整合")["facets"]["section"]
    assert want and {f["value"]: f["count"] for f in facet} == want
