"""Entry point: page configuration, the shared selectors (language, money unit) and navigation. Nothing else."""
import streamlit as st

from metrics.catalog import LANGS
from metrics.numbers import DISPLAY_UNITS
from ui import data, navigation
from ui.i18n import LANG_KEY, t
from ui.state import UNIT_KEY

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

with st.sidebar:
    st.segmented_control(t("app.language"), LANGS, format_func=LANGUAGE_NAMES.get, default="zh", required=True,
                         key=LANG_KEY, bind="query-params")
    st.selectbox(t("app.unit"), DISPLAY_UNITS, format_func=lambda u: t(f"app.unit.{u}"), key=UNIT_KEY,
                 bind="query-params", help=t("app.unit.help"))

st.set_page_config(page_title=t("app.title"), page_icon=":material/account_balance:", layout="wide")
st.navigation(navigation.pages(data.dataset()), position="sidebar").run()
