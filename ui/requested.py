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


def case(ds: Dataset) -> str:
    """The case id the reader asked for in this run ("" when none, or not a case)."""
    manager = getattr(get_script_run_ctx(suppress_warning=True), "pages_manager", None)
    if manager is None:
        return ""
    name, page_hash = manager.intended_page_name or "", manager.intended_page_script_hash or ""
    if page_hash:
        return _by_hash(ds).get(page_hash, "")
    return name.strip("/") if name.strip("/") in ds.derived(("case_id_set",), lambda: set(ds.case_ids())) else ""
