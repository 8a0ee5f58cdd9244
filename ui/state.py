"""Inputs that live in the URL, so that a link reproduces the view; hostile values fall back to defaults.

Each page declares its inputs as ``Param``s. Widgets are bound to the query string by Streamlit
(``bind="query-params"``), which already ignores values it cannot use; ``check_link`` adds the part a user
needs: a short note naming what was ignored, and a warning when the link's data version is not the current one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from .i18n import LANG_KEY, t

VERSION_KEY = "v"
MAX_PARAM_LENGTH = 200


@dataclass(frozen=True)
class Param:
    key: str
    default: object
    low: float | None = None        # numbers: inclusive bounds
    high: float | None = None
    options: tuple | None = None    # choices: allowed values
    multi: bool = False             # a multiselect: the key may repeat, once per chosen value

    def accepts(self, raw: str) -> bool:
        if len(raw) > MAX_PARAM_LENGTH:
            return False
        if self.options is not None:
            return raw in self.options
        if self.low is not None:
            try:
                number = float(raw)
            except ValueError:
                return False
            return math.isfinite(number) and self.low <= number <= self.high
        return True


def invalid_params(params: list[Param]) -> list[str]:
    """Keys whose values in the URL cannot be used (wrong type, out of range, unknown choice, repeated)."""
    bad = []
    for param in params:
        values = st.query_params.get_all(param.key)
        repeated = len(values) > 1 and not param.multi
        if repeated or not all(param.accepts(v) for v in values):
            bad.append(param.key)
    return bad


def check_link(params: list[Param], data_version: str) -> None:
    """Say briefly which link parameters were ignored, and whether the link predates the current data."""
    bad = invalid_params(params)
    if bad:
        st.caption(t("link.ignored", params=", ".join(bad)))
    shared = st.query_params.get_all(VERSION_KEY)
    if shared and shared[-1][:MAX_PARAM_LENGTH] != data_version:
        st.warning(t("link.stale", shared=shared[-1][:16], current=data_version), icon=":material/history:")


def current_values(params: list[Param]) -> dict[str, str | list[str]]:
    """The non-default values of bound inputs, as the URL carries them."""
    values = {}
    for param in params:
        value = st.session_state.get(param.key, param.default)
        if value != param.default and value is not None:
            values[param.key] = [_plain(v) for v in value] if isinstance(value, list) else _plain(value)
    return values


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def view_query(params: list[Param], data_version: str) -> str:
    """The query string of this view: language, every non-default input, and the data version."""
    query = current_values(params)
    query.update(current_values(GLOBAL_PARAMS))
    query[VERSION_KEY] = data_version
    return urlencode(query, doseq=True)


def link_box(params: list[Param], data_version: str) -> None:
    """A visible, copyable link to exactly this view."""
    base = st.context.url or ""
    with st.expander(t("link.title"), icon=":material/link:"):
        st.caption(t("link.help"))
        st.code(f"{base}?{view_query(params, data_version)}", language=None, wrap_lines=True)


# Inputs every page shares, bound in dashboard.py.
UNIT_KEY = "unit"
GLOBAL_PARAMS = [
    Param(LANG_KEY, "zh", options=("zh", "en")),
    Param(UNIT_KEY, "as_published", options=("as_published", "万元", "亿元", "元")),
]
