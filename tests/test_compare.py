"""Codes and families as data: the build refuses an unknown code or family and a code whose facts have units of
another family, naming file, record and reason, every problem in one run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import build, compare, periods
from metrics.catalog import text
from metrics.store import load
from metrics.problems import BuildError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
XT, HLJ, FCG = "cases/xiangtan.yaml", "cases/heilongjiang.yaml", "cases/fangchenggang.yaml"
CODES, FAMILIES = "codelist.yaml", "families.yaml"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    shutil.copytree(SOURCES, tmp_path / "sources")
    return tmp_path / "sources"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(sources: Path) -> list[str]:
    with pytest.raises(BuildError) as refused:
        build.load_and_validate(sources)
    return [str(p) for p in refused.value.problems]


BROKEN = [  # (id, file, old text, new text, the one expected problem line)
    ("unknown-code", HLJ, "code: guarantee_fee_rate", "code: guarantee_fee",
     "heilongjiang.yaml: hlj_guarantee_fee_rate: code 'guarantee_fee' is not in codelist.yaml"),
    ("unit-of-another-family", HLJ, "code: guarantee_fee_rate", "code: guaranteed_loans_count",
     "heilongjiang.yaml: hlj_guarantee_fee_rate: code 'guaranteed_loans_count' takes count units but fact "
     "hlj_guarantee_fee_rate is in % (percent)"),
    ("money-code-on-a-count", FCG, "code: vat_refund_taxpayers", "code: vat_refund_amount",
     "fangchenggang.yaml: fcg_vat_refund_taxpayers_2022: code 'vat_refund_amount' takes money units but fact "
     "fcg_vat_refund_taxpayers_2022 is in 户 (count)"),
    ("unknown-family", XT, "family: assets", "family: asset",
     "xiangtan.yaml: xiangtan: family 'asset' is not in families.yaml (one of assets, guarantees, tax_trade)"),
    ("no-family", XT, "  family: assets\n", "",
     "xiangtan.yaml: xiangtan: the case: block names no family (one of assets, guarantees, tax_trade)"),
    ("unquoted-comma-in-a-name", CODES, '"Amount of state-owned resources, assets and funds revitalized"',
     "Amount of state-owned resources, assets and funds revitalized",
     "codelist.yaml: revitalized_amount: unknown keys ['assets and funds revitalized'] (quote a name with a comma)"),
    ("code-in-unknown-family", CODES, "{code: ledger_total, family: assets", "{code: ledger_total, family: asset",
     "codelist.yaml: ledger_total: family 'asset' is not in families.yaml"),
    ("unknown-unit-family", CODES, "{code: land_parcels, family: assets, unit_family: count",
     "{code: land_parcels, family: assets, unit_family: lots",
     "codelist.yaml: land_parcels: unit_family 'lots' is not one of money, count, percent, percentage_point, "
     "multiple, ratio_part"),
    ("duplicate-code", CODES, "{code: land_parcels,", "{code: ledger_total,", "codelist.yaml: ledger_total: duplicate code"),
    ("family-without-name", FAMILIES, "    name_en: Tax refunds, receivables and trade finance and settlement\n", "",
     "families.yaml: tax_trade: missing name_en (quote a name with a comma)"),
    ("unreadable-list", FAMILIES, "- family: assets", "- family: [assets", "families.yaml: -: cannot be read"),
]


@pytest.mark.parametrize("rel,old,new,expected", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_bad_code_or_family_is_refused_with_one_clear_line(sources, rel, old, new, expected):
    _edit(sources / rel, old, new)
    problems = _problems(sources)
    assert any(p.startswith(expected) for p in problems), f"{expected!r} not in {problems}"


def test_every_code_problem_in_one_run(sources):
    for rel, old, new, _ in [b[1:] for b in BROKEN[:4]]:
        if rel == HLJ and "guarantee_fee_rate" in old and "code: guaranteed_loans_count" in new:
            continue   # the same line as the first edit
        _edit(sources / rel, old, new)
    found = " ".join(_problems(sources))
    for fact_or_case in ("hlj_guarantee_fee_rate", "fcg_vat_refund_taxpayers_2022", "xiangtan: family 'asset'"):
        assert fact_or_case in found, found


def test_committed_lists_load_clean():
    problems = []
    families = compare.read_families(SOURCES / FAMILIES, problems)
    codes = compare.read_codes(SOURCES / CODES, families, problems)
    assert problems == []
    assert list(families) == ["assets", "guarantees", "tax_trade"]
    assert {c.family for c in codes.values()} == set(families)
    assert all(c.name_en and c.name_zh for c in codes.values())


@pytest.mark.parametrize("case_id,family,coded", [("xiangtan", "assets", 9), ("heilongjiang", "guarantees", 6),
                                                  ("fangchenggang", "tax_trade", 11)])
def test_seed_cases_carry_family_and_codes(case_id, family, coded):
    data = load(ROOT / "data")
    assert data["cases"].set_index("case_id").at[case_id, "family"] == family
    facts = data["facts"]
    assert int((facts["case_id"].eq(case_id) & facts["code"].ne("")).sum()) == coded


# --- periods: the unknown-end form (a policy round that ended at an unstated date) ------------------------------
@pytest.mark.parametrize("period,zh,en,kind", [
    ("2020/", "2020年起（截止时间未载明）", "from 2020 (end not stated)", "unknown_end"),
    ("2020/..", "2020年以来", "since 2020", "since"),
    ("2022-06/2023-03", "2022年6月—2023年3月", "Jun 2022 – Mar 2023", "span"),
    ("2022", "2022年", "2022", "year"),
    ("2022-06", "2022年6月", "Jun 2022", "month"),
    ("2023-05-31", "2023年5月31日", "31 May 2023", "day"),
])
def test_period_forms(period, zh, en, kind):
    assert periods.is_valid_period(period)
    assert (periods.format_period(period, "zh"), periods.format_period(period, "en")) == (zh, en)
    assert compare.period_kind(period) == kind


@pytest.mark.parametrize("period", ["/2020", "2020//", "2023/2022", "2020/..2"])
def test_malformed_periods_are_refused(period):
    assert not periods.is_valid_period(period)


# --- shaping one code across localities, with the built data ----------------------------------------------------
DATA = load(ROOT / "data")
AS_OF = compare.as_of(DATA["sources"])
SEED = ("xiangtan", "heilongjiang", "fangchenggang")   # the shaping tests read the seed article's facts only
SEED_FACTS = DATA["facts"][DATA["facts"]["case_id"].isin(SEED)]


def rows(code: str, lang: str, facts=SEED_FACTS):
    return compare.code_rows(facts, DATA["cases"], code, lang, AS_OF)


@pytest.mark.parametrize("values,scale", [([2.0312e10, 1.36e9], "亿元"), ([5e6], "万元"), ([9999.0], "元"),
                                          ([1e8], "亿元"), ([], "元")])
def test_money_scale_is_the_largest_the_top_value_reaches(values, scale):
    assert compare.money_scale(values) == scale


@pytest.mark.parametrize("code,lang,shown,periods_,flags,charted", [
    ("guaranteed_loans_amount", "zh", ["203.12亿元", "179.88亿元", "13.6亿元"],
     ["2020年起（截止时间未载明）", "2022年6月—2023年3月", "2022年以来"],
     ["", "period_kind,period", "period_kind,period,scope"], [True, False, False]),
    ("guaranteed_loans_amount", "en", ["CNY 20.312 bn", "CNY 17.988 bn", "CNY 1.36 bn"],
     ["from 2020 (end not stated)", "Jun 2022 – Mar 2023", "since 2022"],
     ["", "period_kind,period", "period_kind,period,scope"], [True, False, False]),
    ("firms_served", "en", ["8,900 firms", "803 recipients", "2,377 firms"],
     ["Jun 2022 – Mar 2023", "since 2022", "2022"],
     ["", "period_kind,period,scope,unit", "period_kind,period,scope"], [True, False, False]),
    ("vat_refund_amount", "zh", ["≥47亿元"], ["2022年"], [""], [True]),
    ("vat_refund_amount", "en", ["≥ CNY 4.7 bn"], ["2022"], [""], [True]),
    ("fee_waiver_line", "zh", ["500万元"], ["2022年以来"], [""], [True]),
    ("guarantee_fee_rate", "en", ["0.5%"], ["since 2022"], [""], [True]),
    ("warehouse_savings", "zh", ["≥850万元"], ["截至目前（2023年）"], [""], [True]),
])
def test_code_rows_keep_unit_qualifier_period_and_flags(code, lang, shown, periods_, flags, charted):
    got = rows(code, lang)
    assert got["shown"].tolist() == shown
    assert got["period_text"].tolist() == periods_
    assert got["flags"].tolist() == flags
    assert got["charted"].tolist() == charted


def test_as_published_and_quote_stay_beside_the_common_unit():
    got = rows("guaranteed_loans_amount", "en").set_index("fact_id")
    assert got.at["hlj_round1_amount", "as_published"] == "203.12亿元"
    assert got.at["hlj_round1_amount", "quote"] == "全省发放稳企稳岗基金担保贷款8626笔，合计203.12亿元"
    assert got.at["fcg_guarantee_amount_since_2022", "flag_text"] == "different kind of period; different period; different scope"


def test_chart_rows_keep_the_qualifier_and_label_period():
    every = rows("revitalization_target", "zh").assign(charted=True)   # as if both shared a kind of period
    chart = compare.chart_rows(every, "zh")
    assert chart["label"].tolist() == ["湖南省湘潭市 · 2022年—2023年", "湖南省湘潭市 · 2022年"]
    assert chart["shown"].tolist() == ["≥170亿元", "80亿元"]
    assert chart["qualifier"].tolist() == ["at_least", "exact"]


def test_block_for_the_page():
    codes = compare.lists()[1]
    block = compare.block(SEED_FACTS, DATA["cases"], DATA["sources"], codes["guaranteed_loans_amount"], "en")
    assert block.localities == 2 and block.unit == "亿元" and block.unit_text == "CNY bn"
    assert block.table["Check"].tolist()[0] == "data?lang=en&case=heilongjiang&q=hlj_round1_amount"
    assert block.not_charted == ("Heilongjiang Province · Jun 2022 – Mar 2023, "
                                 "Fangchenggang City, Guangxi Zhuang Autonomous Region · since 2022")
    assert len(block.chart) == 1 and not block.at_least


def test_reporting_counts_localities():
    counts = compare.reporting(SEED_FACTS, DATA["cases"])
    assert counts["guaranteed_loans_amount"] == 2 and counts["firms_served"] == 2 and counts["ledger_total"] == 1


def test_two_cases_of_one_locality_count_once():
    hefei = DATA["facts"][DATA["facts"]["case_id"].isin(["hefei_guarantee_2017", "hefei_guarantee_2025"])]
    both = set(hefei.loc[hefei["case_id"].eq("hefei_guarantee_2017"), "code"]) & set(
        hefei.loc[hefei["case_id"].eq("hefei_guarantee_2025"), "code"]) - {""}
    assert both, "the two Hefei articles share a code"
    assert all(n == 1 for code, n in compare.reporting(hefei, DATA["cases"]).items() if code in both)


def test_warehouse_items_out_across_three_localities():
    """Running totals to a date are charted together, each with its own as-of date and scope beside it."""
    got = rows("warehouse_items_out", "zh", DATA["facts"]).set_index("case_id")
    assert got.loc[["xiangtan", "wujin", "changji"], "shown"].tolist() == ["5,828件", "784件(套)", "912件"]
    assert got["charted"].all()
    assert got.at["wujin", "flags"] == "period,scope,unit" and got.at["changji", "flags"] == "period,scope"


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_a_code_nobody_reports_gives_an_empty_block(lang):
    codes = compare.lists()[1]
    block = compare.block(DATA["facts"].iloc[0:0], DATA["cases"], DATA["sources"], codes["land_parcels"], lang)
    assert (block.localities, len(block.table), len(block.chart), block.not_charted) == (0, 0, 0, "")
    assert list(block.table.columns)[0] == text("col.locality", lang)


@pytest.mark.parametrize("period,kind,expected", [
    ("current", "cumulative", "to_date"), ("2022/..", "cumulative", "to_date"), ("2024-03-15", "stock", "to_date"),
    ("2022", "actual", "year"), ("2022-06/2023-03", "actual", "span"), ("2020/", "actual", "unknown_end"),
    ("2022/..", "policy_parameter", "in_force"), ("2025/2027", "threshold", "in_force"), ("2022-06", "actual", "month"),
])
def test_values_are_compared_under_a_kind_of_period(period, kind, expected):
    assert compare.comparison_period(compare.period_kind(period), compare.KIND_GROUPS[kind]) == expected
