"""The curation workbench's widgets (pages/curate.py lays them out; metrics/curation.py decides and writes).

Every widget's key carries the draft's revision (``cur.<rev>.…``). At the start of a run, ``take_edits`` reads what
the widgets of the shown revision hold, applies it to the draft and saves it (a new revision): the widgets are then
drawn afresh from the saved draft. So what is on screen is always what is on disk, and a save made from an older
revision (another tab) is refused instead of overwriting.
"""
from __future__ import annotations

import os

import pandas as pd
import streamlit as st
import yaml

from metrics import curation as cur
from metrics.units import UNITS
from metrics.vocab import KINDS

from . import data
from .curate_text import t
from .show import md

DRAFT = "curate_draft"          # session key: the draft this tab edits
STALE = "curate_stale"          # session key: the message of a refused save
CHECKED = "curate_checked"      # session key: (files digest, report) of the last validation
QUERY = "draft"                 # ?draft=<case_id>: a refresh reopens the same draft
QUALIFIERS = ("exact", "at_least", "at_most", "approx")
META_LABELS = {"title_zh": "标题 Title (zh)", "title_en": "Title (en)", "publisher_zh": "发布者 Publisher (zh)",
               "publisher_en": "Publisher (en)", "url": "网址 URL (http/https)",
               "published": "发表日期 Published (2022-10-26 / 2022-10 / 2022)", "licence_zh": "版权说明 Licence (zh)",
               "licence_en": "Licence (en)", "completeness": "完整性 Completeness",
               "completeness_note_zh": "缺了什么 What is missing (zh)", "completeness_note_en": "What is missing (en)"}
CASE_LABELS = {"title_zh": "案例标题 Case title (zh)", "title_en": "Case title (en)", "short_zh": "短名 Short name (zh)",
               "short_en": "Short name (en)", "locality_zh": "地区 Locality (zh)", "locality_en": "Locality (en)",
               "province_zh": "省份 Province (zh)", "province_en": "Province (en)",
               "division_code": "行政区划代码 Division code (6 digits)", "family": "实践类别 Family",
               "scope_zh": "默认口径 Default scope of figures (zh)", "scope_en": "Default scope (en)"}


# --- local only -------------------------------------------------------------------------------------------------
def available() -> bool:
    """Local run on the loopback (metrics.curation.writes_allowed): otherwise the page does not exist."""
    return cur.writes_allowed(os.environ, st.get_option("server.address"))


def nav_pages() -> list[st.Page]:
    if not available():
        return []
    return [st.Page("pages/curate.py", title=t("title"), icon=":material/edit_note:", url_path="curate",
                    help=t("help"))]


def data_dir():
    return data.data_dir()


# --- which draft --------------------------------------------------------------------------------------------------
def current() -> dict | None:
    """This tab's draft: kept in the session, reopened from disk after a refresh (?draft=)."""
    draft = st.session_state.get(DRAFT)
    if draft is None and QUERY in st.query_params:
        try:
            draft = cur.load_draft(st.query_params[QUERY], data_dir())
        except cur.CurationError as bad:
            st.error(str(bad))
            draft = None
        st.session_state[DRAFT] = draft
    return draft


def remember(draft: dict) -> None:
    st.session_state[DRAFT] = draft
    st.query_params[QUERY] = draft["case_id"]


def save(draft: dict) -> dict:
    try:
        saved = cur.save_draft(draft, data_dir())
    except cur.StaleDraft as stale:
        st.session_state[STALE] = str(stale)
        return st.session_state[DRAFT]
    st.session_state.pop(STALE, None)
    remember(saved)
    return saved


def chooser() -> None:
    """Open a saved draft, or start one from an article. Buttons act through callbacks (before the page is drawn)."""
    drafts = cur.list_drafts(data_dir())
    if drafts:
        with st.form("cur.open"):
            st.selectbox(t("open"), drafts, key="cur.pick")
            st.form_submit_button(t("open"), icon=":material/folder_open:", on_click=_open)
    with st.form("cur.new"):
        st.subheader(t("new"))
        st.text_input(t("case_id"), max_chars=40, key="cur.new.case_id")
        st.text_area(t("paste"), height=200, key="cur.new.text")
        st.file_uploader(t("upload"), type=["txt", "docx"], key="cur.new.file")
        cols = st.columns(2)
        for i, name in enumerate(NEW_META):
            cols[i % 2].text_input(META_LABELS[name], key=f"cur.new.{name}")
        st.form_submit_button(t("create"), icon=":material/auto_awesome:", type="primary", on_click=_start)


NEW_META = ("title_zh", "publisher_zh", "url", "published")
ERROR = "curate_error"


def _open() -> None:
    remember(cur.load_draft(st.session_state["cur.pick"], data_dir()))


