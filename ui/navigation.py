"""The page registry: overview, one page per case (bespoke where we wrote one, generic otherwise), data & sources.

A case added by dropping a source file and rebuilding appears here with the generic page: no code change.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from metrics.store import Dataset

from .curate import nav_pages as local_pages
from .i18n import lang, t

BESPOKE_PAGES = {  # case_id → page file with the case's own charts and calculators
    "xiangtan": "pages/xiangtan.py",
    "heilongjiang": "pages/heilongjiang.py",
    "fangchenggang": "pages/fangchenggang.py",
}
CASE_ICONS = {"xiangtan": ":material/account_balance:", "heilongjiang": ":material/handshake:",
              "fangchenggang": ":material/directions_boat:"}


def generic_page(case_id: str) -> Callable[[], None]:
    from pages.case import render  # imported lazily: only new cases need it

    def page() -> None:
        render(case_id)
    page.__name__ = f"case_{case_id}"
    return page


def case_page(row) -> st.Page:
    title = row[f"short_{lang()}"]
    source = BESPOKE_PAGES.get(row["case_id"]) or generic_page(row["case_id"])
    return st.Page(source, title=title, icon=CASE_ICONS.get(row["case_id"], ":material/description:"),
                   url_path=row["case_id"], help=t("nav.help.case", name=row[f"title_{lang()}"]))


def case_records(ds: Dataset) -> list[dict]:
    """The cases as plain rows, made once per dataset (read-only): building them cost more than the pages."""
    return ds.derived(("case_records",), lambda: ds["cases"].to_dict("records"))


def pages(ds: Dataset) -> dict[str, list[st.Page]]:
    # Each url_path equals its file's stem: a deep link that Streamlit first resolves as a legacy pages/ page
    # (see ui.ensure_entry_script) then lands on the same page by name.
    overview = st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview",
                       default=True, help=t("nav.help.overview"))
    data = st.Page("pages/data.py", title=t("nav.data"), icon=":material/table_view:", url_path="data",
                   help=t("nav.help.data"))
    compare = st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/compare_arrows:", url_path="compare",
                      help=t("nav.help.compare"))
    cases = [case_page(row) for row in case_records(ds)]
    return {"": [overview, compare], t("nav.cases"): cases, " ": [data, *local_pages()]}  # local_pages: [] when hosted
