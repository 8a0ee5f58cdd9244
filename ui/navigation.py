"""The page registry: overview, one page per case (all drawn by the one pages/case.py), data & sources.

A case added by dropping a source file and rebuilding appears here with no code change. Each case page is the
same file registered under the case's url_path (/xiangtan, /heilongjiang …, as before: old links keep working);
``run`` remembers which one the reader opened, and pages/case.py asks ``current_case``.

Up to ``LISTED_CASES`` cases the sidebar lists every case. Above that it lists none (a list of thousands is of no
use to a reader, and building 20,000 navigation entries took about 2 s a run): the case finder (pages/cases.py)
leads to the cases, and a run registers only the case pages it can reach: the one the reader asked for (a deep link
/<case_id> or a click), the cases the finder lists, and the cases opened in this session (listed, latest first).
"""
from __future__ import annotations

import streamlit as st

from metrics import finder as cases_finder
from metrics.store import Dataset

from . import finder, requested
from .curate import nav_pages as local_pages
from .i18n import lang, t
from .run import once_per_run

CASE_PAGE = "pages/case.py"
# A case's icon follows its practice family (data/sources/families.yaml): the case file says which.
FAMILY_ICONS = {"assets": ":material/account_balance:", "guarantees": ":material/handshake:",
                "tax_trade": ":material/directions_boat:"}
DEFAULT_ICON = ":material/description:"
_OPENED = "opened_page"
LISTED_CASES = cases_finder.LISTED_CASES   # a sidebar list a reader still scans (18 cases today); above: the finder
RECENT_CASES = 8      # cases opened in this session, listed under the finder
_RECENT_KEY = "_recent_cases"
FINDER_PAGE, FINDER_URL = "pages/cases.py", "cases"


def case_page(row, visibility: str = "visible") -> st.Page:
    """The case's page entry, made once per run (the navigation registers the finder's listed cases, and the finder
    links to the same ones: an st.Page costs about 0.3 ms)."""
    made = once_per_run("case_pages", dict)
    key = (row["case_id"], visibility)
    if key not in made:
        icon = FAMILY_ICONS.get(str(row.get("family") or ""), DEFAULT_ICON)
        made[key] = st.Page(CASE_PAGE, title=row[f"short_{lang()}"], icon=icon, url_path=row["case_id"],
                            help=t("nav.help.case", name=row[f"title_{lang()}"]), visibility=visibility)
    return made[key]


def many(ds: Dataset) -> bool:
    """Whether the collection is too large to list every case in the navigation."""
    return len(ds["cases"]) > LISTED_CASES


def finder_page(ds: Dataset) -> st.Page:
    return st.Page(FINDER_PAGE, title=t("nav.finder"), icon=":material/travel_explore:", url_path=FINDER_URL,
                   help=t("nav.help.finder", cases=len(ds["cases"])))


def _case_entries(ds: Dataset) -> list[st.Page]:
    """A large collection's case entries: the finder, the cases opened in this session (listed), and hidden pages
    for the case asked for in this run and the cases the finder lists."""
    records = case_index(ds)
    known = [c for c in st.session_state.get(_RECENT_KEY, []) if c in records]
    # The finder's listed cases, on the finder's own runs only: its links name registered pages (Streamlit 1.67 also
    # accepts a link to a page not registered, but checks one that is), and a click on one asks for it by hash next
    # run (requested.case). Other pages skip the search and its 60 entries (about 25 ms a run at 20,000 cases).
    listed = finder.listed(ds) if requested.page(FINDER_URL) else []
    hidden = [c for c in [requested.case(ds), *listed] if c in records and c not in known]
    return ([finder_page(ds)] + [case_page(records[c]) for c in known]
            + [case_page(records[c], "hidden") for c in dict.fromkeys(hidden)])


def case_index(ds: Dataset) -> dict[str, dict]:
    return ds.derived(("case_index",), lambda: {r["case_id"]: r for r in case_records(ds)})


def case_records(ds: Dataset) -> list[dict]:
    """The cases as plain rows, made once per dataset (read-only): building them cost more than the pages."""
    # Without the layout (read by the case page from the table): at 20,000 cases it was 100 MB of Python strings.
    return ds.derived(("case_records",), lambda: ds["cases"].drop(columns=["layout"]).to_dict("records"))


def pages(ds: Dataset) -> dict[str, list[st.Page]]:
    # Each url_path equals its file's stem or case id: a deep link that Streamlit first resolves as a legacy pages/
    # page (see ui.ensure_entry_script) then lands on the same page by name.
    overview = st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview",
                       default=True, help=t("nav.help.overview", cases=len(ds["cases"])))
    data = st.Page("pages/data.py", title=t("nav.data"), icon=":material/table_view:", url_path="data",
                   help=t("nav.help.data"))
    compare = st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/compare_arrows:", url_path="compare",
                      help=t("nav.help.compare"))
    cases = _case_entries(ds) if many(ds) else [case_page(row) for row in case_records(ds)]
    return {"": [overview, compare], t("nav.cases"): cases, " ": [data, *local_pages()]}  # local_pages: [] when hosted


def run(page: st.Page, ds: Dataset) -> None:
    """Run the page the reader opened, remembering its url_path for this run (the case page reads it) and, in a
    large collection, among the cases opened in this session (so that it stays reachable on its reruns)."""
    once_per_run(_OPENED, lambda: page.url_path)
    if many(ds) and page.url_path in case_index(ds):
        recent = [page.url_path, *(c for c in st.session_state.get(_RECENT_KEY, []) if c != page.url_path)]
        st.session_state[_RECENT_KEY] = recent[:RECENT_CASES]
    page.run()


def current_case() -> str:
    """The case whose page is running (its url_path is its case id)."""
    return once_per_run(_OPENED, lambda: "")
