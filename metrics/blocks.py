"""Blocks: what a page shows, as plain data in the reader's language, ready for any renderer.

A block is a dict with a ``type`` and the fields below. Texts are plain (never markdown or HTML): each renderer
escapes them for its medium (ui/ for Streamlit, deploy/ for static HTML). Numbers are already formatted (value,
unit, qualifier, every printed decimal); chart data is a :class:`metrics.charts.ChartSpec`.

=============  ==========================================================================================
type           fields
=============  ==========================================================================================
title          ``title``, ``caption`` (author · locality)
heading        ``text``                                          a section heading (h2/subheader)
note           ``text``, ``style``: caption | info | strong | success, ``icon`` (a :material/…: name or "")
cards          ``cards`` (list of Card), ``columns`` (cards per row)
chart          ``spec`` (ChartSpec: chart_id, kind, data, title, unit, derived …), ``sources`` (source ids shown)
table          ``data`` (DataFrame, columns already named in the language), ``alt`` (a name for it, or "")
row            ``columns``: list of lists of blocks, side by side
group          ``title``, ``blocks``, ``expanded`` (bool), ``icon``   a collapsible group (all figures)
calculator     ``id``, ``calc_type``, ``title``, ``lang``, ``intro`` (blocks above the inputs), ``inputs`` (list
               of metrics.calculators.Input: name, key, label, unit, default, low, high, step, widget),
               ``bound`` (the facts it reads, as plain dicts), ``labels``, ``sources``, ``chart_id``,
               ``chart_title``; its output for input values is ``metrics.calculators.result(block, values)``
               (a list of blocks; ``{}`` = every input at its default, what a static renderer shows)
=============  ==========================================================================================

Card (a dict): ``id`` (fact or indicator id, or a calculator output name), ``label``, ``value`` (shown),
``note`` (the line beneath the value: the figure as printed when shown differently, or "derived"; None for
none), ``help`` (list of plain lines: as-published value, source sentence, scope/period/kind/id, note,
qualifier meaning; or formula, inputs and caveat for a derived one), ``derived`` (bool).
"""
from __future__ import annotations

import pandas as pd

from . import numbers, periods, views
from .catalog import text
from .charts import ChartSpec


def heading(words: str) -> dict:
    return {"type": "heading", "text": words}


def note(words: str, style: str = "caption", icon: str = "") -> dict:
    return {"type": "note", "text": words, "style": style, "icon": icon}


def cards(items: list[dict], columns: int = 3) -> dict:
    return {"type": "cards", "cards": items, "columns": columns}


def chart(spec: ChartSpec, sources: list[str]) -> dict:
    return {"type": "chart", "spec": spec, "sources": list(sources)}


def table(data: pd.DataFrame, alt: str = "") -> dict:
    return {"type": "table", "data": data, "alt": alt}


def row(*columns: list[dict]) -> dict:
    return {"type": "row", "columns": list(columns)}


def group(title: str, blocks: list[dict], expanded: bool = False, icon: str = "") -> dict:
    return {"type": "group", "title": title, "blocks": blocks, "expanded": expanded, "icon": icon}


def title(words: str, caption: str) -> dict:
    return {"type": "title", "title": words, "caption": caption}


# --- cards ---------------------------------------------------------------------------------------------------------
def fact_card(row: pd.Series, lang: str, unit: str, current_as_of: str, label: str | None = None) -> dict:
    """A published figure: the value as shown, the printed one beneath when they differ, its source in the help."""
    shown = views.fact_display(row, lang, unit)
    printed = numbers.as_published(row["printed"], row["unit"], row["qualifier"])
    lines = [text("fig.as_published", lang, printed=printed), text("fig.source", lang, quote=row["quote"]),
             text("fig.meta", lang, scope=row[views.col(lang, "scope")],
                  period=periods.format_period(row["period"], lang, current_as_of), kind=text(f"kind.{row['kind']}", lang),
                  fact_id=row["fact_id"])]
    remark = row.get(views.col(lang, "note"), "")
    if isinstance(remark, str) and remark:
        lines.append(text("fig.note", lang, note=remark))
    if row["qualifier"] != "exact":
        lines.append(text(f"fig.qualifier.{row['qualifier']}", lang))
    beneath = None if shown.replace(",", "") == printed else text("fig.as_published", lang, printed=printed)
    return {"id": row["fact_id"], "label": label or views.fact_label(row, lang), "value": shown, "note": beneath,
            "help": lines, "derived": False}


def indicator_card(row: pd.Series, lang: str) -> dict:
    """A derived indicator: marked as derived, its formula in words, inputs and caveat in the help."""
    flag = f" · {text('fig.mixed', lang)}" if bool(row.get("mixes_scopes", False)) else ""
    lines = [text("fig.derived", lang), text("fig.formula", lang, formula=row[views.col(lang, "formula")]),
             text("fig.inputs", lang, inputs=row["inputs"].replace(",", ", "))]
    caveat = row.get(views.col(lang, "caveat"), "")
    if isinstance(caveat, str) and caveat:
        lines.append(text("fig.caveat", lang, caveat=caveat))
    if row["qualifier"] != "exact":
        lines.append(text(f"fig.qualifier.{row['qualifier']}", lang))
    return {"id": row["indicator_id"], "label": row[views.col(lang, "name")] + flag,
            "value": views.indicator_display(row, lang), "note": text("fig.derived", lang), "help": lines, "derived": True}


def plain_card(card_id: str, label: str, value: str) -> dict:
    """A computed output (a calculator's): no source sentence, no note."""
    return {"id": card_id, "label": label, "value": value, "note": None, "help": [], "derived": True}
