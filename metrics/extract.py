"""Propose the figures of a Chinese policy article as a draft case file, and score drafts against curated ones.

Usage (from the repository root)::

    python -m metrics.extract ARTICLE.txt [--furniture 地方实践 ...] [--case-id ID] [--out draft.yaml]
                              [--score KEY.yaml ...]

    # draft the seed article and score it against the three curated case files
    python -m metrics.extract data/sources/articles/000_91693168b2346fd9.txt --case-id seed \\
        --out /tmp/draft.yaml --score data/sources/cases/*.yaml

``--furniture`` names lines to drop before reading (running headers); without it the furniture listed in the
article's metadata file beside it (same name, ``.yaml``) is used. Without ``--out`` the draft goes to stdout,
unless ``--score`` is given. ``--score`` matches every fact of the key files (their union) to at most one
extracted fact on (value, unit, qualifier) and prints recall and precision.

What is read as a figure
  * an Arabic number with a unit (亿元, 万元, 元, %, 笔, 户, 家, 部门 …), also when the typesetting split it
    ("81.86 亿元", "130\\n余万元": the text is normalized first, see ``metrics/source_text.py``);
  * a Chinese numeral with a measure word (五次, 三方, 六类, 两个, 四字诀 → 四 + 字), but never 一: "一个屋顶",
    "一本账", "一月一调度" are names, not counts;
  * each term of a ratio (7:2:1 → 7, 2 and 1 份).

What is not: list markers (一是), ordinals (第一批, 首个), numerals in names without a measure word (三资, 三保),
years and dates (2022年 is an event or a period, see ``extract_events``).

The draft leaves indicator, scope and case metadata empty with a ``# TODO`` comment: naming a figure is the
curator's job, and an invented name would look curated.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .reading import SUFFIX_MARKERS, detect_qualifier, parse_printed
from .source_text import normalize
from .units import UNITS

# ---------------------------------------------------------------------------------------------- registries

# Units an Arabic number may carry. Scaled counts (万户) are proposed too; the curator decides whether
# metrics/units.py should learn them.
MONEY_UNITS = ("亿元", "万元", "元")
PERCENT_UNITS = ("个百分点", "%", "％")
COUNT_UNITS = ("部门", "人次", "笔", "户", "家", "件", "个", "项", "人", "次", "倍", "类", "方", "字", "份")
SCALED_COUNT_UNITS = tuple(scale + unit for scale in "万亿" for unit in ("人次", "户", "人", "家", "笔", "件", "个", "项", "次"))
# Every unit of the units file too: a unit added there is proposed with no code change.
ARABIC_UNITS = tuple(dict.fromkeys(MONEY_UNITS + PERCENT_UNITS + COUNT_UNITS + SCALED_COUNT_UNITS + tuple(UNITS)))

# Measure words a Chinese numeral needs to be a count ("五次", "三方"); without one it is part of a name (三资).
CHINESE_MEASURES = ("部门", "个", "类", "次", "方", "字", "项", "家", "件", "笔", "户", "人", "倍", "份")

# Words that begin with a measure-word character but are nouns: "四方面" is four aspects, not four parties.
MEASURE_BLOCKERS = ("方面", "方式", "方法", "方案", "方向", "方针", "次要")

# The case files write percent one way; the article may print the full-width sign.
UNIT_ALIASES = {"％": "%"}

# Marks that end a clause (the quote of a fact) and a sentence (where its period is looked for).
CLAUSE_MARKS = "，。；：、！？"
SENTENCE_MARKS = "。；！？"
OPEN_QUOTES, CLOSE_QUOTES = "“《", "”》"

# "500万元（含）以下": the printed number is the limit itself, so the figure is exact (kind threshold).
INCLUSIVE_MARKERS = ("（含）", "(含)")

# Words that say the figure is "as of writing" when no date precedes it in the sentence.
CURRENT_MARKERS = ("截至目前", "目前")

# Units whose figures count things the text lists (departments, meetings, categories) rather than flows.
COUNT_KIND_UNITS = frozenset({"个", "类", "次", "部门", "方", "字", "项"})
GROWTH_WORDS = ("增长", "同比", "环比", "增速", "下降", "提高")
GROWTH_UNITS = ("%", "个百分点", "倍")
PARAMETER_WORDS = ("费率", "比例", "利率", "税率", "比率", "占比")
TARGET_WORDS = ("目标",)
RECORD_WORDS = ("最大", "最高", "最多", "之最")
CUMULATIVE_WORDS = ("累计",)
STOCK_WORDS = ("余额", "总额")
TARGET_REACH = 30  # characters either side of a number within which 目标 makes it a target

_CN_DIGITS = "一二两三四五六七八九"
# 一 alone is never a count (一个屋顶, 一本账); 第/首 make ordinals; 几/数/多 make vague amounts (数十家).
CHINESE_NUMBER = re.compile(
    r"(?<![第首初周几数多余零十百千万亿" + _CN_DIGITS + r"])"
    r"(?P<num>[二三四五六七八九]?十[一二三四五六七八九]?|[两二三四五六七八九])"
    r"(?P<unit>" + "|".join(CHINESE_MEASURES) + ")")


def _unit_alternation(units: Iterable[str]) -> str:
    # Longest first so 亿元 wins over 元 and 个百分点 over 个; 余/多 may sit inside money (1.97亿多元, 130余万元).
    parts = (re.escape(u[0]) + "[余多]?元" if len(u) == 2 and u.endswith("元") else re.escape(u)
             for u in sorted(units, key=len, reverse=True))
    return "|".join(parts)


# A letter or 第 before the digits makes a code or an ordinal, not a figure (EPC1, 第3批).
ARABIC_NUMBER = re.compile(
    r"(?<![\d.,A-Za-z第])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mid>[余多])?(?P<unit>" + _unit_alternation(ARABIC_UNITS) + ")")
RATIO = re.compile(r"(?<![\d.:：])\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?)+(?![\d.])")
_RATIO_TERM = re.compile(r"\d+(?:\.\d+)?")

_YMD = r"(?P<y{0}>(?:19|20)\d{{2}})年(?:(?P<m{0}>\d{{1,2}})月(?:(?P<d{0}>\d{{1,2}})日)?)?"
DATE_RANGE = re.compile(
    r"(?<!\d)(?P<y1>(?:19|20)\d{2})(?:年(?:(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})日)?)?)?"
    r"(?:至|到|—+|–|－|-|~)" + _YMD.format(2))
DATE_SINGLE = re.compile(r"(?<!\d)" + _YMD.format("") + r"(?P<since>以来)?")


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
    """The normalized text with what every reader of it needs: date mentions and where quotation marks are."""
    text: str
    dates: list[Event]
    quoted: list[bool]


@dataclass
class Score:
    recall: float
    precision: float
    matched: int
    key_total: int
    extracted_total: int
    missed: list[tuple]
    extra: list[tuple]


# ---------------------------------------------------------------------------------------------- text positions

def _quoted_mask(text: str) -> list[bool]:
    """Whether each character sits inside “…” or 《…》; a 。 resets it so one unclosed quote cannot spread."""
    depth, mask = 0, []
    for ch in text:
        depth += ch in OPEN_QUOTES
        depth = max(0, depth - (ch in CLOSE_QUOTES))
        depth = 0 if ch == "。" else depth
        mask.append(depth > 0)
    return mask


def _is_clause_mark(doc: Doc, i: int) -> bool:
    # 、 inside quotation marks enumerates a name's parts ("用、售、租、融"), it does not end a clause.
    return doc.text[i] in CLAUSE_MARKS and not (doc.text[i] == "、" and doc.quoted[i])


def clause_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from after the previous clause mark to before the next one."""
    left, right = start, end
    while left > 0 and not _is_clause_mark(doc, left - 1):
        left -= 1
    while right < len(doc.text) and not _is_clause_mark(doc, right):
        right += 1
    return left, right


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(mark, 0, start) for mark in SENTENCE_MARKS) + 1
    ends = [i for i in (text.find(mark, end) for mark in SENTENCE_MARKS) if i >= 0]
    return left, min(ends, default=len(text))


