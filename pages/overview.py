"""总览 Overview, organised by practice family: each family's case cards, then charts that put only like measures
side by side (one comparable indicator at a time, values sharing a kind of period), one timeline, what the data is.

At most ``compare.CASES_PER_FAMILY`` cards and ``compare.CHARTS_PER_FAMILY`` charts per family, so the page costs the
same however many cases there are; every case stays one click away in each family's list and in the navigation.
"""
import streamlit as st

from metrics import compare, numbers, views
from metrics.charts import ChartSpec
from ui import case as case_sections
from ui import charts, data, finder, frame, navigation, show
from ui.i18n import lang, t

PARAMS = []  # only the shared language and unit inputs
CARDS_PER_ROW = 2   # a card's headline values (e.g. "26,000 recipients") are seen whole at a laptop's width

ds = data.dataset()
lg = lang()
frame.header(ds, PARAMS)
st.title(t("app.title"))
st.caption(t("overview.intro"))
if ds.broken():
    frame.show_problems(ds.broken())

records = {case["case_id"]: case for case in navigation.case_records(ds)}
sections = ds.derived(("overview_families", lg, compare.CASES_PER_FAMILY, compare.CHARTS_PER_FAMILY),
                      lambda: compare.family_sections(data.overview_facts(ds), ds["cases"], ds["sources"], lg))


def sources_of(case_ids: list[str]) -> str:
    """The titles of these cases' articles only: a caption names the sources of what it shows."""
    return frame.source_title(ds, [records[c]["source_id"] for c in case_ids if c in records])


def card(case: dict) -> None:
    with st.container(border=True):
        st.subheader(case[views.col(lg, "short")])
        st.caption(t("case.author", author=show.md(case[views.col(lg, "author")]),
                     locality=show.md(case[views.col(lg, "locality")])))
        if not case["available"] or ds.broken(case["case_id"]):
            frame.show_problems(ds.broken(case["case_id"]))
            return
        case_sections.headline(ds, case["case_id"], columns=1)
        st.page_link(navigation.case_page(case), label=t("overview.open_case"), icon=":material/arrow_forward:")


for section in sections:
    st.header(getattr(section.family, f"name_{lg}"), divider="gray")
    st.caption(t("overview.family.cases", n=len(section.featured) + len(section.more)))
    for start in range(0, len(section.featured), CARDS_PER_ROW):
        for column, case_id in zip(st.columns(CARDS_PER_ROW), section.featured[start:start + CARDS_PER_ROW]):
            with column:
                card(records[case_id])
    if section.more and navigation.many(ds):   # thousands of cases: the finder, narrowed to this family
        st.page_link(navigation.finder_page(ds), label=t("overview.family.find", n=numbers.decimal(len(section.more), lg, 0)),
                     icon=":material/travel_explore:", query_params={finder.FAMILY.key: section.family.family})
    elif section.more:
        st.caption(t("overview.family.more", n=len(section.more)))
        for column_index, column in enumerate(st.columns(CARDS_PER_ROW)):
            with column:
                for case_id in section.more[column_index::CARDS_PER_ROW]:
                    st.page_link(navigation.case_page(records[case_id]), label=records[case_id][views.col(lg, "short")])
    for block in section.blocks:
        charts.show(ChartSpec(f"family_{block.code.code}", "bar", block.chart, block.chart_title, unit=block.unit,
                              height=120 + 40 * len(block.chart)), sources_of(block.rows["case_id"].unique().tolist()))
        if block.not_charted:
            st.caption(t("compare.not_charted", rows=block.not_charted))
        st.page_link("pages/compare.py", label=t("overview.family.compare"), icon=":material/compare_arrows:",
                     query_params={"code": block.code.code})
    for code in section.linked:
        st.page_link("pages/compare.py", label=f"{t('overview.family.compare')}: {getattr(code, f'name_{lg}')}",
                     icon=":material/compare_arrows:", query_params={"code": code.code})
    if not section.blocks and not section.linked:
        st.caption(t("overview.family.none"))

shown = [case_id for section in sections for case_id in section.featured]
asof = frame.current_as_of(ds)


def timeline() -> tuple:
    rows = views.timeline(ds.rows("events", shown), ds["cases"], lg, asof)
    return views.cap_per_case(rows, views.PER_CASE, "date")


events, capped = ds.derived(("overview_timeline", lg, asof, tuple(shown), views.PER_CASE), timeline)
st.header(t("overview.timeline.title"), divider="gray")
if capped:
    st.caption(t("overview.capped", n=views.PER_CASE))
charts.show(ChartSpec("timeline", "timeline", events, t("overview.timeline.title"), height=320), sources_of(shown))

st.subheader(t("overview.about.title"))
st.write(t("overview.about.body", **ds.counts()))
frame.footer(ds, PARAMS, case_ids=list(records))
