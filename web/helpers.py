"""Shared pieces of the views: the engine, request parameters, URLs and ``render_or_json``."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from flask import current_app, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from search.cjk import CJK_CHARS
from search.errors import QueryError
from search.models import SECTION_KINDS

FILTERS = ("city", "province", "prefecture", "year", "section")
LIST_FILTERS = ("city", "province", "prefecture", "section")

KIND_NAMES = {
    "review": "回顾",
    "plan": "部署",
    "government": "政府建设",
    "notes": "注释",
    "other": "其他",
}
LEVEL_NAMES = {
    "national": "全国",
    "province": "省级",
    "prefecture": "地级",
    "county": "县级",
    "district": "市辖区",
}
SORT_NAMES = {"relevance": "相关度", "year": "年份"}
FILTER_NAMES = {
    "city": "城市",
    "province": "省份",
    "prefecture": "地区",
    "year": "年份",
    "section": "章节",
}
UNKNOWN = "未知"
# first path segment -> the nav entry marked aria-current="page" (base.html)
NAV_SECTIONS = {
    "": "search",
    "search": "search",
    "kwic": "search",
    "stats": "stats",
    "map": "stats",
    "spread": "stats",
    "cities": "cities",
    "city": "cities",
    "diff": "cities",
    "targets": "targets",
    "compare": "compare",
    "panel": "panel",
    "collocates": "collocates",
    "keyness": "keyness",
    "reports": "reports",
    "report": "reports",
}

HTTP_MESSAGES = {
    400: "请求有误。",
    404: "找不到这个页面。",
    405: "不支持这种请求方法。",
    408: "请求没有在规定时间内发送完，连接已关闭。",
    413: "请求太大。",
    414: "网址太长。",
    431: "请求头太大。",
}
ERROR_TITLES = {
    400: "查询有误",
    404: "找不到",
    405: "方法不允许",
    413: "请求太大",
    500: "服务器错误",
    503: "索引不可用",
}


def engine():
    return current_app.extensions["govsearch"].get()


# -- JSON or HTML from the same dict --------------------------------------------------------
def wants_json() -> bool:
    return (
        request.path == "/api"
        or request.path.startswith("/api/")
        or request.args.get("format") == "json"
    )


def json_twin_url() -> str | None:
    """The JSON twin of the current HTML page (same path under /api, same parameters)."""
    path = request.path
    if path.startswith("/api/") or path.endswith(".csv"):
        return None
    return build_url(_quote_path("/api/" if path == "/" else "/api" + path), current_args())


def render_or_json(template: str, data: dict, status: int = 200, **context):
    """``data`` as JSON for /api/… (or ?format=json), else ``template`` rendered with it."""
    if wants_json():
        response = jsonify(data)
        response.status_code = status
        return response
    html = render_template(template, data=data, json_url=json_twin_url(), **context)
    return html, status


def needs_query(template: str):
    """Decorate a query page's view: without ``q`` its HTML page is TEMPLATE's empty form;
    the JSON twin goes on to the view, whose core says what is missing."""

    def decorate(view):
        @functools.wraps(view)
        def asked(*args, **kwargs):
            q = query_text()
            if not q.strip() and not wants_json():
                return render_or_json(template, {}, q=q)
            return view(*args, **kwargs)

        return asked

    return decorate


def render_error(status: int, message: str):
    """One error shape: ``{"error": {"status", "message"}}`` or the error page."""
    data = {"error": {"status": status, "message": message}}
    if wants_json():
        response = jsonify(data)
        response.status_code = status
        return response
    return render_template(
        "error.html",
        data=data,
        status=status,
        title=ERROR_TITLES.get(status, "出错了"),
        message=message,
        q=_safe_arg("q"),
        json_url=None,
    ), status


def check_query_string() -> None:
    """Refuse parameters whose bytes are not UTF-8 (``%ED%A0%80``, a lone surrogate, or
    ``%FF``): Werkzeug would turn them into U+FFFD and search for that. InvalidTextError
    names the parameter (a 400)."""
    from urllib.parse import unquote_to_bytes

    from search.errors import InvalidTextError

    for pair in request.query_string.split(b"&"):
        key, _, value = pair.partition(b"=")
        for part in (key, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                name = unquote_to_bytes(key).decode("utf-8", "replace")[:40]
                raise InvalidTextError(
                    f"parameter {name!r} is not valid UTF-8 text (a byte sequence such as "
                    "%ED%A0%80 or %FF); retype it"
                ) from None


def _safe_arg(name: str) -> str:
    try:
        return request.args.get(name, "")[: current_app.config["MAX_QUERY_LENGTH"] * 2]
    except Exception:
        return ""


# -- request parameters -----------------------------------------------------------------------
def query_text() -> str:
    """The search box, refused early when it is longer than MAX_QUERY_LENGTH."""
    q = request.args.get("q", "")
    limit = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > limit:
        raise QueryError(
            f"the query is {len(q)} characters long; the limit is {limit}",
            f"查询有 {len(q)} 个字符，最多 {limit} 个",
        )
    return q


def filter_args() -> dict:
    """Filter parameters as the engine takes them (repeatable ones as tuples)."""
    limit = current_app.config["MAX_FILTER_LENGTH"]
    out: dict = {}
    for name in LIST_FILTERS:
        values = tuple(v.strip() for v in request.args.getlist(name) if v.strip())
        if len(values) > 20 or any(len(v) > limit for v in values):
            raise QueryError(
                f"too many or too long values for {name}",
                f"参数 {name} 的值太多或太长（最多 20 个，每个最多 {limit} 个字符）。",
            )
        out[name] = values
    least = request.args.get("min_hits", "").strip()
    if least:  # only when given: views without a hit count take no min_hits
        out["min_hits"] = least
    year = request.args.get("year", "").strip()
    if len(year) > 20:
        raise QueryError(
            "year must be a year like 2023 or a range like 2020-2024",
            "参数 year 应为年份（如 2023）或年份区间（如 2020-2024）。",
        )
    out["year"] = year or None
    return out


# -- URLs ---------------------------------------------------------------------------------------
def build_url(path: str, args: MultiDict) -> str:
    """``path`` with the non-empty ``args`` as its query string."""
    items = [(k, v) for k, v in args.items(multi=True) if v not in (None, "")]
    return path + ("?" + urlencode(items) if items else "")


def current_args(*drop: str) -> MultiDict:
    args = MultiDict(request.args)
    for name in ("format", *drop):
        args.poplist(name)
    return args


def url_with(**changes) -> str:
    """This page with some parameters replaced (None removes); any change resets page."""
    args = current_args()
    if "page" not in changes:
        args.poplist("page")
    for name, value in changes.items():
        args.poplist(name)
        if value not in (None, ""):
            args.add(name, value)
    return build_url(_quote_path(request.path), args)


def with_filter(name: str, value) -> str:
    """This page with one more filter value (``year`` replaces); back to page 1."""
    args = current_args("page")
    value = str(value)
    if name == "year":
        args.poplist("year")
    if value not in args.getlist(name):
        args.add(name, value)
    return build_url(_quote_path(request.path), args)


def without_filter(name: str, value) -> str:
    args = current_args("page")
    args.setlist(name, [v for v in args.getlist(name) if v != str(value)])
    return build_url(_quote_path(request.path), args)


def same_args(path: str, *drop: str) -> str:
    """Another page with this request's parameters (minus ``drop``)."""
    return build_url(path, current_args(*drop))


