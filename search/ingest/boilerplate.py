"""Line-level noise that is not part of any report: web chrome, newspaper layout, watermarks.

Each rule is a regular expression over one normalized line, named for the kind of noise it
removes, so a new corpus with a new kind of chrome gets a new rule, not a special case.
Lines are judged after normalization (NFKC, simplified, spaces between Chinese removed).
"""
from __future__ import annotations

import re

# Whole lines to drop. Short-line rules are anchored and length-bounded, so a body sentence that
# merely mentions 来源 or 打印 is never lost.
DROP_LINE_RULES: dict[str, re.Pattern] = {
    "breadcrumb": re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置)[:：]?.{0,80}$"),
    "page metadata": re.compile(
        r"^(来源|日期|发布时间|发布日期|时间|作者|浏览|浏览次数|点击|点击数|阅读|字号|信息来源|"
        r"文章来源|编辑|责任编辑)[:：].{0,60}$"),
    "site banner": re.compile(r"^【\s*(www\.|https?://)[^】]*】$"),
    "url line": re.compile(r"^(本文来源|原文链接|原文地址|来源网址|网址|链接)?[:：]?\s*"
                           r"(https?://|www\.)\S*\s*$", re.I),
    "aggregator intro": re.compile(r"小编"),
    "seo footer": re.compile(r"^.{0,40}(全文阅读|全文下载|下一篇[:：]|上一篇[:：]|相关推荐|热门推荐|"
                             r"猜你喜欢|扫一扫|分享到|返回顶部|关闭窗口|打印本页).{0,40}$"),
    "page chrome": re.compile(r"^(【?字[体号][:：]?\s*(大|小|中|默认).{0,20}|"
                              r"(下载|打印|全屏|收藏|关闭|分享|纠错)([ |/]*(下载|打印|全屏|收藏|关闭|分享|纠错))+)"
                              r"[】]?.{0,10}$"),
    "editor credit": re.compile(r"^(责编|编辑|美编|校对|责任编辑|审核|签发|摄影|记者|通讯员|"
                                r"版式|设计|制图)\s*[/:：].{0,60}$"),
    "watermark": re.compile(r"^(来源[:：])?.{0,6}(马克数据网|macrodatas|数据由.{0,12}整理)"
                            r".{0,30}$", re.I),
    "page number": re.compile(r"^[-—－–~\s]*\d{1,3}[-—－–~\s]*$|^第\s*\d+\s*页(\s*/?\s*共\s*\d+\s*页)?$"),
    "document header": re.compile(
        r"^.{0,24}(人大|人民代表大会).{0,12}(会议|大会)(文件|资料)(之?[一二三四五六七八九十\d]+|"
        r"\([一二三四五六七八九十\d]+\))?$|^文件之[一二三四五六七八九十\d]+$"),
    "print line": re.compile(r"^.{0,30}(秘书处|办公室|办公厅).{0,20}印(发|制)?$|"
                             r"^\d{4}年\d{1,2}月\d{1,2}日印(发|制)?$"),
    "licence footer": re.compile(r"^(Public domain|本作品在全世界都属于公有领域|"
                                 r"这部作品在.{0,20}属于公有领域).*$|^(true|false)$", re.I),
}

# Inline artefacts removed from inside a line.
INLINE_RULES: dict[str, re.Pattern] = {
    "page continuation": re.compile(r"[(（]\s*(上接|下转|接上|转下|紧接|续接)[^()（）]{0,10}[)）]"),
}

_MARKDOWN = re.compile(r"^#{1,6}\s*")


def strip_markdown(line: str) -> tuple[str, bool]:
    """Remove a markdown heading mark; report whether the line carried one."""
    stripped = _MARKDOWN.sub("", line)
    return stripped, stripped != line


def clean_inline(line: str) -> str:
    for rule in INLINE_RULES.values():
        line = rule.sub("", line)
    return line.strip()


def drop_reason(line: str) -> str | None:
    """The name of the rule that makes ``line`` noise, or None for report text."""
    for name, rule in DROP_LINE_RULES.items():
        if rule.search(line):
            return name
    return None
