"""The kind proposed for an extracted figure (data/sources/README.md, "Kinds"), from the words of its clause.

A registry of rules, most specific evidence first; the first that holds wins. FALLBACK_RULES are weaker evidence
(a date it is "as of", an area, a fund set up) used only when the clause says nothing and the figure does not
continue the one before it (metrics/extract.py decides that).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import units
from .units import MONEY_UNITS

# Markers of a rule's limit rather than a measured amount: the figure is a threshold.
LIMIT_MARKERS = frozenset({"≤", "≥", "<", ">", "＜", "＞", "不超过", "不高于", "不低于", "不少于", "及以下", "及以上"})

# Units whose figures count things the text lists (departments, meetings, categories) rather than flows.
COUNT_KIND_UNITS = frozenset({"个", "类", "次", "部门", "方", "字", "项"})
GROWTH_WORDS = ("增长", "同比", "环比", "增速", "增幅", "降幅", "下降", "提高", "降低", "增加", "减少", "回落", "回升",
                "上升", "下滑", "提升")
GROWTH_UNITS = ("%", "个百分点", "倍")
RATE_UNITS = ("%", "个百分点", "倍", "份")
# A rate is a policy's parameter when the clause sets it (按…收取, 给予, 执行); a rate the text reports (平均贷款利率
# 5.04%, 占比96.3%) is an outcome.
PARAMETER_WORDS = ("按照", "按", "收取", "给予", "执行", "标准", "分担")
TARGET_WORDS = ("目标", "计划", "力争", "预计", "确保")
HOLDING_NOUNS = ("资产", "资源", "三资", "家底", "存量", "总额", "原价", "价值")
HOLDING_TOTALS = ("总数", "总量", "占地", "面积")  # of any unit
AREA_BASES = ("square_metre", "mu")
SETUP_WORDS = ("设立", "组建")
RECORD_WORDS = ("最大", "最高", "最多", "之最", "首位", "第一")
CUMULATIVE_WORDS = ("累计", "已", "共")  # 已盘活, 已兑现, 共受理: what has been done so far
NOT_CUMULATIVE = ("共有", "共同", "共建", "共享", "公共", "已超过", "已经超过")  # 已超过去年全年…: a comparison
ALLOCATION_WORDS = ("安排",)
CEILING_WORDS = ("额度", "上限", "限额")
COMPARISON_WORDS = ("同比", "环比", "比去年", "比上年", "较去年", "较上年", "比年初", "较年初")
SINCE_WORDS = ("以来",)                # 自专项行动开展以来: a running total since a start
BALANCE_WORDS = ("余额", "注册资本", "净资产", "在保", "价值")   # a balance, whatever verb is near it
FLOW_WORDS = ("新增", "发放", "完成")
STOCK_WORDS = ("规模",)
LIST_COUNT_LIMIT = 100  # a count the text lists is small (15个重点领域); 400余个就业岗位 is an outcome


@dataclass
class Context:
    """What a figure's kind is read from."""
    clause: str
    near: str
    unit: str
    inclusive: bool
    marker: str
    period: str = ""
    value: float = 0.0
    as_of: bool = False        # its period is 截至…/目前: a point in time
    sentence_before: str = ""  # its sentence up to the number
    clause_before: str = ""    # its clause up to the number
    lead: str = ""             # the name its clause gives before the number ("退税金额" in 退税金额超47亿元)
    name: str = ""             # the proposed name (with what a count counts: 2309宗镇村公有闲置资产)
    period_from: str = "text"  # the period was read from the text, or is the article's year


def has_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


# First rule that holds wins; the order puts the most specific evidence first.
KIND_RULES = (
    # "确保…总资产规模不低于10000亿元": a limit the text commits to reach is a target, not a rule's threshold.
    ("target", lambda c: c.marker in LIMIT_MARKERS and has_any(c.sentence_before, TARGET_WORDS)),
    ("threshold", lambda c: c.inclusive or c.marker in LIMIT_MARKERS),
    ("policy_parameter", lambda c: c.unit == "份"),
    ("growth_rate", lambda c: c.unit in GROWTH_UNITS and has_any(c.clause, GROWTH_WORDS)),
    ("count", lambda c: c.unit in COUNT_KIND_UNITS and c.value < LIST_COUNT_LIMIT),
    ("policy_parameter", lambda c: c.unit in RATE_UNITS and has_any(c.clause, PARAMETER_WORDS)),
    # "贷款额度统一提高到10万元": a ceiling is a rule's limit.
    ("threshold", lambda c: c.unit in MONEY_UNITS and has_any(c.clause, CEILING_WORDS)),
    # "统筹安排60亿元专项资金", "每年安排15亿元": a budget line is the policy's own number.
    ("policy_parameter", lambda c: c.unit in MONEY_UNITS and has_any(c.sentence_before, ALLOCATION_WORDS)),
    ("target", lambda c: has_any(c.near, TARGET_WORDS)),
    ("record", lambda c: has_any(c.clause, RECORD_WORDS)),
    ("stock", lambda c: has_any(c.clause, BALANCE_WORDS)),
    ("cumulative", lambda c: has_any(c.clause_before, CUMULATIVE_WORDS) and not has_any(c.clause_before, NOT_CUMULATIVE)),
    # "2022年以来，完成…13.6亿元": a flow since a start is a running total.
    ("cumulative", lambda c: c.period.endswith("/..") and c.unit not in RATE_UNITS),
    # "比去年同期增加49.16亿元": a change against a base is a flow of the period.
    ("actual", lambda c: has_any(c.clause, FLOW_WORDS) or (c.unit not in RATE_UNITS and has_any(c.clause, COMPARISON_WORDS))),
    ("stock", lambda c: has_any(c.clause, STOCK_WORDS)),
)
# Weaker evidence, used only when the clause says nothing and it does not continue a figure before it:
# "截至目前，…5家…" or "自专项行动开展以来，…" make a flow a running total.
FALLBACK_RULES = (
    # An area (占地约3000平方米, 租用基地约520亩) is a stock; so is the size of a fund set up (设立4300万元专项担保资金).
    ("stock", lambda c: units.UNITS[c.unit].base_unit in AREA_BASES
     or (c.unit in MONEY_UNITS and has_any(c.clause_before, SETUP_WORDS))),
    # "截至2024年底，全省企业国有资产16.48万亿元", "目前公物仓资产总数近1200件": holdings as of a date are a stock,
    # what was done by then a total.
    ("stock", lambda c: c.as_of and (c.name.rstrip("”\"").endswith(HOLDING_TOTALS) or (
        c.unit in MONEY_UNITS and c.name.rstrip("”\"").endswith(HOLDING_NOUNS)))),
    ("cumulative", lambda c: c.unit not in RATE_UNITS and (c.as_of or (has_any(c.sentence_before, SINCE_WORDS)
                                                                         and c.period_from == "article"))),
)


def kind_for(context: Context) -> str:
    return next((kind for kind, rule in KIND_RULES + FALLBACK_RULES if rule(context)), "actual")


def fallback_kind(context: Context) -> str:
    return next((kind for kind, rule in FALLBACK_RULES if rule(context)), "actual")
