"""Sections every case page shares: title, practices, timeline, all figures, derived indicators."""
from __future__ import annotations

import streamlit as st

from metrics import views
from metrics.charts import ChartSpec
from metrics.store import Dataset

from . import charts, frame, show
from .i18n import lang, t


def title(ds: Dataset, case_id: str) -> None:
    case = ds.derived(("case_row", case_id), lambda: ds["cases"].set_index("case_id").loc[case_id])
    st.title(case[views.col(lang(), "title")])
    st.caption(t("case.author", author=show.md(case[views.col(lang(), "author")]),
                 locality=show.md(case[views.col(lang(), "locality")])))


def of_case(ds: Dataset, table: str, case_id: str):
    """The case's rows of a table (made once per loaded dataset; read-only)."""
    return ds.derived(("of_case", table, case_id), lambda: ds[table][ds[table]["case_id"] == case_id])


def headline(ds: Dataset, case_id: str, columns: int = 3) -> None:
    facts = of_case(ds, "facts", case_id)
    ids = ds.derived(("headline_ids", case_id), lambda: facts.loc[facts["headline"], "fact_id"].tolist())
    show.facts_metrics(facts, ids, frame.current_as_of(ds), columns)


def practices(ds: Dataset, case_id: str) -> None:
    st.subheader(t("case.practices"))
    lg = lang()
    table = ds.derived(("practices", case_id, lg),
                       lambda: show.arrow(views.practices_table(of_case(ds, "practices", case_id), ds["facts"], lg)))
    st.dataframe(table, hide_index=True, width="stretch", alt=t("case.practices"))


def timeline(ds: Dataset, case_id: str) -> None:
    events = of_case(ds, "events", case_id)
    if events.empty:
        return
    lg, asof = lang(), frame.current_as_of(ds)

    def tables() -> tuple:
        data = views.timeline(events, ds["cases"], lg, asof)
        return data, show.arrow(data[["when", "label", "quote"]].rename(
            columns={"when": t("col.date"), "label": t("col.event"), "quote": t("col.quote")}))

    data, table = ds.derived(("timeline", case_id, lg, asof), tables)
    charts.show(ChartSpec(f"timeline_{case_id}", "timeline", data, t("case.timeline"), height=260), frame.source_title(ds))
    st.dataframe(table, hide_index=True, width="stretch")


def indicators(ds: Dataset, case_id: str) -> None:
    rows = of_case(ds, "indicators", case_id)
    if rows.empty:
        return
    st.subheader(t("case.indicators"))
    show.indicator_metrics(rows, rows["indicator_id"].tolist())


def all_figures(ds: Dataset, case_id: str, expanded: bool = False) -> None:
    lg, unit, asof = lang(), show.unit_choice(), frame.current_as_of(ds)

    def tables() -> list:
        facts = views.with_display(of_case(ds, "facts", case_id), lg, unit, asof)
        return [(kind, show.arrow(part[["label", "shown", "as_published", "period_text", "quote", "fact_id"]].rename(
            columns={"label": t("col.indicator"), "shown": t("col.value"), "as_published": t("col.as_published"),
                     "period_text": t("col.period"), "quote": t("col.quote"), "fact_id": t("col.id")})))
            for kind, part in facts.groupby("kind_text", sort=False)]

    with st.expander(t("case.all_figures"), expanded=expanded, icon=":material/format_list_numbered:"):
        for kind, part in ds.derived(("all_figures", case_id, lg, unit, asof), tables):
            st.markdown(f"**{show.md(kind)}**")
            st.dataframe(part, hide_index=True, width="stretch")
