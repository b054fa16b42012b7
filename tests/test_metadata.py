"""Metadata read off the text: one test per rule, on small strings, exact expectations.

Each text is a minimal report: a salutation, the opening sentence and whatever the rule under
test needs. Nothing here reads a file name or a manifest.
"""

from __future__ import annotations

import pytest

from search.ingest import gazetteer
from search.ingest.frontmatter import FrontMatter, year_value
from search.ingest.metadata import npc_year
from search.ingest.pipeline import ingest_text

OPENING = "各位代表:\n现在,我代表市人民政府向大会报告工作,请予审议。\n"


def report(text: str):
    reports = ingest_text(text, "t.txt")
    assert len(reports) == 1
    return reports[0]


def where(r) -> tuple:
    return r.city, r.province, r.prefecture, r.level


# ------------------------------------------------------------------------------ front matter


@pytest.mark.parametrize(
    "text, year",
    [
        ("2008", 2008),
        ("二〇〇八", 2008),
        ("二○○八", 2008),
        ("二OO七", 2007),
        ("一九九七", 1997),
        ("二零二一", 2021),
        ("20xx", None),
        ("1899", None),
    ],
)
def test_year_values_in_digits_and_chinese_numerals(text, year):
    assert year_value(text) == year


def test_title_line_in_chinese_numerals_gives_the_year():
    r = report("二〇〇八年政府工作报告\n" + OPENING + "全市经济平稳增长。")
    assert r.year == 2008


def test_title_with_the_place_before_the_year():
    r = report("石嘴山市2005年政府工作报告\n" + OPENING + "全市经济平稳增长。")
    assert (r.year, r.city, r.province) == (2005, "石嘴山市", "宁夏回族自治区")


def test_title_with_the_year_in_parentheses():
    r = report("绍兴市政府工作报告(2006年)\n" + OPENING + "全市经济平稳增长。")
    assert (r.year, r.city) == (2006, "绍兴市")


def test_date_line_in_chinese_numerals():
    r = report(
        "——二〇二一年一月十四日在宜昌市第六届人民代表大会第六次会议上\n"
        + OPENING
        + "全市经济平稳增长。"
    )
    assert (r.date, r.year, r.city, r.session) == (
        "2021-01-14",
        2021,
        "宜昌市",
        "第六届人民代表大会第六次会议",
    )


def test_date_line_in_parentheses_with_speaker_line():
    r = report(
        "(2005年1月28日在杭州市第十届人民代表大会第五次会议上)\n杭州市代市长孙忠焕\n"
        + OPENING
        + "全市经济平稳增长。"
    )
    assert (r.date, r.speaker, r.post, r.city) == ("2005-01-28", "孙忠焕", "代市长", "杭州市")
    assert "孙忠焕" not in r.text and "2005年1月28日" not in r.text


def test_date_line_cut_in_two_keeps_the_session_and_leaves_the_body():
    r = report(
        "——2006年2月21日在嘉峪关市\n第七届人民代表大会第三次会议上\n"
        + OPENING
        + "全市经济平稳增长。"
    )
    assert (r.date, r.session, r.city) == ("2006-02-21", "第七届人民代表大会第三次会议", "嘉峪关市")
    assert "第七届" not in r.text


def test_date_line_with_the_day_lost_still_gives_the_year():
    front = FrontMatter()
    assert front.take("—2007年12月日在江市第六属人民代表人会第一次会议上")
    assert (front.date, front.date_year, front.date_month) == (None, 2007, 12)


def test_a_sentence_that_starts_with_a_date_stays_in_the_body():
    front = FrontMatter()
    assert not front.take("2008年1月15日,我市召开全市经济工作会议。")
    assert front.date is None


def test_speaker_line_with_a_place_or_a_party_post():
    for line, gov in (
        ("嘉峪关市市长马光明", "嘉峪关市"),
        ("市委副书记、市长包满达", None),
        ("国务院总理李强", "国务院"),
    ):
        front = FrontMatter()
        assert front.take(line)
        assert front.speaker_gov == gov


# ------------------------------------------------------------------------------------- year


def test_an_autumn_session_sets_the_next_year():
    r = report(
        "——2007年12月16日在嘉峪关市第八届人民代表大会第二次会议上\n"
        + OPENING
        + "2007年工作回顾\n一年来,全市经济平稳增长。"
    )
    assert (r.date, r.year) == ("2007-12-16", 2008)


