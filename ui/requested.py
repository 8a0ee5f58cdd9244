"""Which case page the reader asked for in this run, before the navigation is built.

A large collection registers only the case pages a run can reach (ui/navigation.py). A deep link (/<case_id>)
arrives as the requested page's name, a click on a case link as the requested page's hash (Streamlit hashes a
page's url_path); Streamlit keeps both on the run's pages manager, which ui.ensure_entry_script reads as well.
"""
from __future__ import annotations

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

from metrics.store import Dataset


def _by_hash(ds: Dataset) -> dict[str, str]:
    """Page hash → case id, made once per dataset (20,000 hashes: about 30 ms)."""
    return ds.derived(("case_page_hashes",), lambda: {calc_hash(c): c for c in ds.case_ids()})


def _intent() -> tuple[str, str]:
    """(page name, page hash) of the page asked for in this run ("" when not known)."""
    manager = getattr(get_script_run_ctx(suppress_warning=True), "pages_manager", None)
    if manager is None:
        return "", ""
    return (manager.intended_page_name or "").strip("/"), manager.intended_page_script_hash or ""


def page(url_path: str) -> bool:
    """Whether the reader asked for the page at ``url_path`` in this run (a link, a click or a rerun of it)."""
    name, page_hash = _intent()
    return page_hash == calc_hash(url_path) if page_hash else name == url_path


def case(ds: Dataset) -> str:
    """The case id the reader asked for in this run ("" when none, or not a case)."""
    name, page_hash = _intent()
    if page_hash:
        return _by_hash(ds).get(page_hash, "")
    return name if name in ds.derived(("case_id_set",), lambda: set(ds.case_ids())) else ""
