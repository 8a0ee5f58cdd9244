"""Propose the figures of a Chinese policy article as a draft case file, and score drafts against answer keys.

Usage (from the repository root)::

    python -m metrics.extract ARTICLE.txt [--furniture 地方实践 ...] [--case-id ID] [--out draft.yaml]
                              [--score KEY.yaml ...]
    python -m metrics.extract --score-corpus [DIR] [--brief]     # the development corpus (data/corpus) and the seed

    # draft the seed article and score it against its three curated case files
    python -m metrics.extract data/sources/articles/000_91693168b2346fd9.txt --case-id seed \\
        --out /tmp/draft.yaml --score data/sources/cases/{xiangtan,heilongjiang,fangchenggang}.yaml

``--furniture`` names lines to drop before reading (running headers); without it the furniture listed in the
article's metadata file beside it (same name, ``.yaml``) is used, and so is its publication date (the year that
今年 and dates without a year refer to). A corpus file (first line a web address, second the title) is read from
its third line. Without ``--out`` the draft goes to stdout, unless ``--score`` is given. ``--score`` takes curated
case files or a corpus key; scoring is in ``metrics/extract_score.py``. An unreadable key exits non-zero.

What is read as a figure
  * an Arabic number with a unit of ``data/sources/units.yaml`` (亿元, 亿, 万元, %, 个百分点, 倍, 笔, 户, 万户, 件(套),
    宗 …), also when the typesetting split it ("81.86 亿元", "130\\n余万元": the text is normalized first, see
    ``metrics/source_text.py``) or 余/多 sits after its scale (7万余件);
  * a Chinese numeral with a measure word (五次, 三方, 六类, 两个, 四字诀 → 四 + 字), but never 一 or a lone 二:
    "一个屋顶", "二次利用" are words, not counts;
  * each term of a ratio (7:2:1 → 7, 2 and 1 份).

What is not: list markers (一是), ordinals (第一批, 首个), numerals in names without a measure word (三资, 三保) or
that the text also quotes as a label (两项改革 … “两项改革”), 红十字会, durations (12个月), years, dates and clock
times (2022年, 2020-12-25 16:35 are events or periods, see ``metrics/extract_dates.py``).

Qualifiers are read as the build reads them (``metrics/reading.py``), plus two things only running text needs: a
limit before or after a list applies to each item ("不超过50万元、300万元", "1000万元、500万元及以下").

The draft proposes for each figure a kind, a period and a Chinese name made of the words of its own clause
(``metrics/extract_names.py``), each marked ``TODO`` to check. English names, scopes and case metadata are left
empty: an invented English name would look curated.
"""
from __future__ import annotations

import argparse
import bisect
import functools
import json
import re
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .extract_dates import DateMention, article_year, clock_spans, find_mentions
from .extract_kinds import KIND_RULES, Context, fallback_kind, has_any, kind_for
from .extract_names import leading_name, propose_name
from .extract_score import (  # noqa: F401
    CORPUS_DIR,
    KeyError_,
    Score,
    fact_key,
    format_report,
    format_score,
    key_article,
    load_corpus,
    load_key,
    score,
    score_article,
    score_corpus,
    split_corpus_file,
)
from .reading import DISTANT_REACH, PREFIX_MARKERS, SUFFIX_MARKERS, detect_qualifier, parse_printed, unit_pattern
from .source_text import normalize
from .units import ALIASES, UNITS

# ---------------------------------------------------------------------------------------------- registries

# Units an Arabic number may carry: every unit of data/sources/units.yaml and its aliases (件（套）, ％), so a
# unit added there is proposed with no code change, and nothing outside that file is ever proposed.
ARABIC_UNITS = tuple(dict.fromkeys(tuple(UNITS) + tuple(ALIASES)))

# A Chinese numeral is a count only with a measure word: the count units of the file that are not scaled (三方,
# 五次, 六类, 两个); without one it is part of a name (三资, 三保).
CHINESE_MEASURES = tuple(u for u, spec in UNITS.items()
                         if spec.family in ("count", "multiple", "ratio_part") and spec.factor == 1)

