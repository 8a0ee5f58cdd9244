"""总览 Overview: a card per case, cross-case comparisons, one timeline, and what the data is.

The page compares at most ``views.FEATURED_CASES`` cases, so it costs the same however large the fact base grows;
every case stays one click away in the list beneath the cards and in the navigation.
"""
import streamlit as st

from metrics import views
from metrics.charts import ChartSpec
from ui import case as case_sections
from ui import charts, data, frame, navigation, show
from ui.i18n import lang, t

PARAMS = []  # only the shared language and unit inputs
CARDS_PER_ROW = 3

ds = data.dataset()
lg = lang()
frame.header(ds, PARAMS)
st.title(t("app.title"))
st.caption(t("overview.intro"))
if ds.broken():
    frame.show_problems(ds.broken())

all_cases = ds["cases"]
cases = views.featured(all_cases, views.FEATURED_CASES)
ids = cases["case_id"].tolist()
asof = frame.current_as_of(ds)
rows = navigation.case_records(ds)[:len(cases)]
for start in range(0, len(rows), CARDS_PER_ROW):
    for column, case in zip(st.columns(CARDS_PER_ROW), rows[start:start + CARDS_PER_ROW]):
        with column, st.container(border=True):
            st.subheader(case[views.col(lg, "short")])
            st.caption(t("case.author", author=show.md(case[views.col(lg, "author")]),
                         locality=show.md(case[views.col(lg, "locality")])))
            if not case["available"]:
                frame.show_problems(ds.broken(case["case_id"]))
                continue
            case_sections.headline(ds, case["case_id"], columns=1)
            st.page_link(navigation.case_page(case), label=t("overview.open_case"), icon=":material/arrow_forward:")
if len(all_cases) > len(cases):
    st.caption(t("overview.more", total=len(all_cases), shown=len(cases)))
    with st.container(height=200):
        for column_index, column in enumerate(st.columns(CARDS_PER_ROW)):
            with column:
                for case in navigation.case_records(ds)[column_index::CARDS_PER_ROW]:
                    st.page_link(navigation.case_page(case), label=case[views.col(lg, "short")])



def featured_chart(name: str, by: str, shape) -> tuple:
    """A chart's rows for the featured cases, at most views.PER_CASE per case (made once per dataset and language)."""
    def make():
        rows = shape(views.of_cases(ds[name], ids))
        return views.cap_per_case(rows, views.PER_CASE, by)
    return ds.derived(("overview", name, lg, asof, tuple(ids), views.PER_CASE), make)


source = frame.source_title(ds, cases["source_id"].tolist())   # only the sources of the cases compared
beneficiary, capped_b = featured_chart("indicators", "value", lambda rows: views.per_beneficiary(rows, cases, lg))
money, capped_m = featured_chart("facts", "value", lambda rows: views.money_facts(rows, cases, lg))
events, capped_e = featured_chart("events", "date", lambda rows: views.timeline(rows, cases, lg, asof))
st.info(t("overview.per_beneficiary.note"), icon=":material/info:")
if capped_b or capped_m or capped_e:
    st.caption(t("overview.capped", n=views.PER_CASE))
charts.show(ChartSpec("per_beneficiary", "bar", beneficiary, t("overview.per_beneficiary.title"),
                      color="beneficiary", derived=True, unit="万元", height=max(380, 26 * len(beneficiary))), source)
charts.show(ChartSpec("money_log", "bar", money, t("overview.money.title"),
                      value_title=t("chart.axis.log_yuan"), color="case", log=True, unit="元",
                      height=max(400, 26 * len(money))), source)
charts.show(ChartSpec("timeline", "timeline", events, t("overview.timeline.title"), height=320), source)

st.subheader(t("overview.about.title"))
st.write(t("overview.about.body", **views.case_counts(ds.tables)))
frame.footer(ds, PARAMS, case_ids=ids)
