"""What the compare page shows of one code, a part at a time: each code's rows ranked and flagged once per dataset
(metrics.compare.index_rows of the code's facts, read from the collection table by position), and only the rows on screen put into words, the
last views remembered. A national collection has tens of thousands of figures under one code: the chart draws the
largest (or smallest) few, the table a page of rows, the download every row (made when its button is pressed)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from metrics import compare, exports, numbers
from metrics.store import Dataset, plain

from .i18n import lang, t

VIEWS_KEPT = 64   # views remembered per dataset (a rerun, a language switch or a page change asks for one again)


def positions(ds: Dataset) -> dict:
    """Code → the positions of its facts in the collection table: all the page keeps of the coded facts."""
    return ds.derived(("compare_positions",), lambda: compare.code_positions(ds.collection["facts"]))


def counts(ds: Dataset) -> dict[str, int]:
    """Code → localities reporting it."""
    return ds.derived(("compare_counts",), lambda: compare.reporting_at(ds.collection["facts"], positions(ds), ds["cases"]))


def index(ds: Dataset, code: str) -> pd.DataFrame:
    """The code's facts ranked and flagged (``row``: each one's position in the collection table), once per dataset."""
    def make() -> pd.DataFrame:
        at = positions(ds).get(code, np.array([], np.uint32))
        return compare.index_rows(compare.index_columns(ds.collection["facts"], at), ds["cases"])
    return ds.derived(("compare_index", code), make)


def provinces(ds: Dataset) -> dict[str, str]:
    """Province (its Chinese name: the code in links) → its name in the reader's language, in the cases' order."""
    lg = lang()
    return ds.derived(("compare_provinces", lg), lambda: dict(zip(ds["cases"]["province_zh"], ds["cases"][f"province_{lg}"])))


def described(ds: Dataset, rows: pd.DataFrame, lg: str) -> pd.DataFrame:
    """Index rows in words: their facts' columns fetched from the collection table by position."""
    facts = plain(ds.collection["facts"].select(compare.SHOWN_COLUMNS).take(rows["row"].to_numpy())).to_pandas()
    return compare.describe(rows, facts, ds["cases"], lg, ds.derived(("compare_as_of",), lambda: compare.as_of(ds["sources"])))


@dataclass(eq=False)
class Shown:
    """One code's chart as the page draws it, under the reader's provinces and ranking."""
    view: compare.View
    chart: pd.DataFrame       # compare.chart_rows of the bars drawn
    not_charted: str          # the first rows left out of the chart, in words (each wording once)
    not_charted_named: int    # how many rows that names
    source_ids: list[str]     # the articles of the matching rows (the chart's caption names them)
    unit: str                 # the ChartSpec unit (compare.chart_unit)
    title: str                # the chart's title (compare.chart_title)


def _remembered(ds: Dataset, key: tuple, make):
    """``make()`` for ``key``, the last ``VIEWS_KEPT`` remembered per dataset."""
    return ds.remembered("compare_views", key, make, VIEWS_KEPT)


def shown(ds: Dataset, code: compare.Code, chosen: list[str], rank: str) -> Shown:
    lg = lang()

    def make() -> Shown:
        rows = index(ds, code.code)
        view = compare.view(rows, chosen, rank)
        cases = ds["cases"].set_index("case_id")["source_id"]
        return Shown(view, compare.chart_rows(described(ds, view.bars, lg), lg),
                     *compare.listed_once(described(ds, view.left_out, lg), compare.NOT_CHARTED_LISTED),
                     list(dict.fromkeys(cases[view.matching["case_id"].unique().tolist()])),
                     compare.chart_unit(code, rows["scale"].iloc[0] if len(rows) else ""), compare.chart_title(code, rows, lg))
    return _remembered(ds, ("chart", code.code, lg, tuple(chosen), rank), make)


