"""The thin UI layer: one cached loader, language, URL-bound inputs, and the number/chart/source helpers."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_entry_script() -> None:
    """Make sure the entry script (and so our st.navigation) handles this run.

    Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until the entry script
    has called st.navigation in this process (and tests reset that state on every run). Until then a deep link
    (a shared /heilongjiang?... URL as the first request after a restart) would run the page file alone, without
    the language, the unit switch and our navigation. Called first by the entry script and by every page: switch
    the legacy mode off and rerun, so that the entry script handles the request.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
