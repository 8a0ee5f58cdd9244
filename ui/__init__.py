"""The thin UI layer: one cached loader, language, URL-bound inputs, and the number/chart/source helpers."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until the entry
# script has called st.navigation once in this server process. Until then a deep link (a shared
# /heilongjiang?... URL, the first request after a restart) would run the page file alone, without the
# language, the unit switch and our navigation. Every page imports this package first: switch the legacy mode
# off and rerun, so that the entry script (and so st.navigation) handles the request.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
