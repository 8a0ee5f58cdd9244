"""The current language and the catalog lookup for pages."""
from __future__ import annotations

import streamlit as st

from metrics.catalog import DEFAULT_LANG, LANGS, text

from .state import LANG_KEY


def lang() -> str:
    """The language chosen in the sidebar (bound to ?lang=); anything else falls back to Chinese."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **values: object) -> str:
    return text(key, lang(), **values)
