"""防城港 · 财税金融: tax relief, financing support, trade finance and the practices it pioneered."""
import streamlit as st

from metrics import views
from metrics.charts import ChartSpec
from ui import case, charts, data, frame, show
from ui.i18n import lang, t

CASE, PARAMS = "fangchenggang", []
TAX = ["fcg_vat_refund_amount_2022", "fcg_vat_refund_taxpayers_2022", "fcg_record_largest_single_vat_refund",
       "fcg_record_largest_firm_vat_refund_total", "fcg_tax_deferral_smes_2022", "fcg_tax_deferral_amount_2022"]
FINANCE = ["fcg_guihui_firms_2022", "fcg_guihui_cost_reduction_2022", "fcg_guarantee_amount_since_2022",
           "fcg_guarantee_households_since_2022"]
TRADE = ["fcg_trade_settlement_2022", "fcg_ganglong_credit_line", "fcg_first_maritime_rmb_settlement_amount"]
RECEIVABLES = {  # measure → (2022 fact, implied 2021 indicator)
    "fcg.receivables.count": ("fcg_receivables_deals_2022", "fcg_receivables_deals_2021_implied"),
    "fcg.receivables.amount": ("fcg_receivables_amount_2022", "fcg_receivables_amount_2021_implied"),
}

ds = data.dataset()
frame.header(ds, PARAMS)
frame.require_case(ds, CASE)
lg, facts, indicators = lang(), case.of_case(ds, "facts", CASE), case.of_case(ds, "indicators", CASE)
source, asof = frame.source_title(ds), frame.current_as_of(ds)
case.title(ds, CASE)

st.subheader(t("fcg.tax.title"))
show.facts_metrics(facts, TAX, asof, columns=3)
show.indicator_metrics(indicators, ["fcg_avg_vat_refund_per_household", "fcg_largest_firm_share_of_refunds"], columns=2)

st.subheader(t("fcg.finance.title"))
show.facts_metrics(facts, FINANCE, asof, columns=2)
show.indicator_metrics(indicators, ["fcg_guihui_cost_reduction_per_firm", "fcg_avg_guarantee_per_household"], columns=2)

st.subheader(t("fcg.trade.title"))
show.facts_metrics(facts, ["fcg_receivables_deals_2022", "fcg_receivables_amount_2022", "fcg_receivables_deals_growth_2022",
                           "fcg_receivables_amount_growth_2022"], asof, columns=2)
st.markdown(f"**{t('fcg.receivables.title')}**")
for column, (measure, (fact_id, implied_id)) in zip(st.columns(2), RECEIVABLES.items()):
    with column:
        rows = ds.derived((CASE, "receivables", fact_id, lg), lambda f=fact_id, i=implied_id: views.stack(
            views.values(facts, [f], lg).assign(label="2022"), views.indicator_values(indicators, [i], lg).assign(label="2021")))
        charts.show(ChartSpec(f"fcg_receivables_{fact_id}", "bar", rows, t(measure),
                              derived=True, unit=views.by_id(facts, "fact_id").at[fact_id, "unit"], height=240), source)
show.indicator_metrics(indicators, ["fcg_receivables_avg_per_deal"], columns=2)
show.facts_metrics(facts, TRADE, asof, columns=3)
money = ds.derived((CASE, "money", lg), lambda: views.money_facts(facts, ds["cases"], lg))
charts.show(ChartSpec("fcg_money", "bar", money, t("fcg.money.title"), log=True,
                      value_title=t("chart.axis.log_yuan"), unit="元", height=480), source)

case.practices(ds, CASE)
case.timeline(ds, CASE)
case.all_figures(ds, CASE)
frame.footer(ds, PARAMS)