# Words that begin with a measure-word character but are nouns: "四方面" is four aspects, not four parties.
MEASURE_BLOCKERS = ("方面", "方式", "方法", "方案", "方向", "方针", "方位", "次要", "次序", "人民", "家庭", "户籍",
                    "项目", "类型", "个人", "个体", "个性",
                    # durations and time limits are not counts of things: 3个月, 5个工作日, 24个小时
                    "个月", "个工作日", "个小时", "个季度",
                    # place names: 五台山, 三台县
                    "台山", "台县", "条件")
# A web page's own counters, left in a copied text: 浏览次数:1234次, 阅读量:56次.
PAGE_COUNTER = re.compile(r"(?:浏览|阅读|点击|访问)(?:次数|量|数)?[:：]$")
# A measure word that counts only before these words: 四字诀 is a count of characters, 红十字会 is a name.
MEASURE_NEEDS = {"字": ("诀", "方针", "要诀", "工作法", "经")}

# Marks that end a clause (the quote of a fact) and a sentence (where its period is looked for). Copied web text
# often has ASCII , ; : ! ? for the full-width ones; between digits , and : belong to a number (8,626) or a time.
CLAUSE_MARKS = "，。；：、！？,;:!?"
DIGIT_MARKS = ",:"
SENTENCE_MARKS = "。；！？;!?"
PARAGRAPH_ENDS = "。！？!?”\""
WEB_LINE_LENGTH = 30  # a text whose median line is this long has a line per paragraph (copied from the web)
HEADING_LENGTH = 40   # in such a text, a shorter line without a full stop is a heading or a dateline
OPEN_QUOTES, CLOSE_QUOTES, SAME_QUOTES = "“《「『", "”》」』", "\""

# "500万元（含）以下": the printed number is the limit itself, so the figure is exact (kind threshold).
INCLUSIVE_MARKERS = ("（含）", "(含)")
LIST_REACH = 40  # characters before a number searched for a limit that opens its list
AS_OF_WORDS = ("截至", "截止", "截止到", "截至到")
COMPARED_WITH = ("超过", "比", "较", "高于", "低于", "相当于")
INHERITED_KINDS = ("cumulative", "stock")  # what an attribute clause shares with the figure before it
TARGET_REACH = 30  # characters either side of a number within which 目标 makes it a target
ATTRIBUTE_LENGTH = 6  # a name this short after another figure of the sentence is an attribute of its subject
BARE_NAMES = ("和", "及", "与", "或", "分别", "其中")

_CN_DIGITS = "一二两三四五六七八九"
# 一 alone is never a count (一个屋顶, 一本账), nor 二 alone (二次利用 is "secondary"; a count says 两次);
# 第/首 make ordinals; 几/数/多 make vague amounts (数十家).
CHINESE_NUMBER = re.compile(
    r"(?<![第首初周几数多余零十百千万亿" + _CN_DIGITS + r"])"
    r"(?P<num>[二三四五六七八九]?十[一二三四五六七八九]?|[两三四五六七八九])"
    r"(?P<unit>" + "|".join(map(re.escape, sorted(CHINESE_MEASURES, key=len, reverse=True))) + ")")


def _unit_alternation(units: Iterable[str]) -> str:
    # Longest first so 亿元 wins over 元 and 个百分点 over 个; 余/多 may sit inside money (1.97亿多元, 130余万元);
    # a bare 亿 is money only when no other unit follows (3亿人次 is not 3 亿).
    def one(unit: str) -> str:
        if unit in ("万", "亿", "万亿"):  # money only when no other unit follows (3亿人次, 2万亿元 is 万亿元)
            return re.escape(unit) + "(?![余多]?[元人户次笔件家个项套宗美港欧日英吨方平立千斤亩头只台辆张株度])"
        return unit_pattern(unit, group="")
    return "|".join(one(u) for u in sorted(units, key=len, reverse=True))


# A letter or 第 before the digits makes a code or an ordinal, not a figure (EPC1, 第3批); a comma before them is
# a clause mark unless a digit precedes it (",14家" is a figure, "8,626" one number).
ARABIC_NUMBER = re.compile(
    r"(?<![\d.A-Za-z第])(?<!\d,)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mid>[余多])?(?P<unit>" + _unit_alternation(ARABIC_UNITS) + ")")
