"""Noise rules of :mod:`search.ingest.boilerplate`, a table of real lines per kind.

Every line below is a normalized line as it occurs in the bench corpus (after NFKC, t2s and
space folding). ``clean`` is what the pipeline keeps of a line: its text without inline noise,
or "" when the line goes as a whole.
"""

from __future__ import annotations

import pytest

from search.ingest.boilerplate import clean_inline, drop_reason
from search.ingest.pipeline import ingest_text


def clean(line: str) -> str:
    body = clean_inline(line)
    return "" if not body or drop_reason(body) else body


# Each kind of noise: lines that go whole, lines glued to text that keep only their text, and
# text that looks like the noise but stays.
GOES = {
    "watermark": [
        "关注公众号“马克数据网”",
        "(来自马克数据网)",
        "微信公众号“马克数据网”",
        "来源:百度“马克数据网”",
        "(macrodatas.cn) (来自马克数据网)",
        "(更多数据,详见马克数据网)",
        "https://www.macrodatas.cn/",
        "该数据由【马克数据网】整理",
        "详见官网:www.macrodatas.cn",
        "数据由“马克团队”整理",
        "数据由“马克数据”整理",
        "来源:“马克团队”",
        "更多数据:搜索“马克数据网”来源:www.macrodatas.cn",
        "来自:www.macrodatas.cn来源:“马克团队”",
        "28数据由“马克团队”整理",
        "29 (macrodatas.cn)",
        "Evaluation Warning : The document was created with Spire.PDF for .NET.",
    ],
    "web chrome": [
        "【字体:大中小】打印",
        "下载打印全屏收藏【字号:",
        "[手机看新闻][字号大中小][打印本稿]",
        "发布时间:2024-02-02 07:37来源:石家庄新闻网【字体:大中小】打印",
        "分享:",
        "分享到微信",
        "时间:2024-01-16 08:00来源:平凉市融媒体中心字体: [大] [中] [小]收藏",
        "打印本页关闭窗口",
        "日期:2024-01-16 10:31来源:三明日报||||",
        "来源:泉州通客户端2024-02-20 10:09阅读人数:421",
        "发布时间:2021年7月15日分类:嘉兴产业信息标签:嘉兴多层厂房",
        "·浏览次数: 14",
        "相关报道:",
        "加大",
        "还原",
        "减小",
        "】",
        "首页",
        ">",
        "编辑播报",
    ],
    "document header": [
        "市一届人大六次会议文件(九)",
        "文件之十七",
        "市七届人大三次会议",
        "市一届人大六次",
        "会议文件(九)",
        "承德市十二届人大",
        "三次会议文件(14)",
        "市二届人大四次会议文件(10)",
    ],
    "print line": [
        "延安市二届人大六次会议秘书处2006年2月20日印",
        "晋中市二届人大三次会议大会秘书处二00七年六月印",
        "市一届人大五次会议秘书处(共印830份)■29——",
        "随州市一届人大五次会议秘书处共印820份",
        "共印1100份",
        "—31一共印1200份",
        "(共印820份)一26——",
    ],
    "page number": [
        "—1—",
        "—20—",
        "-7-",
        "一 7 一".replace(" ", ""),
        "一15—",
        "—13 -",
        "■ 13——",
    ],
    "licence footer": [
        "本作品是中华人民共和国的",
        "法律",
        "、",
        "法规",
        ",国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件,及其官方正式译文。根据《",
        "中华人民共和国著作权法",
        "》第五条第一项,本作品不适用于该法,在",
        "中国大陆",
        ",也可能在其他管辖区,属于",
        "公有领域",
        "注:中文维基文库社群认为,中华人民共和国公务演讲,",
        "不总是",
        "具有立法、行政、司法性质的文件。",
        "Public domain",
        "false",
        "true",
    ],
}
CUT = {
    "watermark": [
        ("让我们团结奋斗!关注微信公众号“马克数据网”", "让我们团结奋斗!"),
        ("关注微信公众号“马克数据网”各位代表:", "各位代表:"),
        (
            "市长马光明二00五年二月二十八日(更多数据,详见马克数据网)",
            "市长马光明二00五年二月二十八日",
        ),
        (
            "29.三保:指保基本民生、保工资、保运转。(来源马克数据网)",
            "29.三保:指保基本民生、保工资、保运转。",
        ),
    ],
    "web chrome": [
        ("收藏打印分享——2024年1月16日在吉林市第十七届", "——2024年1月16日在吉林市第十七届"),
        (
            "【字体:大中小】打印打印2024-02-04 11:41:44来源:三亚市人民政府办公室三亚市市长陈希各位代表:",
            "三亚市市长陈希各位代表:",
        ),
        (
            "2024年01月30日10:45来源:解放日报[手机看新闻][字号大中小][打印本稿]上海市市长龚正各位代表:",
            "上海市市长龚正各位代表:",
        ),
        (
            "忻州市2010年政府工作报告www.luqyu.cn来源:忻州市政府网日期:2010-6-26浏览:880次【大中小】"
            "——2010年5月26日在忻州市第二届",
            "忻州市2010年政府工作报告——2010年5月26日在忻州市第二届",
        ),
        (
            "2009年工作回顾编辑播报2009年是极不平凡的一年。",
            "2009年工作回顾2009年是极不平凡的一年。",
        ),
        ("奋力谱写新篇章!》》点击图片进入专题《《|×相关文档:", "奋力谱写新篇章!"),
        ("城镇居民人均可支配收入增长12%。[09:30:09]", "城镇居民人均可支配收入增长12%。"),
    ],
    "document header": [
        (
            "台州市三届人大二次会议文件(13)政府工作报告2005年4月24日在台州市第三届",
            "政府工作报告2005年4月24日在台州市第三届",
        ),
        ("市一届人大六次会议文件(九)•2005年2月21日在保山市第一届", "2005年2月21日在保山市第一届"),
    ],
    "print line": [
        (
            "为台州提前基本实现现代化而努力奋斗!台州市二届人大五次会议秘书处2003年3月‘24日印一28一",
            "为台州提前基本实现现代化而努力奋斗!",
        ),
    ],
    "page number": [
        (
            "党政机构改革顺利完成,市级党政机构—20—精简21%",
            "党政机构改革顺利完成,市级党政机构精简21%",
        ),
        ("围绕提升产业支—12—", "围绕提升产业支"),
        (
            "建设大太原经济圈给我们带来了机遇,这对区域协调发展等都会一7一产生深刻影响",
            "建设大太原经济圈给我们带来了机遇,这对区域协调发展等都会产生深刻影响",
        ),
        ("廉政建设进一步加强。一8一切实加强作风建设。", "廉政建设进一步加强。切实加强作风建设。"),
        (
            "民营经济-2一创新发展综合配套改革试点申报取得新进展",
            "民营经济创新发展综合配套改革试点申报取得新进展",
        ),
    ],
    "glyph tables": [
        (
            "目前只在新疆和赣州试点。STUVWYZ#!$%&()-+012356789abdefghijlmnopqrsuvwxyzACDEFGHIKLM",
            "目前只在新疆和赣州试点。",
        ),
        ("而努力奋斗!$lO7A%mP8B&nQ9C(pSbE)qTcF-rUdG+sVeH0tWfI1uYhK3wZiL4", "而努力奋斗!"),
        ("kN6z$lO7A%nQ9C*oRaD(pSbE)rUdG+sVeH0tWfI1", ""),
    ],
}
STAYS = {
    "watermark": [
        # marx and other makes stay
        "加强与波兰马克西姆公司合作,巩固拓宽国际市场。",
        "推进托克马克数据服务等60余个10亿元以上项目建设。",
        "坚持以马克思列宁主义、毛泽东思想为指导。",
    ],
    "web chrome": [
        # body sentences with chrome words stay
        "让人民群众分享发展成果,使全市人民更多地分享改革成果。",
        "18.社银一体化:为参保单位提供社会保险业务的受理、咨询、打印等就近服务。",
        "引进3D打印金属粉、光伏芯片用高纯原料等中试生产线",
        "数据来源:国家统计局网",
        "完成时间:2024年6月底前。",
        "鼓励社会力量兴建一批行业博物馆、收藏博物馆。",
        "(7)公交线路末班车冬夏分别延时至20:00时和21:00时。",
    ],
    "document header": [
        # a sentence about the session documents stays
        "认真办理市十五届人大二次会议期间代表提出的建议。",
    ],
    "print line": [
        # a sentence about a secretariat stays
        "市政府秘书处要印发工作方案,抓好督促落实。",
    ],
    "page number": [
        # ranges and numbers in text stay
        "城镇登记失业率提高1—2个百分点。",
        "2021—2025年,全市生产总值年均增长6%。",
        "第一阶段—3—5年内完成。",
        "G312—1号线开工建设。",
        "三次产业结构调整为10.6:57.3:32.1。",
    ],
    "licence footer": [
        # sentences about laws and a lone full stop stay
        "完善地方性法律法规。",
        "。",
        "加强法律援助工作。",
    ],
    "glyph tables": [
        # urls numbering and codes stay
        "详见https://www.gov.cn/zhengce/content/2024-01/05/content_6924.htm?id=1&from=2%20a",
        "重点抓好(1)(2)(3)(4)(5)(6)项工作。",
        "PM2.5平均浓度下降到35μg/m3。",
        "实施“Made-in-China+AI”(MIC+AI)行动。",
    ],
}


