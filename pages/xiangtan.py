"""湘潭 · 三资一本账: the ledger, revitalization against targets, city-level vs city-wide, the public warehouse."""
import streamlit as st

from metrics import views
from metrics.charts import ChartSpec
from ui import case, charts, data, frame, show
from ui.i18n import lang, t

CASE, PARAMS = "xiangtan", []
LEDGER_TOTAL, LEDGER_PARTS = "xt_ledger_total", ["xt_ledger_assets", "xt_ledger_resources", "xt_ledger_funds"]
RESULTS_AND_TARGETS = ["xt_revitalized_2022_city_level", "xt_revitalized_2022_citywide", "xt_target_2022",
                       "xt_target_2023_cumulative"]

ds = data.dataset()
frame.header(ds, PARAMS)
frame.require_case(ds, CASE)
lg, facts, indicators = lang(), case.of_case(ds, "facts", CASE), case.of_case(ds, "indicators", CASE)
source, asof = frame.source_title(ds), frame.current_as_of(ds)
case.title(ds, CASE)
case.headline(ds, CASE)

left, right = st.columns(2)
with left:
    charts.show(ChartSpec("xt_ledger", "treemap", views.tree(facts, LEDGER_TOTAL, LEDGER_PARTS, lg), t("xt.ledger.title"),
                          unit="亿元"), source)
    show.indicator_metrics(indicators, ["xt_ledger_share_assets", "xt_ledger_share_resources", "xt_ledger_share_funds"],
                           columns=1)  # three to a half-width row cut every label to "一本账构成…"
with right:
    charts.show(ChartSpec("xt_targets", "bar", views.values(facts, RESULTS_AND_TARGETS, lg), t("xt.targets.title"),
                          unit="亿元"), source)
    st.caption(t("xt.targets.wording"))
    show.indicator_metrics(indicators, ["xt_result_vs_target_2022", "xt_progress_to_2023_target"], columns=2)

st.subheader(t("xt.levels.title"))
show.indicator_metrics(indicators, ["xt_city_level_share_of_citywide", "xt_city_level_revitalized_vs_ledger"], columns=2)

st.subheader(t("xt.warehouse.title"))
warehouse = ds.derived((CASE, "warehouse", lg), lambda: views.stack(
    views.values(facts, ["xt_warehouse_items_in", "xt_warehouse_items_out"], lg, ["xt.stage.in", "xt.stage.out"]),
    views.indicator_values(indicators, ["xt_warehouse_items_remaining"], lg).assign(label=t("xt.stage.remaining"))))
left, right = st.columns(2)
with left:
    charts.show(ChartSpec("xt_warehouse", "bar", warehouse,
                          t("xt.warehouse.title"), unit="件", derived=True, height=260), source)
    show.indicator_metrics(indicators, ["xt_warehouse_outflow_rate"], columns=1)
with right:
    st.markdown(f"**{t('xt.warehouse.effect')}**")
    show.facts_metrics(facts, ["xt_warehouse_nontax_revenue", "xt_warehouse_fiscal_savings"], asof, columns=2)
    show.indicator_metrics(indicators, ["xt_warehouse_fiscal_effect"], columns=1)

case.practices(ds, CASE)
case.timeline(ds, CASE)
case.all_figures(ds, CASE)
frame.footer(ds, PARAMS)
