"""The current language and the catalog lookup for pages."""
from __future__ import annotations

import streamlit as st

from metrics.catalog import DEFAULT_LANG, LANGS, text

from .run import once_per_run

# The session-state key of the language (state.py binds it to the URL); defined here so that state.py depends on
# this module and not the other way round.
LANG_KEY = "lang"


def lang() -> str:
    """The language chosen in the sidebar (bound to ?lang=); anything else falls back to Chinese."""
    return once_per_run(LANG_KEY, _read_lang)


def _read_lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **values: object) -> str:
    return text(key, lang(), **values)
