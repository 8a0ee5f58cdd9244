"""总览 Overview: a card per case, cross-case comparisons, one timeline, and what the data is."""
import streamlit as st

from metrics import views
from metrics.charts import ChartSpec
from ui import charts, data, frame, navigation, show
from ui.i18n import lang, t

PARAMS = []  # only the shared language and unit inputs

ds = data.dataset()
lg = lang()
frame.header(ds, PARAMS)
st.title(t("app.title"))
st.caption(t("overview.intro"))
if ds.broken():
    frame.show_problems(ds.broken())

cases, facts = ds["cases"], ds["facts"]
asof = frame.current_as_of(ds)
for column, (_, case) in zip(st.columns(max(len(cases), 1)), cases.iterrows()):
    with column, st.container(border=True):
        st.subheader(case[views.col(lg, "short")])
        st.caption(t("case.author", author=show.md(case[views.col(lg, "author")]), locality=show.md(case[views.col(lg, "locality")])))
        if not case["available"]:
            frame.show_problems(ds.broken(case["case_id"]))
            continue
        case_facts = facts[facts["case_id"] == case["case_id"]]
        for _, row in case_facts[case_facts["headline"]].iterrows():
            show.fact_metric(row, asof)
        st.page_link(navigation.case_page(case), label=t("overview.open_case"), icon=":material/arrow_forward:")

source = frame.source_title(ds)
st.info(t("overview.per_beneficiary.note"), icon=":material/info:")
charts.show(ChartSpec("per_beneficiary", "bar", views.per_beneficiary(ds["indicators"], cases, lg),
                      t("overview.per_beneficiary.title"),
                      color="beneficiary", derived=True, unit="万元"), source)
charts.show(ChartSpec("money_log", "bar", views.money_facts(facts, cases, lg), t("overview.money.title"),
                      value_title=t("chart.axis.log_yuan"), color="case", log=True, unit="元",
                      height=max(400, 26 * int((facts["base_unit"] == "CNY").sum()))), source)
charts.show(ChartSpec("timeline", "timeline", views.timeline(ds["events"], cases, lg, asof), t("overview.timeline.title"),
                      height=320), source)

st.subheader(t("overview.about.title"))
st.write(t("overview.about.body", **views.case_counts(ds.tables)))
frame.footer(ds, PARAMS)
