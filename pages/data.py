"""数据与来源 Data & sources: every fact, event, practice and indicator; the article with every figure marked."""
import streamlit as st

from metrics import exports, fields, numbers, views
from metrics.catalog import text
from metrics.vocab import KINDS
from ui import data, frame, show
from ui.i18n import lang, t
from ui.state import Param

TABS = ("facts", "events", "practices", "indicators", "dictionary", "article")
TABLE_TABS = TABS[:4]
SEARCH_COLUMNS = {
    "facts": ["indicator_zh", "indicator_en", "scope_zh", "scope_en", "quote", "fact_id", "printed"],
    "events": ["label_zh", "label_en", "quote", "event_id", "date"],
    "practices": ["name_zh", "name_en", "model_zh", "model_en", "applied_to_zh", "applied_to_en", "quote"],
    "indicators": ["name_zh", "name_en", "formula", "caveat_zh", "caveat_en", "indicator_id"],
}

ds = data.dataset()
lg = lang()
CASES = Param("case", [], options=tuple(ds.case_ids()), multi=True)
KIND = Param("kind", [], options=KINDS, multi=True)
QUERY = Param("q", "")
TAB = Param("tab", TABS[0], options=TABS)
PARAMS = [CASES, KIND, QUERY, TAB]
frame.header(ds, PARAMS)
st.title(t("nav.data"))
st.caption(t("data.intro"))
if ds.problems:
    frame.show_problems(ds.problems)

names = views.case_names(ds["cases"], lg).to_dict()
left, middle, right = st.columns([2, 2, 3])
chosen = left.multiselect(t("data.filter.case"), list(CASES.options), format_func=names.get, key=CASES.key,
                        placeholder=t("data.filter.all"))
kinds = middle.multiselect(t("data.filter.kind"), KINDS, format_func=lambda k, lg=lg: text(f"kind.{k}", lg), key=KIND.key,
                        placeholder=t("data.filter.all"))
query = right.text_input(t("data.filter.search"), key=QUERY.key, max_chars=200)
note = t("data.note", title=frame.source_title(ds), licence=" ".join(dict.fromkeys(ds["sources"][views.col(lg, "licence")])),
         version=ds.data_version)


def downloads(name: str, shown, everything) -> None:
    described = fields.select(ds["dictionary"], name, list(everything.columns))
    for column, (fmt, (builder, ext, mime)) in zip(st.columns(len(exports.FORMATS)), exports.FORMATS.items()):
        with column:
            st.download_button(f"{t('data.download.shown')} · {t('data.download.' + fmt)}", lambda b=builder, d=shown: b(d, note, described),
                               file_name=f"{name}_shown.{ext}", mime=mime, on_click="ignore", icon=":material/download:",
                               key=f"dl_{name}_{fmt}_shown")
            st.download_button(f"{t('data.download.all')} · {t('data.download.' + fmt)}", lambda b=builder, d=everything: b(d, note, described),
                               file_name=f"{name}_all.{ext}", mime=mime, on_click="ignore", icon=":material/download:",
                               key=f"dl_{name}_{fmt}_all", type="tertiary")


def page_of(name: str, shown):
    """The rows of the chosen page of ``shown``, with a page picker when there is more than one page."""
    pages = max(1, -(-len(shown) // views.TABLE_PAGE_ROWS))
    if pages == 1:
        return shown
    key = f"page_{name}"
    if st.session_state.get(key, 1) > pages:   # the filter narrowed the rows since: stay on the last page
        st.session_state[key] = pages
    page = st.number_input(t("data.page", pages=numbers.decimal(pages, lg, 0)), min_value=1, max_value=pages, step=1,
                           key=key, width=240)
    first = (page - 1) * views.TABLE_PAGE_ROWS
    part = shown.iloc[first:first + views.TABLE_PAGE_ROWS]
    st.caption(t("data.page.rows", size=numbers.decimal(views.TABLE_PAGE_ROWS, lg, 0), first=numbers.decimal(first + 1, lg, 0),
                 last=numbers.decimal(first + len(part), lg, 0), shown=numbers.decimal(len(shown), lg, 0)))
    return part


def grid(name: str, shown, table):
    """The rows the grid sends. Unfiltered, each page of rows is converted for sending once per dataset."""
    rows = page_of(name, shown)
    if shown is not table:
        return rows.drop(columns=["source_file"], errors="ignore")
    first = table.index.get_loc(rows.index[0]) if len(rows) else 0
    return show.arrow_rows(table, first, len(rows), ("source_file",))


labels = [t(f"data.tab.{name}") for name in TABS]
tabs = st.tabs(labels, default=labels[TABS.index(st.session_state[TAB.key])], key=f"tabs_{lg}", on_change="rerun")
st.session_state[TAB.key] = next((name for name, tab in zip(TABS, tabs) if tab.open), TAB.default)
for name, tab in zip(TABLE_TABS, tabs):
    if not tab.open:
        continue
    with tab:
        table = ds[name]
        shown = views.search(views.select(table, chosen, kinds), query, SEARCH_COLUMNS[name])
        st.caption(t("data.shown", shown=numbers.decimal(len(shown), lg, 0), total=numbers.decimal(len(table), lg, 0)))
        if shown.empty:
            st.info(t("data.empty"))
        st.dataframe(grid(name, shown, table), hide_index=True, width="stretch", height=460, alt=t(f"data.tab.{name}"))
        downloads(name, shown, table)

with tabs[TABS.index("dictionary")]:
    if tabs[TABS.index("dictionary")].open:
        st.caption(t("data.dictionary.intro"))
        st.dataframe(ds["dictionary"], hide_index=True, width="stretch", height=460, alt=t("data.tab.dictionary"))

with tabs[-1]:
    if tabs[-1].open:
        facts = ds["facts"]
        for _, source in ds["sources"].iterrows():
            st.subheader(source[views.col(lg, "title")])
            st.caption(t("data.article.meta", title=show.md(source["file"]), published=show.md(source["published"])) + " · "
                       + t("data.article.legend"))
            segments = views.marked_article(source["normalized"], facts[facts["source_id"] == source["source_id"]])
            marked = "".join(f":orange-background[{show.md(text)}]" if fid else show.md(text) for text, fid in segments)
            with st.container(height=520, border=True):
                st.markdown(marked.replace("。", "。\n\n"))
frame.footer(ds, PARAMS)
