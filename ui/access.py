"""An optional access code for a hosted dashboard: one shared code, kept in Streamlit secrets, never in the repo.

Off by default: with no ``[access]`` ``code`` in ``.streamlit/secrets.toml`` (git-ignored) there is no gate.
The code sits in a section, not at the top level, because Streamlit copies top-level secrets into the
process environment (and so into every child process).

A light gate that keeps a shared link semi-private, not an account system: for real access control put the
proxy's authentication or a single sign-on in front. The entered code is compared in constant time; each failed
attempt makes the answer slower (doubling, capped), counting the session's failures and the server's recent ones.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time

import streamlit as st

from .i18n import t

SECTION, KEY = "access", "code"
GRANTED_KEY, FAILURES_KEY, INPUT_KEY = "_access_granted", "_access_failures", "_access_entered"
FIRST_DELAY, MAX_DELAY = 0.5, 8.0      # seconds
RECENT_WINDOW = 600.0                  # seconds during which a failure counts server-wide
MAX_CODE_LENGTH = 256

pause = time.sleep  # tests replace it
_lock = threading.Lock()
_recent_failures: list[float] = []


def configured_code() -> str | None:
    """The access code; "" when none is configured; None when a secrets file exists but cannot be read."""
    try:
        section = st.secrets.get(SECTION)
    except FileNotFoundError:  # Streamlit's "no secrets" error; also raised for a file it cannot parse
        return None if any(os.path.isfile(p) for p in st.get_option("secrets.files")) else ""
    code = section.get(KEY) if hasattr(section, "get") else None
    return "" if code is None else str(code)


def matches(entered: str, code: str) -> bool:
    return hmac.compare_digest(entered.encode("utf-8"), code.encode("utf-8"))


def delay(failures: int) -> float:
    """Seconds before answering after the n-th failure: 0.5, 1, 2, 4, 8, 8, …"""
    return 0.0 if failures <= 0 else min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - 1))


def record_failure(now: float | None = None) -> int:
    """Count a failure server-wide; return how many happened within the window."""
    now = time.monotonic() if now is None else now
    with _lock:
        _recent_failures[:] = [when for when in _recent_failures if now - when < RECENT_WINDOW] + [now]
        return len(_recent_failures)


def _fingerprint(code: str) -> str:
    # The grant is tied to the code: when the code in secrets.toml changes, every session asks again.
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _submit(code: str) -> None:
    """The form's callback: it runs before the script, so the answer is known when the gate is drawn."""
    if matches(st.session_state.get(INPUT_KEY) or "", code):
        st.session_state[GRANTED_KEY] = _fingerprint(code)
        st.session_state.pop(FAILURES_KEY, None)
        return
    failures = st.session_state.get(FAILURES_KEY, 0) + 1
    st.session_state[FAILURES_KEY] = failures
    pause(delay(max(failures, record_failure())))


def granted() -> bool:
    """No code is configured, or this session has entered it."""
    code = configured_code()
    return code == "" or (code is not None and st.session_state.get(GRANTED_KEY) == _fingerprint(code))


def gate() -> None:
    """Stop the run with the access form unless no code is configured or this session has entered it."""
    if granted():
        return
    code = configured_code()
    st.title(t("access.title"))
    if code is None:
        st.error(t("access.unreadable"), icon=":material/lock:")
        st.stop()
    st.caption(t("access.intro"))
    with st.form("access_form", clear_on_submit=True, width=420):
        st.text_input(t("access.label"), type="password", max_chars=MAX_CODE_LENGTH, key=INPUT_KEY)
        st.form_submit_button(t("access.submit"), icon=":material/lock_open:", on_click=_submit, args=(code,))
    if st.session_state.get(FAILURES_KEY):
        st.error(t("access.wrong"), icon=":material/lock:")
    st.stop()
