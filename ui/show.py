"""Text and tables for Streamlit: markdown escaping of data-derived text, the money-unit choice, Arrow tables.

Figures are drawn as cards by ui/blocks.py from metrics/blocks.py (value, unit, qualifier, source one click away).
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import streamlit as st

from metrics import numbers, views

from .state import UNIT_KEY

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def md(text: str) -> str:
    """Escape data-derived text for Streamlit markdown (no HTML is ever enabled)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def unit_choice() -> str:
    value = st.session_state.get(UNIT_KEY, numbers.AS_PUBLISHED)
    return value if value in numbers.DISPLAY_UNITS else numbers.AS_PUBLISHED


def arrow(table: pd.DataFrame) -> pa.Table:
    """A table in the form st.dataframe sends: converting a pandas frame to Arrow on every run was the largest
    part of a page's run after the charts, so callers make it once per dataset."""
    return pa.Table.from_pandas(table, preserve_index=False)


@views.memo   # per table (by identity), page of rows and dropped columns: converted once per dataset
def arrow_rows(table: pd.DataFrame, first: int, count: int, drop: tuple = ()) -> pa.Table:
    """Rows ``first`` … ``first + count`` of a (read-only, dataset-owned) table, as Arrow, without ``drop``."""
    return arrow(table.iloc[first:first + count].drop(columns=list(drop), errors="ignore"))
