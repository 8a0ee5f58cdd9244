"""比较 Compare: one comparable indicator, or every indicator of a practice family, across localities.

Values are in one unit with period and scope beside them; rows that differ in kind of period or of figure are
flagged and left out of the chart; each row links to its figure on the data page. Shaping: metrics/compare.py.
"""
import streamlit as st

from metrics import compare
from metrics.charts import ChartSpec
from ui import charts, data, frame
from ui.i18n import lang, t
from ui.state import Param

ds = data.dataset()
lg = lang()
FAMILIES, CODES = compare.lists()
FAMILY = Param("family", next(iter(FAMILIES)), options=tuple(FAMILIES))
CODE = Param("code", compare.ALL, options=(compare.ALL, *CODES))
PARAMS = [FAMILY, CODE]
linked = CODE.key not in st.session_state   # this run seeds the indicator from the link (frame.header)
frame.header(ds, PARAMS)
st.title(t("nav.compare"))
st.caption(t("compare.intro"))

counts = ds.derived(("compare_counts",), lambda: compare.reporting(data.coded_facts(ds), ds["cases"]))
chosen_code = st.session_state[CODE.key]
if chosen_code != compare.ALL and CODES[chosen_code].family != st.session_state[FAMILY.key]:
    if linked:   # a linked indicator brings its family with it
        st.session_state[FAMILY.key] = CODES[chosen_code].family
        if FAMILY.key in st.query_params:   # the link named another family: say why it is not shown
            st.caption(t("compare.code.moved", family=getattr(FAMILIES[CODES[chosen_code].family], f"name_{lg}")))
    else:        # the reader chose another family: all of its indicators. Decided here, not in an on_change
        # callback: a rerun asked for by ui.ensure_entry_script carries the widgets' values and would undo it.
        st.session_state[CODE.key] = compare.ALL


def code_label(code: str) -> str:
    if code == compare.ALL:
        return t("compare.code.all")
    return f"{getattr(CODES[code], f'name_{lg}')} · {counts.get(code, 0)}"


left, right = st.columns(2)
family = left.selectbox(t("compare.family"), list(FAMILIES), key=FAMILY.key,
                        format_func=lambda f: getattr(FAMILIES[f], f"name_{lg}"))
in_family = compare.family_codes(family, CODES)
code = right.selectbox(t("compare.code"), [compare.ALL, *(c.code for c in in_family)], key=CODE.key,
                       format_func=code_label)
shown = [CODES[code]] if code != compare.ALL else [c for c in in_family if counts.get(c.code)]

cases_of = ds["cases"].set_index("case_id")["source_id"]
for item in shown:
    block = ds.derived(("compare_block", item.code, lg),
                       lambda item=item: compare.block(data.coded_facts(ds), ds["cases"], ds["sources"], item, lg))
    st.subheader(getattr(item, f"name_{lg}"))
    st.caption(t("compare.localities", n=block.localities) + " · " + t("compare.unit", unit=block.unit_text))
    st.dataframe(block.table, hide_index=True, width="stretch", column_config={
        t("col.link"): st.column_config.LinkColumn(t("col.link"), display_text=t("compare.link")),
        t("col.flags"): st.column_config.TextColumn(t("col.flags"), help=t("compare.flags.help"))})
    if block.localities < 2:
        st.caption(t("compare.one_locality"))
    if len(block.chart) >= 2:
        charts.show(ChartSpec(f"compare_{item.code}", "bar", block.chart, block.chart_title, unit=block.unit,
                              height=120 + 40 * len(block.chart)),
                    frame.source_title(ds, cases_of[block.rows["case_id"].unique()].unique().tolist()))
        if block.at_least:
            st.caption(t("compare.at_least"))
    if block.not_charted and len(block.chart) >= 1 and len(block.rows) >= 2:
        st.caption(t("compare.not_charted", rows=block.not_charted))
if code == compare.ALL:
    unreported = [getattr(c, f"name_{lg}") for c in in_family if not counts.get(c.code)]
    if unreported:
        st.caption(t("compare.unreported", codes="、".join(unreported) if lg == "zh" else "; ".join(unreported)))
frame.footer(ds, PARAMS)
