"""The page registry: overview, one page per case (all drawn by the one pages/case.py), data & sources.

A case added by dropping a source file and rebuilding appears here with no code change. Each case page is the
same file registered under the case's url_path (/xiangtan, /heilongjiang …, as before: old links keep working);
``run`` remembers which one the reader opened, and pages/case.py asks ``current_case``.
"""
from __future__ import annotations

import streamlit as st

from metrics.store import Dataset

from .curate import nav_pages as local_pages
from .i18n import lang, t
from .run import once_per_run

CASE_PAGE = "pages/case.py"
# A case's icon follows its practice family (data/sources/families.yaml): the case file says which.
FAMILY_ICONS = {"assets": ":material/account_balance:", "guarantees": ":material/handshake:",
                "tax_trade": ":material/directions_boat:"}
DEFAULT_ICON = ":material/description:"
_OPENED = "opened_page"


def case_page(row) -> st.Page:
    icon = FAMILY_ICONS.get(str(row.get("family") or ""), DEFAULT_ICON)
    return st.Page(CASE_PAGE, title=row[f"short_{lang()}"], icon=icon, url_path=row["case_id"],
                   help=t("nav.help.case", name=row[f"title_{lang()}"]))


def case_records(ds: Dataset) -> list[dict]:
    """The cases as plain rows, made once per dataset (read-only): building them cost more than the pages."""
    return ds.derived(("case_records",), lambda: ds["cases"].to_dict("records"))


def pages(ds: Dataset) -> dict[str, list[st.Page]]:
    # Each url_path equals its file's stem or case id: a deep link that Streamlit first resolves as a legacy pages/
    # page (see ui.ensure_entry_script) then lands on the same page by name.
    overview = st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview",
                       default=True, help=t("nav.help.overview", cases=len(ds["cases"])))
    data = st.Page("pages/data.py", title=t("nav.data"), icon=":material/table_view:", url_path="data",
                   help=t("nav.help.data"))
    compare = st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/compare_arrows:", url_path="compare",
                      help=t("nav.help.compare"))
    cases = [case_page(row) for row in case_records(ds)]
    return {"": [overview, compare], t("nav.cases"): cases, " ": [data, *local_pages()]}  # local_pages: [] when hosted


def run(page: st.Page) -> None:
    """Run the page the reader opened, remembering its url_path for this run (the case page reads it)."""
    once_per_run(_OPENED, lambda: page.url_path)
    page.run()


def current_case() -> str:
    """The case whose page is running (its url_path is its case id)."""
    return once_per_run(_OPENED, lambda: "")
