"""Shared fixtures: a clean Streamlit cache for every test, and AppTest on the real entry script."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")
PAGES = {  # page file → what it is, for parametrized tests over every page
    "pages/overview.py": "overview",
    "pages/xiangtan.py": "xiangtan",
    "pages/heilongjiang.py": "heilongjiang",
    "pages/fangchenggang.py": "fangchenggang",
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
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    return at
