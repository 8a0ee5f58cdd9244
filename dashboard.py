"""Entry point: page configuration, the shared selectors (language, money unit) and navigation. Nothing else."""
from pathlib import Path

import streamlit as st

from metrics.catalog import LANGS, text
from metrics.numbers import DISPLAY_UNITS
from ui import access, data, ensure_entry_script, navigation
from ui.i18n import lang, t
from ui.state import GLOBAL_PARAMS, LANG_KEY, UNIT_KEY, seed, sync

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
# A local favicon: without one Streamlit shows a page's Material icon, fetched from the internet.
FAVICON = Path(__file__).resolve().parent / "ui" / "favicon.svg"

ensure_entry_script()
st.set_page_config(page_title="地方财政金融实践指标看板 · Local fiscal-financial practice dashboard",
                   page_icon=str(FAVICON), layout="wide")
seed(GLOBAL_PARAMS)
with st.sidebar:
    st.radio("语言 / Language", LANGS, format_func=LANGUAGE_NAMES.get, key=LANG_KEY, horizontal=True)
    # format_func captures the language: Streamlit may call it outside the script run (tests do).
    st.selectbox(t("app.unit"), DISPLAY_UNITS, format_func=lambda u, lg=lang(): text(f"app.unit.{u}", lg), key=UNIT_KEY,
                 help=t("app.unit.help"))
sync(GLOBAL_PARAMS)
# The page is resolved before the gate (a deep link keeps its page through the access form), but listed only after.
page = st.navigation(navigation.pages(data.dataset()), position="sidebar" if access.granted() else "hidden")
access.gate()  # optional access code (hosted mode); no code in secrets → no gate
navigation.run(page, data.dataset())
