"""Dates and periods in a Chinese policy article, for the figure extractor (metrics/extract.py).

A date mention is an event candidate and a period candidate for the figures after it in its sentence:
2022年, 2022年6月, 2023年5月31日, 2022—2023年, 2015年以来, a dateline 2020-12-25 16:35 (the clock time is part
of the date, never a ratio), a date without a year (3月15日, 1-12月), and the relative periods a report uses
(今年, 上半年, 前三季度). A date without a year takes the year of the last year mention in its paragraph, else the
article's own year (its dateline, its metadata, or the date in its address); with no year known it is left out.
Periods are ISO-8601 text as the case files write them (data/sources/README.md, "Periods").
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .reading import parse_printed

_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_DASH = r"(?:至|到|—+|–|－|-|~|～)"

_YMD = r"(?P<y{0}>" + _YEAR + r")年(?:(?P<m{0}>" + _MONTH + r")月(?:(?P<d{0}>" + _DAY + r")日)?)?"
DATE_RANGE = re.compile(
    r"(?<!\d)(?P<y1>" + _YEAR + r")(?:年(?:(?P<m1>" + _MONTH + r")月(?:(?P<d1>" + _DAY + r")日)?)?)?"
    + _DASH + _YMD.replace("{0}", "2"))
DATE_SINGLE = re.compile(r"(?<!\d)" + _YMD.replace("{0}", "") + r"(?P<since>以来)?")
# 2020-12-25, 2020/12/25, 2020.12.25, with the clock time a dateline prints after it (whitespace already removed:
# "2020-12-2516:35:08.0"); the day alternation tries two digits first, so 25 16:35 is day 25 at 16:35.
DATELINE = re.compile(
    r"(?<!\d)(?P<y>" + _YEAR + r")(?P<sep>[-/.])(?P<m>" + _MONTH + r")(?P=sep)(?P<d>" + _DAY + r")"
    r"(?:(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d(?:\.\d+)?)?)?(?!\d)")
# Dates without a year: 8月11日, 3月15日, 1-12月, 8月底.
MONTH_RANGE = re.compile(r"(?<![\d.])(?P<m1>" + _MONTH + r")(?:月)?" + _DASH + r"(?P<m2>" + _MONTH + r")月(?!\d)")
MONTH_DAY = re.compile(r"(?<![\d.:：])(?P<m>" + _MONTH + r")月(?:(?P<d>" + _DAY + r")日|(?P<end>底|末|份))?(?!\d)")
# Only after a day or a time-of-day word: a bare 1:10 is a ratio.
CLOCK = re.compile(r"(?<=[日午晚早])(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?(?![\d.:：])")


def _iso(year, month=None, day=None) -> str:
    return str(year) + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")


# Relative periods: the words and the period each means for the article's year y (first match wins).
RELATIVE: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("今年以来", lambda y: _iso(y)), ("今年", lambda y: _iso(y)), ("本年度", lambda y: _iso(y)),
    ("前三季度", lambda y: f"{y}-01/{y}-09"), ("上半年", lambda y: f"{y}-01/{y}-06"),
    ("下半年", lambda y: f"{y}-07/{y}-12"), ("一季度", lambda y: f"{y}-01/{y}-03"),
    ("前两个月", lambda y: f"{y}-01/{y}-02"), ("去年全年", lambda y: _iso(y - 1)), ("上年全年", lambda y: _iso(y - 1)),
)
RELATIVE_WORDS = re.compile("|".join(word for word, _ in RELATIVE))
# 前9个月, 前三个月: the first months of the article's year.
FIRST_MONTHS = re.compile(r"前(?P<n>1[0-1]|[1-9]|[二三四五六七八九十]|十一)个?月")
# 2024年上半年: the year is printed, the half is the period.
YEAR_PART = re.compile(r"(?<!\d)(?P<y>" + _YEAR + r")年(?P<part>前三季度|上半年|下半年|一季度)")
RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "明年": 1}  # before a date without a year
CURRENT_WORDS = re.compile(r"截至目前|截止目前|目前|截至发稿|截至成文")
YEAR_IN_ADDRESS = re.compile(r"(?<![\dA-Za-z])(?P<y>20[0-4]\d)(?=[/_\-]|(?:0[1-9]|1[0-2]))")


@dataclass
class DateMention:
    date: str        # ISO-8601 period text, or 'current'
    printed: str
    start: int
    end: int
    is_event: bool   # a dated point or interval (an event candidate); relative words and 目前 are not


def year_from_address(url: str) -> int | None:
    """The year in a web address (…/202210/t20221026_…, …/2017/1010/…), which dates most government pages."""
    match = YEAR_IN_ADDRESS.search(url or "")
    return int(match["y"]) if match else None


def article_year(text: str, published: str = "") -> int | None:
    """The article's own year: a dateline near its top, else its publication date (metadata), else the year in
    its web address when that is all there is (``published`` may be either)."""
    match = DATELINE.search(text[:300])
    if match:
        return int(match["y"])
    found = re.match(r"(?:19|20)\d{2}(?!\d)", published or "")
    return int(found.group()) if found else year_from_address(published)


def _spans_free(found: list[DateMention], start: int, end: int) -> bool:
    return not any(m.start < end and start < m.end for m in found)


def _add(found: list[DateMention], mention: DateMention) -> None:
    if _spans_free(found, mention.start, mention.end):
        found.append(mention)


def _absolute(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    for m in DATELINE.finditer(text):
        _add(found, DateMention(_iso(m["y"], m["m"], m["d"]), m.group(), m.start(), m.end(), True))
    for m in YEAR_PART.finditer(text):
        period = dict(RELATIVE)[m["part"]](int(m["y"]))
        _add(found, DateMention(period, m.group(), m.start(), m.end(), True))
    for m in DATE_RANGE.finditer(text):
        date = _iso(m["y1"], m["m1"], m["d1"]) + "/" + _iso(m["y2"], m["m2"], m["d2"])
        _add(found, DateMention(date, m.group(), m.start(), m.end(), True))
    for m in DATE_SINGLE.finditer(text):
        date = _iso(m["y"], m["m"], m["d"]) + ("/.." if m["since"] else "")
        _add(found, DateMention(date, m.group(), m.start(), m.end(), True))
    return found


def _since_until_now(text: str, found: list[DateMention]) -> None:
    """"从2009年试点至今": a year opened by 从/自 and closed by 至今 a few words later is a period since then."""
    for mention in found:
        if re.fullmatch(_YEAR + "年", mention.printed) and text[max(0, mention.start - 1):mention.start] in "从自" \
                and mention.start > 0 and re.match(r"[^，。；,;]{0,12}?(?:至今|以来)", text[mention.end:]):
            mention.date += "/.."


def _year_before(found: list[DateMention], start: int, paragraph_start: int) -> int | None:
    years = [int(m.date[:4]) for m in found if m.is_event and paragraph_start <= m.start < start]
    return years[-1] if years else None


def _yearless(text: str, found: list[DateMention], paragraphs: list[int], year: int | None) -> list[DateMention]:
    """Dates without a year, given the year of their paragraph or of the article; left out if neither is known."""
    extra: list[DateMention] = []

    def year_at(start: int) -> int | None:
        said = RELATIVE_YEAR.get(text[max(0, start - 2):start])  # 今年1月至9月, 去年12月
        if said is not None:
            return year + said if year else None
        paragraph_start = max((p for p in paragraphs if p <= start), default=0)
        return _year_before(found, start, paragraph_start) or year

    for m in MONTH_RANGE.finditer(text):
        if _spans_free(found + extra, m.start(), m.end()) and (y := year_at(m.start())):
            extra.append(DateMention(f"{_iso(y, m['m1'])}/{_iso(y, m['m2'])}", m.group(), m.start(), m.end(), True))
    for m in MONTH_DAY.finditer(text):
        if _spans_free(found + extra, m.start(), m.end()) and (y := year_at(m.start())):
            extra.append(DateMention(_iso(y, m["m"], m["d"]), m.group(), m.start(), m.end(), True))
    return extra


def _relative(text: str, found: list[DateMention], year: int | None) -> list[DateMention]:
    extra = [DateMention("current", m.group(), m.start(), m.end(), False) for m in CURRENT_WORDS.finditer(text)
             if _spans_free(found, m.start(), m.end())]
    if year:
        meaning = dict(RELATIVE)
        extra += [DateMention(meaning[m.group()](year), m.group(), m.start(), m.end(), False)
                  for m in RELATIVE_WORDS.finditer(text) if _spans_free(found, m.start(), m.end())]
        extra += [DateMention(f"{year}-01/{_iso(year, _month_number(m['n']))}", m.group(), m.start(), m.end(), False)
                  for m in FIRST_MONTHS.finditer(text) if _spans_free(found + extra, m.start(), m.end())]
    return extra


def _month_number(printed: str) -> int:
    return int(parse_printed(printed))


def find_mentions(text: str, paragraphs: list[int] = (), year: int | None = None) -> list[DateMention]:
    """Every date and period mention in reading order (absolute dates first claim their characters)."""
    found = _absolute(text)
    _since_until_now(text, found)
    found += _yearless(text, found, list(paragraphs), year)
    found += _relative(text, found, year)
    return sorted(found, key=lambda m: m.start)


def clock_spans(text: str) -> list[tuple[int, int]]:
    """Clock times (16:35, 07:31:00): never a ratio."""
    return [m.span() for m in CLOCK.finditer(text)]
