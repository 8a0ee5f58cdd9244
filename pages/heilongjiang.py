"""黑龙江 · 双稳基金: the two rounds, and three illustrative calculators driven by the published parameters."""
import streamlit as st

from metrics import calculators, numbers, views
from metrics.charts import ChartSpec
from ui import case, charts, data, frame, show
from ui.i18n import lang, t
from ui.state import Param

CASE = "heilongjiang"
SHARES = {"hlj.party.fund": "hlj_risk_share_fund", "hlj.party.bank": "hlj_risk_share_bank",
          "hlj.party.guarantor": "hlj_risk_share_guarantor"}
ROUNDS = {"hlj.round1": "hlj_round1_amount", "hlj.round2": "hlj_round2_amount"}
NPL = Param("npl", 1000.0, 0.0, 10_000_000.0)          # 万元
LOAN = Param("loan", 300.0, 0.0, 1_000_000.0)          # 万元
TERM = Param("term", 1.0, 0.1, 30.0)                   # years
RATE = Param("rate", 3.0, 0.0, 100.0)                  # %
PARAMS = [NPL, LOAN, TERM, RATE]

ds = data.dataset()
frame.header(ds, PARAMS)
frame.require_case(ds, CASE)
lg, facts, indicators = lang(), case.of_case(ds, "facts", CASE), case.of_case(ds, "indicators", CASE)
fact = views.by_id(facts, "fact_id")
source, asof = frame.source_title(ds), frame.current_as_of(ds)
case.title(ds, CASE)


def number_input(param: Param, label_key: str, step: float) -> float:
    return st.number_input(t(label_key), min_value=param.low, max_value=param.high, step=step, key=param.key)


st.subheader(t("hlj.rounds.title"))
st.info(t("hlj.rounds.note"), icon=":material/info:")
for round_key, count_id, amount_id, average_id in (
        ("hlj.round1", "hlj_round1_loans", "hlj_round1_amount", "hlj_round1_avg_per_loan"),
        ("hlj.round2", "hlj_round2_firms", "hlj_round2_amount", "hlj_round2_avg_per_firm")):
    st.markdown(f"**{t(round_key)}**")
    count_col, amount_col, average_col = st.columns(3)
    with count_col:
        show.facts_metrics(facts, [count_id], asof, columns=1)
    with amount_col:
        show.facts_metrics(facts, [amount_id], asof, columns=1)
    with average_col:
        show.indicator_metrics(indicators, [average_id], columns=1)
show.indicator_metrics(indicators, ["hlj_two_rounds_total"], columns=3)

st.subheader(t("hlj.risk.title"))
st.caption(t("hlj.calc.illustrative"))
shares = {t(label): fact.at[fid, "value"] for label, fid in SHARES.items()}
show.indicator_metrics(indicators, ["hlj_risk_share_fund_pct", "hlj_risk_share_bank_pct", "hlj_risk_share_guarantor_pct"])
loss_wan = number_input(NPL, "hlj.risk.input", 100.0)
ratio = ":".join(numbers.decimal(v, lg) for v in shares.values())
st.caption(t("hlj.risk.assume", ratio=ratio))
split = calculators.risk_sharing(loss_wan * 1e4, shares)
charts.show(ChartSpec("hlj_risk_split", "stacked", views.amounts(split, lg, numbers.auto_money(loss_wan * 1e4, "exact", lg)),
                      t("hlj.risk.title"), unit="万元", derived=True, height=220), source)

st.subheader(t("hlj.fee.title"))
st.caption(t("hlj.calc.illustrative"))
rate, threshold = ds.derived((CASE, "fee_facts"), lambda: (fact.loc["hlj_guarantee_fee_rate"],
                                                            fact.loc["hlj_fee_waiver_threshold"]))
show.facts_metrics(facts, ["hlj_guarantee_fee_rate", "hlj_fee_waiver_threshold"], asof, columns=2)
amount_col, term_col = st.columns(2)
with amount_col:
    loan_wan = number_input(LOAN, "hlj.fee.amount", 50.0)
with term_col:
    years = number_input(TERM, "hlj.fee.term", 0.5)
threshold_text = views.fact_display(threshold, lg)
st.caption(t("hlj.fee.assume", rate=views.fact_display(rate, lg), threshold=threshold_text))
fee = calculators.guarantee_fee(loan_wan * 1e4, years, rate["value_base"], threshold["value_base"])
st.success(t("hlj.fee.waived" if fee.waived else "hlj.fee.not_waived", threshold=threshold_text), icon=":material/calculate:")
for column, (key, amount) in zip(st.columns(3), {"hlj.fee.total": fee.fee, "hlj.fee.firm": fee.paid_by_firm,
                                                 "hlj.fee.subsidy": fee.paid_by_government}.items()):
    column.metric(t(key), numbers.money(amount, lg, "元"), border=True)

st.subheader(t("hlj.portfolio.title"))
st.caption(t("hlj.calc.illustrative"))
npl_rate = st.slider(t("hlj.portfolio.rate"), min_value=RATE.low, max_value=RATE.high, step=0.5, key=RATE.key)
fund_share = calculators.risk_sharing(1.0, shares)[t("hlj.party.fund")]
st.caption(t("hlj.portfolio.assume", share=numbers.quantity(fund_share * 100, "%", "exact", lg)))
exposure = calculators.fund_exposure({t(k): fact.at[fid, "value_base"] for k, fid in ROUNDS.items()}, npl_rate / 100, fund_share)
charts.show(ChartSpec("hlj_exposure", "bar", views.amounts(exposure, lg), t("hlj.portfolio.exposure"), unit="亿元",
                      derived=True, height=220), source)

case.practices(ds, CASE)
case.timeline(ds, CASE)
case.all_figures(ds, CASE)
frame.footer(ds, PARAMS)
