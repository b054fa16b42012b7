"""The stop lists and shape rules that decide whether a jieba word or run of words can be a term.

Text-only rules (no corpus): a word must be a content noun that is not generic, numeric or a
place; an n-gram must not hold grammar or open a clause; a quoted term must be one token of
CJK/Latin/digits. :mod:`.candidates` applies them; docs/trends.md explains each with examples.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..cjk import CJK_CHARS as _CJK
from ..ingest.gazetteer import government_names, short_name
from ..stopwords import FUNCTION_WORDS, GENERIC_WORDS

MIN_COUNT = 2  # exact occurrences a word or n-gram needs to be a key phrase
MIN_QUOTED = 1  # …and a quoted term
MIN_CHARS = 3  # characters a word or n-gram needs…
MIN_SHORT_COUNT = 3  # …unless a two-character word occurs this often (整理 ×2 is no term)
MAX_NGRAM_WORDS = 5
NGRAM_CHARS = (3, 10)
QUOTED_CHARS = (2, 12)
#: A single word more frequent than this in jieba's dictionary (general Chinese: 方法, 理论,
#: 工业, 数据) is too general to be a key phrase on its own; runs and quoted terms may use it.
GENERAL_FREQUENCY = 2000

_CJK_WORD = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_QUOTED = re.compile(rf"“([^“”\n]{{{QUOTED_CHARS[0]},{QUOTED_CHARS[1]}}})”")
# Inside quotes: CJK, Latin letters, digits and a few joiners; no clause punctuation.
_QUOTED_OK = re.compile(f"[{_CJK}A-Za-z0-9·+\\-]+")
_COUNTED = re.compile(r"[零〇一二三四五六七八九十百千万两几多]+[大个项条批类种家次年]?")
_NUMERAL = re.compile(r"[0-9零〇一二三四五六七八九十百千万亿两几第余多半个年月日号次批项家条份]+")

#: Generic words that may still end an n-gram (产业项目, 营商环境, 无废城市, 园区整合 …).
_END_OK = frozenset(
    """
体系 机制 水平 能力 质量 工程 项目 行动 计划 任务 目标 问题 成效 成果 经济 社会 城市 农村 产业
企业 政策 措施 制度 规划 方案 办法 平台 环境 资源 区域 基层 人员 单位 部门 建设 发展 服务 管理
改革 创新 开放 安全 健康 绿色 民生 实事 干部 升级 改造 提升 整合 精神 思想 责任 中央 国家
""".split()
)

#: Single characters that turn the word before them into a place or programme name
#: (都市圈, 产业链, 科技园, 示范区); jieba tags some of them as measure words.
SUFFIX_CHARS = frozenset("圈链园区带港城谷湾廊轴网群站馆院所仓库点片源")

#: Single characters that may follow any term: particles and conjunctions (园区整合的, …等).
PARTICLES = frozenset("的地得了着过等之和与及或并而")


def tag_of(word: str, entries: dict) -> str:
    """jieba's part-of-speech tag of ``word``; a word it does not know counts as a noun."""
    return entries.get(word, ("n", 0))[0]


#: Single-character verbs of measure and comparison (达 4800 亿元, 居全省第 3): never the
#: first or last word of a term.
_GRAMMAR_CHARS = frozenset("达占超增降减升居列获有是为在到把被让使将比较近逾约")
#: Single characters that may stand on either side of any term: the particles, prepositions
#: and localisers (在园区, 园区内), and the verbs of measure (营收达).
OPEN_CHARS = PARTICLES | frozenset("在于对把被向从由至给让使按中上下内外里间前后") | _GRAMMAR_CHARS

#: jieba part-of-speech tags (ICTCLAS set) of words that can be a key phrase on their own:
#: nouns, organisation names, verbal nouns, abbreviations, set phrases.
NOUN_TAGS = frozenset({"n", "nz", "nt", "nw", "vn", "an", "j", "l", "i", "eng"})
#: Tags that never begin or end a term: adverbs, numerals, measures, localisers, time, place
#: words, pronouns, prepositions, conjunctions, particles, interjections.
_EDGE_BAD = frozenset("d m q f t s r p c u uj ul uz ug uv ud y e o zg mq df dg tg".split())
#: Tags that never occur inside a term: particles, conjunctions, pronouns, prepositions.
_INSIDE_BAD = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "y", "e", "o"})
#: Result complements of a single verb (做强, 做优, 搞活, 抓实): verb + complement opens a clause.
_COMPLEMENTS = frozenset("强优大活实好精细深足稳牢全长新美")
_VERB_TAGS = frozenset({"v", "vd", "vg", "vi", "vq", "a", "ad", "ag"})


