"""整理案例 / Curate: an article in, its figures reviewed beside the text, checked, published. Local runs only."""
import streamlit as st

from ui import curate, ensure_entry_script
from ui.curate_text import t

ensure_entry_script()
if not curate.available():   # second guard: the navigation already leaves this page out when hosted
    st.stop()

st.title(t("title"))
st.caption(t("intro"))
curate.error_notice()
draft = curate.current()
if draft is None:
    curate.chooser()
    st.stop()

draft = curate.take_edits(draft)
curate.stale_notice()
st.caption(f"{draft['case_id']} · " + t("saved", rev=draft["rev"]))
with st.expander(t("meta"), expanded=not draft["meta"].get("title_zh")):
    curate.fields_form(draft, "meta", curate.META_LABELS)
with st.expander(t("case"), expanded=curate.case_unfinished(draft)):
    curate.fields_form(draft, "case", curate.CASE_LABELS)
curate.untranslated(draft)

left, right = st.columns([2, 3])
with right:
    figures, events, practices = st.tabs([f"{t('facts')} ({len(draft['facts'])})", f"{t('events')} ({len(draft['events'])})",
                                          f"{t('practices')} ({len(draft['practices'])})"])
    with figures:
        curate.table(draft, "facts")
        chosen = curate.sentence(draft)
        curate.adder(draft)
    with events:
        curate.table(draft, "events")
    with practices:
        curate.table(draft, "practices")
with left:
    st.subheader(t("article"))
    curate.article(draft, chosen)

st.subheader(t("checks"))
report = curate.checks(draft)
curate.publisher(draft, report)
