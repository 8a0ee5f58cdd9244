"""The one helper for showing a figure on a page: value, unit, qualifier, and its source one click away.

Published figures carry their quote, scope, period and id in the tooltip; derived ones say they are derived and
show the formula in words, their inputs and any caveat.
"""
from __future__ import annotations

import re

import pandas as pd
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


def fact_metric(row: pd.Series, current_as_of: str, label: str | None = None) -> None:
    """A published figure as a metric; the (?) tooltip holds its source sentence. When the language or the unit
    switch shows it differently, the figure as printed stays visible beneath it."""
    lg = lang()
    shown = views.fact_display(row, lg, unit_choice())
    printed = numbers.as_published(row["printed"], row["unit"], row["qualifier"])
    beneath = None if shown.replace(",", "") == printed else t("fig.as_published", printed=printed)
    st.metric(md(label or views.fact_label(row, lg)), shown, help=fact_help(row, current_as_of), border=True,
              delta=beneath, delta_color="off", delta_arrow="off")


def indicator_metric(row: pd.Series) -> None:
    """A derived indicator, marked as derived, with its formula in the tooltip."""
    lg = lang()
    flag = f" · {t('fig.mixed')}" if bool(row.get("mixes_scopes", False)) else ""
    st.metric(md(row[views.col(lg, "name")]) + flag, views.indicator_display(row, lg),
              help=indicator_help(row), border=True, delta=t("fig.derived"), delta_color="off", delta_arrow="off")


def facts_metrics(facts: pd.DataFrame, ids: list[str], current_as_of: str, columns: int = 3) -> None:
    rows = views.by_id(facts, "fact_id")
    present = [i for i in ids if i in rows.index]
    for start in range(0, len(present), columns):
        for slot, fid in zip(st.columns(columns), present[start:start + columns]):
            with slot:
                fact_metric(rows.loc[fid], current_as_of)


def indicator_metrics(indicators: pd.DataFrame, ids: list[str], columns: int = 3) -> None:
    rows = views.by_id(indicators, "indicator_id")
    present = [i for i in ids if i in rows.index]
    for start in range(0, len(present), columns):
        for slot, iid in zip(st.columns(columns), present[start:start + columns]):
            with slot:
                indicator_metric(rows.loc[iid])
