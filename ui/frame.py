"""What every page shows around its content: data problems, the source and licence line, the link box."""
from __future__ import annotations

import streamlit as st

from metrics.store import REBUILD, Dataset

from . import ensure_entry_script
from .i18n import lang, t
from .show import md
from .state import Param, check_link, link_box, seed, sync

HTML_LANG = {"zh": "zh-CN", "en": "en"}  # <html lang> per language (BCP 47)


# These read a few cells of the small shared tables, several times a run: each is made once per dataset (and
# language) with ds.derived, so a run does no pandas indexing for them.
def source_title(ds: Dataset) -> str:
    lg = lang()
    return ds.derived(("source_title", lg), lambda: "；".join(ds["sources"][f"title_{lg}"]) if len(ds["sources"]) else "—")


def current_as_of(ds: Dataset, source_id: str | None = None) -> str:
    def make() -> str:
        sources = ds["sources"]
        if source_id is not None:
            sources = sources[sources["source_id"] == source_id]
        return str(sources["current_as_of"].iloc[0]) if len(sources) else ""
    return ds.derived(("current_as_of", source_id), make)


def _footer_text(ds: Dataset, lg: str) -> str:
    sources, cases = ds["sources"], ds["cases"]
    names = dict.fromkeys(cases[f"author_{lg}"])   # each author once, in order, however many cases they wrote
    authors = "、".join(names) if lg == "zh" else "; ".join(names)
    licence = sources[f"licence_{lg}"].iloc[0] if len(sources) else ""
    return (t("app.source_line", title=md(source_title(ds)), author=md(authors), licence=md(licence)) + " · "
            + t("app.data_version", version=ds.data_version) + " · " + t("app.offline_note"))


def show_problems(problems, intro: str = "case.unavailable") -> None:
    lines = "\n".join(f"- `{p.file}`: {md(p.reason)}" for p in problems)
    st.error(f"{t(intro)}\n\n{lines}\n\n{t('case.rebuild', command=REBUILD)}", icon=":material/error:")


def require_shared(ds: Dataset) -> None:
    """Stop the page if a file every page relies on (manifest, cases, sources) is damaged: nothing can be trusted."""
    problems = ds.broken()
    if problems:
        show_problems(problems, "data.problems")
        st.stop()


def require_case(ds: Dataset, case_id: str) -> None:
    """Stop the page with a clear message if its data is damaged; other pages keep working."""
    problems = ds.broken(case_id)
    if problems or case_id not in ds.case_ids():
        show_problems(problems)
        st.stop()


def footer(ds: Dataset, params: list[Param]) -> None:
    sync(params)
    lg = lang()
    st.divider()
    link_box(params, ds.data_version)
    st.caption(ds.derived(("footer", lg), lambda: _footer_text(ds, lg)))


def header(ds: Dataset, params: list[Param]) -> None:
    """Seed the page's inputs from the URL, then say what in the link could not be used."""
    ensure_entry_script()
    # Streamlit serves <html lang="en"> whatever the content: declare the page's language for screen readers.
    # One literal script per language (tests/test_html_safety.py); deploy/nginx.conf's CSP allows exactly these two.
    if HTML_LANG[lang()] == "en":
        st.sidebar.html("<script>document.documentElement.lang = 'en';</script>", unsafe_allow_javascript=True)
    else:
        st.sidebar.html("<script>document.documentElement.lang = 'zh-CN';</script>", unsafe_allow_javascript=True)
    seed(params)
    check_link(ds.data_version)
    require_shared(ds)
