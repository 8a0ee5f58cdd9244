"""数据与来源 Data & sources: every fact, event, practice and indicator; the article with every figure marked."""
import streamlit as st

from metrics import exports, fields, numbers, query, search_index, views
from metrics.catalog import text
from metrics.vocab import KINDS
from ui import data, frame, show
from ui.i18n import lang, t
from ui.state import Param

TABS = ("facts", "events", "practices", "indicators", "dictionary", "article")
TABLE_TABS = TABS[:4]
SEARCH_COLUMNS = search_index.SEARCH_COLUMNS

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

names = ds.derived(("case_names", lg), lambda: views.case_names(ds["cases"], lg).to_dict())
left, middle, right = st.columns([2, 2, 3])
# A large collection offers the chosen cases and the first few; any other is typed by its id (the finder shows it).
offered = data.case_choices(ds, st.session_state.get(CASES.key, []))
chosen = left.multiselect(t("data.filter.case"), offered, format_func=lambda c, n=names: n.get(c, c), key=CASES.key,
                          placeholder=t("data.filter.all"), accept_new_options=len(offered) < len(CASES.options))
kinds = middle.multiselect(t("data.filter.kind"), KINDS, format_func=lambda k, lg=lg: text(f"kind.{k}", lg), key=KIND.key,
                        placeholder=t("data.filter.all"))
search = right.text_input(t("data.filter.search"), key=QUERY.key, max_chars=200)
note = t("data.note", title=frame.source_title(ds), licence=" ".join(dict.fromkeys(ds["sources"][views.col(lg, "licence")])),
         version=ds.data_version)


def downloads(name: str, matching) -> None:
    """Downloads of the matching rows and of every row; each table is made only when its button is pressed."""
    table = ds.collection[name]
    described = fields.select(ds["dictionary"], name, table.column_names)
    shown, everything = (lambda: query.rows_of(table, matching).to_pandas()), (lambda: query.rows_of(table, None).to_pandas())
    for column, (fmt, (builder, ext, mime)) in zip(st.columns(len(exports.FORMATS)), exports.FORMATS.items()):
        with column:
            st.download_button(f"{t('data.download.shown')} · {t('data.download.' + fmt)}", lambda b=builder: b(shown(), note, described),
                               file_name=f"{name}_shown.{ext}", mime=mime, on_click="ignore", icon=":material/download:",
                               key=f"dl_{name}_{fmt}_shown")
            st.download_button(f"{t('data.download.all')} · {t('data.download.' + fmt)}", lambda b=builder: b(everything(), note, described),
                               file_name=f"{name}_all.{ext}", mime=mime, on_click="ignore", icon=":material/download:",
                               key=f"dl_{name}_{fmt}_all", type="tertiary")


def page_of(name: str, total: int) -> tuple[int, int]:
    """(first row, rows) of the chosen page of ``total`` matching rows, with a page picker when there is more than one."""
    pages = max(1, -(-total // views.TABLE_PAGE_ROWS))
    if pages == 1:
        return 0, total
    key = f"page_{name}"
    if st.session_state.get(key, 1) > pages:   # the filter narrowed the rows since: stay on the last page
        st.session_state[key] = pages
    page = st.number_input(t("data.page", pages=numbers.decimal(pages, lg, 0)), min_value=1, max_value=pages, step=1,
                           key=key, width=240)
    first = (page - 1) * views.TABLE_PAGE_ROWS
    size = min(views.TABLE_PAGE_ROWS, total - first)
    st.caption(t("data.page.rows", size=numbers.decimal(views.TABLE_PAGE_ROWS, lg, 0), first=numbers.decimal(first + 1, lg, 0),
                 last=numbers.decimal(first + size, lg, 0), shown=numbers.decimal(total, lg, 0)))
    return first, size


def grid(name: str, matching, total: int):
    """The rows the grid sends: one page of the matching rows, fetched from the collection table."""
    first, size = page_of(name, total)
    rows = query.rows_of(ds.collection[name], matching, first, size)
    return rows.drop_columns([c for c in ("source_file",) if c in rows.column_names])


labels = [t(f"data.tab.{name}") for name in TABS]
tabs = st.tabs(labels, default=labels[TABS.index(st.session_state[TAB.key])], key=f"tabs_{lg}", on_change="rerun")
st.session_state[TAB.key] = next((name for name, tab in zip(TABS, tabs) if tab.open), TAB.default)
for name, tab in zip(TABLE_TABS, tabs):
    if not tab.open:
        continue
    with tab:
        matching = data.matching(ds, name, chosen, kinds, search, SEARCH_COLUMNS[name])
        total = query.count(ds.collection[name], matching)
        st.caption(t("data.shown", shown=numbers.decimal(total, lg, 0), total=numbers.decimal(ds.collection[name].num_rows, lg, 0)))
        if not total:
            st.info(t("data.empty"))
        st.dataframe(grid(name, matching, total), hide_index=True, width="stretch", height=460, alt=t(f"data.tab.{name}"))
        downloads(name, matching)

with tabs[TABS.index("dictionary")]:
    if tabs[TABS.index("dictionary")].open:
        st.caption(t("data.dictionary.intro"))
        st.dataframe(ds["dictionary"], hide_index=True, width="stretch", height=460, alt=t("data.tab.dictionary"))

with tabs[-1]:
    if tabs[-1].open:
        shown_articles = data.articles(ds, chosen)
        if len(shown_articles) < len(ds["sources"]) and not chosen:
            st.caption(t("data.article.choose", shown=len(shown_articles), total=numbers.decimal(len(ds["sources"]), lg, 0)))
        for _, source in shown_articles.iterrows():
            st.subheader(source[views.col(lg, "title")])
            st.caption(t("data.article.meta", title=show.md(source["file"]), published=show.md(source["published"])) + " · "
                       + t("data.article.legend"))
            segments = views.marked_article(source["normalized"], data.marks(ds, source["source_id"]))
            marked = "".join(f":orange-background[{show.md(text)}]" if fid else show.md(text) for text, fid in segments)
            with st.container(height=520, border=True):
                st.markdown(marked.replace("。", "。\n\n"))
frame.footer(ds, PARAMS)