# ---------------------------------------------------------------------------------------------- dates

def _iso(year: str, month: str | None, day: str | None) -> str:
    return year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")


def _range_event(m: re.Match) -> Event:
    date = _iso(m["y1"], m["m1"], m["d1"]) + "/" + _iso(m["y2"], m["m2"], m["d2"])
    return Event(date, m.group(), "", m.start(), m.end())


def _single_event(m: re.Match) -> Event:
    date = _iso(m["y"], m["m"], m["d"]) + ("/.." if m["since"] else "")
    return Event(date, m.group(), "", m.start(), m.end())


def find_dates(text: str) -> list[Event]:
    """Every date mention (2022年, 2022年6月, 2023年5月31日, 2022—2023年, 2022年以来), ranges first."""
    found = [_range_event(m) for m in DATE_RANGE.finditer(text)]
    for m in DATE_SINGLE.finditer(text):
        if not any(e.start <= m.start() < e.end for e in found):
            found.append(_single_event(m))
    return sorted(found, key=lambda e: e.start)


def _event_quote(doc: Doc, event: Event) -> str:
    left, right = clause_bounds(doc, event.start, event.end)
    if doc.text[left:right] == event.printed and right < len(doc.text):
        # "2022年，全市累计盘活…": a clause that is only the date says nothing; take the next clause too.
        right = clause_bounds(doc, right + 1, right + 1)[1]
    return doc.text[left:right]