RATIO = re.compile(r"(?<![\d.:：∶])\d+(?:\.\d+)?(?:[:：∶]\d+(?:\.\d+)?)+(?![\d.])")  # ∶ is the ratio sign
_RATIO_TERM = re.compile(r"\d+(?:\.\d+)?")
# A suffix marker after a list of numbers applies to each: "单户1000万元、500万元及以下" are both at most.
# …and a limit before the first of a list applies to each: "分别给予最高不超过50万元、300万元的贷款".
LIST_PREFIX = re.compile(r"(?P<marker>不超过|不高于|不低于|不少于|≤|≥)\d[\d.,]*[^\d、，。；,;]{1,4}?"
                         r"(?:、\d[\d.,]*[^\d、，。；,;]{1,4}?)*、$")
LIST_SUFFIX = re.compile(r"(?:、\d[\d.,]*(?:[余多])?[^\d、，。；,;]{1,4}?)+?(?P<marker>及以下|及以上|以下|以上|以内)")


# ---------------------------------------------------------------------------------------------- records

@dataclass
class Fact:
    printed: str
    value: float
    unit: str
    qualifier: str
    marker: str
    quote: str
    period: str
    kind: str
    start: int
    fact_id: str = ""
    name: str = ""     # the proposed Chinese name: the noun phrase of its own clause the number measures
    period_from: str = "text"   # text | article: no date before it in its paragraph, so the article's year
    kind_evidence: bool = True  # False when no word of the clause said the kind (the default, actual)
    context: Context | None = field(default=None, repr=False, compare=False)  # what the kind was read from


@dataclass
class Event:
    date: str
    printed: str
    quote: str
    start: int
    end: int
    event_id: str = ""


@dataclass
class Draft:
    normalized: str
    facts: list[Fact]
    events: list[Event]


@dataclass
class Doc:
    """The normalized text with what every reader of it needs: dates, quotation marks, paragraph starts."""
    text: str
    dates: list[Event]
    quoted: list[bool]
    mentions: list[DateMention] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)
    year: int | None = None   # the article's own year (dateline, metadata or address), if known
    breaks: list[int] = field(default_factory=list)  # line starts that end a clause (web text's headings)

    @functools.cached_property
    def sentence_edges(self) -> tuple[list[int], list[int]]:
        """Where sentences may start and end: after and at each sentence mark, and at each hard line break."""
        marks = [i for i, ch in enumerate(self.text) if ch in SENTENCE_MARKS]
        return sorted([m + 1 for m in marks] + self.breaks), sorted(marks + self.breaks)

    @functools.cached_property
    def break_set(self) -> set[int]:
        return set(self.breaks)

    @functools.cached_property
    def mention_ends(self) -> list[int]:
        return [m.end for m in self.mentions]


# ---------------------------------------------------------------------------------------------- text positions

def _quoted_mask(text: str) -> list[bool]:
    """Whether each character sits inside “…”, 《…》 or "…"; a 。 resets it so one unclosed quote cannot spread."""
    depth, straight, mask = 0, False, []
    for ch in text:
        depth += ch in OPEN_QUOTES
        depth = max(0, depth - (ch in CLOSE_QUOTES))
        straight = (not straight) if ch in SAME_QUOTES else straight
        if ch == "。":
            depth, straight = 0, False
        mask.append(depth > 0 or straight)
    return mask


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _is_clause_mark(doc: Doc, i: int) -> bool:
    ch = doc.text[i]
    if ch not in CLAUSE_MARKS or (ch in DIGIT_MARKS and _between_digits(doc.text, i)):
        return False
    # 、 inside quotation marks enumerates a name's parts ("用、售、租、融"), it does not end a clause.
    return not (ch == "、" and doc.quoted[i])


