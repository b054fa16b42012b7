"""Repeated blocks (:mod:`search.ingest.repeats`): a paragraph pasted again goes, restated
sentences stay. The texts are real passages from the bench corpus."""

from __future__ import annotations


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
