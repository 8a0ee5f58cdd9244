"""Periods and dates as ISO-8601 text: '2022', '2022-06', '2023-05-31', '2022-06/2023-03', '2022/..', '2020/', 'current'.

Two open intervals, as ISO 8601-2 (EDTF) writes them: '2022/..' is open-ended (since 2022, still running when
written); '2020/' has an unknown end (started 2020, ended at a date the text does not state: a policy round).
"""
from __future__ import annotations

import datetime as dt
import functools
import re

CURRENT = "current"  # 截至目前 / 目前: as of the article's writing (the article's metadata says when)
_POINT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_point(text: str) -> dt.date:
    """First day a point covers: '2022' → 2022-01-01, '2022-06' → 2022-06-01. Raises ValueError if invalid."""
    match = _POINT.match(text)
    if not match:
        raise ValueError(f"not an ISO date: {text!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    return dt.date(year, month or 1, day or 1)


def is_valid_date(text: str) -> bool:
    """A point ('2022-06') or an interval of points ('2022-06/2023-03', '2022/..'), in order."""
    try:
        start, end = split(text)
        first = parse_point(start)
        return end == ".." or end == "" or parse_point(end) >= first
    except ValueError:
        return False


def is_valid_period(text: str) -> bool:
    return text == CURRENT or is_valid_date(text)


def split(text: str) -> tuple[str, str]:
    start, _, end = text.partition("/")
    return start, end


def sort_key(text: str, current_as_of: str = "9999") -> str:
    """A string that sorts periods and dates chronologically (by their start)."""
    start = current_as_of if text == CURRENT else split(text)[0]
    return parse_point(start).isoformat()


# --- showing periods to people ----------------------------------------------------------------------------------
_POINT_FORMATS = {  # by precision (number of ISO parts): babel date patterns per language
    "zh": {1: "y年", 2: "y年M月", 3: "y年M月d日"},
    "en": {1: "y", 2: "MMM y", 3: "d MMM y"},
}
_WORDS = {
    "zh": {"since": "{start}以来", "range": "{start}—{end}", "current": "截至目前（{asof}）",
           "unknown_end": "{start}起（截止时间未载明）"},
    "en": {"since": "since {start}", "range": "{start} – {end}", "current": "as of writing ({asof})",
           "unknown_end": "from {start} (end not stated)"},
}


def format_point(text: str, lang: str) -> str:
    from babel.dates import format_date  # babel is only needed when showing, not when validating

    from .numbers import LOCALE  # parsed once (a locale given as text is re-parsed on every call)

    precision = text.count("-") + 1
    return format_date(parse_point(text), _POINT_FORMATS[lang][precision], locale=LOCALE[lang])


@functools.lru_cache(maxsize=65536)   # pure, and called for every dated row on every run
def format_period(text: str, lang: str, current_as_of: str = "") -> str:
    """'2022-06/2023-03' → '2022年6月—2023年3月' / 'Jun 2022 – Mar 2023'; 'current' → '截至目前（2023年）'."""
    words = _WORDS[lang]
    if text == CURRENT:
        return words["current"].format(asof=format_point(current_as_of, lang) if current_as_of else "?")
    start, end = split(text)
    if end in ("..", ""):
        first = format_point(start, lang)
        if "/" not in text:
            return first
        return words["since" if end == ".." else "unknown_end"].format(start=first)
    return words["range"].format(start=format_point(start, lang), end=format_point(end, lang))