def clause_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from after the previous clause mark to before the next one."""
    left, right = start, end
    breaks = doc.break_set
    while left > 0 and not _is_clause_mark(doc, left - 1) and left not in breaks:
        left -= 1
    while right < len(doc.text) and not _is_clause_mark(doc, right) and right not in breaks:
        right += 1
    return left, right


def sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): after the previous sentence mark to the next one (or the text's ends)."""
    starts, ends = doc.sentence_edges
    i = bisect.bisect_right(starts, start)
    j = bisect.bisect_left(ends, end)
    return (starts[i - 1] if i else 0), (ends[j] if j < len(ends) else len(doc.text))


def _lines(text: str, furniture: Iterable[str]) -> list[tuple[int, str]]:
    """(offset in the normalized text, compact line) of every kept non-empty line."""
    drop = {line.strip() for line in furniture}
    found, offset = [], 0
    for line in text.splitlines():
        compact = "" if line.strip() in drop else normalize(line)
        if compact:
            found.append((offset, compact))
            offset += len(compact)
    return found


def paragraph_starts(text: str, furniture: Iterable[str] = ()) -> tuple[list[int], list[int]]:
    """Where paragraphs start (after a line that ends a sentence) and where a line break ends a clause.

    A typeset article breaks lines anywhere ("130\n余万元"), so there a break means nothing. Text copied from a
    web page has a line per paragraph; there a short line without a full stop is a heading or a dateline
    ("2022-11-07 12:15:52"), and it must not run into the sentence after it."""
    lines = _lines(text, furniture)
    web = bool(lines) and statistics.median(len(line) for _, line in lines) >= WEB_LINE_LENGTH
    starts, breaks = [0], []
    for (_, before), (offset, _) in zip(lines, lines[1:]):
        if before.endswith(tuple(PARAGRAPH_ENDS)):
            starts.append(offset)
        elif web and len(before) < HEADING_LENGTH:
            starts.append(offset)
            breaks.append(offset)
    return starts, breaks


def paragraph_start(doc: Doc, start: int) -> int:
    i = bisect.bisect_right(doc.paragraphs, start)
    return doc.paragraphs[i - 1] if i else 0


# ---------------------------------------------------------------------------------------------- dates

def _event_quote(doc: Doc, event: Event) -> str:
    left, right = clause_bounds(doc, event.start, event.end)
    if doc.text[left:right] == event.printed and right < len(doc.text):
        # "2022年，全市累计盘活…": a clause that is only the date says nothing; take the next clause too.
        right = clause_bounds(doc, right + 1, right + 1)[1]
    return doc.text[left:right]


def find_dates(text: str) -> list[Event]:
    """Every dated mention (2022年, 2022年6月, 2023年5月31日, 2022—2023年, 2022年以来, 2020-12-25), in order."""
    return [Event(m.date, m.printed, "", m.start, m.end) for m in find_mentions(text) if m.is_event]


def governing_mention(doc: Doc, start: int) -> DateMention | None:
    """The period mention that dates the figure at ``start``: the nearest before it in its sentence, else earlier
    in its paragraph; None if there is none."""
    # Mentions do not overlap, so the last one ending before ``start`` is the nearest; it counts if it starts in
    # the figure's sentence or paragraph (a line without a full stop, such as a dateline, joins the sentence after).
    left = min(sentence_bounds(doc, start, start)[0], paragraph_start(doc, start))
    clause_left = clause_bounds(doc, start, start)[0]
    i = bisect.bisect_right(doc.mention_ends, start)
    while i and doc.mentions[i - 1].start >= left:
        mention = doc.mentions[i - 1]
        # A date another clause compares with ("已经超过去年全年11547亿元的结算量") dates that clause only.
        mention_clause = clause_bounds(doc, mention.start, mention.end)[0]
        if mention.start >= clause_left or not has_any(doc.text[mention_clause:mention.start], COMPARED_WITH):
            return mention
        i -= 1
    return None


def period_for(doc: Doc, start: int) -> tuple[str, str]:
    """The governing mention's period, else the article's year (a report's figures are of its year unless it
    says otherwise); '' if none is known. Also says which: 'text' or 'article'."""
    mention = governing_mention(doc, start)
    if mention:
        return mention.date, "text"
    return (str(doc.year), "article") if doc.year else ("", "text")


