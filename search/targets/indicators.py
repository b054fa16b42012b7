"""The indicators a report sets targets for, and every phrasing of them we recognize.

One row per indicator: the ``subjects`` that name it (地区生产总值, GDP …), the ``verbs``
that introduce its figure (增长, 涨幅, 下降 …), the kind of figure (a percentage or a count
of people) and the words a report may state instead of a figure (与经济增长同步).
docs/targets.md lists the same table for readers; :mod:`search.targets.extract` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

INDICATORS = (
    "gdp",
    "revenue",
    "investment",
    "retail",
    "jobs",
    "unemployment",
    "cpi",
    "income",
    "energy",
)


@dataclass(frozen=True)
class Indicator:
    """How one indicator is written: subject, then verb, then a figure (or target words)."""

    key: str
    label: str
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    value: str = "percent"  # "percent" or "count" (persons)
    #: Target words allowed instead of a figure (the clause must be subject + these words).
    words: tuple[str, ...] = ()
    #: Characters right after a subject that make it another thing (GDP 比重, 能耗 …).
    not_followed_by: tuple[str, ...] = ()
    #: Characters right before a subject that make it another thing (单位GDP, 人均GDP …).
    not_preceded_by: tuple[str, ...] = ()
    #: Subjects that say "growth" themselves and take a figure directly (经济增长8%).
    bare_subjects: tuple[str, ...] = ()
    #: Whether the target is a ceiling (met when the result stays at or below it).
    ceiling: bool = False


GROWTH = ("增长", "增幅", "增速", "增长率", "同比增长", "比上年增长", "比增", "增加", "增")
#: Words that state a growth target without a figure.
GROWTH_WORDS = (
    "保持增长",
    "稳定增长",
    "持续增长",
    "平稳增长",
    "较快增长",
    "稳步增长",
    "稳中有升",
    "稳中有增",
    "稳中提质",
    "保持稳定",
    "基本稳定",
    "稳定",
    "与经济增长同步",
    "与经济增长基本同步",
    "与经济增长保持同步",
    "与经济增长保持基本同步",
    "与经济发展同步",
    "高于经济增长",
    "快于经济增长",
    "跑赢经济增长",
    "同步增长",
    "和经济增长同步",
)

TABLE = (
    Indicator(
        "gdp",
        "地区生产总值增长",
        (
            "地区生产总值",
            "国内生产总值",
            "国民生产总值",
            "市内生产总值",
            "市域生产总值",
            "生产总值",
            "GDP",
            "经济总量",
        ),
        GROWTH,
        bare_subjects=("经济增长速度", "经济增长", "经济增速"),
        words=GROWTH_WORDS,
        not_followed_by=("比重", "的比重", "能耗", "能源", "单位", "二氧化碳", "增速的"),
        not_preceded_by=(
            "单位",
            "人均",
            "占",
            "万元",
            "服务业",
            "工业",
            "农业",
            "县域",
            "镇域",
            "园区",
            "区域",
            "民营经济",
            "数字经济",
        ),
    ),
    Indicator(
        "revenue",
        "一般公共预算收入增长",
        (
            "地方一般公共预算收入",
            "一般公共预算收入",
            "一般公共财政预算收入",
            "公共财政预算收入",
            "地方财政一般预算收入",
            "地方一般预算收入",
            "财政一般预算收入",
            "一般预算收入",
        ),
        GROWTH,
        words=GROWTH_WORDS,
        not_followed_by=("占", "比重", "中税收"),
    ),
    Indicator(
        "investment",
        "固定资产投资增长",
        ("全社会固定资产投资", "固定资产投资总额", "固定资产投资"),
        GROWTH,
        words=GROWTH_WORDS,
        not_followed_by=("的比重", "比重"),
        not_preceded_by=("占", "工业", "民间", "制造业", "农业", "城镇", "交通"),
    ),
    Indicator(
        "retail",
        "社会消费品零售总额增长",
        ("社会消费品零售总额", "社会消费品零售额", "社会消费零售总额", "社零总额", "社零额"),
        GROWTH,
        words=GROWTH_WORDS,
        not_preceded_by=("农村", "网络", "限上", "限额以上"),
    ),
    Indicator(
        "jobs",
        "城镇新增就业（人）",
        (
            "城镇新增就业人数",
            "城镇新增就业",
            "新增城镇就业人数",
            "新增城镇就业",
            "城镇新增就业岗位",
            "新增就业人数",
            "新增就业",
        ),
        ("", "达到", "达", "人数", "实现", "保持在", "稳定在"),
        value="count",
        not_preceded_by=("农村", "转移", "农村劳动力"),
    ),
    Indicator(
        "unemployment",
        "城镇调查（登记）失业率",
        ("城镇调查失业率", "调查失业率", "城镇登记失业率", "登记失业率", "城镇失业率"),
        ("控制在", "保持在", "控制", "稳定在", "为", "在", ""),
        ceiling=True,
        words=("保持稳定", "基本稳定", "稳定", "低于全国平均", "低于全省平均", "控制在合理区间"),
    ),
    Indicator(
        "cpi",
        "居民消费价格涨幅",
        (
            "居民消费价格总水平",
            "居民消费价格指数",
            "居民消费价格",
            "CPI",
            "消费价格总水平",
            "物价总水平",
            "物价",
        ),
        (
            "涨幅控制在",
            "涨幅保持在",
            "涨幅",
            "涨幅为",
            "上涨",
            "增幅",
            "增长",
            "指数涨幅",
            "控制在",
            "总水平涨幅控制在",
            "总水平涨幅",
            "指数控制在",
        ),
        ceiling=True,
        words=("保持基本稳定", "基本稳定", "保持稳定", "稳定", "涨幅控制在合理区间"),
    ),
    Indicator(
        "income",
        "居民人均可支配收入增长",
        (
            "城乡居民人均可支配收入",
            "全体居民人均可支配收入",
            "居民人均可支配收入",
            "城乡居民可支配收入",
            "居民可支配收入",
            "城乡居民收入",
            "居民收入",
            "人均可支配收入",
        ),
        GROWTH + ("增速",),
        words=GROWTH_WORDS,
        not_followed_by=("分别",),
        not_preceded_by=("城镇", "农村", "农民", "城市", "职工"),
    ),
    Indicator(
        "energy",
        "单位地区生产总值能耗下降",
        (
            "单位地区生产总值能耗",
            "单位地区生产总值能源消耗",
            "单位生产总值能耗",
            "单位国内生产总值能耗",
            "单位GDP能耗",
            "单位GDP能源消耗",
            "万元地区生产总值能耗",
            "万元生产总值能耗",
            "万元GDP能耗",
            "能耗强度",
        ),
        ("下降", "降低", "下降率", "累计下降", "降幅"),
        words=(
            "完成省下达目标",
            "完成省下达任务",
            "完成市下达目标",
            "完成市下达任务",
            "完成自治区下达目标",
            "完成国家下达目标",
            "完成省定目标",
            "完成上级下达目标",
            "下降率完成省下达目标",
            "完成省下达的目标",
            "完成省下达的任务",
            "持续下降",
            "下降",
            "降低",
            "进一步下降",
            "完成下达目标",
            "完成下达任务",
            "下降完成省下达目标",
            "下降完成省下达任务",
        ),
    ),
)
BY_KEY = {indicator.key: indicator for indicator in TABLE}
assert tuple(BY_KEY) == INDICATORS


def indicator(key: str) -> Indicator:
    return BY_KEY[key]
