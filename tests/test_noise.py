"""Noise rules of :mod:`search.ingest.boilerplate`, one test per kind, on real lines.

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


def dropped_by(line: str) -> str | None:
    return drop_reason(clean_inline(line) or line)


# ---------------------------------------------------------------------------------- watermark


@pytest.mark.parametrize(
    "line",
    [
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
)
def test_watermark_lines_go(line):
    assert clean(line) == ""


@pytest.mark.parametrize(
    "line, kept",
    [
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
)
def test_watermark_glued_to_text_is_cut_out(line, kept):
    assert clean(line) == kept


@pytest.mark.parametrize(
    "line",
    [
        "加强与波兰马克西姆公司合作,巩固拓宽国际市场。",
        "推进托克马克数据服务等60余个10亿元以上项目建设。",
        "坚持以马克思列宁主义、毛泽东思想为指导。",
    ],
)
def test_marx_and_other_makes_stay(line):
    assert clean(line) == line


# -------------------------------------------------------------------------------- web chrome


@pytest.mark.parametrize(
    "line",
    [
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
)
def test_web_chrome_lines_go(line):
    assert clean(line) == ""


@pytest.mark.parametrize(
    "line, kept",
    [
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
)
def test_web_chrome_glued_to_text_is_cut_out(line, kept):
    assert clean(line) == kept


@pytest.mark.parametrize(
    "line",
    [
        "让人民群众分享发展成果,使全市人民更多地分享改革成果。",
        "18.社银一体化:为参保单位提供社会保险业务的受理、咨询、打印等就近服务。",
        "引进3D打印金属粉、光伏芯片用高纯原料等中试生产线",
        "数据来源:国家统计局网",
        "完成时间:2024年6月底前。",
        "鼓励社会力量兴建一批行业博物馆、收藏博物馆。",
        "(7)公交线路末班车冬夏分别延时至20:00时和21:00时。",
    ],
)
def test_body_sentences_with_chrome_words_stay(line):
    assert clean(line) == line


# --------------------------------------------------------------------------- document header


@pytest.mark.parametrize(
    "line",
    [
        "市一届人大六次会议文件(九)",
        "文件之十七",
        "市七届人大三次会议",
        "市一届人大六次",
        "会议文件(九)",
        "承德市十二届人大",
        "三次会议文件(14)",
        "市二届人大四次会议文件(10)",
    ],
)
def test_document_header_lines_go(line):
    assert clean(line) == ""


@pytest.mark.parametrize(
    "line, kept",
    [
        (
            "台州市三届人大二次会议文件(13)政府工作报告2005年4月24日在台州市第三届",
            "政府工作报告2005年4月24日在台州市第三届",
        ),
        ("市一届人大六次会议文件(九)•2005年2月21日在保山市第一届", "2005年2月21日在保山市第一届"),
    ],
)
def test_document_header_glued_to_the_title_is_cut_out(line, kept):
    assert clean(line) == kept


def test_a_sentence_about_the_session_documents_stays():
    line = "认真办理市十五届人大二次会议期间代表提出的建议。"
    assert clean(line) == line


# -------------------------------------------------------------------------------- print line


@pytest.mark.parametrize(
    "line",
    [
        "延安市二届人大六次会议秘书处2006年2月20日印",
        "晋中市二届人大三次会议大会秘书处二00七年六月印",
        "市一届人大五次会议秘书处(共印830份)■29——",
        "随州市一届人大五次会议秘书处共印820份",
        "共印1100份",
        "—31一共印1200份",
        "(共印820份)一26——",
    ],
)
def test_print_lines_go(line):
    assert clean(line) == ""


def test_print_line_glued_to_the_last_sentence_is_cut_out():
    line = "为台州提前基本实现现代化而努力奋斗!台州市二届人大五次会议秘书处2003年3月‘24日印一28一"
    assert clean(line) == "为台州提前基本实现现代化而努力奋斗!"


def test_a_sentence_about_a_secretariat_stays():
    line = "市政府秘书处要印发工作方案,抓好督促落实。"
    assert clean(line) == line


# ------------------------------------------------------------------------------- page number


@pytest.mark.parametrize(
    "line", ["—1—", "—20—", "-7-", "一 7 一".replace(" ", ""), "一15—", "—13 -", "■ 13——"]
)
def test_page_number_lines_go(line):
    assert clean(line) == ""


@pytest.mark.parametrize(
    "line, kept",
    [
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
)
def test_page_numbers_inside_sentences_are_cut_out(line, kept):
    assert clean(line) == kept


@pytest.mark.parametrize(
    "line",
    [
        "城镇登记失业率提高1—2个百分点。",
        "2021—2025年,全市生产总值年均增长6%。",
        "第一阶段—3—5年内完成。",
        "G312—1号线开工建设。",
        "三次产业结构调整为10.6:57.3:32.1。",
    ],
)
def test_ranges_and_numbers_in_text_stay(line):
    assert clean(line) == line


# ---------------------------------------------------------------------------- licence footer


@pytest.mark.parametrize(
    "line",
    [
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
)
def test_the_wikisource_licence_footer_goes(line):
    assert clean(line) == ""


@pytest.mark.parametrize("line", ["完善地方性法律法规。", "。", "加强法律援助工作。"])
def test_sentences_about_laws_and_a_lone_full_stop_stay(line):
    assert clean(line) == line


# ------------------------------------------------------------------------------ glyph tables


@pytest.mark.parametrize(
    "line,kept",
    [
        (
            "目前只在新疆和赣州试点。STUVWYZ#!$%&()-+012356789abdefghijlmnopqrsuvwxyzACDEFGHIKLM",
            "目前只在新疆和赣州试点。",
        ),
        ("而努力奋斗!$lO7A%mP8B&nQ9C(pSbE)qTcF-rUdG+sVeH0tWfI1uYhK3wZiL4", "而努力奋斗!"),
        ("kN6z$lO7A%nQ9C*oRaD(pSbE)rUdG+sVeH0tWfI1", ""),
    ],
)
def test_font_glyph_tables_are_cut_out(line, kept):
    assert clean(line) == kept


@pytest.mark.parametrize(
    "line",
    [
        "详见https://www.gov.cn/zhengce/content/2024-01/05/content_6924.htm?id=1&from=2%20a",
        "重点抓好(1)(2)(3)(4)(5)(6)项工作。",
        "PM2.5平均浓度下降到35μg/m3。",
        "实施“Made-in-China+AI”(MIC+AI)行动。",
    ],
)
def test_urls_numbering_and_codes_stay(line):
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


# ---------------------------------------------------------------------------- repeated blocks


def _lines(*texts):
    from search.ingest.structure import Line

    return [Line(t) for t in texts]


def _kept(*texts):
    from search.ingest.repeats import drop_repeated_blocks

    return [line.text for line in drop_repeated_blocks(_lines(*texts))]


BLOCK = (
    "四是加强风险管理,提高金融监管有效性。探索建立宏观审慎管理制度,强化对跨境资本流动的有效监控,"
    "防范各类金融风险。继续完善人民币汇率形成机制,保持人民币汇率在合理、均衡水平上的基本稳定。"
)


def test_a_block_pasted_again_goes_and_the_first_copy_stays():
    # 2010_全国: the paragraph ends one line and stands again as the next one
    first = "更好地满足多样化投融资需求。" + BLOCK
    assert _kept(first, BLOCK, "积极扩大居民消费需求。") == [first, "积极扩大居民消费需求。"]


def test_a_copy_with_a_new_tail_keeps_the_tail():
    # 2015_全国: the second copy runs on into text that is not repeated
    assert _kept(BLOCK, BLOCK + "地方政府对应当放给市场和社会的权力,要坚决放足放到位。") == [
        BLOCK,
        "地方政府对应当放给市场和社会的权力,要坚决放足放到位。",
    ]


def test_a_copy_starting_mid_sentence_loses_its_fragment_too():
    # 2006_黄冈市: the reprint starts inside the sentence before the block
    lead = "健全行政执法依据、程序公开制度,严格行政执法责任制度和过错追究制度。"
    assert _kept(
        "加强法治政府建设。" + lead + BLOCK,
        "为开创新局面而努力奋斗!",
        "序公开制度,严格行政执法责任制度和过错追究制度。" + BLOCK,
    ) == ["加强法治政府建设。" + lead + BLOCK, "为开创新局面而努力奋斗!"]


def test_restated_sentences_stay():
    # 2007_榆林市 thanks everyone twice, 2022_金昌市 states a target in review and plan
    thanks = (
        "在此,我代表市人民政府,向全市的工人、农民、知识分子和干部群众致以崇高的敬意!"
        "向大力支持政府工作的各位代表、各位委员和社会各界人士表示衷心的感谢!"
    )
    target = "到2026年,培育链主企业5家以上,形成百亿产业链。"
    lines = [
        "2006年成绩来之不易。" + thanks,
        "一、2006年工作回顾",
        target,
        "回首十五,成绩显著。" + thanks,
        "二、2007年工作安排",
        target,
    ]
    assert _kept(*lines) == lines


def test_one_long_sentence_pasted_again_goes():
    appeal = (
        "让我们更加紧密团结在以习近平同志为核心的党中央周围,在省委、省政府和市委的坚强领导下,"
        "坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻落实党的二十大和二十届二中全会精神,"
        "振奋精神,锐意进取,开拓创新,求真务实,凝心聚力,真抓实干,奋力谱写中国式现代化建设的崭新篇章,"
        "为全面建设社会主义现代化国家、实现中华民族伟大复兴的中国梦,为加快建设现代化经济体系,"
        "推动经济社会高质量发展作出新的更大贡献而努力奋斗!"
    )
    assert len(appeal) >= 200
    assert _kept(appeal, "二、今年的工作", appeal) == [appeal, "二、今年的工作"]


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