def is_as_of(doc: Doc, start: int) -> bool:
    """Whether the mention dating ``start`` in its sentence is a point in time: 截至/截止(到) a date, or 目前."""
    mention = governing_mention(doc, start)
    if not mention or mention.start < sentence_bounds(doc, start, start)[0]:
        return False
    opening = mention.start
    # "截止到2015年1-12月": the marker stands before the first of adjacent mentions.
    while (before := next((m for m in doc.mentions if m.end == opening), None)) is not None:
        opening = before.start
    return mention.date == "current" or doc.text[max(0, opening - 3):opening].endswith(AS_OF_WORDS)


# ---------------------------------------------------------------------------------------------- kinds

def _inherit_kinds(doc: Doc, facts: list[Fact]) -> None:
    """A clause that only names an attribute ("退税金额超47亿元", "其中国有资产3039亿元") after a figure of the same
    sentence says nothing of its own kind: it is the kind of the figure it continues."""
    for before, fact in zip(facts, facts[1:]):
        continues = sentence_bounds(doc, fact.start, fact.start)[0] <= before.start
        context = fact.context
        attribute = context and (2 <= len(context.lead) <= ATTRIBUTE_LENGTH or context.clause == fact.quote
                                 and not context.lead and _is_bare(context))
        # An amount continues a count and a count an amount (946户…退税金额47亿元, 9757笔、12.01亿元), and a share
        # the total it is a share of (盘活率99.78%); a multiple (撬动倍数超过16倍) is a ratio of its own.
        if continues and not fact.kind_evidence and attribute and before.kind in INHERITED_KINDS \
                and fact.unit not in ("倍", "个百分点"):
            fact.kind = before.kind
        elif context and not fact.kind_evidence:
            fact.kind = fallback_kind(context)


def _is_bare(context: Context) -> bool:
    """The clause is the figure alone ("9757笔、12.01亿元")."""
    return ARABIC_NUMBER.fullmatch(context.clause) is not None


def _borrow_names(doc: Doc, facts: list[Fact]) -> None:
    """"同比分别增长31.8%和45.8%": a name that is only a joining word takes the name of the figure before it in
    the same clause (never from another clause: a name is made of the words of its own clause)."""
    for before, fact in zip(facts, facts[1:]):
        if before.quote == fact.quote and clause_bounds(doc, before.start, before.start) == \
                clause_bounds(doc, fact.start, fact.start) and (len(fact.name) < 2 or fact.name in BARE_NAMES):
            fact.name = before.name


# ---------------------------------------------------------------------------------------------- facts

@dataclass
class _Hit:
    """A number found in the text before it is read: where it is, as printed, and its unit as printed."""
    start: int
    end: int          # end of the unit
    printed: str
    unit_printed: str  # without 余/多 (亿多元 → 亿元), as detect_qualifier expects


def _arabic_hits(text: str) -> list[_Hit]:
    return [_Hit(m.start(), m.end(), m["num"], re.sub("[余多]", "", m["unit"])) for m in ARABIC_NUMBER.finditer(text)]


def _chinese_hits(text: str) -> list[_Hit]:
    return [_Hit(m.start(), m.end(), m["num"], m["unit"]) for m in CHINESE_NUMBER.finditer(text)]


def _blocked(doc: Doc, hit: _Hit, chinese: bool = False) -> bool:
    """A measure word that starts a noun (四方面, 12个月), or after a Chinese numeral one that needs a word it lacks
    (十字 is a count only in 四字诀, 八字方针; 红十字会 is a name); a page's counters (浏览次数:1234次, 0条评论)."""
    if PAGE_COUNTER.search(doc.text, max(0, hit.start - 6), hit.start) or (
            hit.printed == "0" and UNITS[ALIASES.get(hit.unit_printed, hit.unit_printed)].family == "count"):
        return True
    unit_start = hit.end - len(hit.unit_printed)
    if any(doc.text.startswith(word, unit_start) for word in MEASURE_BLOCKERS):
        return True
    needs = MEASURE_NEEDS.get(hit.unit_printed) if chinese else None
    return bool(needs) and not doc.text.startswith(needs, hit.end)


