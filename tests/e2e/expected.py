"""What the pages must show, computed from the built fact base with the same pure functions the app uses
(metrics.views / numbers / calculators / catalog), never typed in by hand."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics import calculators, charts, compare, numbers, views
from metrics.catalog import text
from metrics.store import Dataset, load

HTML_LANG = {"zh": "zh-CN", "en": "en"}


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard, as a reader reaches it."""
    name: str                  # screenshot / test id
    path: str                  # URL path
    charts: int                # plotly charts the page draws
    cases: tuple[str, ...]     # whose headline figures it must show
    selector: str = ""         # something else that must be drawn before the page counts as loaded
    query: dict = field(default_factory=dict)


def compare_view() -> PageSpec:
    """The compare page on the practice family with the most charts (charts of two or more comparable values)."""
    ds = load(Path(__file__).resolve().parents[2] / "data")
    families, codes = compare.lists()
    counts = compare.reporting(ds["facts"], ds["cases"])

    def charts_of(family: str) -> int:
        blocks = [compare.block(ds["facts"], ds["cases"], ds["sources"], c, "zh")
                  for c in compare.family_codes(family, codes) if counts.get(c.code)]
        return sum(len(b.chart) >= 2 for b in blocks)
    family = max(families, key=charts_of)
    return PageSpec("compare", "/compare", charts_of(family), (), selector='[data-testid="stDataFrame"]',
                    query={"family": family})


def overview_view() -> PageSpec:
    """The overview: per family its featured cases' cards and the charts of its comparable indicators, one timeline."""
    ds = load(Path(__file__).resolve().parents[2] / "data")
    sections = compare.family_sections(ds["facts"], ds["cases"], ds["sources"], "zh")
    return PageSpec("overview", "/", 1 + sum(len(s.blocks) for s in sections),
                    tuple(case_id for s in sections for case_id in s.featured))


PAGES = [
    overview_view(),
    PageSpec("xiangtan", "/xiangtan", 4, ("xiangtan",)),
    PageSpec("heilongjiang", "/heilongjiang", 3, ("heilongjiang",)),
    PageSpec("fangchenggang", "/fangchenggang", 4, ("fangchenggang",)),
    PageSpec("data", "/data", 0, (), selector='[data-testid="stDataFrame"]'),
    compare_view(),
]
LANGS = ("zh", "en")


def footer_marker(ds: Dataset, lang: str) -> str:
    """Text only the footer shows (its "data version" note): once it is drawn the page script has run to its end."""
    return text("app.data_version", lang, version="").strip()


def figure_values(ds: Dataset, lang: str, unit: str = numbers.AS_PUBLISHED) -> dict[str, set[str]]:
    """Metric label → the value strings it may show: every published figure and every derived indicator."""
    values: dict[str, set[str]] = defaultdict(set)
    for _, row in ds["facts"].iterrows():
        values[views.fact_label(row, lang)].add(views.fact_display(row, lang, unit))
    for _, row in ds["indicators"].iterrows():
        values[row[views.col(lang, "name")]].add(views.indicator_display(row, lang))
    return values


def figure_label(label: str, known: dict[str, set[str]], lang: str) -> str | None:
    """The figure a metric label names; derived indicators that mix scopes carry a ' · 口径混合' suffix."""
    if label in known:
        return label
    suffix = " · " + text("fig.mixed", lang)
    if label.endswith(suffix) and label[: -len(suffix)] in known:
        return label[: -len(suffix)]
    return None


def headlines(ds: Dataset, case_ids: tuple[str, ...], lang: str, unit: str = numbers.AS_PUBLISHED) -> list[tuple[str, str]]:
    """(label, value) of every headline figure of the cases, as the fact base says they must be shown."""
    facts = ds["facts"]
    rows = facts[facts["case_id"].isin(case_ids) & facts["headline"]]
    return [(views.fact_label(r, lang), views.fact_display(r, lang, unit)) for _, r in rows.iterrows()]


