"""Shared fixtures: a clean Streamlit cache for every test, and AppTest on the real entry script."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")
PAGES = {  # page file, or a case's url_path (every case is pages/case.py) → what it is, for tests over every page
    "pages/overview.py": "overview",
    "xiangtan": "xiangtan",
    "heilongjiang": "heilongjiang",
    "fangchenggang": "fangchenggang",
    "pages/data.py": "data",
}


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    # st.cache_* survive between AppTest instances in one process: start every test from a cold cache.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def open_page(page: str, timeout: float = 60, **params: str | list[str]) -> AppTest:
    """Run the app as a browser would open ``page`` with ``params`` in its URL."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page.endswith(".py") and page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    elif not page.endswith(".py"):
        open_case(at, page)
    return at


def open_case(at: AppTest, case_id: str) -> AppTest:
    """Switch to a case's page: one file (pages/case.py) registered under every case's url_path, which
    AppTest.switch_page (by file) cannot tell apart; a real session finds the page by the hash of its url_path."""
    found = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == case_id]
    if not found:   # the same error as AppTest.switch_page for a page the navigation does not offer
        raise ValueError(f"Could not find a navigation page for /{case_id}")
    at._page_hash = found[0]
    return at.run()
