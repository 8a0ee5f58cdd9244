"""The thin UI layer: one cached loader, language, URL-bound inputs, and the number/chart/source helpers."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData


def ensure_entry_script() -> None:
    """Make sure the entry script (and so our st.navigation) handles this run.

    Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until the entry script
    has called st.navigation in this process (and tests reset that state on every run). Until then a deep link
    (a shared /heilongjiang?... URL as the first request after a restart) would be resolved against the files in
    pages/, where no case has a file of its own (every case is pages/case.py), and land on the main script.
    Called first by the entry script and by every page: switch the legacy mode off and run again, asking for the
    very page the reader requested (its name and hash as the browser sent them), so that our navigation opens it.
    """
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    wanted = (manager.intended_page_script_hash or manager.intended_page_name) if manager is not None else None
    if not wanted or ctx.script_requests is None:
        st.rerun()   # the requested page is the one this run resolved to
    # st.rerun() would ask for the page this run resolved to (the main script, for a case's URL): ask for the
    # intended one instead. The same request st.rerun makes, with the requested page's hash and name, and the
    # widgets' values (Streamlit clears them when the page changes between two runs: the language would be lost),
    # but not their one-off triggers (a button press or form submission must not happen twice).
    widgets = WidgetStates()
    widgets.widgets.extend(w for w in ctx.session_state.get_widget_states() if w.WhichOneof("value") not in TRIGGERS)
    ctx.script_requests.request_rerun(RerunData(
        query_string=ctx.query_string, widget_states=widgets, page_script_hash=manager.intended_page_script_hash or "",
        page_name=manager.intended_page_name or "", context_info=ctx.context_info))
    st.empty()   # the runner acts on the pending rerun when the next element is sent (what st.rerun does)
    st.stop()


TRIGGERS = {"trigger_value", "string_trigger_value", "json_trigger_value", "chat_input_value"}