@pytest.mark.parametrize(
    "text, year",
    [
        pytest.param(
            "2023年吉林市人民政府工作报告\n——2024年1月16日在吉林市第十七届人民代表大会第四次会议上\n"
            + OPENING
            + "全市经济平稳增长。",
            2024,
            id="the_date_line_beats_a_title_named_for_the_reviewed_year",
        ),
        pytest.param(
            OPENING + "2013年工作回顾\n过去一年,全市经济平稳增长。",
            2014,
            id="an_unnumbered_review_heading_glued_to_its_text",
        ),
        pytest.param(
            OPENING + "一、突出重点,狠抓落实,全面完成2003年的各项目标\n全市经济平稳增长。\n"
            "二、团结进取,全面加快经济社会发展\n今年要加快发展。",
            2004,
            id="the_first_chapter_reviews_the_past_year_whatever_its_wording",
        ),
        pytest.param(
            OPENING + "一、过去五年工作回顾\n五年来,全市经济平稳增长。\n二、今后五年的目标任务\n"
            "今后五年要加快发展。\n三、2011年主要工作\n今年要加快发展。",
            2011,
            id="a_later_chapter_names_the_plan_year",
        ),
        pytest.param(
            OPENING + "一、过去五年工作回顾\n五年来,全市经济平稳增长。\n"
            "二、“十四五”时期和2035年主要目标任务\n要加快发展。\n三、2021年工作安排\n今年要加快发展。",
            2021,
            id="a_vision_year_is_not_the_plan_year",
        ),
        pytest.param(
            OPENING + "一、届首之年实现良好开局\n2003年是本届政府届首之年。全市经济平稳增长。",
            2004,
            id="the_review_opens_with_the_year_it_reviews",
        ),
        pytest.param(
            OPENING + "一、过去五年工作回顾\n五年来,全市经济平稳增长。\n"
            "二、今年的主要任务\n2012年政府工作的总体要求是:加快发展。",
            2012,
            id="the_plan_states_its_years_general_requirements",
        ),
        pytest.param(
            OPENING + "一、“十二五”时期经济社会发展回顾\n五年来,全市经济平稳增长。",
            2016,
            id="a_five_year_plan_review_opens_the_next_period",
        ),
        pytest.param(
            OPENING + "过去五年工作回顾2012年以来的五年,是不平凡的五年。",
            2017,
            id="a_term_review_counts_the_years_since",
        ),
        pytest.param(
            OPENING + "一、关于过去五年的政府工作\n五年来,经济平稳增长。\n"
            "二、关于1 9 9 8年政府工作的建议\n今年要加快发展。",
            1998,
            id="spaced_out_digits_in_a_heading",
        ),
        pytest.param(
            OPENING + "一、20xx年工作回顾\n一年来,全市经济平稳增长。",
            None,
            id="a_redacted_year_gives_nothing",
        ),
        # a national report: the year of the NPC session it addresses
        pytest.param(
            "各位代表!\n现在,我代表国务院,向第五届全国人民代表大会作政府工作报告。\n"
            "一、三年来的斗争和新时期的总任务\n从第四届全国人民代表大会以来,我国经历了考验。",
            1978,
            id="a_session_number_left_out_is_the_first_session",
        ),
        pytest.param(
            "各位代表:\n现在,我代表国务院,向大会报告过去五年的政府工作。\n一、过去五年工作回顾\n"
            "第十一届全国人民代表大会第一次会议以来的五年,是极不平凡的五年。",
            2013,
            id="a_national_report_at_the_end_of_a_term",
        ),
        pytest.param(
            "各位代表:\n从去年9月第五届全国人民代表大会第三次会议到现在,已经过去了一年零两个月。\n"
            "现在,我代表国务院,就当前的经济形势向大会作以下报告。",
            1981,
            id="a_national_report_looking_back_on_last_years_session",
        ),
    ],
)
def test_the_report_year_read_off_the_text(text, year):
    assert report(text).year == year


def test_date_and_speaker_glued_to_the_salutation_are_read_from_the_head():
    r = report(
        "2012年3月20日在台州市第四届人民代表大会第二次会议上台州市市长吴蔚荣各位代表:\n"
        "现在,我代表市人民政府向大会报告工作。\n全市经济平稳增长。"
    )
    assert (r.year, r.city) == (2012, "台州市")


def test_a_whole_report_on_one_line_gives_its_title_year():
    r = report(
        "石家庄市2008年政府工作报告各位代表:现在,我代表市人民政府向大会报告工作。全市经济增长。"
    )
    assert (r.year, r.city) == (2008, "石家庄市")


def test_a_page_listing_other_reports_gives_no_title():
    r = report(
        "相关文档2013年营口市政府工作报告:2007年上海市政府工作报告\n"
        + OPENING
        + "全市经济平稳增长。"
    )
    assert r.year is None
    assert r.city != "营口市"


# --------------------------------------------------------------------------------- national


@pytest.mark.parametrize(
    "term, session, year",
    [
        (1, 2, 1955),
        (1, 4, 1957),
        (2, 1, 1959),
        (2, 3, 1962),
        (3, 1, 1964),
        (4, None, 1975),
        (5, None, 1978),
        (5, 4, 1981),
        (6, 1, 1983),
        (8, 5, 1997),
        (10, 1, 2003),
        (14, 2, 2024),
    ],
)
def test_the_calendar_of_npc_sessions(term, session, year):
    assert npc_year(term, session) == year