def _start() -> None:
    state = st.session_state
    case_id, text, upload = state["cur.new.case_id"].strip(), state["cur.new.text"], state["cur.new.file"]
    try:
        cur.check_case_id(case_id)
        if upload is not None:
            text = cur.read_upload(upload.name, upload.getvalue())
        if cur.load_draft(case_id, data_dir()) is not None:
            raise cur.CurationError(f"a draft {case_id!r} exists already: open it above, or choose another id")
        clash = cur.taken({"case_id": case_id}, data_dir() / "sources")
        if clash:
            raise cur.CurationError("; ".join(clash))
        draft = cur.new_draft(case_id, text, {name: state[f"cur.new.{name}"].strip() for name in NEW_META})
    except cur.CurationError as bad:
        state[ERROR] = str(bad)
        return
    state.pop(ERROR, None)
    save(draft)


def error_notice() -> None:
    message = st.session_state.pop(ERROR, None)
    if message:
        st.error(message, icon=":material/error:")


# --- edits -----------------------------------------------------------------------------------------------------
def key(draft: dict, *parts: str) -> str:
    return ".".join(["cur", str(draft["rev"]), *parts])


def take_edits(draft: dict) -> dict:
    """What this tab's widgets changed since the draft was drawn, applied and saved."""
    changed = draft
    for block in ("meta", "case"):
        values = {name: st.session_state[key(draft, block, name)] for name in draft[block]
                  if key(draft, block, name) in st.session_state}
        if any(values[n] != draft[block][n] for n in values):
            changed = cur.apply_fields(changed, block, values)
    for section in cur.RECORDS:
        delta = st.session_state.get(key(draft, section))
        if delta and any(delta.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
            changed = cur.apply_edits(changed, section, delta)
    return save(changed) if changed is not draft else draft


def stale_notice() -> None:
    message = st.session_state.get(STALE)
    if not message:
        return
    st.error(t("stale") + message, icon=":material/sync_problem:")
    st.button(t("reload"), icon=":material/refresh:", on_click=_reload)


def _reload() -> None:
    st.session_state.pop(STALE, None)
    remember(cur.load_draft(st.session_state[DRAFT]["case_id"], data_dir()))


def fields_form(draft: dict, block: str, labels: dict) -> None:
    families = [""] + [f["family"] for f in (yaml.safe_load((data_dir() / "sources" / "families.yaml").read_text(
        encoding="utf-8")) or {}).get("families", [])] if block == "case" else []
    cols = st.columns(2)
    for i, name in enumerate(draft[block]):
        label = labels.get(name, name)
        value = str(draft[block][name] or "")
        options = families if name == "family" else cur.COMPLETENESS if name == "completeness" else None
        if options is not None:
            cols[i % 2].selectbox(label, options, index=options.index(value) if value in options else 0,
                                  key=key(draft, block, name))
        else:
            cols[i % 2].text_input(label, value=value, key=key(draft, block, name))


def case_unfinished(draft: dict) -> bool:
    """Keep the case form open until what every case needs is there (it closes once, not after each field)."""
    return not all(str(draft["case"].get(name) or "").strip() for name in ("locality_zh", "division_code", "scope_zh"))


# --- review -----------------------------------------------------------------------------------------------------
def article(draft: dict, chosen: str) -> None:
    """The article with every drafted figure marked (the chosen one in another colour). Markdown only, no HTML:
    every piece of text is escaped (ui.show.md) before the marks are put around it."""
    parts = []
    for piece, fact_id in cur.segments(draft["text"], draft["facts"]):
        if not fact_id:
            parts.append(md(piece))
        elif fact_id == chosen:
            parts.append(f":red-background[**{md(piece)}**]")
        else:
            parts.append(f":orange-background[**{md(piece)}**]")
    with st.container(height=640, key="cur_article"):
        st.markdown("".join(parts))


# What a reviewer compares first: the number, its unit and qualifier, then its name, kind and period.
REVIEW_ORDER = {"facts": ("fact_id", "printed", "unit", "qualifier", "indicator_zh", "kind", "period", "scope_zh",
                          "indicator_en", "scope_en", "value", "quote")}


ROW_PX = 35


def table(draft: dict, section: str) -> None:
    fields = cur.RECORDS[section]
    frame = pd.DataFrame([{k: r.get(k) for k in fields} for r in draft[section]], columns=list(fields))
    if section == "facts":
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    config = {fields[0]: st.column_config.TextColumn(disabled=True, width="small"),
              "printed": st.column_config.TextColumn(width="small"),
              "kind": st.column_config.SelectboxColumn(options=list(KINDS), width="small"),
              "qualifier": st.column_config.SelectboxColumn(options=list(QUALIFIERS), width="small"),
              "unit": st.column_config.SelectboxColumn(options=sorted(UNITS), width="small"),
              "period": st.column_config.TextColumn(width="small"),
              "indicator_zh": st.column_config.TextColumn(width="medium"),
              "value": st.column_config.NumberColumn(format="%g"),
              "quote": st.column_config.TextColumn(width="large")}
    # Tall enough for every row: a saved edit redraws the table, and an inner scroll would jump back to the top.
    st.data_editor(frame, key=key(draft, section), num_rows="dynamic", hide_index=True, width="stretch",
                   height=min(ROW_PX * (len(frame) + 2) + 3, 2000),
                   column_order=REVIEW_ORDER.get(section, fields),
                   column_config={k: v for k, v in config.items() if k in fields})


def sentence(draft: dict) -> str:
    """Choose a figure: its sentence is shown here and its number marked in the article."""
    ids = [f["fact_id"] for f in draft["facts"]]
    names = {f["fact_id"]: f"{f['fact_id']} · {f.get('indicator_zh') or ''} {f.get('printed') or ''}{f.get('unit') or ''}"
             for f in draft["facts"]}
    chosen = st.selectbox(t("show"), [""] + ids, format_func=lambda i: names.get(i, "—"), key="cur.show")
    if chosen:
        fact = next(f for f in draft["facts"] if f["fact_id"] == chosen)
        st.info(cur.sentence_of(draft["text"], str(fact.get("quote") or "")) or "—", icon=":material/format_quote:")
    return chosen or ""


def adder(draft: dict) -> None:
    """Add a figure by finding its text: type a few characters, choose the clause, give the number as printed."""
    needle = st.text_input(t("find"), key="cur.find")
    clauses = cur.find_in_text(draft["text"], needle) if needle else []
    if not clauses:
        return
    with st.form("cur.add"):
        st.selectbox(t("clause"), clauses, key="cur.add.quote")
        st.radio(t("add_as"), ("facts", "practices"), format_func=t, horizontal=True, key="cur.add.as")
        st.text_input(t("printed"), key="cur.add.printed")
        st.form_submit_button(t("add"), icon=":material/add:", on_click=_add)


def _add() -> None:
    draft = take_edits(st.session_state[DRAFT])   # what was typed before the click counts
    section, quote = st.session_state["cur.add.as"], st.session_state["cur.add.quote"]
    try:
        row = (cur.add_fact(draft, quote, st.session_state["cur.add.printed"].strip()) if section == "facts"
               else cur.add_practice(draft, quote))
    except cur.CurationError as bad:
        st.session_state[ERROR] = str(bad)
        return
    save({**draft, section: [*draft[section], row]})


# --- checks and publishing ---------------------------------------------------------------------------------------
def checks(draft: dict) -> dict:
    """The build's checks on this case alone, listed per record; remembered until the draft's files change."""
    digest = hash(tuple(sorted(cur.files_of(draft).items()))) if cur.CASE_ID.fullmatch(draft["case_id"]) else None
    remembered = st.session_state.get(CHECKED)
    if remembered and remembered[0] == digest:
        report = remembered[1]
    else:
        report = cur.validate(draft, data_dir() / "sources")
        st.session_state[CHECKED] = (digest, report)
    if not report:
        st.success(t("ok"), icon=":material/check_circle:")
        return report
    st.warning(t("fix_first") + f" {cur.count(report)}", icon=":material/rule:")
    lines = [f"- **{md(record)}**: {md('; '.join(reasons))}"
             for records in report.values() for record, reasons in records.items()]
    with st.container(height=260):
        st.markdown("\n".join(lines))
    return report


def publisher(draft: dict, report: dict) -> None:
    if draft.get("published"):
        st.success(t("published") + draft["case_id"], icon=":material/task_alt:")
        st.markdown(f"[{t('open_case')}](./{draft['case_id']})")
    st.button(t("publish"), type="primary", disabled=bool(report), icon=":material/publish:", on_click=_publish,
              key="cur.publish")


def _publish() -> None:
    draft = take_edits(st.session_state[DRAFT])   # what was typed before the click counts
    try:
        cur.publish(draft, data_dir())
    except cur.PublishRefused as refused:
        st.session_state[CHECKED] = (None, refused.report)
        st.session_state[ERROR] = str(refused)
        return
    except (cur.CurationError, cur.NotLocal) as bad:
        st.session_state[ERROR] = str(bad)
        return
    save(cur.mark_published(draft))
    st.cache_resource.clear()   # the navigation and pages read the new build on this run


def untranslated(draft: dict) -> None:
    todo = cur.still_english(draft)
    st.caption(t("untranslated"))
    if todo:
        with st.expander(f"{t('todo')} ({len(todo)})"):
            st.text("\n".join(todo))
