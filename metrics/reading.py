"""Reading a printed number the way the article prints it: its value and the qualifier beside it.

Shared by the build (which checks curated facts against their quotes) and the extractor (which proposes
facts from a new article), so that both read "130余万元" and "超47亿元" the same way.
"""
from __future__ import annotations

import re

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Markers beside a number and the qualifier each implies (ARCHITECTURE.md, "Qualifiers").
PREFIX_MARKERS = {"不超过": "at_most", "超过": "at_least", "突破": "at_least", "超": "at_least",
                  "约": "approx", "近": "approx"}
INFIX_MARKERS = {"余": "at_least", "多": "at_least"}          # 130余万元, 170多笔, 1.97亿多元
SUFFIX_MARKERS = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "approx"}


def parse_printed(printed: str) -> float:
    """The float a printed number stands for: '81.86' → 81.86, '8,626' → 8626, '五' → 5, '十二' → 12."""
    text = printed.replace(",", "").replace("，", "").strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    return float(_parse_chinese(text))


def _parse_chinese(text: str) -> int:
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        raise ValueError(f"not a number: {text!r}")
    if "十" not in text:
        return CHINESE_DIGITS[text] if len(text) == 1 else int("".join(str(CHINESE_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def _unit_pattern(unit: str) -> str:
    if unit == "%":
        return "[%％]"  # the article prints both half- and full-width percent signs
    # 余/多 may sit inside a money unit: "1.97亿多元", "9000多万元" (before it) or "130余万元".
    if len(unit) == 2 and unit.endswith("元"):
        return re.escape(unit[0]) + "(?P<inner>[余多])?元"
    return re.escape(unit)


def locate(text: str, printed: str, unit: str) -> re.Match | None:
    """Where ``printed`` stands in ``text`` followed by its unit (allowing 余/多 between), if it does."""
    number = r"(?<![\d.])" + re.escape(printed) + r"(?![\d.])"
    return re.search(number + r"(?P<mid>[余多])?(?P<unit>" + _unit_pattern(unit) + ")", text)


def detect_qualifier(text: str, printed: str, unit: str) -> tuple[str, str]:
    """The qualifier the characters beside the number imply, and the marker that says so ('' if exact)."""
    match = locate(text, printed, unit)
    if match is None:
        start = text.find(printed)
        if start < 0:
            return "exact", ""
        before, after = text[:start], text[start + len(printed):]
        inner = None
    else:
        before, after = text[:match.start()], text[match.end():]
        inner = match.group("mid") or match.groupdict().get("inner")
    if inner:
        return INFIX_MARKERS[inner], inner
    for marker, qualifier in PREFIX_MARKERS.items():
        if before.endswith(marker):
            return qualifier, marker
    after = after.removeprefix("（含）").removeprefix("(含)")
    for marker, qualifier in SUFFIX_MARKERS.items():
        if after.startswith(marker):
            return qualifier, marker
    return "exact", ""
