"""Home, search results and the list of reports (each with its JSON twin under /api)."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from .helpers import engine, filter_args, query_text, render_or_json, wants_json

bp = Blueprint("pages", __name__)

EXAMPLES = ["园区整合", "\u201c四群八链\u201d", "园区整合 OR 项目招引", "智改数转 year:2024"]

SYNTAX = [
    ("园区整合", "一串连续的汉字就是一个精确短语"),
    ('"数字 经济"', "引号内按原样精确匹配（中文引号“”亦可）"),
    ("园区整合 镇江", "空格表示“并且”（AND），两个词都要出现"),
    ("园区整合 OR 项目招引", "OR（大写）表示“或者”"),
    ("园区整合 -开发区", "减号或 NOT 排除含有该词的报告"),
    ("(园区整合 OR 项目招引) 镇江", "括号分组"),
    ("city:镇江市 province:江苏省 prefecture:镇江市", "按城市、省份、地级市（含下辖县区）筛选"),
    ("year:2023 year:2020-2024", "按年份或年份区间筛选"),
    (
        "section:plan",
        "只搜某类章节：review 回顾、plan 部署、government 政府建设、notes 注释、other 其他",
    ),
]

#: Issue 14's operators, each with a live example from the shipped corpus (tests check that
#: every one has hits on the seed reports).
OPERATORS = [
    ("园区 NEAR/5 整合", "两个词相隔不超过 5 个字（前后均可）；NEAR/s 同一句，NEAR/p 同一段"),
    (
        "/增长\\d+(\\.\\d+)?%左右/",
        "两个斜杠之间是正则表达式（RE2：线性时间，不支持反向引用和前后断言；"
        "必须含一个固定的汉字词，便于用索引缩小范围；斜杠本身写作 \\/）",
    ),
    ("园区*整合", "汉字中间的 * 代表至多 4 个汉字"),
    ("园区整合 min:2", "只要该查询至少出现 2 次的报告"),
]


@bp.route("/")
@bp.route("/api/", endpoint="api_home")
def home():
    eng = engine()
    info = eng.build_info()
    data = {
        "reports": eng.report_count(),
        "generation": eng.generation,
        "built": info.get("built"),
        "examples": EXAMPLES,
        "operators": [{"query": q, "text": t} for q, t in OPERATORS],
        "endpoints": {
            "search": "/api/search?q=园区整合",
            "report": "/api/report/<id>?q=园区整合",
            "stats": "/api/stats?q=园区整合",
            "stats_csv": "/api/stats?q=园区整合&format=csv",
            "reports": "/api/reports",
            "cities": "/api/cities",
            "city": "/api/city/<城市>",
            "diff": "/api/diff?city=镇江市&year=2024",
            "spread": "/api/spread?q=园区整合",
            "compare": "/api/compare?a=<id>&b=<id>",
            "suggest": "/api/suggest?prefix=园区",
        },
    }
    return render_or_json("index.html", data, syntax=SYNTAX, q="")


@bp.route("/search")
@bp.route("/api/search", endpoint="api_search")
def search():
    q = query_text()
    filters = filter_args()
    sort = request.args.get("sort", "")
    page = request.args.get("page", "").strip() or 1
    limit = request.args.get("limit", "").strip() or current_app.config["DEFAULT_LIMIT"]
    eng = engine()
    data = eng.search(q, sort=sort, page=page, limit=limit, **filters)
    if wants_json():
        return render_or_json("search.html", data)
    related = eng.related(q, **{k: v for k, v in filters.items() if k != "min_hits"})
    return render_or_json(
        "search.html",
        data,
        q=q,
        pages=page_window(data["page"], data["pages"]),
        related=related["related"],
    )


@bp.route("/reports")
@bp.route("/api/reports", endpoint="api_reports")
def reports():
    eng = engine()
    rows = [r.metadata() for r in eng.reports()]
    data = {"total": len(rows), "reports": rows}
    return render_or_json("reports.html", data, q="")


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and ``width`` around the current one (None = …)."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out