def _is_quoted_name(doc: Doc, hit: _Hit) -> bool:
    """A Chinese numeral phrase the text also uses as a quoted label ("两项改革" … 助推“两项改革”) is a name."""
    phrase = doc.text[hit.start:hit.end + 2]
    quoted = re.compile("[" + re.escape(OPEN_QUOTES + SAME_QUOTES) + "]" + re.escape(phrase))
    return doc.text.count(phrase) > 1 and quoted.search(doc.text) is not None


def _qualifier(text: str, hit: _Hit) -> tuple[str, str, bool]:
    """Qualifier, marker and whether the number is an inclusive limit ("500万元（含）以下")."""
    # Only the few characters before the number may hold a prefix marker (不超过 is the longest); cutting at
    # any digit keeps detect_qualifier from finding the same digits in an earlier number.
    before = re.split(r"[\d.,:：，。；、;]", text[max(0, hit.start - DISTANT_REACH):hit.start])[-1]
    window = before + text[hit.start:hit.end + 8]
    qualifier, marker = detect_qualifier(window, hit.printed, hit.unit_printed)
    if not marker and (listed := LIST_SUFFIX.match(text, hit.end)):
        qualifier, marker = SUFFIX_MARKERS[listed["marker"]], listed["marker"]
    if not marker and (listed := LIST_PREFIX.search(text[max(0, hit.start - LIST_REACH):hit.start])):
        qualifier, marker = PREFIX_MARKERS[listed["marker"]], listed["marker"]
    inclusive = text.startswith(INCLUSIVE_MARKERS, hit.end) and marker in SUFFIX_MARKERS
    return ("exact", marker, True) if inclusive else (qualifier, marker, False)


def _fact(doc: Doc, hit: _Hit) -> Fact:
    qualifier, marker, inclusive = _qualifier(doc.text, hit)
    left, right = clause_bounds(doc, hit.start, hit.end)
    s_left, s_right = sentence_bounds(doc, hit.start, hit.end)
    near = doc.text[max(s_left, hit.start - TARGET_REACH):min(s_right, hit.end + TARGET_REACH)]
    unit = ALIASES.get(hit.unit_printed, hit.unit_printed)
    clause = doc.text[left:right]
    period, period_from = period_for(doc, hit.start)
    name = propose_name(clause, hit.start - left, hit.end - left, unit)
    context = Context(clause, near, unit, inclusive, marker, period, parse_printed(hit.printed),
                       is_as_of(doc, hit.start), doc.text[s_left:hit.start], doc.text[left:hit.start],
                       leading_name(clause, hit.start - left), name, period_from)
    said = any(rule(context) for _, rule in KIND_RULES)
    return Fact(hit.printed, parse_printed(hit.printed), unit, qualifier, marker, clause, period, kind_for(context),
                hit.start, name=name, period_from=period_from, kind_evidence=said, context=context)


