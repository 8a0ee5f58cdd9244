"""What every page shows around its content: data problems, the source and licence line, the link box."""
from __future__ import annotations

import streamlit as st

import pandas as pd

from metrics import views
from metrics.store import REBUILD, Dataset

from . import ensure_entry_script
from .i18n import lang, t
from .show import md
from .state import Param, check_link, link_box, seed, sync

HTML_LANG = {"zh": "zh-CN", "en": "en"}  # <html lang> per language (BCP 47)


# These read a few cells of the small shared tables, several times a run: each is made once per dataset (and
# language, and choice of sources) with ds.derived, so a run does no pandas indexing for them.
def _sources(ds: Dataset, source_ids) -> pd.DataFrame:
    sources = ds["sources"]
    return sources if source_ids is None else sources[sources["source_id"].isin(list(source_ids))]


def source_title(ds: Dataset, source_ids: list[str] | None = None) -> str:
    """The titles of the given sources (all when None): a caption names only the sources of what it shows."""
    lg = lang()
    key = None if source_ids is None else tuple(source_ids)
    return ds.derived(("source_title", lg, key),
                      lambda: "；".join(_sources(ds, key)[f"title_{lg}"]) if len(_sources(ds, key)) else "—")


def current_as_of(ds: Dataset, source_id: str | None = None):
    """What 截至目前 means: in one source (its date), or with no source, per source ((source_id, date), …) for
    views that date each row by its own source."""
    if source_id is None:
        return ds.derived(("current_as_of",), lambda: views.as_of_by_source(ds["sources"]))

    def make() -> str:
        sources = _sources(ds, [source_id])
        return str(sources["current_as_of"].iloc[0]) if len(sources) else ""
    return ds.derived(("current_as_of", source_id), make)


def _footer_text(ds: Dataset, lg: str, case_ids: tuple | None) -> str:
    cases = ds["cases"] if case_ids is None else ds["cases"][ds["cases"]["case_id"].isin(case_ids)]
    source_ids = None if case_ids is None else list(dict.fromkeys(cases["source_id"]))
    names = dict.fromkeys(cases[f"author_{lg}"])   # each author once, in order, however many cases they wrote
    authors = "、".join(names) if lg == "zh" else "; ".join(names)
    licences = " ".join(dict.fromkeys(_sources(ds, source_ids)[f"licence_{lg}"]))   # each licence once
    return (t("app.source_line", title=md(source_title(ds, source_ids)), author=md(authors), licence=md(licences))
            + " · " + t("app.data_version", version=ds.data_version) + " · " + t("app.offline_note"))


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


def footer(ds: Dataset, params: list[Param], case_ids: list[str] | None = None) -> None:
    """The link box and the source line: the sources and authors of the given cases only (all when None)."""
    sync(params)
    lg = lang()
    st.divider()
    link_box(params, ds.data_version)
    key = None if case_ids is None else tuple(case_ids)
    st.caption(ds.derived(("footer", lg, key), lambda: _footer_text(ds, lg, key)))


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
