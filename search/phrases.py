"""Key phrases of a report: candidate terms from its text, scored against the rest of the corpus.

Candidates (:func:`candidates`) come from three sources, all read off the normalized text:

* **quoted** terms — reports put slogans and programme names in quotes (“四群八链”,
  “智改数转网联”), so the content of a “…” pair of 2-12 characters is a candidate even if
  used once;
* **words** — jieba words (accurate mode, HMM off: the same string always cuts the same way)
  of two or more characters;
* **n-grams** — runs of 2-5 adjacent words inside one clause (no punctuation between),
  3-10 characters long, that recur: jieba has no entry for coined policy terms and cuts them
  into pieces (园区/整合, 无/废/城市, 四/群/八/链), so the recurring run is the term.

A stop list removes function words, generic government vocabulary (发展, 建设, 推进, 加快,
全面, 工作 …), numbers and place names; an n-gram may not begin or end with a function word or
a generic verb (so 推进园区整合 and 园区整合的 give way to 园区整合). A candidate that only
ever occurs inside a longer candidate (same exact count) gives way to the longer one
(四群八 → 四群八链).  A candidate must also read as a term where it stands: two-character
words need three occurrences, most occurrences must start and end on jieba's cuts, and a
phrase always followed (or preceded) by the same content word is a piece of a longer name.

Every count is ``matching.count(report.text, phrase)`` — the exact, non-overlapping substring
count the search engine reports — and candidates are kept when that count is at least
:data:`MIN_COUNT` (quoted terms: at least 1).

Scoring is TF-IDF against the corpus of the current index snapshot::

    score = count × ln((N + 1) / df)

with ``count`` the exact count in the report, ``N`` the number of reports in the snapshot and
``df`` the exact number of reports whose text contains the phrase (``matching.contains``; the
report itself included, so ``df ≥ 1``).  A phrase every report uses scores almost nothing; a
phrase only this report uses scores ``count × ln(N + 1)``.  See docs/trends.md.

Document frequencies are exact but cheap: the index's *exact* field holds every character
bigram of every section, so the reports holding the phrase's rarest bigrams are a superset
of those holding the phrase, and only those texts are scanned.  Results are cached per index
generation (:func:`corpus_stats`), so a rebuilt index gets fresh numbers.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from functools import lru_cache

from . import matching
from .analysis import accurate_tokens as tokens
from .cjk import CJK_CHARS as _CJK
from .ingest.gazetteer import government_names, short_name
from .measures import per_10k
from .models import Report
from .stopwords import FUNCTION_WORDS, GENERIC_WORDS

MIN_COUNT = 2  # exact occurrences a word or n-gram needs to be a key phrase
MIN_QUOTED = 1  # …and a quoted term
MIN_CHARS = 3  # characters a word or n-gram needs…
MIN_SHORT_COUNT = 3  # …unless a two-character word occurs this often (整理 ×2 is no term)
MAX_NGRAM_WORDS = 5
NGRAM_CHARS = (3, 10)
QUOTED_CHARS = (2, 12)
# Below this many characters in the whole corpus, scanning every text is as fast as the
# bigram prefilter (and the prefilter is skipped).
PREFILTER_MIN_CHARS = 2_000_000
PREFILTER_BIGRAMS = 3  # rarest bigrams of a phrase intersected by the prefilter
CANDIDATE_CACHE = 256  # reports whose candidates are kept per snapshot
BIGRAM_CACHE = 20_000  # bigram → reports sets kept per snapshot
DF_CACHE = 200_000  # phrase document frequencies kept per snapshot
#: A single word more frequent than this in jieba's dictionary (general Chinese: 方法, 理论,
#: 工业, 数据) is too general to be a key phrase on its own; runs and quoted terms may use it.
GENERAL_FREQUENCY = 2000

_EPSILON = 1e-3  # scores are rounded to 4 decimals; prune only clearly lower ones
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

#: Single-character verbs of measure and comparison (达 4800 亿元, 居全省第 3): never the
#: first or last word of a term.
_GRAMMAR_CHARS = frozenset("达占超增降减升居列获有是为在到把被让使将比较近逾约")

#: jieba part-of-speech tags (ICTCLAS set) of words that can be a key phrase on their own:
#: nouns, organisation names, verbal nouns, abbreviations, set phrases.
NOUN_TAGS = frozenset({"n", "nz", "nt", "nw", "vn", "an", "j", "l", "i", "eng"})
#: Tags that never begin or end a term: adverbs, numerals, measures, localisers, time, place
#: words, pronouns, prepositions, conjunctions, particles, interjections.
_EDGE_BAD = frozenset(
    {
        "d",
        "m",
        "q",
        "f",
        "t",
        "s",
        "r",
        "p",
        "c",
        "u",
        "uj",
        "ul",
        "uz",
        "ug",
        "uv",
        "ud",
        "y",
        "e",
        "o",
        "zg",
        "mq",
        "df",
        "dg",
        "tg",
    }
)
#: Tags that never occur inside a term: particles, conjunctions, pronouns, prepositions.
_INSIDE_BAD = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "y", "e", "o"})
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
    first, last = words[0], words[-1]
    tag = [entries.get(w, ("n", 0))[0] for w in words]
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


def candidates(text: str) -> dict[str, dict]:
    """Candidate key phrases of ``text``: phrase → ``{"count", "origin"}``, counts exact.

    ``origin`` is ``quoted``, ``word`` or ``ngram`` (the first that proposed it, in that
    order).  Only candidates with an exact count of at least :data:`MIN_COUNT`
    (:data:`MIN_QUOTED` for quoted terms) are returned, and a candidate whose every
    occurrence lies inside a longer candidate (same count) is dropped for the longer one.
    """
    entries = dictionary()
    proposed: dict[str, str] = {}
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        if _quoted_ok(term):
            proposed.setdefault(term, "quoted")

    grams: Counter = Counter()
    clause: list[str] = []

    def flush():
        for i in range(len(clause)):
            for n in range(2, MAX_NGRAM_WORDS + 1):
                if i + n > len(clause):
                    break
                grams[tuple(clause[i : i + n])] += 1
        clause.clear()

    words: Counter = Counter()
    cuts = tokens(text)
    for word, _, _ in cuts:
        if _CJK_WORD.fullmatch(word):
            clause.append(word)
            words[word] += 1
        else:
            flush()
    flush()
    for word in words:
        if _word_ok(word, entries):
            proposed.setdefault(word, "word")
    for gram, n in grams.items():
        # A run seen once as words may still occur twice in the text (cut differently
        # elsewhere); but a run jieba saw only once is rarely a term, and counting every
        # such run would cost more than it finds.
        if n >= MIN_COUNT and _ngram_ok(gram, entries):
            proposed.setdefault("".join(gram), "ngram")

    after = {start: word for word, start, _ in cuts}  # the word starting at each cut
    before = {end: word for word, _, end in cuts}  # …and the word ending at it
    found = {}
    for term, origin in proposed.items():
        hits = matching.find_all(text, term)
        if (
            len(hits) >= _least(term, origin)
            and _on_cuts(term, hits, after, before)
            and not _cut_short(term, hits, after, before, entries)
        ):
            found[term] = {"count": len(hits), "origin": origin}
    # Drop a term that only occurs inside a longer candidate (equal exact counts).
    covered = set()
    for term, info in found.items():
        for size in range(2, len(term)):
            for i in range(len(term) - size + 1):
                part = term[i : i + size]
                if part in found and found[part]["count"] == info["count"]:
                    covered.add(part)
    return {t: info for t, info in found.items() if t not in covered}


def _least(term: str, origin: str) -> int:
    """Exact occurrences a candidate needs: quoted terms once; short words more often."""
    if origin == "quoted":
        return MIN_QUOTED
    return MIN_COUNT if len(term) >= MIN_CHARS else MIN_SHORT_COUNT


def _on_cuts(term: str, hits: list[int], starts: dict, ends: dict) -> bool:
    """True if at least half of the occurrences start and end where jieba cuts the text.

    ``starts``/``ends``: offsets where a jieba word starts/ends.  A string that mostly
    begins or ends inside a word (能源汽车 in 新能源/汽车) is a piece of something else.
    """
    aligned = sum(1 for at in hits if at in starts and at + len(term) in ends)
    return aligned > 0 and 2 * aligned >= len(hits)


def _cut_short(
    term: str, hits: list[int], after: dict[int, str], before: dict[int, str], entries: dict
) -> bool:
    """True if every occurrence has the same content word next to it: the term is longer.

    旅游市场综合 always followed by 整治, 筑牢中华民族共同体 by 意识, 综合试验区核心区 always
    after 数据: a piece of a longer name.  Punctuation, a function or generic word after it
    (的, 制度, 项目) and a verb, numeral or measure word before it (举办, 推进, 4 类) do not
    count: 国家公务员制度 and 举办三亚国际花卉旅游节 leave the term whole.
    """
    if len(hits) < 2:
        return False
    right = {after.get(at + len(term)) for at in hits}
    left = {before.get(at) for at in hits}
    if len(right) == 1:
        word = right.pop()
        if word and _QUOTED_OK.fullmatch(word) and not _stop(word) and not _NUMERAL.fullmatch(word):
            return True
    if len(left) == 1:
        word = left.pop()
        tag = entries.get(word, ("n", 0))[0] if word else None
        if (
            word
            and _CJK_WORD.fullmatch(word)
            and word not in FUNCTION_WORDS
            and tag not in _VERB_TAGS
            and tag not in _EDGE_BAD
            and tag != "vn"
        ):
            return True
    return False


class CorpusStats:
    """Per-snapshot candidates, document frequencies and scores, computed lazily and cached.

    Ranking needs a phrase's df, and a df costs a scan of the texts the bigram prefilter
    leaves, so :meth:`rank` computes scores best-bound-first and stops as soon as no
    remaining phrase can enter the top ``limit`` (a score is at most ``count × ln(N + 1)``).
    """

    def __init__(self, snapshot, prefilter: bool | None = None):
        self.snapshot = snapshot
        self.reports: list[Report] = list(snapshot.reports.values())
        self.position = {r.id: i for i, r in enumerate(self.reports)}
        self.n = len(self.reports)
        total = sum(r.chars for r in self.reports)
        self.use_prefilter = total >= PREFILTER_MIN_CHARS if prefilter is None else prefilter
        self.max_idf = math.log(self.n + 1)
        self._df: dict[str, int] = {}
        self._df_min: dict[str, int] = {}  # lower bounds left by a df() that stopped early
        self._bigrams: OrderedDict[str, int] = OrderedDict()
        self._candidates: OrderedDict[str, dict] = OrderedDict()
        self._docmap: list[tuple[int, int, int]] | None = None
        self._lock = threading.Lock()

    # -- document frequency ------------------------------------------------------------------
    def df(self, phrase: str, enough: int | None = None) -> int:
        """Exact number of reports whose text contains ``phrase`` (cached).

        With ``enough``, counting may stop once ``enough`` reports are found: the answer is
        then only a lower bound (≥ ``enough``), which is all :meth:`rank` needs to know that
        a phrase cannot make the cut.
        """
        known = self._df.get(phrase)
        if known is not None:
            return known
        if enough is not None and self._df_min.get(phrase, 0) >= enough:
            return self._df_min[phrase]
        spans = self._possible(phrase)
        if spans is None:
            spans = [(i, 0, r.chars) for i, r in enumerate(self.reports)]
        seen: set[int] = set()
        for position, start, end in spans:
            if position not in seen and matching.contains(
                self.reports[position].text, phrase, start, end
            ):
                seen.add(position)
                if enough is not None and len(seen) >= enough:
                    self._df_min[phrase] = len(seen)
                    return len(seen)
        if len(self._df) > DF_CACHE:
            self._df.clear()
            self._df_min.clear()
        self._df[phrase] = len(seen)
        return len(seen)

    def idf(self, phrase: str) -> float:
        """``ln((N + 1) / df)``: ln(N + 1) for a phrase only one report uses, ≈0 for all."""
        return math.log((self.n + 1) / max(1, self.df(phrase)))

    def score(self, phrase: str, count: int) -> float:
        return round(count * self.idf(phrase), 4)

    def _possible(self, phrase: str) -> list[tuple[int, int, int]] | None:
        """``(report position, start, end)`` of the sections that may hold ``phrase``.

        A superset: a section holding the phrase holds each of its bigrams, and the index's
        *exact* field has every CJK bigram of every section.  None means "scan everything"
        (small corpus, no CJK bigram in the phrase, or an index laid out otherwise).
        """
        if not self.use_prefilter:
            return None
        bigrams = self._bigrams_of(phrase)
        if not bigrams:
            return None
        try:
            reader = self.snapshot.searcher().reader()
            sections = self._sections(reader)
            ranked = self._bigram_counts(reader, bigrams)
            if ranked[0][0] == 0:
                return []
            found = None
            for size, bigram in ranked[:PREFILTER_BIGRAMS]:
                if found is not None and size > 4 * found.bit_count():
                    break  # reading a long posting list would cost more than it saves
                here = self._bigram_sections(reader, bigram)
                found = here if found is None else found & here
        except Exception:  # any surprise in the index layout: scan everything (still exact)
            return None
        out = []
        while found:
            low = found & -found
            out.append(sections[low.bit_length() - 1])
            found ^= low
        return out

    @staticmethod
    def _bigrams_of(phrase: str) -> set[str]:
        return {
            phrase[i : i + 2]
            for i in range(len(phrase) - 1)
            if _CJK_WORD.fullmatch(phrase[i : i + 2])
        }

    @staticmethod
    def _bigram_counts(reader, bigrams) -> list[tuple[int, str]]:
        """``(sections holding it, bigram)``, rarest first (a term-table look-up each)."""
        return sorted((reader.doc_frequency("exact", b), b) for b in bigrams)

    def _df_bound(self, phrase: str) -> int:
        """An upper bound on ``df(phrase)`` that reads no posting list (exact if known)."""
        known = self._df.get(phrase)
        if known is not None:
            return known
        bigrams = self._bigrams_of(phrase) if self.use_prefilter else ()
        if not bigrams:
            return self.n
        try:
            ranked = self._bigram_counts(self.snapshot.searcher().reader(), bigrams)
        except Exception:  # as above: no bound, so every report may hold it
            return self.n
        return min(self.n, ranked[0][0])

    def _bigram_sections(self, reader, bigram: str) -> int:
        """Bitset of the Whoosh documents (sections) holding ``bigram`` (LRU-cached)."""
        with self._lock:
            known = self._bigrams.get(bigram)
            if known is not None:
                self._bigrams.move_to_end(bigram)
                return known
        bits = bytearray((reader.doc_count_all() + 8) // 8)
        for docnum in _posting_ids(reader.postings("exact", bigram)):
            bits[docnum >> 3] |= 1 << (docnum & 7)
        known = int.from_bytes(bits, "little")
        with self._lock:
            self._bigrams[bigram] = known
            while len(self._bigrams) > BIGRAM_CACHE:
                self._bigrams.popitem(last=False)
        return known

    def _sections(self, reader) -> list[tuple[int, int, int]]:
        """Whoosh docnum → (report position, start, end) of its section; once per snapshot."""
        if self._docmap is None:
            docmap = [(0, 0, 0)] * reader.doc_count_all()
            for docnum, fields in reader.iter_docs():
                position = self.position[fields["report"]]
                report = self.reports[position]
                span = next(
                    (
                        (s.start, s.end)
                        for s in report.sections
                        if s.ordinal == fields.get("ordinal")
                    ),
                    (0, report.chars),
                )
                docmap[docnum] = (position, *span)
            self._docmap = docmap
        return self._docmap

    # -- key phrases -------------------------------------------------------------------------
    def candidates(self, report: Report) -> dict[str, dict]:
        """:func:`candidates` of one report: phrase → ``{"count", "origin"}`` (cached)."""
        with self._lock:
            known = self._candidates.get(report.id)
            if known is not None:
                self._candidates.move_to_end(report.id)
                return known
        known = candidates(report.text)
        with self._lock:
            self._candidates[report.id] = known
            while len(self._candidates) > CANDIDATE_CACHE:
                self._candidates.popitem(last=False)
        return known

    def rank(self, weights: dict[str, int], limit: int | None) -> list[tuple[str, float]]:
        """The ``limit`` best ``(phrase, weight × idf)``, best first (ties: weight, phrase).

        ``weights`` maps phrase → its count (or summed counts).  With a limit, phrases are
        scored in order of their upper bound ``weight × ln(N + 1)`` and scoring stops once
        that bound falls below the ``limit``-th best score found.
        """
        order = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        scored: list[tuple[float, int, str]] = []
        floor = None
        if limit is not None and len(order) > limit:
            # A first floor from lower bounds: the rarest bigram's section count bounds df
            # from above, so at least ``limit`` phrases score no less than this.
            lows = sorted(
                (
                    w * math.log((self.n + 1) / max(1, min(self.n, self._df_bound(p))))
                    for p, w in order
                ),
                reverse=True,
            )
            floor = round(lows[limit - 1], 4) - _EPSILON if lows[limit - 1] > 0 else None
        for phrase, weight in order:
            if floor is not None:
                if weight * self.max_idf < floor - _EPSILON:
                    break
                # df at which the score falls below the floor: no need to count further.
                enough = int((self.n + 1) * math.exp(-(floor - _EPSILON) / weight)) + 1
                df = self.df(phrase, enough)
                if df >= enough:
                    continue
            scored.append((round(weight * self.idf(phrase), 4), weight, phrase))
            if limit is not None and len(scored) >= limit:
                scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
                del scored[limit:]
                floor = max(floor or 0.0, scored[-1][0])
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
        return [(phrase, score) for score, _, phrase in scored[:limit]]

    def top(self, report: Report, limit: int | None = 30, among=None) -> list[dict]:
        """The best key phrases of ``report`` (optionally only those in ``among``) as rows."""
        found = self.candidates(report)
        pool = found if among is None else {p: found[p] for p in among if p in found}
        ranked = self.rank({p: info["count"] for p, info in pool.items()}, limit)
        return [self.row(report, phrase, score) for phrase, score in ranked]

    def row(self, report: Report, phrase: str, score: float | None = None) -> dict:
        """One key phrase of ``report`` as JSON: exact count, rate, df, score, origin."""
        info = self.candidates(report).get(phrase)
        count = info["count"] if info else matching.count(report.text, phrase)
        if score is None:
            score = self.score(phrase, count)
        return {
            "phrase": phrase,
            "count": count,
            "rate": per_10k(count, report.chars),
            "df": self.df(phrase),
            "score": score,
            "origin": info["origin"] if info else None,
        }


def _posting_ids(matcher):
    """The document numbers of a Whoosh posting list, a block at a time when possible.

    ``Matcher.all_ids`` costs a few microseconds per posting in Python; whoosh3's leaf
    matcher holds each block's ids as one tuple, read here directly.  Any other matcher
    (or a changed whoosh) falls back to ``all_ids``.
    """
    try:
        read, step = matcher._read_ids, matcher._next_block
        ids = []
        while matcher.is_active():
            if matcher._ids is None:
                read()
            ids.extend(matcher._ids)
            step()
        return ids
    except AttributeError:
        return list(matcher.all_ids())


def corpus_stats(engine) -> CorpusStats:
    """The :class:`CorpusStats` of the engine's current snapshot, kept on the snapshot (it
    lives and dies with the index generation it describes)."""
    snapshot = engine.snapshot
    return snapshot.memo("phrases.corpus_stats", lambda: CorpusStats(snapshot))


def key_phrases(engine, report_id: str, limit: int = 30) -> dict:
    """The ``limit`` best key phrases of one report, JSON-ready."""
    report = engine.report(report_id)
    stats = corpus_stats(engine)
    phrases = stats.top(report, max(1, int(limit)))
    return {
        "report_id": report.id,
        "title": report.title,
        "city": report.city,
        "year": report.year,
        "chars": report.chars,
        "reports_in_corpus": stats.n,
        "candidates": len(stats.candidates(report)),
        "phrases": phrases,
    }