def grid(ds: Dataset, code: str, block: Shown, chosen: list[str], page: int, size: int) -> pa.Table:
    """The grid's page of the matching rows (compare.table), as Arrow: st.dataframe sends it as it is."""
    lg = lang()
    first = (page - 1) * size
    return _remembered(ds, ("grid", code, lg, tuple(chosen), page, size), lambda: pa.Table.from_pandas(compare.table(
        described(ds, block.view.matching.iloc[first:first + size], lg), lg), preserve_index=False))


def page(code: str, matching: int, size: int) -> int:
    """The grid's page of ``matching`` rows, ``size`` at a time, with a page picker when there is more than one."""
    pages = max(1, -(-matching // size))
    if pages == 1:
        return 1
    key = f"page_{code}"
    if st.session_state.get(key, 1) > pages:   # the provinces narrowed the rows since: stay on the last page
        st.session_state[key] = pages
    return int(st.number_input(t("data.page", pages=numbers.decimal(pages, lang(), 0)), min_value=1, max_value=pages,
                               step=1, key=key, width=240))


def rows_note(block: Shown, page: int, size: int, rows: int) -> str:
    """Which ``rows`` the grid holds (pages of ``size``), of how many (the download holds every one)."""
    lg, first = lang(), (page - 1) * size
    return t("data.page.rows", size=numbers.decimal(size, lg, 0), first=numbers.decimal(first + 1, lg, 0),
             last=numbers.decimal(first + rows, lg, 0), shown=numbers.decimal(len(block.view.matching), lg, 0))


def heading_note(block: Shown, localities: int, first_rows: int) -> str:
    """The caption above an indicator's grid: localities reporting it, its common unit, then (a paragraph each) that
    only one locality reports it, and, with ``first_rows``, that the grid holds only its first rows."""
    lg = lang()
    lines = [t("compare.localities", n=localities) + " · " + t("compare.unit", unit=compare.unit_text(block.unit, lg))]
    if localities < 2:
        lines.append(t("compare.one_locality"))
    if first_rows:
        lines.append(first_rows_note(block, first_rows))
    return "\n\n".join(lines)


def first_rows_note(block: Shown, rows: int) -> str:
    """A family's grid: its first ``rows`` of how many (one indicator chosen, the grid pages through them)."""
    lg = lang()
    return t("compare.family.rows", shown=numbers.decimal(rows, lg, 0), total=numbers.decimal(len(block.view.matching), lg, 0))


def chart_note(block: Shown, rank: str) -> str:
    """What a ranked chart leaves out ("the 20 largest of 3,402 comparable values, from 1,134 cases")."""
    lg, view = lang(), block.view
    return t(f"compare.chart.{rank}", shown=numbers.decimal(len(view.bars), lg, 0), total=numbers.decimal(view.charted, lg, 0),
             cases=numbers.decimal(view.charted_cases, lg, 0))


def chart_notes(block: Shown, rank: str) -> list[str]:
    """What the caption under a chart adds: how many values it leaves out, that a value is a lower bound, which
    rows are not charted (one caption: a family of a national collection shows a chart for every indicator)."""
    notes = [chart_note(block, rank)] if len(block.chart) < block.view.charted else []
    if block.chart["qualifier"].eq("at_least").any():
        notes.append(t("compare.at_least"))
    if block.not_charted and len(block.view.matching) >= 2:
        notes.append(not_charted_note(block))
    return notes


def not_charted_note(block: Shown) -> str:
    more = block.view.not_charted - block.not_charted_named
    return t("compare.not_charted", rows=block.not_charted) + (
        t("compare.not_charted.more", more=numbers.decimal(more, lang(), 0)) if more > 0 else "")


def download(ds: Dataset, code: str, block: Shown, note: str) -> None:
    """Every matching row of the code as CSV, made when the button is pressed (the grid holds one page)."""
    lg = lang()
    st.download_button(t("compare.download", rows=numbers.decimal(len(block.view.matching), lg, 0)),
                       lambda: exports.to_csv(compare.table(described(ds, block.view.matching, lg), lg), note),
                       file_name=f"compare_{code}_{lg}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key=f"dl_rows_{code}")
