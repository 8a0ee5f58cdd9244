"""Values that hold for one whole script run (the language, the dataset), read once per run.

A page asks for the language some ninety times a run and for the dataset three times. Each read goes through
Streamlit's session state (locks, widget lookups) or re-checks the data files; remembered for the run, the
reads cost nothing. The next run starts afresh, so a language switch or a rebuild is seen at once.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

T = TypeVar("T")
_MEMO = "_dashboard_run_memo"


def _values() -> dict | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    # Streamlit gives every run a new `cursors` dict (ScriptRunContext.reset): its identity marks the run.
    memo = getattr(ctx, _MEMO, None)
    if memo is None or memo[0] is not ctx.cursors:
        memo = (ctx.cursors, {})
        setattr(ctx, _MEMO, memo)
    return memo[1]


def once_per_run(name: str, make: Callable[[], T]) -> T:
    """``make()`` the first time in this run, the same value after that; outside a run, always ``make()``."""
    values = _values()
    if values is None:
        return make()
    if name not in values:
        values[name] = make()
    return values[name]


def forget(name: str) -> None:
    """Drop a remembered value because what it was read from changed during the run."""
    values = _values()
    if values is not None:
        values.pop(name, None)