def _ratio_facts(doc: Doc) -> list[Fact]:
    """Each term of a ratio (7:2:1) is a policy parameter in 份, exact by construction."""
    facts = []
    taken = [(m.start, m.end) for m in doc.mentions] + clock_spans(doc.text)
    for m in RATIO.finditer(doc.text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # a clock time or a dateline, not a ratio
        left, right = clause_bounds(doc, m.start(), m.end())
        period, period_from = period_for(doc, m.start())
        name = propose_name(doc.text[left:right], m.start() - left, m.end() - left, "份")
        for term in _RATIO_TERM.finditer(m.group()):
            facts.append(Fact(term.group(), parse_printed(term.group()), "份", "exact", "", doc.text[left:right],
                              period, "policy_parameter", m.start() + term.start(), name=name,
                              period_from=period_from))
    return facts


def _taken_spans(doc: Doc) -> list[tuple[int, int]]:
    return ([(m.start, m.end) for m in doc.mentions if m.is_event] + [m.span() for m in RATIO.finditer(doc.text)]
            + clock_spans(doc.text))


def _unit_facts(doc: Doc) -> list[Fact]:
    taken = _taken_spans(doc)
    hits = [h for h in _arabic_hits(doc.text) if not _blocked(doc, h)]
    hits += [h for h in _chinese_hits(doc.text) if not _blocked(doc, h, chinese=True) and not _is_quoted_name(doc, h)]
    taken_at = {i for a, b in taken for i in range(a, b)}
    return [_fact(doc, h) for h in hits if h.start not in taken_at]


def read_doc(text: str, furniture: Iterable[str] = (), published: str = "") -> Doc:
    """Normalize (a plain string is fine too: normalizing twice changes nothing) and index the text.

    ``published`` is the article's publication date from its metadata (or its address): the year that 今年 and
    dates without a year refer to when the text prints no dateline."""
    normalized = normalize(text, furniture)
    paragraphs, breaks = paragraph_starts(text, furniture)
    year = article_year(normalized, published)
    mentions = find_mentions(normalized, paragraphs, year)
    dates = [Event(m.date, m.printed, "", m.start, m.end) for m in mentions if m.is_event]
    doc = Doc(normalized, dates, _quoted_mask(normalized), mentions, paragraphs, year, breaks)
    for event in doc.dates:
        event.quote = _event_quote(doc, event)
    return doc


def _all_facts(doc: Doc) -> list[Fact]:
    facts = sorted(_unit_facts(doc) + _ratio_facts(doc), key=lambda f: f.start)
    _borrow_names(doc, facts)
    _inherit_kinds(doc, facts)
    return facts


def extract_facts(text: str, furniture: Iterable[str] = (), published: str = "") -> list[Fact]:
    """Every figure in ``text``, in reading order (fact ids not yet assigned)."""
    return _all_facts(read_doc(text, furniture, published))


def extract_events(text: str, furniture: Iterable[str] = (), published: str = "") -> list[Event]:
    return read_doc(text, furniture, published).dates


def extract(text: str, furniture: Iterable[str] = (), case_id: str = "draft", published: str = "") -> Draft:
    """Facts and events with draft ids (``<case>_f001``, ``<case>_e001``)."""
    doc = read_doc(text, furniture, published)
    facts = _all_facts(doc)
    for n, fact in enumerate(facts, 1):
        fact.fact_id = f"{case_id}_f{n:03d}"
    for n, event in enumerate(doc.dates, 1):
        event.event_id = f"{case_id}_e{n:03d}"
    return Draft(doc.text, facts, doc.dates)


# ---------------------------------------------------------------------------------------------- draft YAML

CASE_FIELDS = ("title_zh", "title_en", "short_zh", "short_en", "locality_zh", "locality_en", "province_zh",
               "province_en", "division_code", "author_zh", "author_en")
CURATOR_FIELDS = ("indicator_en", "scope_zh", "scope_en")  # left to the curator: no English is ever invented
PERIOD_COMMENTS = {"text": "", "article": "TODO: no date in its paragraph; the article's year, check"}


def _scalar(value) -> str:
    # A JSON string is a valid YAML double-quoted scalar, so quotes and backslashes in the text are safe.
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(int(value)) if float(value).is_integer() else repr(value)


def _line(key: str, value, comment: str = "", first: bool = False, indent: int = 4) -> str:
    lead = " " * (indent - 2) + "- " if first else " " * indent
    return f"{lead}{key}: {_scalar(value)}" + (f"  # {comment}" if comment else "")


def _qualifier_comment(fact: Fact) -> str:
    if fact.kind == "threshold":
        return f"（含）{fact.marker}: an inclusive limit, exact; add a note"
    return f"marker {fact.marker}" if fact.marker else ""


def _fact_lines(fact: Fact) -> list[str]:
    lines = [_line("fact_id", fact.fact_id, first=True)]
    lines.append(_line("indicator_zh", fact.name, "TODO: proposed from its clause, check" if fact.name else "TODO"))
    lines += [_line(name, "", "TODO") for name in CURATOR_FIELDS]
    comment = PERIOD_COMMENTS[fact.period_from] if fact.period else "TODO: no date in the text"
    lines.append(_line("period", fact.period, comment))
    lines.append(_line("kind", fact.kind, "TODO: check (proposed)"))
    lines += [_line("printed", fact.printed), _line("value", fact.value)]
    lines.append(_line("unit", fact.unit, "" if fact.unit in UNITS else "TODO: not in metrics/units.py"))
    lines.append(_line("qualifier", fact.qualifier, _qualifier_comment(fact)))
    lines.append(_line("quote", fact.quote))
    return lines


def _event_lines(event: Event) -> list[str]:
    return [_line("event_id", event.event_id, first=True), _line("date", event.date),
            _line("label_zh", "", "TODO"), _line("label_en", "", "TODO"), _line("quote", event.quote)]


def draft_yaml(draft: Draft, case_id: str = "draft", source_id: str = "") -> str:
    """The draft in the case-file format (data/sources/README.md); every TODO is the curator's to fill."""
    lines = ["# Draft made by metrics.extract: check every figure against the article before curating it.",
             "case:", _line("case_id", case_id, indent=2), _line("source_id", source_id, indent=2)]
    lines += [_line(name, "", "TODO", indent=2) for name in CASE_FIELDS]
    lines.append("facts:" if draft.facts else "facts: []")
    lines += [line for fact in draft.facts for line in _fact_lines(fact)]
    lines.append("events:" if draft.events else "events: []")
    lines += [line for event in draft.events for line in _event_lines(event)]
    lines.append("practices: []")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- command line

def metadata(article: Path) -> dict:
    """The article's metadata file beside it (same name, ``.yaml``), if there is one."""
    meta_path = article.with_suffix(".yaml")
    if not meta_path.exists():
        return {}
    return yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}