def cases(table: dict) -> list:
    """A table's lines as test parameters named by their kind: ``watermark-3``."""
    return [
        pytest.param(*(case if isinstance(case, tuple) else (case,)), id=f"{kind}-{n}")
        for kind, lines in table.items()
        for n, case in enumerate(lines)
    ]


@pytest.mark.parametrize("line", cases(GOES))
def test_noise_lines_go_whole(line):
    assert clean(line) == ""


@pytest.mark.parametrize("line, kept", cases(CUT))
def test_noise_glued_to_text_is_cut_out(line, kept):
    assert clean(line) == kept


@pytest.mark.parametrize("line", cases(STAYS))
def test_text_that_looks_like_noise_stays(line):
    assert clean(line) == line


# ----------------------------------------------------------------------------------- pipeline


def test_noise_of_every_kind_stays_out_of_a_report():
    text = "\n".join(
        [
            "下载打印全屏收藏【字号:",
            "加大",
            "还原",
            "减小",
            "】",
            "市一届人大六次",
            "会议文件(九)",
            "——2024年1月16日在吉林市第十七届人民代表大会第四次会议上",
            "各位代表:",
            "现在,我代表市人民政府向大会报告工作。",
            "一、2023年工作回顾",
            "一年来,全市经济平稳增长,市级党政机构—20—精简21%。",
            "—2—",
            "让我们团结奋斗!关注微信公众号“马克数据网”",
            "市一届人大五次会议秘书处(共印830份)■29——",
            "相关报道:",
            "本作品是中华人民共和国的",
            "法律",
            "公有领域",
            "Public domain",
            "false",
        ]
    )
    r = ingest_text(text, "t.txt")[0]
    assert r.text == (
        "各位代表:\n现在,我代表市人民政府向大会报告工作。\n一、2023年工作回顾\n"
        "一年来,全市经济平稳增长,市级党政机构精简21%。\n让我们团结奋斗!"
    )
    assert (r.city, r.year, r.date) == ("吉林市", 2024, "2024-01-16")


def test_guards_only_skip_lines_their_rule_would_leave_alone():
    """Every guarded rule gives the same line with and without its guard, on every line of
    the seeds. (Run once over the 153,739 lines of the bench corpus too: no difference.)"""
    from pathlib import Path

    from search.ingest import boilerplate as B
    from search.ingest.formats import read_text
    from search.ingest.normalize import normalize_text

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    lines = [
        line
        for f in sorted(corpus.iterdir())
        for line in normalize_text(read_text(f).text).split("\n")
    ]
    lines += [
        "2024-02-04 11:41:44 来源:镇江日报",
        "【字号:大中小】",
        "下载打印全屏收藏",
        "市一届人大六次会议文件(九)",
        "共印1100份",
        "(来自马克数据网)",
        "www.gov.cn 分享到:微信",
    ]
    guarded = {name: rule for name, rule in B.INLINE_RULES.items() if isinstance(rule, B.Guarded)}
    assert set(guarded) == {"watermark", "web chrome", "document header", "print line"}
    for line in lines:
        for rule in guarded.values():
            assert rule.sub("", line) == rule.rule.sub("", line), line