def search_url(q: str = "", **params) -> str:
    """A /search link with the query and filter parameters (lists allowed)."""
    args = MultiDict()
    if q:
        args.add("q", q)
    for name, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, (list, tuple)):
            for item in value:
                args.add(name, item)
        else:
            args.add(name, value)
    return build_url("/search", args)


def report_url(report_id: str, q: str = "", anchor: str | None = None) -> str:
    args = MultiDict([("q", q)]) if q else MultiDict()
    return build_url("/report/" + _quote(report_id), args) + ("#" + anchor if anchor else "")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _quote_path(path: str) -> str:
    """A decoded request path as it goes in a link (``/city/镇江市`` → ``/city/%E9%95%87…``)."""
    from urllib.parse import quote

    return quote(path, safe="/")


_PLAIN_PHRASE = re.compile(f"[{CJK_CHARS}]+")


def phrase_query(phrase: str) -> str:
    """A key phrase as a search query that finds exactly it.

    Runs of Chinese characters are searched as written; anything else (互联网+外贸, 5G, a
    Latin word such as OR) goes in quotes, so the query language takes it literally.
    """
    return phrase if _PLAIN_PHRASE.fullmatch(phrase) else '"' + phrase + '"'


def phrase_url(report_id: str, phrase: str, count: int | None = None) -> str:
    """The report with ``phrase`` highlighted, landing on its first hit when it has one."""
    return report_url(report_id, phrase_query(phrase), "hit-1" if count else None)


def city_url(city: str | None, api: bool = False) -> str | None:
    """The city's timeline page (``/city/<name>``); None for a report without a city."""
    if not city:
        return None
    return ("/api" if api else "") + "/city/" + _quote(city)


def diff_url(city: str, year) -> str:
    return "/city/" + _quote(city) + "/diff?" + urlencode({"year": year})


def compare_url(a: str, b: str) -> str:
    return "/compare?" + urlencode({"a": a, "b": b})


def active_filters() -> list[dict]:
    """Filters given as URL parameters, each with a link that removes it."""
    out = []
    for name in FILTERS:
        for value in request.args.getlist(name):
            if value.strip():
                label = KIND_NAMES.get(value, value) if name == "section" else value
                out.append(
                    {
                        "name": name,
                        "label": FILTER_NAMES[name],
                        "value": value,
                        "text": label,
                        "remove": without_filter(name, value),
                    }
                )
    return out


# -- template helpers ---------------------------------------------------------------------------
def or_unknown(value):
    return UNKNOWN if value is None or value == "" else value


def engine_html(value: str) -> Markup:
    """Snippet html from the engine: already escaped except <mark>, so safe to insert."""
    return Markup(value)


def number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"  # rates (per 10k) are shown with two decimals
    return f"{value:,}" if isinstance(value, int) else str(value)


def init_app(app) -> None:
    app.jinja_env.globals.update(
        url_with=url_with,
        with_filter=with_filter,
        without_filter=without_filter,
        search_url=search_url,
        report_url=report_url,
        same_args=same_args,
        phrase_query=phrase_query,
        phrase_url=phrase_url,
        city_url=city_url,
        diff_url=diff_url,
        compare_url=compare_url,
        active_filters=active_filters,
        KIND_NAMES=KIND_NAMES,
        LEVEL_NAMES=LEVEL_NAMES,
        SORT_NAMES=SORT_NAMES,
        FILTER_NAMES=FILTER_NAMES,
        SECTION_KINDS=SECTION_KINDS,
        NAV_SECTIONS=NAV_SECTIONS,
    )
    app.jinja_env.filters.update(
        or_unknown=or_unknown,
        engine_html=engine_html,
        kind_name=lambda k: KIND_NAMES.get(k, or_unknown(k)),
        level_name=lambda v: LEVEL_NAMES.get(v, or_unknown(v)),
        number=number,
    )