def printed_notes(ds: Dataset, case_ids: tuple[str, ...], lang: str, unit: str) -> dict[str, str]:
    """label → "原文数值：…" for the headline figures whose shown value differs from the printed one."""
    facts = ds["facts"]
    rows = facts[facts["case_id"].isin(case_ids) & facts["headline"]]
    notes = {}
    for _, row in rows.iterrows():
        printed = numbers.as_published(row["printed"], row["unit"], row["qualifier"])
        if views.fact_display(row, lang, unit).replace(",", "") != printed:
            notes[views.fact_label(row, lang)] = text("fig.as_published", lang, printed=printed)
    return notes


def fact(ds: Dataset, fact_id: str) -> pd.Series:
    return views.by_id(ds["facts"], "fact_id").loc[fact_id]


def in_axis_unit(yuan: list[float], axis_title: str, lang: str) -> list[float]:
    """Amounts in yuan as a money chart draws them: in the unit its axis title names (万元, CNY m, …)."""
    divisors = {charts.axis_scale(unit, lang)[1]: charts.axis_scale(unit, lang)[0] for unit in ("亿元", "万元", "元")}
    assert axis_title in divisors, f"axis title {axis_title!r} names no money unit ({sorted(divisors)})"
    return [value / divisors[axis_title] for value in yuan]


# --- the 双稳基金 calculators (declared in its case file: labels and bindings read from the case's blocks) ----------

def calculator(ds: Dataset, calc_id: str, lang: str) -> dict:
    from tests.support.blocks import calculator as block
    return block(ds.tables, "heilongjiang", calc_id, lang)


def input_label(ds: Dataset, calc_id: str, name: str, lang: str) -> str:
    return next(i.label for i in calculator(ds, calc_id, lang)["inputs"] if i.name == name)


def fee(ds: Dataset, lang: str, loan_wan: float, years: float = 1.0) -> dict[str, str]:
    """The fee calculator's verdict and metrics for a loan (万元) over ``years``, from the published rate and threshold."""
    rate, threshold = fact(ds, "hlj_guarantee_fee_rate"), fact(ds, "hlj_fee_waiver_threshold")
    result = calculators.guarantee_fee(loan_wan * 1e4, years, rate["value_base"], threshold["value_base"])
    verdict = "calc.guarantee_fee.waived" if result.waived else "calc.guarantee_fee.not_waived"
    return {
        "waived": result.waived,
        "verdict": text(verdict, lang, threshold=views.fact_display(threshold, lang)),
        text("calc.guarantee_fee.fee", lang): numbers.money(result.fee, lang, "元"),
        text("calc.guarantee_fee.firm", lang): numbers.money(result.paid_by_firm, lang, "元"),
        text("calc.guarantee_fee.subsidy", lang): numbers.money(result.paid_by_government, lang, "元"),
    }


def threshold_wan(ds: Dataset) -> float:
    """The waiver threshold in 万元 (the loan input's unit)."""
    return fact(ds, "hlj_fee_waiver_threshold")["value_base"] / 1e4


def _shares(ds: Dataset, lang: str) -> dict[str, float]:
    """party (as the page names it) → its ratio term, as the case file binds them."""
    items = calculator(ds, "risk", lang)["labels"]["shares"]
    return {item[f"label_{lang}"]: fact(ds, item["fact"])["value"] for item in items}


def risk_split(ds: Dataset, lang: str, npl_wan: float) -> tuple[dict[str, float], str]:
    """(party → yuan, the chart summary sentence) for a non-performing amount in 万元, shared 7:2:1."""
    split = calculators.risk_sharing(npl_wan * 1e4, _shares(ds, lang))
    parts = [f"{party} {numbers.auto_money(amount, 'exact', lang)}" for party, amount in split.items()]
    return split, text("chart.summary", lang, summary=("；" if lang == "zh" else "; ").join(parts))


def fund_exposure(ds: Dataset, lang: str, npl_rate_pct: float) -> dict[str, float]:
    labels = calculator(ds, "exposure", lang)["labels"]
    terms = {fid: fact(ds, fid)["value"] for fid in (item["fact"] for item in labels["shares"])}
    fund_share = calculators.risk_sharing(1.0, terms)[labels["bearer"]["fact"]]
    volumes = {item[f"label_{lang}"]: fact(ds, item["fact"])["value_base"] for item in labels["volumes"]}
    return calculators.fund_exposure(volumes, npl_rate_pct / 100, fund_share)