def period_for(doc: Doc, start: int) -> str:
    """The nearest date (or 目前 → current) before ``start`` in its sentence; '' if there is none."""
    left, _ = sentence_bounds(doc.text, start, start)
    marks = [(e.start, e.date) for e in doc.dates if left <= e.start and e.end <= start]
    marks += [(i, "current") for word in CURRENT_MARKERS
              if (i := doc.text.rfind(word, left, start)) >= 0]
    return max(marks, default=(-1, ""))[1]


# ---------------------------------------------------------------------------------------------- kinds

@dataclass
class _Context:
    clause: str
    near: str
    unit: str
    inclusive: bool


def _has(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


# First rule that holds wins; the order puts the most specific evidence first.
KIND_RULES = (
    ("threshold", lambda c: c.inclusive),
    ("policy_parameter", lambda c: c.unit == "份"),
    ("growth_rate", lambda c: c.unit in GROWTH_UNITS and _has(c.clause, GROWTH_WORDS)),
    ("count", lambda c: c.unit in COUNT_KIND_UNITS),
    ("policy_parameter", lambda c: _has(c.clause, PARAMETER_WORDS)),
    ("target", lambda c: _has(c.near, TARGET_WORDS)),
    ("record", lambda c: _has(c.clause, RECORD_WORDS)),
    ("cumulative", lambda c: _has(c.clause, CUMULATIVE_WORDS)),
    ("stock", lambda c: _has(c.clause, STOCK_WORDS)),
)


def kind_for(context: _Context) -> str:
    return next((kind for kind, rule in KIND_RULES if rule(context)), "actual")


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


def _blocked(text: str, hit: _Hit) -> bool:
    unit_start = hit.end - len(hit.unit_printed)
    return any(text.startswith(word, unit_start) for word in MEASURE_BLOCKERS)


def _qualifier(text: str, hit: _Hit) -> tuple[str, str, bool]:
    """Qualifier, marker and whether the number is an inclusive limit ("500万元（含）以下")."""
    # Only the few characters before the number may hold a prefix marker (不超过 is the longest); cutting at
    # any digit keeps detect_qualifier from finding the same digits in an earlier number.
    before = re.split(r"[\d.,:：]", text[max(0, hit.start - 3):hit.start])[-1]
    window = before + text[hit.start:hit.end + 8]
    qualifier, marker = detect_qualifier(window, hit.printed, hit.unit_printed)
    inclusive = text.startswith(INCLUSIVE_MARKERS, hit.end) and marker in SUFFIX_MARKERS
    return ("exact", marker, True) if inclusive else (qualifier, marker, False)


def _fact(doc: Doc, hit: _Hit) -> Fact:
    qualifier, marker, inclusive = _qualifier(doc.text, hit)
    left, right = clause_bounds(doc, hit.start, hit.end)
    s_left, s_right = sentence_bounds(doc.text, hit.start, hit.end)
    near = doc.text[max(s_left, hit.start - TARGET_REACH):min(s_right, hit.end + TARGET_REACH)]
    unit = UNIT_ALIASES.get(hit.unit_printed, hit.unit_printed)
    kind = kind_for(_Context(doc.text[left:right], near, unit, inclusive))
    return Fact(hit.printed, parse_printed(hit.printed), unit, qualifier, marker,
                doc.text[left:right], period_for(doc, hit.start), kind, hit.start)


def _ratio_facts(doc: Doc) -> list[Fact]:
    """Each term of a ratio (7:2:1) is a policy parameter in 份, exact by construction."""
    facts = []
    for m in RATIO.finditer(doc.text):
        left, right = clause_bounds(doc, m.start(), m.end())
        for term in _RATIO_TERM.finditer(m.group()):
            facts.append(Fact(term.group(), parse_printed(term.group()), "份", "exact", "", doc.text[left:right],
                              period_for(doc, m.start()), "policy_parameter", m.start() + term.start()))
    return facts


def _taken_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in doc.dates] + [m.span() for m in RATIO.finditer(doc.text)]


def _unit_facts(doc: Doc) -> list[Fact]:
    taken = _taken_spans(doc)
    hits = [h for h in _arabic_hits(doc.text) + _chinese_hits(doc.text)
            if not _blocked(doc.text, h) and not any(a <= h.start < b for a, b in taken)]
    return [_fact(doc, h) for h in hits]


