"""比较 Compare: one comparable indicator, or every indicator of a practice family, across localities.

Values are in one unit with period and scope beside them; rows that differ in kind of period or of figure are
flagged and left out of the chart; each row links to its figure on the data page. Shaping: metrics/compare.py.
"""
import streamlit as st

from metrics import compare, views
from metrics.charts import ChartSpec
from metrics.finder import LISTED_CASES
from ui import charts, data, frame
from ui import compare as shown_
from ui.i18n import lang, t
from ui.state import Param

ds = data.dataset()
lg = lang()
FAMILIES, CODES = compare.lists()
FAMILY = Param("family", next(iter(FAMILIES)), options=tuple(FAMILIES))
CODE = Param("code", compare.ALL, options=(compare.ALL, *CODES))
LARGE = len(ds["cases"]) > LISTED_CASES   # the collection's provinces and a ranked chart to choose from
PROVINCES = Param("provinces", [], options=tuple(shown_.provinces(ds)), multi=True)
RANK = Param("rank", compare.RANKS[0], options=compare.RANKS)
PARAMS = [FAMILY, CODE, PROVINCES, RANK]
linked = CODE.key not in st.session_state   # this run seeds the indicator from the link (frame.header)
frame.header(ds, PARAMS)
st.title(t("nav.compare"))
st.caption(t("compare.intro"))

counts = shown_.counts(ds)
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
if LARGE:
    left, right = st.columns(2)
    names = shown_.provinces(ds)
    left.multiselect(t("compare.provinces"), list(names), key=PROVINCES.key, format_func=names.get,
                     placeholder=t("data.filter.all"))
    right.radio(t("compare.rank"), compare.RANKS, key=RANK.key, format_func=lambda r: t(f"compare.rank.{r}"), horizontal=True)
# A small collection offers neither choice: a link naming one does not narrow what it shows.
chosen, rank = (st.session_state[PROVINCES.key], st.session_state[RANK.key]) if LARGE else ([], compare.RANKS[0])
shown = [CODES[code]] if code != compare.ALL else [c for c in in_family if counts.get(c.code)]
size = views.TABLE_PAGE_ROWS if code != compare.ALL else compare.FAMILY_TABLE_ROWS   # rows a grid holds at a time
note = t("data.note", title=frame.source_title(ds), licence=" ".join(dict.fromkeys(ds["sources"][f"licence_{lg}"])),
         version=ds.data_version)

for item in shown:
    st.subheader(getattr(item, f"name_{lg}"))
    block = shown_.shown(ds, item, chosen, rank)
    # One indicator's grid pages through its rows; a family's grids show each indicator's first rows (a page picker
    # per indicator made a long page of pickers, and cost a rerun its time), said in the caption above them.
    page = shown_.page(item.code, len(block.view.matching), size) if code != compare.ALL else 1
    grid = shown_.grid(ds, item.code, block, chosen, page, size)
    cut = len(grid) < len(block.view.matching)
    st.caption(shown_.heading_note(block, counts.get(item.code, 0), len(grid) if cut and code == compare.ALL else 0))
    st.dataframe(grid, hide_index=True, width="stretch", column_config={
        t("col.link"): st.column_config.LinkColumn(t("col.link"), display_text=t("compare.link")),
        t("col.flags"): st.column_config.TextColumn(t("col.flags"), help=t("compare.flags.help"))})
    if cut:
        if code != compare.ALL:
            st.caption(shown_.rows_note(block, page, size, len(grid)))
        shown_.download(ds, item.code, block, note)
    if len(block.chart) >= 2:   # one download per indicator: the chart's data when the grid holds every row
        charts.show(ChartSpec(f"compare_{item.code}", "bar", block.chart, block.title, unit=block.unit,
                              height=120 + 40 * len(block.chart)), frame.source_title(ds, block.source_ids),
                    notes=shown_.chart_notes(block, rank), download=len(grid) == len(block.view.matching))
    elif block.not_charted and len(block.chart) == 1 and len(block.view.matching) >= 2:
        st.caption(shown_.not_charted_note(block))
if code == compare.ALL:
    unreported = [getattr(c, f"name_{lg}") for c in in_family if not counts.get(c.code)]
    if unreported:
        st.caption(t("compare.unreported", codes="、".join(unreported) if lg == "zh" else "; ".join(unreported)))
frame.footer(ds, PARAMS)
