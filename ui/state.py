"""Inputs that live in the URL, so that a link reproduces the view; hostile values fall back to defaults.

Each page declares its inputs as ``Param``s. Before the widgets are drawn, ``seed`` reads each input once per
session from the URL (validated: wrong type, out of range, unknown choice, repeated key, over-long value →
default, and the user is told which). After a widget is drawn, ``sync`` writes its value back to the URL
(omitted when it is the default). We bind by hand rather than with Streamlit's ``bind="query-params"``
because that binding stores the *displayed label* of a choice in the URL (``?lang=English``), which would
change with the language; our links carry stable codes (``?lang=en&case=xiangtan``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from .i18n import LANG_KEY, t
from .run import forget

VERSION_KEY = "v"
MAX_PARAM_LENGTH = 200
_INVALID_KEY = "_invalid_link_params"   # what seeding rejected on this page load, shown once by check_link


@dataclass(frozen=True)
class Param:
    key: str
    default: object
    low: float | None = None        # numbers: inclusive bounds
    high: float | None = None
    options: tuple | None = None    # choices: allowed codes
    multi: bool = False             # several choices: the key repeats, once per code

    def _accepts(self, raw: str) -> bool:
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

    def parse(self, raws: list[str]) -> tuple[object, bool]:
        """(value, ok) from the URL's values for this key; not ok → the default."""
        if not raws:
            return self.default, True
        if (len(raws) > 1 and not self.multi) or not all(self._accepts(r) for r in raws):
            return self.default, False
        if self.multi:
            return list(dict.fromkeys(raws)), True
        return (float(raws[0]) if self.low is not None else raws[0]), True

    def encode(self, value: object) -> list[str]:
        """The URL values for ``value``; none when it is the default."""
        if value is None or value == self.default:
            return []
        values = value if isinstance(value, list) else [value]
        return [_plain(v) for v in values]


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def seed(params: list[Param]) -> None:
    """Give each input its value from the URL the first time it is drawn in this session."""
    rejected = []
    for param in params:
        if param.key in st.session_state:
            continue
        value, ok = param.parse(st.query_params.get_all(param.key))
        st.session_state[param.key] = value
        forget(param.key)   # a value remembered for this run (the language) is now stale
        if not ok:
            rejected.append(param.key)
    if rejected:
        st.session_state[_INVALID_KEY] = st.session_state.get(_INVALID_KEY, []) + rejected


def sync(params: list[Param]) -> None:
    """Write the inputs' current values into the URL (the address bar then always shows this view)."""
    for param in params:
        values = param.encode(st.session_state.get(param.key, param.default))
        if values:
            st.query_params[param.key] = values if param.multi else values[0]
        elif param.key in st.query_params:
            del st.query_params[param.key]


def check_link(data_version: str) -> None:
    """Say briefly which link parameters were ignored, and whether the link predates the current data."""
    rejected = st.session_state.pop(_INVALID_KEY, [])
    if rejected:
        st.caption(t("link.ignored", params=", ".join(dict.fromkeys(rejected))))
    shared = st.query_params.get_all(VERSION_KEY)
    if shared and shared[-1][:MAX_PARAM_LENGTH] != data_version:
        st.warning(t("link.stale", shared=shared[-1][:16], current=data_version), icon=":material/history:")


def view_query(params: list[Param], data_version: str) -> str:
    """The query string of this view: language, unit, every non-default input, and the data version."""
    query = {p.key: p.encode(st.session_state.get(p.key, p.default)) for p in [*GLOBAL_PARAMS, *params]}
    query = {key: values for key, values in query.items() if values}
    query[VERSION_KEY] = [data_version]
    return urlencode(query, doseq=True)


def link_box(params: list[Param], data_version: str) -> None:
    """A visible, copyable link to exactly this view."""
    base = st.context.url or ""
    with st.expander(t("link.title"), icon=":material/link:"):
        st.caption(t("link.help"))
        st.code(f"{base}?{view_query(params, data_version)}", language=None, wrap_lines=True)


# Inputs every page shares, drawn in dashboard.py.
UNIT_KEY = "unit"
GLOBAL_PARAMS = [
    Param(LANG_KEY, "zh", options=("zh", "en")),
    Param(UNIT_KEY, "as_published", options=("as_published", "万元", "亿元", "元")),
]
