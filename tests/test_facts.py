"""The fact base against the article: values, units and qualifiers exactly as printed, quotes that check out."""
from __future__ import annotations

from pathlib import Path

import pytest

from metrics import units
from metrics.reading import parse_printed
from metrics.store import load

DATA = load(Path(__file__).resolve().parent.parent / "data")
FACTS = DATA["facts"].set_index("fact_id")
DOCUMENT = DATA["sources"].set_index("source_id")["normalized"]

# Figures whose reading is easy to get wrong: (fact id, value as printed, unit as printed, qualifier).
PRINTED = [
    ("xt_revitalized_2022_citywide", 81.86, "亿元", "exact"),
    ("xt_revitalized_2022_city_level", 70.38, "亿元", "exact"),
    ("xt_ledger_total", 3966, "亿元", "exact"),
    ("xt_target_2023_cumulative", 170, "亿元", "at_least"),      # 170亿元以上
    ("xt_warehouse_nontax_revenue", 130, "万元", "at_least"),    # 130余万元
    ("xt_warehouse_fiscal_savings", 850, "万元", "at_least"),    # 850余万元
    ("xt_mayor_meetings", 5, "次", "exact"),                     # 五次
    ("xt_joint_notice_departments", 12, "部门", "exact"),
    ("hlj_round1_loans", 8626, "笔", "exact"),
    ("hlj_round1_amount", 203.12, "亿元", "exact"),
    ("hlj_round2_firms", 8900, "家", "exact"),
    ("hlj_guarantee_fee_rate", 0.5, "%", "exact"),
    ("hlj_fee_waiver_threshold", 500, "万元", "exact"),          # 500万元（含）以下: an exact threshold
    ("hlj_risk_share_fund", 7, "份", "exact"),
    ("fcg_vat_refund_amount_2022", 47, "亿元", "at_least"),      # 超47亿元
    ("fcg_tax_deferral_amount_2022", 9000, "万元", "at_least"),  # 9000多万元
    ("fcg_guihui_cost_reduction_2022", 1.97, "亿元", "at_least"),  # 1.97亿多元
    ("fcg_receivables_deals_2022", 170, "笔", "at_least"),       # 170多笔
    ("fcg_receivables_amount_2022", 38.7, "亿元", "at_least"),   # 超38.7亿元
    ("fcg_trade_settlement_2022", 459, "亿元", "at_least"),      # 459多亿元
    ("fcg_record_largest_single_vat_refund", 17.35, "亿元", "exact"),
    ("fcg_first_maritime_rmb_settlement_amount", 60, "万元", "exact"),
]


@pytest.mark.parametrize("fact_id,value,unit,qualifier", PRINTED, ids=[p[0] for p in PRINTED])
def test_value_unit_qualifier_as_printed(fact_id, value, unit, qualifier):
    row = FACTS.loc[fact_id]
    assert (row["value"], row["unit"], row["qualifier"]) == (value, unit, qualifier)


@pytest.mark.parametrize("fact_id", list(FACTS.index))
def test_quote_is_in_document_and_holds_the_number(fact_id):
    row = FACTS.loc[fact_id]
    document = DOCUMENT[row["source_id"]]
    assert row["quote"].replace(" ", "") in document
    assert row["printed"] in row["quote"] and parse_printed(row["printed"]) == row["value"]
    assert document[row["printed_start"]:row["printed_end"]].startswith(row["printed"])


@pytest.mark.parametrize("fact_id", list(FACTS.index))
def test_base_value_follows_the_unit(fact_id):
    row = FACTS.loc[fact_id]
    assert row["base_unit"] == units.base_unit(row["unit"])
    assert row["value_base"] == pytest.approx(row["value"] * units.UNITS[row["unit"]].factor)


def test_ledger_identity_holds():
    parts = FACTS.loc[["xt_ledger_assets", "xt_ledger_resources", "xt_ledger_funds"], "value_base"].sum()
    assert parts == pytest.approx(FACTS.at["xt_ledger_total", "value_base"])


def test_every_case_has_events_and_practices():
    for case_id in DATA.case_ids():
        assert (DATA["events"]["case_id"] == case_id).any(), case_id
        assert (DATA["practices"]["case_id"] == case_id).any(), case_id


@pytest.mark.parametrize("name,column,ids", [
    ("events", "event_id", ["hlj_deferral_deadline_2024_01_31", "hlj_lending_window_end_2023_05_31", "xt_virtual_warehouse_2022_06"]),
    ("practices", "practice_id", ["xt_ev_industrial_park"]),
])
def test_named_records_present(name, column, ids):
    assert set(ids) <= set(DATA[name][column])


def test_practice_models_as_printed():
    models = set(DATA["practices"]["model_zh"])
    for model in ("社会投资人+EPC+市场化运营", "产业规划+专业园区+综合服务", "盘活存量资产+市场开发"):
        assert model in models
