"""Derived indicators: the registry of what we compute from the published figures, and how.

Each indicator is one formula over fact ids (see ``formula.py``), evaluated on intervals so that "at least"
and "at most" carry through; its description in words is generated from the facts' names. Where the
comparison is only plausible, the caveat says why, in both languages.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import formula as formulas
from . import units
from .intervals import Interval


@dataclass(frozen=True)
class Spec:
    indicator_id: str
    case_id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str                 # display unit: %, 万元, 亿元, 笔 …
    caveat_zh: str = ""
    caveat_en: str = ""
    mixes_scopes: bool = False
    per_beneficiary: str = ""  # for the cross-case chart: the beneficiary unit (笔 / 家 / 户), else ""


_WORDING_ZH = "口径提示：2022年目标表述为“盘活处置闲置国有‘三资’”，2022年成果表述为“盘活‘三资’”，二者口径未必一致。"
_WORDING_EN = ("Wording caveat: the 2022 target is worded 'revitalize or dispose of idle state-owned assets', the "
               "2022 result 'revitalized'; the two may not cover the same thing.")
_LEDGER_ZH = "台账总额为“截至目前”的存量，盘活额为2022年流量，时点不同。"
_LEDGER_EN = "The ledger total is a stock 'as of now'; the revitalized amount is a 2022 flow: different points in time."
_IMPLIED_ZH = "由2022年数值与同比增速倒推，非原文数字；原文数字为下限，故结果亦为下限。"
_IMPLIED_EN = "Implied from the 2022 figure and its growth rate, not printed; the 2022 figure is a lower bound, so is this."

SPECS: tuple[Spec, ...] = (
    # --- 湘潭 -------------------------------------------------------------------------------------------------
    Spec("xt_result_vs_target_2022", "xiangtan", "2022年盘活完成率（对2022年目标）", "2022 result vs 2022 target",
         "xt_revitalized_2022_citywide / xt_target_2022", "%", _WORDING_ZH, _WORDING_EN),
    Spec("xt_progress_to_2023_target", "xiangtan", "2022年末对2023年累计目标的进度", "Progress toward the 2023 cumulative target",
         "xt_revitalized_2022_citywide / xt_target_2023_cumulative", "%",
         "2023年目标为“累计达到170亿元以上”，故进度为上限。" + _WORDING_ZH,
         "The 2023 target is 'at least 170 (cumulative)', so progress is an upper bound. " + _WORDING_EN),
    Spec("xt_ledger_share_assets", "xiangtan", "一本账构成：国有资产占比", "Ledger composition: state-owned assets",
         "xt_ledger_assets / xt_ledger_total", "%"),
    Spec("xt_ledger_share_resources", "xiangtan", "一本账构成：国有资源占比", "Ledger composition: state-owned resources",
         "xt_ledger_resources / xt_ledger_total", "%"),
    Spec("xt_ledger_share_funds", "xiangtan", "一本账构成：财政资金占比", "Ledger composition: fiscal funds",
         "xt_ledger_funds / xt_ledger_total", "%"),
    Spec("xt_city_level_revitalized_vs_ledger", "xiangtan", "市本级2022年盘活额占市本级一本账总额",
         "City-level 2022 revitalization as a share of the city-level ledger",
         "xt_revitalized_2022_city_level / xt_ledger_total", "%", _LEDGER_ZH, _LEDGER_EN),
    Spec("xt_city_level_share_of_citywide", "xiangtan", "市本级占全市2022年盘活额比重",
         "City-level share of the city-wide 2022 revitalization",
         "xt_revitalized_2022_city_level / xt_revitalized_2022_citywide", "%"),
    Spec("xt_warehouse_outflow_rate", "xiangtan", "公物仓出仓率（出仓件数/入仓件数）", "Public property warehouse outflow rate (out / in)",
         "xt_warehouse_items_out / xt_warehouse_items_in", "%"),
    Spec("xt_warehouse_items_remaining", "xiangtan", "公物仓在仓资产（入仓−出仓）", "Items remaining in the warehouse (in − out)",
         "xt_warehouse_items_in - xt_warehouse_items_out", "件"),
    Spec("xt_warehouse_fiscal_effect", "xiangtan", "公物仓财政效益（非税收入+节约资金）",
         "Public property warehouse fiscal effect (non-tax revenue + savings)",
         "xt_warehouse_nontax_revenue + xt_warehouse_fiscal_savings", "万元"),
    # --- 黑龙江 -----------------------------------------------------------------------------------------------
    Spec("hlj_round1_avg_per_loan", "heilongjiang", "首轮平均每笔担保贷款", "First round: average per guaranteed loan",
         "hlj_round1_amount / hlj_round1_loans", "万元", "按笔计（贷款笔数），非按企业数。",
         "Per loan (count of loans), not per firm.", per_beneficiary="笔"),
    Spec("hlj_round2_avg_per_firm", "heilongjiang", "2022年6月—2023年3月平均每家企业获得担保贷款",
         "Jun 2022–Mar 2023: average guaranteed loans per firm",
         "hlj_round2_amount / hlj_round2_firms", "万元", "按企业数（家）计，非按贷款笔数；一家企业可有多笔贷款。",
         "Per firm, not per loan; a firm may hold several loans.", per_beneficiary="家"),
    Spec("hlj_risk_share_fund_pct", "heilongjiang", "不良损失分担：风险补偿资金", "Loss sharing: risk compensation fund",
         "hlj_risk_share_fund / (hlj_risk_share_fund + hlj_risk_share_bank + hlj_risk_share_guarantor)", "%"),
    Spec("hlj_risk_share_bank_pct", "heilongjiang", "不良损失分担：银行机构", "Loss sharing: banks",
         "hlj_risk_share_bank / (hlj_risk_share_fund + hlj_risk_share_bank + hlj_risk_share_guarantor)", "%"),
    Spec("hlj_risk_share_guarantor_pct", "heilongjiang", "不良损失分担：融资担保机构", "Loss sharing: financing guarantee institutions",
         "hlj_risk_share_guarantor / (hlj_risk_share_fund + hlj_risk_share_bank + hlj_risk_share_guarantor)", "%"),
    Spec("hlj_two_rounds_total", "heilongjiang", "两轮担保贷款合计（口径混合）", "Both rounds' guaranteed loans combined (mixed scopes)",
         "hlj_round1_amount + hlj_round2_amount", "亿元",
         "口径混合：首轮为政策实施期间全部发放额（按笔），第二轮为2022年6月—2023年3月（按企业）；两期政策可能重叠计数。",
         "Mixed scopes: round one is everything lent while the policy ran (counted in loans), round two covers "
         "Jun 2022–Mar 2023 (counted in firms); the periods are not the same and may overlap.", mixes_scopes=True),
    # --- 防城港 -----------------------------------------------------------------------------------------------
    Spec("fcg_avg_vat_refund_per_household", "fangchenggang", "2022年户均增值税留抵退税", "2022 average VAT credit refund per household",
         "fcg_vat_refund_amount_2022 / fcg_vat_refund_taxpayers_2022", "万元", "“户”为纳税户，非企业家数。",
         "'Households' are taxpayers (户), not firms.", per_beneficiary="户"),
    Spec("fcg_largest_firm_share_of_refunds", "fangchenggang", "单个企业最大退税额占2022年全市退税额比重（上限）",
         "Largest single firm's refund as a share of 2022 city-wide refunds (upper bound)",
         "fcg_record_largest_firm_vat_refund_total / fcg_vat_refund_amount_2022", "%",
         "“广西最大单个企业”退税总额未注明年份，且全市退税额为下限，故占比为上限。",
         "The record refund carries no year and the city-wide total is a lower bound, so the share is an upper bound.",
         mixes_scopes=True),
    Spec("fcg_guihui_cost_reduction_per_firm", "fangchenggang", "桂惠贷户均降低融资成本", "Guihui Loan: financing cost saved per firm",
         "fcg_guihui_cost_reduction_2022 / fcg_guihui_firms_2022", "万元", per_beneficiary="家"),
    Spec("fcg_avg_guarantee_per_household", "fangchenggang", "政府性融资担保户均担保金额", "Average government guarantee per household",
         "fcg_guarantee_amount_since_2022 / fcg_guarantee_households_since_2022", "万元", per_beneficiary="户"),
    Spec("fcg_receivables_deals_2021_implied", "fangchenggang", "2021年应收账款融资笔数（倒推）", "2021 receivables financing deals (implied)",
         "fcg_receivables_deals_2022 / (1 + fcg_receivables_deals_growth_2022)", "笔", _IMPLIED_ZH, _IMPLIED_EN),
    Spec("fcg_receivables_amount_2021_implied", "fangchenggang", "2021年应收账款融资金额（倒推）", "2021 receivables financing amount (implied)",
         "fcg_receivables_amount_2022 / (1 + fcg_receivables_amount_growth_2022)", "亿元", _IMPLIED_ZH, _IMPLIED_EN),
    Spec("fcg_receivables_avg_per_deal", "fangchenggang", "2022年应收账款融资笔均金额", "2022 average receivables financing per deal",
         "fcg_receivables_amount_2022 / fcg_receivables_deals_2022", "万元",
         "笔数与金额均为下限，比值只能近似。", "Both the count and the amount are lower bounds, so the ratio is only approximate.",
         per_beneficiary="笔"),
)


def fact_intervals(facts: pd.DataFrame) -> dict[str, Interval]:
    """Each fact as an interval in base units (yuan, count, ratio)."""
    return {row.fact_id: Interval.of(row.value_base, row.qualifier) for row in facts.itertuples()}


def fact_names(facts: pd.DataFrame, lang: str) -> dict[str, str]:
    return {row.fact_id: f"{getattr(row, 'indicator_' + lang)}（{getattr(row, 'scope_' + lang)}，{row.period}）"
            if lang == "zh" else f"{row.indicator_en} ({row.scope_en}, {row.period})" for row in facts.itertuples()}


def _row(spec: Spec, result: Interval, names: dict[str, dict[str, str]]) -> dict:
    lo, hi = result.lo, result.hi
    return {
        "case_id": spec.case_id, "indicator_id": spec.indicator_id, "name_zh": spec.name_zh, "name_en": spec.name_en,
        "formula": spec.formula,
        "formula_zh": formulas.in_words(spec.formula, names["zh"]),
        "formula_en": formulas.in_words(spec.formula, names["en"]),
        "inputs": ",".join(formulas.inputs(spec.formula)),
        "value": units.from_base(result.value, spec.unit), "unit": spec.unit, "qualifier": result.qualifier,
        "value_base": result.value, "base_unit": units.base_unit(spec.unit),
        "lo_base": float("nan") if lo is None else lo, "hi_base": float("nan") if hi is None else hi,
        "caveat_zh": spec.caveat_zh, "caveat_en": spec.caveat_en,
        "mixes_scopes": spec.mixes_scopes, "per_beneficiary": spec.per_beneficiary, "derived": True,
    }


def derive(facts: pd.DataFrame, case_ids: list[str], specs: tuple[Spec, ...] = SPECS) -> pd.DataFrame:
    """The indicators table: every spec whose case is present and whose inputs all exist."""
    intervals = fact_intervals(facts)
    names = {lang: fact_names(facts, lang) for lang in ("zh", "en")}
    rows = [_row(spec, formulas.evaluate(spec.formula, intervals), names) for spec in specs
            if spec.case_id in case_ids and all(i in intervals for i in formulas.inputs(spec.formula))]
    columns = list(_row(SPECS[0], Interval.const(1.0), {"zh": _AnyName(), "en": _AnyName()}).keys())
    df = pd.DataFrame(rows, columns=columns)
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].astype("string")
    return df


class _AnyName(dict):
    def __missing__(self, key):
        return key