def metadata_furniture(article: Path) -> list[str]:
    """The furniture lines named in the article's metadata file beside it, if there is one."""
    return list(metadata(article).get("furniture") or [])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics.extract", description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path, nargs="?")
    parser.add_argument("--furniture", nargs="+", action="extend", help="lines to drop (default: metadata)")
    parser.add_argument("--case-id", default="draft", help="prefix of the draft ids (default: draft)")
    parser.add_argument("--out", type=Path, help="write the draft YAML here (default: stdout)")
    parser.add_argument("--score", nargs="+", action="extend", type=Path,
                        help="answer keys to score against: curated case files or a corpus key (NN_name.facts.yaml)")
    parser.add_argument("--score-corpus", nargs="?", const=CORPUS_DIR, type=Path, metavar="DIR",
                        help="score every article of the development corpus (default: data/corpus) and the seed")
    parser.add_argument("--brief", action="store_true", help="with --score-corpus: the table only, no misses")
    return parser


def extract_for_scoring(text: str, furniture: list[str], published: str) -> tuple[list[Fact], str]:
    """The facts and the normalized text they were read from (the scorer finds the keys' quotes in it)."""
    doc = read_doc(text, furniture, published)
    return _all_facts(doc), doc.text


def _score_corpus(directory: Path, brief: bool) -> int:
    results = score_corpus(load_corpus(directory), extract_for_scoring)
    print(format_report(results, details=not brief))
    return 0


def _draft(args: argparse.Namespace) -> int:
    meta = metadata(args.article)
    furniture = args.furniture if args.furniture is not None else list(meta.get("furniture") or [])
    # A corpus file starts with its web address and title; a source article is the text alone.
    address, body = split_corpus_file(args.article.read_text(encoding="utf-8"))
    published = str(meta.get("published") or meta.get("url") or address)
    draft = extract(body, furniture, args.case_id, published)
    text = draft_yaml(draft, args.case_id, args.article.stem)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    elif not args.score:
        sys.stdout.write(text)
    if args.score:
        article = key_article(args.article.stem, body, args.score, published)
        print(format_report([score_article(article, draft.facts, draft.normalized)]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.score_corpus is not None:
            return _score_corpus(args.score_corpus, args.brief)
        if args.article is None:
            _parser().error("give an ARTICLE.txt to draft, or --score-corpus")
        return _draft(args)
    except (KeyError_, OSError, UnicodeDecodeError) as exc:
        # One line, non-zero: a key or article that cannot be read must never look like a perfect score.
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
