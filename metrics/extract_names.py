"""A proposed Chinese name for an extracted figure: the noun phrase of its own clause that the number measures.

Chinese policy text says what a number measures in two ways, and the name follows the text:

* the thing comes before the number: "累计拨付财政贴息资金1687.89万元" → 累计拨付财政贴息资金;
* a count's measure word is followed by the thing counted: "召开4次专项行动调度会" → 召开专项行动调度会,
  "全市2309宗镇村公有闲置资产已盘活…" → 全市镇村公有闲置资产.

Only words of the clause are used, trimmed of dates, connectives, qualifier markers and other numbers; nothing is
invented and nothing is translated. The curator edits the proposal rather than typing a name.
"""
from __future__ import annotations

import re

from .units import ALIASES, UNITS

# A number with its unit (any unit of the units file), or a date, inside the clause: never part of a name.
_UNIT_WORDS = sorted(set(UNITS) | set(ALIASES) | {"年", "月", "日", "月底", "年底", "年末"}, key=len, reverse=True)
_NUMBER = re.compile(r"[\d.,:：%％]+[余多]?(?:" + "|".join(map(re.escape, _UNIT_WORDS)) + r")?")
# Inside a clause, a list mark or an opening quotation mark starts a new name ("以“六类资源、五类资产…").
_SEPARATOR = re.compile(r"[、“《\"]|[两三四五六七八九十]+[类个项次家方]")
# Leading words that set the scene rather than name the thing (其中, 同时, 截至目前, 据统计).
LEADING = re.compile(r"^(?:其中|同时|此外|另外|并且|据统计|截至目前|截止目前|目前|截至|截止|今年以来|今年|近年来|以来|"
                     r"年度|年底|月底|年末|共计|总计|合计|全年|已经|[“”《》\"(（)）\-—~至底末度共均还已])+")
# Trailing words between the name and the number: verbs of reaching and qualifier markers (达, 为, 超过, 约).
TRAILING = re.compile(r"(?:达到|达|为|仅为|是|从|到|自|共计|共|合计|总计|约|近|超过|超|逾|突破|不超过|不高于|不低于|不少于|"
                      r"≤|≥|<|>|＜|＞|分别为|分别|增长至|增至|提高到|提高至|降至|降低到|的)+$")
# Where the thing counted after a measure word stops: a verb, a particle or another figure begins.
COUNTED_STOP = re.compile(r"[、，,“”《》\"（(]|已|被|获|的|为|在|当年|累计|共|达|和|及|与|占|实现|通过|开展|进行|享受|提供|减少|增加|\d")
COUNT_FAMILIES = ("count",)
BARE_VERBS = ("增长", "同比增长", "下降", "提高", "降低", "增加", "减少", "占比", "达", "有", "提供", "共", "")


def _clean(text: str) -> str:
    text = LEADING.sub("", text)
    return TRAILING.sub("", text).strip("“”《》\"()（）")


def _before(clause: str, start: int, whole: bool = True) -> str:
    """The words before the number, from after the last other number or date in the clause."""
    prefix = clause[:start]
    cuts = [0] + [m.start() for m in _NUMBER.finditer(prefix)] + [len(prefix)]
    # The words after the last other number, or if those are only a particle ("结算金额从2011年的246.41亿元"),
    # the words before it.
    for left, right in reversed(list(zip(cuts, cuts[1:]))):
        segment = _NUMBER.sub("", prefix[left:right], count=1) if left else prefix[left:right]
        name = _clean(segment[max((m.end() for m in _SEPARATOR.finditer(segment)), default=0):])
        if len(name) >= 2:
            return name
        # Cut to one character, the separator was inside a quoted name ("用好“用、售、租、融”四字诀"): keep it whole.
        if whole and len(_clean(segment)) >= 2:
            return _clean(segment)
    if not whole:
        return ""
    # Only scene words are left ("合计203.12亿元"): they are still the clause's own words for it.
    return _clean(prefix) or prefix.strip("，,：:“”《》\"()（） ")


def leading_name(clause: str, start: int) -> str:
    """The words before the number that name it (empty when the clause starts with the number)."""
    return _before(clause, start, whole=False)


def _counted(clause: str, end: int) -> str:
    """The thing a measure word counts: the words right after the unit, up to a verb or another figure."""
    after = re.sub(r"^(?:余|多|以上|以下|左右|及以下|及以上|以内|内|\(套\)|（套）|\(含\)|（含）)+", "", clause[end:])
    stop = COUNTED_STOP.search(after)
    return after[:stop.start()] if stop else after


def propose_name(clause: str, start: int, end: int, unit: str) -> str:
    """The proposed name of the figure printed at clause[start:end] (number and unit)."""
    spec = UNITS.get(unit)
    counted = _counted(clause, end) if spec and spec.family in COUNT_FAMILIES else ""
    if len(counted) >= 2:
        before = _before(clause, start, whole=False)
        return (before if before not in BARE_VERBS else before.strip("有共")) + counted
    after = re.sub(r"^(?:及以下|以下|及以上|以上|以内|内|左右|的)+", "", clause[end:])
    return _before(clause, start) or _clean(after)[:20]
