"""Reading a printed number the way the article prints it: its value and the qualifier beside it.

Shared by the build (which checks curated facts against their quotes) and the extractor (which proposes
facts from a new article), so that both read "130余万元" and "超47亿元" the same way.
"""
from __future__ import annotations

import re

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Markers beside a number and the qualifier each implies (ARCHITECTURE.md, "Qualifiers").
# Longest first within each family: 不超过 before 超过 before 超. ≤ ≥ < > are how tables and criteria print limits.
PREFIX_MARKERS = {"不超过": "at_most", "不高于": "at_most", "不低于": "at_least", "不少于": "at_least",
                  "超过": "at_least", "突破": "at_least", "超": "at_least", "逾": "at_least",
                  "不足": "at_most", "不到": "at_most", "≤": "at_most", "＜": "at_most", "<": "at_most",
                  "≥": "at_least", "＞": "at_least", ">": "at_least",
                  "约": "approx", "近": "approx"}
INFIX_MARKERS = {"余": "at_least", "多": "at_least"}          # 130余万元, 170多笔, 1.97亿多元
SUFFIX_MARKERS = {"及以上": "at_least", "以上": "at_least", "及以下": "at_most", "以下": "at_most", "以内": "at_most",
                  "左右": "approx", "内": "at_most"}
# 内 is "within" (1天内放款) unless it begins a word (3家内资企业, 2个内设机构).
_NOT_WITHIN = re.compile(r"内[资部容外地蒙涵需设控河陆网销贸]")
# A limit may govern a number a few words away: "按不高于业务发生额0.4%给予奖补". Only these negated limits reach
# that far (超/约 do not), and never across another number or a clause mark.
DISTANT_MARKERS = {"不超过": "at_most", "不高于": "at_most", "不低于": "at_least", "不少于": "at_least"}
DISTANT_REACH = 12
_BREAKS = re.compile(r"[\d，。；：、,;:!?！？]")


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


_SCALED = re.compile(r"(万亿|万|亿)(.+)")


def unit_pattern(unit: str, group: str = "inner") -> str:
    """The unit as a pattern: 余/多 may sit after its scale ("1.97亿多元", "130余万元" has it before, "7万余件");
    ``group`` names that 余/多 ('' for an unnamed group)."""
    if unit == "%":
        return "[%％]"  # the article prints both half- and full-width percent signs
    scaled = _SCALED.fullmatch(unit)
    if scaled:
        inner = f"(?P<{group}>[余多])?" if group else "[余多]?"
        return re.escape(scaled[1]) + inner + re.escape(scaled[2])
    return re.escape(unit)


def locate(text: str, printed: str, unit: str) -> re.Match | None:
    """Where ``printed`` stands in ``text`` followed by its unit (allowing 余/多 between), if it does."""
    number = r"(?<![\d.])" + re.escape(printed) + r"(?![\d.])"
    return re.search(number + r"(?P<mid>[余多])?(?P<unit>" + unit_pattern(unit) + ")", text)


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
        if after.startswith(marker) and not (marker == "内" and _NOT_WITHIN.match(after)):
            return qualifier, marker
    return _distant(before)


def _distant(before: str) -> tuple[str, str]:
    """A negated limit a few words before the number, in its clause and with no other number between."""
    reach = _BREAKS.split(before[-DISTANT_REACH:])[-1]
    for marker, qualifier in DISTANT_MARKERS.items():
        if marker in reach:
            return qualifier, marker
    return "exact", ""