def test_a_national_report_takes_the_year_of_the_session_it_addresses():
    r = report(
        "各位代表:\n我代表国务院,向第六届全国人民代表大会第一次会议作政府工作报告,请予审议。\n"
        "过去五年的回顾\n第五届全国人民代表大会期间,国家取得了很大的成就。"
    )
    assert (r.city, r.level, r.year) == ("全国", "national", 1983)


def test_an_autumn_date_does_not_shift_a_national_report():
    r = report(
        "1981年11月30日在第五届全国人民代表大会第四次会议上\n国务院总理赵紫阳\n各位代表:\n"
        "现在,我代表国务院向大会作报告。"
    )
    assert (r.city, r.year, r.speaker, r.session) == (
        "全国",
        1981,
        "赵紫阳",
        "第五届全国人民代表大会第四次会议",
    )


def test_a_local_report_quoting_the_premier_is_not_national():
    r = report(
        "各位代表:\n现在,我代表台州市人民政府向大会报告工作。\n"
        "一年来,我市重大项目前期工作取得新进展,国务院总理温家宝在卡塔尔见证了合作协议签订。"
    )
    assert r.city == "台州市"


def test_a_press_summary_of_the_national_report():
    r = report(
        "五年来,我国各族人民取得了巨大成就。\n周恩来总理在报告中首先指出,国民经济已经全面好转。"
    )
    assert (r.city, r.level) == ("全国", "national")


# ------------------------------------------------------------------------------- government


def test_a_former_city_name_is_kept_as_the_text_writes_it():
    r = report(
        "——2005年3月22日在思茅市第一届人民代表大会第二次会议上\n"
        + OPENING
        + "思茅是茶马古道的源头。思茅人民团结奋斗,思茅的明天更加美好。"
    )
    assert where(r) == ("思茅市", None, None, None)


def test_a_former_city_name_used_once_is_not_trusted():
    r = report(
        "——2004年2月23日在保击市第一届人民代表大会第五次会议上\n" + OPENING + "全市经济平稳增长。"
    )
    assert r.city is None


def test_the_party_committee_names_a_county():
    r = report(
        "各位代表:\n现在,我代表县人民政府向大会报告工作。\n"
        "过去的四年,在市委、市政府和县委的正确领导下,全县经济平稳增长。\n"
        "让我们在中共枣强县委的坚强领导下,团结奋斗!"
    )
    assert where(r) == ("枣强县", "河北省", "衡水市", "county")


def test_a_provincial_committee_does_not_name_a_city_report():
    r = report(OPENING + "在中共河北省委的正确领导下,全市经济平稳增长。")
    assert r.city is None


def test_the_plan_submitted_with_the_report_names_the_county():
    r = report(
        "各位代表:\n现在,我代表县人民政府向大会报告工作,请连同《罗田县国民经济和社会发展"
        "第十三个五年规划纲要(草案)》一并审议。\n全县经济平稳增长。"
    )
    assert where(r) == ("罗田县", "湖北省", "黄冈市", "county")


def test_the_session_glued_to_a_web_stamp_names_a_county_level_city():
    r = report(
        "·浏览次数: 14\n2009年1月12日在平湖市第十三届人民代表大会第三次会议上平湖市市长翁建荣各位代表:\n"
        "现在,我代表市人民政府向大会报告工作。\n嘉兴嘉兴嘉兴嘉兴,全市经济平稳增长。"
    )
    assert where(r) == ("平湖市", "浙江省", "嘉兴市", "county")


def test_place_names_inside_phrases_are_not_mentions():
    text = "长治久安。" * 5 + "乌鲁木齐" * 3
    assert gazetteer.mentions(text, "prefecture")[0] == (3, "650100")


def test_a_city_voice_text_is_placed_where_it_is_named_most():
    body = "首府乌鲁木齐加快发展。" * 4 + "维护社会稳定和长治久安。" * 6 + "全市经济平稳增长。" * 3
    r = report(OPENING + body)
    assert where(r) == ("乌鲁木齐市", "新疆维吾尔自治区", "乌鲁木齐市", "prefecture")


def test_a_text_that_does_not_speak_as_a_city_gets_no_guess():
    r = report("五年来,我国各族人民取得了巨大成就。大庆油田、大庆石油会战,大庆精神。")
    assert r.city is None


def test_a_place_named_after_another_city_is_not_a_mention_of_it():
    # 2010 襄樊 (a former name the gazetteer does not know) runs a 深圳工业园; the park's
    # name must not make 深圳 the city that speaks.
    from search.ingest import gazetteer

    text = (
        "深圳工业园一期基础设施建成并投入使用。启动深圳工业园基础设施二期工程建设。全市经济增长。"
    )
    assert gazetteer.mentions(text, "prefecture") == []
    assert [
        n for n, _ in gazetteer.mentions("我们学习深圳经验,深圳、广州、深圳。", "prefecture")
    ] == [3, 1]
