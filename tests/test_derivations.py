"""Derived indicators and the interval arithmetic behind their qualifiers (ARCHITECTURE.md, "Qualifiers")."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from metrics import formula
from metrics.intervals import Interval
from metrics.store import load

DATA = load(Path(__file__).resolve().parent.parent / "data")
INDICATORS = DATA["indicators"].set_index("indicator_id")

INTERVAL_CASES = [  # (expression over a/b, a, b, expected qualifier, expected value)
    ("24 ÷ (≥47) is ≤ 51.1%", lambda a, b: a / b, Interval.of(24, "exact"), Interval.of(47, "at_least"), "at_most", 24 / 47),
    ("(≥47) ÷ 946 is ≥", lambda a, b: a / b, Interval.of(47e8, "at_least"), Interval.of(946, "exact"), "at_least", 47e8 / 946),
    ("(≥38.7) ÷ (≥170) is ≈", lambda a, b: a / b, Interval.of(38.7e8, "at_least"), Interval.of(170, "at_least"), "approx", 38.7e8 / 170),
    ("exact ÷ exact is exact", lambda a, b: a / b, Interval.of(81.86, "exact"), Interval.of(80, "exact"), "exact", 81.86 / 80),
    ("(≥130) + (≥850) is ≥", lambda a, b: a + b, Interval.of(130, "at_least"), Interval.of(850, "at_least"), "at_least", 980),
    ("(≥a) − b is ≥", lambda a, b: a - b, Interval.of(10, "at_least"), Interval.of(4, "exact"), "at_least", 6),
    ("a − (≥b) is ≤", lambda a, b: a - b, Interval.of(10, "exact"), Interval.of(4, "at_least"), "at_most", 6),
    ("(≤a) × b is ≤", lambda a, b: a * b, Interval.of(500, "at_most"), Interval.of(2, "exact"), "at_most", 1000),
    ("approx input is approx", lambda a, b: a * b, Interval.of(3, "approx"), Interval.of(2, "exact"), "approx", 6),
    ("(≥a) ÷ (1 + g)", lambda a, b: a / (Interval.const(1) + b), Interval.of(170, "at_least"), Interval.of(0.318, "exact"),
     "at_least", 170 / 1.318),
]


@pytest.mark.parametrize("name,op,a,b,qualifier,value", INTERVAL_CASES, ids=[c[0] for c in INTERVAL_CASES])
def test_interval_arithmetic(name, op, a, b, qualifier, value):
    result = op(a, b)
    assert result.qualifier == qualifier
    assert math.isclose(result.value, value, rel_tol=1e-12)


def fact(fact_id: str) -> float:
    return float(DATA["facts"].set_index("fact_id").at[fact_id, "value_base"])


INDICATOR_CASES = [  # (indicator id, expected value in base units computed from the printed numbers, qualifier)
    ("xt_result_vs_target_2022", 81.86 / 80, "exact"),
    ("xt_progress_to_2023_target", 81.86 / 170, "at_most"),
    ("xt_ledger_share_assets", 3039 / 3966, "exact"),
    ("xt_ledger_share_resources", 602 / 3966, "exact"),
    ("xt_ledger_share_funds", 325 / 3966, "exact"),
    ("xt_city_level_revitalized_vs_ledger", 70.38 / 3966, "exact"),
    ("xt_city_level_share_of_citywide", 70.38 / 81.86, "exact"),
    ("xt_warehouse_outflow_rate", 5828 / 7041, "exact"),
    ("xt_warehouse_items_remaining", 7041 - 5828, "exact"),
    ("xt_warehouse_fiscal_effect", (130 + 850) * 1e4, "at_least"),
    ("hlj_round1_avg_per_loan", 203.12e8 / 8626, "exact"),
    ("hlj_round2_avg_per_firm", 179.88e8 / 8900, "exact"),
    ("hlj_risk_share_fund_pct", 7 / 10, "exact"),
    ("hlj_risk_share_bank_pct", 2 / 10, "exact"),
    ("hlj_risk_share_guarantor_pct", 1 / 10, "exact"),
    ("hlj_two_rounds_total", (203.12 + 179.88) * 1e8, "exact"),
    ("fcg_avg_vat_refund_per_household", 47e8 / 946, "at_least"),
    ("fcg_largest_firm_share_of_refunds", 24 / 47, "at_most"),
    ("fcg_guihui_cost_reduction_per_firm", 1.97e8 / 2377, "at_least"),
    ("fcg_avg_guarantee_per_household", 13.6e8 / 803, "exact"),
    ("fcg_receivables_deals_2021_implied", 170 / 1.318, "at_least"),
    ("fcg_receivables_amount_2021_implied", 38.7e8 / 1.458, "at_least"),
    ("fcg_receivables_avg_per_deal", 38.7e8 / 170, "approx"),
]


@pytest.mark.parametrize("indicator_id,value,qualifier", INDICATOR_CASES, ids=[c[0] for c in INDICATOR_CASES])
def test_indicator_value_and_qualifier(indicator_id, value, qualifier):
    row = INDICATORS.loc[indicator_id]
    assert row["qualifier"] == qualifier
    assert math.isclose(row["value_base"], value, rel_tol=1e-9)


def test_every_seed_indicator_is_tested():
    # The seed article's three cases; each later case's tests check its own indicators.
    seed = INDICATORS[INDICATORS["case_id"].isin(["xiangtan", "heilongjiang", "fangchenggang"])]
    assert set(seed.index) == {c[0] for c in INDICATOR_CASES}


def test_indicator_inputs_are_facts_and_formula_is_in_words():
    fact_ids = set(DATA["facts"]["fact_id"])
    for indicator_id, row in INDICATORS.iterrows():
        inputs = row["inputs"].split(",")
        assert inputs == formula.inputs(row["formula"]) and set(inputs) <= fact_ids, indicator_id
        for lang in ("zh", "en"):
            words = row[f"formula_{lang}"]
            assert not any(i in words for i in inputs), f"{indicator_id}: ids left in the {lang} formula: {words}"


@pytest.mark.parametrize("indicator_id", ["xt_result_vs_target_2022", "xt_progress_to_2023_target", "hlj_two_rounds_total",
                                          "fcg_largest_firm_share_of_refunds", "fcg_receivables_amount_2021_implied"])
def test_plausibility_caveats_in_both_languages(indicator_id):
    row = INDICATORS.loc[indicator_id]
    assert row["caveat_zh"] and row["caveat_en"]


def test_mixed_scope_total_is_flagged():
    assert bool(INDICATORS.at["hlj_two_rounds_total", "mixes_scopes"])


def test_formula_rejects_anything_but_arithmetic():
    with pytest.raises(ValueError):
        formula.evaluate("__import__('os')", {})
