"""Draw blocks (metrics/blocks.py) with Streamlit: one renderer per block type, a registry.

Blocks hold plain text; every text from the data is escaped for markdown here (no HTML is ever enabled).
A calculator block draws its inputs (bound to the URL by ui.state) and then the blocks its output makes.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from metrics import calculators, views
from metrics.store import Dataset

from . import charts, frame
from .show import arrow as _arrow
from .show import md

# A table block's frame lives as long as the dataset's blocks: converted to Arrow once.
arrow = views.memo(_arrow)


def metric(card: dict) -> None:
    """A figure: the (?) tooltip holds its source sentence or formula; the line beneath says "as printed" or
    "derived"."""
    help_text = "\n\n".join(md(line) for line in card["help"]) or None
    st.metric(md(card["label"]), card["value"], help=help_text, border=True, delta=card["note"], delta_color="off",
              delta_arrow="off")


def _title(ds: Dataset, block: dict) -> None:
    st.title(block["title"])
    st.caption(md(block["caption"]))


def _heading(ds: Dataset, block: dict) -> None:
    st.subheader(md(block["text"]))


_NOTES: dict[str, Callable[[str, str], object]] = {
    "caption": lambda words, icon: st.caption(words),
    "strong": lambda words, icon: st.markdown(f"**{words}**"),
    "info": lambda words, icon: st.info(words, icon=icon or None),
    "success": lambda words, icon: st.success(words, icon=icon or None),
}


def _note(ds: Dataset, block: dict) -> None:
    _NOTES[block["style"]](md(block["text"]), block["icon"])


def _cards(ds: Dataset, block: dict) -> None:
    cards, columns = block["cards"], block["columns"]
    if columns == 1:   # a single column needs no layout of its own
        for card in cards:
            metric(card)
        return
    for start in range(0, len(cards), columns):
        for slot, card in zip(st.columns(columns), cards[start:start + columns]):
            with slot:
                metric(card)


def _chart(ds: Dataset, block: dict) -> None:
    charts.show(block["spec"], frame.source_title(ds, block["sources"]))


def _table(ds: Dataset, block: dict) -> None:
    st.dataframe(arrow(block["data"]), hide_index=True, width="stretch", **({"alt": block["alt"]} if block["alt"] else {}))


def _row(ds: Dataset, block: dict) -> None:
    for slot, column in zip(st.columns(len(block["columns"])), block["columns"]):
        with slot:
            draw(ds, column)


def _group(ds: Dataset, block: dict) -> None:
    with st.expander(block["title"], expanded=block["expanded"], icon=block["icon"] or None):
        draw(ds, block["blocks"])


def _input(spec: calculators.Input) -> float:
    widget = st.slider if spec.widget == "slider" else st.number_input
    # Not escaped: the label is also the input's accessible name (escapes would be read out), and it comes from the
    # catalog or the reviewed case file.
    return widget(spec.label, min_value=spec.low, max_value=spec.high, step=spec.step, key=spec.key)


def _calculator(ds: Dataset, block: dict) -> None:
    st.subheader(md(block["title"]))
    draw(ds, block["intro"])
    inputs = block["inputs"]
    if len(inputs) > 1:
        values = {}
        for slot, spec in zip(st.columns(len(inputs)), inputs):
            with slot:
                values[spec.name] = _input(spec)
    else:
        values = {spec.name: _input(spec) for spec in inputs}
    draw(ds, calculators.result(block, values))


RENDERERS: dict[str, Callable[[Dataset, dict], None]] = {
    "title": _title, "heading": _heading, "note": _note, "cards": _cards, "chart": _chart, "table": _table,
    "row": _row, "group": _group, "calculator": _calculator,
}


def draw(ds: Dataset, blocks: list[dict]) -> None:
    for block in blocks:
        RENDERERS[block["type"]](ds, block)
