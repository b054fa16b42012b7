"""Every failure answers in one shape: an HTML error page or ``{"error": {...}}`` in JSON
(:func:`web.helpers.render_error`), in Chinese, with the status the cause deserves.

The core raises small named exceptions; here each kind gets its status and its message,
registered on the app by :func:`init_app`.
"""

from __future__ import annotations

import logging

from flask import request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.errors import (
    GovsearchError,
    IndexDamagedError,
    IndexMissingError,
    InvalidTextError,
    QueryError,
    UnknownReportError,
)
from search.params import ParamError
from search.trends import TrendsError, UnknownCityError, UnknownYearError

from . import helpers

log = logging.getLogger("web")

NO_INDEX = (
    "索引尚未建立或暂时不可用，请先运行 "
    "`python -m search build --corpus 语料目录 --index 索引目录`。"
)
DAMAGED_INDEX = (
    "索引文件已损坏，暂时无法查询；请运行 "
    "`python -m search check --index 索引目录` 查看原因，"
    "并重新建立索引。"
)


def bad_query(error: QueryError):
    # The core writes each message in English (the CLI's) and Chinese (``zh``, ours).
    if isinstance(error, ParamError):
        return helpers.render_error(400, error.zh)
    return helpers.render_error(400, f"查询有误：{error.zh}")


def invalid_text(error: InvalidTextError):
    return helpers.render_error(400, f"查询有误（不是有效的 UTF-8 文字）：{error}")


def unknown_report(error: UnknownReportError):
    report_id = (request.view_args or {}).get("report_id", "")
    return helpers.render_error(404, "没有这份报告：" + report_id)


def trends_error(error: TrendsError):
    # No such city / no report of that year: 404, and the message (the core's Chinese
    # text) lists what exists. Anything else the trends core refuses is malformed.
    status = 404 if isinstance(error, (UnknownCityError, UnknownYearError)) else 400
    return helpers.render_error(status, error.zh)


def no_index(error: IndexMissingError):
    log.error("%s", error)
    return helpers.render_error(503, NO_INDEX)


def damaged_index(error: IndexDamagedError):
    log.error("%s", error)
    return helpers.render_error(503, DAMAGED_INDEX)


def core_error(error: GovsearchError):
    log.error("%s", error)
    return helpers.render_error(500, "服务器内部错误。")


def http_error(error: HTTPException):
    if isinstance(error, InternalServerError):
        return internal_error(error)
    custom = error.description != type(error).description  # a message we wrote
    message = error.description if custom else helpers.HTTP_MESSAGES.get(error.code, error.name)
    return helpers.render_error(error.code or 500, message)


def internal_error(error: InternalServerError):
    original = getattr(error, "original_exception", None)
    if original is not None:
        log.error("unhandled error on %s", request.path, exc_info=original)
    return helpers.render_error(500, "服务器内部错误，请稍后再试。")


# exception -> handler; Flask picks the most specific class, whatever the order
HANDLERS = {
    QueryError: bad_query,
    InvalidTextError: invalid_text,
    UnknownReportError: unknown_report,
    TrendsError: trends_error,
    IndexMissingError: no_index,
    IndexDamagedError: damaged_index,
    GovsearchError: core_error,
    HTTPException: http_error,
    InternalServerError: internal_error,
}


def init_app(app) -> None:
    for exception, handler in HANDLERS.items():
        app.register_error_handler(exception, handler)
