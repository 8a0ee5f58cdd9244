"""The one helper for showing a figure on a page: value, unit, qualifier, and its source one click away.

Published figures carry their quote, scope, period and id in the tooltip; derived ones say they are derived and
show the formula in words, their inputs and any caveat.
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import streamlit as st

from metrics import numbers, periods, views

from .i18n import lang, t
from .state import UNIT_KEY

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def md(text: str) -> str:
    """Escape data-derived text for Streamlit markdown (no HTML is ever enabled)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def unit_choice() -> str:
    value = st.session_state.get(UNIT_KEY, numbers.AS_PUBLISHED)
    return value if value in numbers.DISPLAY_UNITS else numbers.AS_PUBLISHED


def arrow(table: pd.DataFrame) -> pa.Table:
    """A table made once per dataset, in the form st.dataframe sends: converting a pandas frame to Arrow on every
    run was the largest part of a case page's run after the charts."""
    return pa.Table.from_pandas(table, preserve_index=False)


def fact_help(row: pd.Series, current_as_of: str) -> str:
    lg = lang()
    lines = [
        t("fig.as_published", printed=md(numbers.as_published(row["printed"], row["unit"], row["qualifier"]))),
        t("fig.source", quote=md(row["quote"])),
        t("fig.meta", scope=md(row[views.col(lg, "scope")]), period=md(periods.format_period(row["period"], lg, current_as_of)),
          kind=t(f"kind.{row['kind']}"), fact_id=md(row["fact_id"])),
    ]
    note = row.get(views.col(lg, "note"), "")
    if isinstance(note, str) and note:
        lines.append(t("fig.note", note=md(note)))
    if row["qualifier"] != "exact":
        lines.append(t(f"fig.qualifier.{row['qualifier']}"))
    return "\n\n".join(lines)


def indicator_help(row: pd.Series) -> str:
    lg = lang()
    lines = [t("fig.derived"), t("fig.formula", formula=md(row[views.col(lg, "formula")])),
             t("fig.inputs", inputs=md(row["inputs"].replace(",", ", ")))]
    caveat = row.get(views.col(lg, "caveat"), "")
    if isinstance(caveat, str) and caveat:
        lines.append(t("fig.caveat", caveat=md(caveat)))
    if row["qualifier"] != "exact":
        lines.append(t(f"fig.qualifier.{row['qualifier']}"))
    return "\n\n".join(lines)


# What a fact's metric is made of; with the language, unit and label it keys the metric's texts.
_METRIC_FIELDS = ("fact_id", "value", "unit", "qualifier", "printed", "quote", "period", "kind", "indicator_zh",
                  "indicator_en", "scope_zh", "scope_en", "note_zh", "note_en")
_METRIC_TEXTS: dict[tuple, dict] = {}


def _fact_metric_args(row: pd.Series, current_as_of: str, label: str | None = None) -> dict:
    """The metric's texts, made once per fact content, label, language and unit (callers must not modify them)."""
    key = (tuple(row.get(c) for c in _METRIC_FIELDS), current_as_of, label, lang(), unit_choice())
    try:
        texts = _METRIC_TEXTS.get(key)
    except TypeError:  # an unhashable value: no cache
        return _fact_metric_texts(row, current_as_of, label)
    if texts is None:
        texts = _fact_metric_texts(row, current_as_of, label)
        if len(_METRIC_TEXTS) >= 4096:
            _METRIC_TEXTS.clear()
        _METRIC_TEXTS[key] = texts
    return texts


def _fact_metric_texts(row: pd.Series, current_as_of: str, label: str | None) -> dict:
    lg = lang()
    shown = views.fact_display(row, lg, unit_choice())
    printed = numbers.as_published(row["printed"], row["unit"], row["qualifier"])
    beneath = None if shown.replace(",", "") == printed else t("fig.as_published", printed=printed)
    return dict(label=md(label or views.fact_label(row, lg)), value=shown, help=fact_help(row, current_as_of),
                border=True, delta=beneath, delta_color="off", delta_arrow="off")


def fact_metric(row: pd.Series, current_as_of: str, label: str | None = None) -> None:
    """A published figure as a metric; the (?) tooltip holds its source sentence. When the language or the unit
    switch shows it differently, the figure as printed stays visible beneath it."""
    st.metric(**_fact_metric_args(row, current_as_of, label))


def _indicator_metric_args(row: pd.Series) -> dict:
    lg = lang()
    flag = f" · {t('fig.mixed')}" if bool(row.get("mixes_scopes", False)) else ""
    return dict(label=md(row[views.col(lg, "name")]) + flag, value=views.indicator_display(row, lg),
                help=indicator_help(row), border=True, delta=t("fig.derived"), delta_color="off", delta_arrow="off")


def indicator_metric(row: pd.Series) -> None:
    """A derived indicator, marked as derived, with its formula in the tooltip."""
    st.metric(**_indicator_metric_args(row))


# The metrics' texts for a (read-only) table, chosen ids, language and unit are the same on every run: made once.
# ``lg`` and ``unit`` are part of the memo key (the helpers read them from the session).
@views.memo
def _facts_metric_args(facts: pd.DataFrame, ids: list[str], current_as_of: str, lg: str, unit: str) -> list[dict]:
    rows = views.by_id(facts, "fact_id")
    return [_fact_metric_args(rows.loc[fid], current_as_of) for fid in ids if fid in rows.index]


@views.memo
def _indicator_metric_args_for(indicators: pd.DataFrame, ids: list[str], lg: str) -> list[dict]:
    rows = views.by_id(indicators, "indicator_id")
    return [_indicator_metric_args(rows.loc[iid]) for iid in ids if iid in rows.index]


def _metrics_grid(cells: list[dict], columns: int) -> None:
    if columns == 1:   # a single column needs no layout of its own (a card on the overview)
        for args in cells:
            st.metric(**args)
        return
    for start in range(0, len(cells), columns):
        for slot, args in zip(st.columns(columns), cells[start:start + columns]):
            with slot:
                st.metric(**args)


def facts_metrics(facts: pd.DataFrame, ids: list[str], current_as_of: str, columns: int = 3) -> None:
    _metrics_grid(_facts_metric_args(facts, list(ids), current_as_of, lang(), unit_choice()), columns)


def indicator_metrics(indicators: pd.DataFrame, ids: list[str], columns: int = 3) -> None:
    _metrics_grid(_indicator_metric_args_for(indicators, list(ids), lang()), columns)