def read_doc(text: str, furniture: Iterable[str] = ()) -> Doc:
    """Normalize (a plain string is fine too: normalizing twice changes nothing) and index the text."""
    normalized = normalize(text, furniture)
    doc = Doc(normalized, find_dates(normalized), _quoted_mask(normalized))
    for event in doc.dates:
        event.quote = _event_quote(doc, event)
    return doc


def _all_facts(doc: Doc) -> list[Fact]:
    return sorted(_unit_facts(doc) + _ratio_facts(doc), key=lambda f: f.start)


def extract_facts(text: str, furniture: Iterable[str] = ()) -> list[Fact]:
    """Every figure in ``text``, in reading order (fact ids not yet assigned)."""
    return _all_facts(read_doc(text, furniture))


def extract_events(text: str, furniture: Iterable[str] = ()) -> list[Event]:
    return read_doc(text, furniture).dates


def extract(text: str, furniture: Iterable[str] = (), case_id: str = "draft") -> Draft:
    """Facts and events with draft ids (``<case>_f001``, ``<case>_e001``)."""
    doc = read_doc(text, furniture)
    facts = _all_facts(doc)
    for n, fact in enumerate(facts, 1):
        fact.fact_id = f"{case_id}_f{n:03d}"
    for n, event in enumerate(doc.dates, 1):
        event.event_id = f"{case_id}_e{n:03d}"
    return Draft(doc.text, facts, doc.dates)


# ---------------------------------------------------------------------------------------------- draft YAML

CASE_FIELDS = ("title_zh", "title_en", "short_zh", "short_en", "locality_zh", "locality_en", "province_zh",
               "province_en", "division_code", "author_zh", "author_en")
CURATOR_FIELDS = ("indicator_zh", "indicator_en", "scope_zh", "scope_en")


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
    lines += [_line(name, "", "TODO") for name in CURATOR_FIELDS]
    lines.append(_line("period", fact.period, "" if fact.period else "TODO: no date in the sentence"))
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


# ---------------------------------------------------------------------------------------------- scoring

def fact_key(value, unit: str, qualifier: str) -> tuple:
    """What scoring compares: value (rounded against float noise), unit (％ = %), qualifier."""
    return round(float(value), 6), UNIT_ALIASES.get(str(unit), str(unit)), qualifier


def load_key(paths: Iterable[str | Path]) -> list[tuple]:
    """The answer key: the union of the facts of the curated case files."""
    key = []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        key += [fact_key(f["value"], f["unit"], f["qualifier"]) for f in data.get("facts") or []]
    return key


def score(facts: Iterable[Fact], key: list[tuple]) -> Score:
    """Multiset match: each key fact pairs with at most one extracted fact of the same (value, unit, qualifier)."""
    got, want = Counter(fact_key(f.value, f.unit, f.qualifier) for f in facts), Counter(key)
    matched = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    return Score(matched / n_want if n_want else 1.0, matched / n_got if n_got else 1.0, matched, n_want, n_got,
                 sorted((want - got).elements()), sorted((got - want).elements()))


def format_score(result: Score) -> str:
    lines = [f"recall    {result.recall:.1%} ({result.matched}/{result.key_total} key facts found)",
             f"precision {result.precision:.1%} ({result.matched}/{result.extracted_total} extracted facts in the key)"]
    lines += [f"  missed {item}" for item in result.missed] + [f"  extra  {item}" for item in result.extra]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- command line

def metadata_furniture(article: Path) -> list[str]:
    """The furniture lines named in the article's metadata file beside it, if there is one."""
    meta_path = article.with_suffix(".yaml")
    if not meta_path.exists():
        return []
    return list((yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}).get("furniture") or [])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics.extract", description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("--furniture", nargs="+", action="extend", help="lines to drop (default: metadata)")
    parser.add_argument("--case-id", default="draft", help="prefix of the draft ids (default: draft)")
    parser.add_argument("--out", type=Path, help="write the draft YAML here (default: stdout)")
    parser.add_argument("--score", nargs="+", action="extend", type=Path, help="curated case files to score against")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    furniture = args.furniture if args.furniture is not None else metadata_furniture(args.article)
    draft = extract(args.article.read_text(encoding="utf-8"), furniture, args.case_id)
    text = draft_yaml(draft, args.case_id, args.article.stem)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    elif not args.score:
        sys.stdout.write(text)
    if args.score:
        print(format_score(score(draft.facts, load_key(args.score))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