# Process-wide static data read from installed packages (not from an index), so a module
# cache is its right lifetime; a missing package is an installation error and is raised.
@lru_cache(maxsize=1)
def dictionary() -> dict[str, tuple[str, int]]:
    """word → (part-of-speech tag, frequency) from jieba's dictionary (both backends use it)."""
    import jieba

    entries = {}
    with jieba.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3:
                entries[parts[0]] = (parts[2], int(parts[1]))
    return entries


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Names of every government in the gazetteer, long and short (镇江市, 镇江)."""
    names = set()
    for name in government_names():
        names.add(name)
        names.add(short_name(name))
    return frozenset(n for n in names if len(n) >= 2)


def _numeric(term: str) -> bool:
    if _NUMERAL.fullmatch(term):
        return True
    return any(ch.isdigit() for ch in term) and not _HAS_CJK.search(term)


def _stop(word: str) -> bool:
    return word in FUNCTION_WORDS or word in GENERIC_WORDS


def _word_ok(word: str, entries: dict) -> bool:
    """A jieba word on its own: a content noun that is not generic, numeric or a place."""
    tag, freq = entries.get(word, ("n", 0))
    head = word[:2]
    if len(word) > 3 and head in GENERIC_WORDS and entries.get(head, ("n",))[0] in _VERB_TAGS:
        return False  # 深入开展, 加快推进: set phrases of generic verbs
    if len(word) == 3 and word.endswith("性"):
        return False  # 重要性, 决定性, 积极性: a quality named in passing, not a term
    return (
        len(word) >= 2
        and not _stop(word)
        and tag in NOUN_TAGS
        and freq <= GENERAL_FREQUENCY
        and not _numeric(word)
        and word not in place_names()
    )


def _ngram_ok(words: tuple[str, ...], entries: dict) -> bool:
    """A run of words that reads as one term (园区整合, 无废城市, 南京都市圈)."""
    term = "".join(words)
    if not NGRAM_CHARS[0] <= len(term) <= NGRAM_CHARS[1]:
        return False
    if len(term) == 3 and term.endswith("性"):
        return False  # 结构/性, 示范/性: a quality named in passing (see _word_ok)
    first, last = words[0], words[-1]
    tag = [tag_of(w, entries) for w in words]
    if any(w in FUNCTION_WORDS or t in _INSIDE_BAD for w, t in zip(words, tag)):
        return False
    if first in _GRAMMAR_CHARS or last in _GRAMMAR_CHARS:
        return False  # 营收达…, 居副省级城市, 列全省第: a verb of comparison, not a term
    suffix = len(last) == 1 and last in SUFFIX_CHARS and len(words[-2]) > 1
    if suffix:
        tag[-1] = "n"  # 都市圈, 产业链, 科技园: a noun-forming suffix, whatever jieba says
    if tag[0] in _EDGE_BAD and len(first) > 1 or tag[-1] in _EDGE_BAD:
        return False  # one numeral may begin a coined term (一区多园, 四群八链)
    if first in GENERIC_WORDS and (
        tag[0] not in NOUN_TAGS or tag[0] == "vn" or tag[1] in _VERB_TAGS
    ):
        return False  # 推进园区整合, 建设金甬铁路, 全面推进, 全面查处 …
    if len(first) > 1 and tag[0] in _VERB_TAGS:
        return False  # a verb phrase (积极参与长三角), not a term
    if len(first) == 1 and tag[0] == "v" and words[1] in _COMPLEMENTS:
        return False  # 做强实体经济, 做大…: a verb and its complement open a clause
    if len(first) > 3 and first[:2] in GENERIC_WORDS and first[2:] in GENERIC_WORDS:
        if entries.get(first[2:], ("n",))[0] in ("v", "vn"):
            return False  # 大力发展跨境, 加快推进…: a set phrase of a generic verb opens a clause
    if tag[0] in ("i", "l") and len(first) > 3:
        return False  # 积极参与长三角…: a set phrase opening a clause
    if any(
        len(w) == 1 and t in _VERB_TAGS and len(a) > 1 and len(b) > 1
        for a, w, t, b in zip(words, words[1:], tag[1:], words[2:])
    ):
        return False  # 经济规模占地区: a lone verb between words is grammar
    if len(first) == 1 and len(words[1]) > 1:
        return False  # 占规上…, 向园区…: a lone character before a word is grammar
    if any(w in GENERIC_WORDS and t in _VERB_TAGS for w, t in zip(words[1:-1], tag[1:-1])):
        return False  # 研发机构加快发展: a generic verb inside makes a clause
    if last in GENERIC_WORDS and last not in _END_OK:
        return False  # 长江高水平, 人数增长, 结构优化: a clause, not a term
    if len(last) > 3 and last[:2] in GENERIC_WORDS:
        return False  # 产业稳步发展, 工作全面推进: a set phrase of generic words ends a clause
    if _COUNTED.fullmatch(last) or last in place_names():
        return False  # 新城中轴线十大, 中国式现代化武汉: cut short before what they count/name
    if tag[-1] in _VERB_TAGS:
        if len(last) == 1 and len(words[-2]) > 1:
            return False  # 营业收入超…: a lone verb after a word is grammar
        if len(last) > 1 and not (tag[-2] in NOUN_TAGS or len(words[-2]) == 1):
            return False  # 园区整合, 产城融合 end in a verb after a noun; 加快推进 does not
        if entries.get(last, ("v", 0))[1] > GENERAL_FREQUENCY:
            return False  # 人数继续, 危机带来: a common verb predicates, a rare one names
    if max(map(len, words)) < 2:
        return False  # 林/盛/乐, 争/资/争: single characters of a word jieba does not know
    if all(_stop(w) or _NUMERAL.fullmatch(w) for w in words):
        return False
    return not _numeric(term) and term not in place_names()


def _quoted_ok(term: str) -> bool:
    return (
        bool(_QUOTED_OK.fullmatch(term))
        and len(_HAS_CJK.findall(term)) >= 2
        and not _numeric(term)
        and not _stop(term)
        and term not in place_names()
    )
