"""What a static page is made of: a list of pure blocks, each rendered by one renderer (render.py).

A block holds only display-ready values computed by metrics/ (views, numbers, charts.ChartSpec); nothing here
formats a number itself. The kinds: ``Figures`` (metric cards), ``Chart`` (a ChartSpec), ``Table`` (a frame
whose cells may link to a figure's quote), ``Text`` (a heading or a paragraph), ``Links`` (a list of pages),
``Row`` (columns side by side), ``Group`` (a titled part), ``Article`` and ``Downloads``. A case page's blocks are
the app's own (metrics.layout.blocks_of, adapted by sections.py), so both editions show the same numbers
(tests/test_static.py compares them).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics import views
from metrics.charts import ChartSpec


@dataclass(frozen=True)
class Figure:
    """One number card: label, value (with qualifier and unit), the line beneath, and where it comes from."""
    label: str
    value: str
    beneath: str = ""                # the figure as printed, when the value reads differently; or "derived"
    quote: str = ""                  # the sentence it came from (published) / the formula in words (derived)
    details: tuple[str, ...] = ()    # scope, period, kind, id, notes, qualifier, caveat…
    anchor: str = ""                 # id of the figure's mark in the article (sources page), "" if none
    derived: bool = False


@dataclass
class Figures:
    title: str
    figures: list[Figure]
    link: tuple[str, str] | None = None   # (href, label): a card's way to its case page
    columns: int = 3                      # cards per row, as the section declares (print keeps three)
    kind: str = "figures"


@dataclass
class Links:
    title: str
    links: list[tuple[str, str]]          # (href, label)
    kind: str = "links"


@dataclass
class Chart:
    spec: ChartSpec
    caption: str
    kind: str = "chart"


@dataclass
class Table:
    """A table; ``links`` maps a column to a column of anchors (its cells then link to the article's mark)."""
    title: str
    frame: pd.DataFrame
    links: dict[str, str] = field(default_factory=dict)
    table_id: str = ""
    alt: str = ""                         # a name for screen readers only (the app's ``alt``), not shown
    kind: str = "table"


@dataclass
class Text:
    body: str
    heading: bool = False
    style: str = ""                       # a note's style: caption | info | strong | success ("" plain)
    kind: str = "text"


@dataclass
class Row:
    """Sections side by side (a ``columns`` section); on narrow screens and in print they stack."""
    columns: list[list]
    kind: str = "row"


@dataclass
class Group:
    """A titled part of a page holding blocks (all figures by kind; a calculator)."""
    title: str
    blocks: list
    css: str = ""
    kind: str = "group"


def anchor(fact_id: str) -> str:
    return f"f-{fact_id}"


@dataclass
class Mark:
    """A run of article text; a marked figure carries the anchors of every figure printed there."""
    text: str
    anchors: tuple[str, ...] = ()


@dataclass
class Article:
    title: str
    meta: list[str]                        # published, licence, …
    url: str                               # shown as a link only if http(s) (render.py)
    marks: list[Mark]
    unplaced: list[tuple[str, str]] = field(default_factory=list)   # (anchor, quote) of figures not located
    kind: str = "article"


@dataclass
class Downloads:
    title: str
    intro: str
    files: list[tuple[str, list[tuple[str, str]]]]   # (table label, [(format label, href)])
    kind: str = "downloads"


def article_marks(normalized: str, facts: pd.DataFrame) -> tuple[list[Mark], list[tuple[str, str]]]:
    """The article as marks (views.marked_article), every figure's anchor on the mark that shows it.

    Two figures may share printed text (a ratio's terms): views keeps the first mark, so the other's anchor goes on
    the mark that covers its start. A figure with no position gets its quote listed after the article."""
    spans = {f: (int(s), int(e)) for f, s, e in zip(facts["fact_id"], facts["printed_start"], facts["printed_end"])}
    segments = views.marked_article(normalized, facts)
    kept = [fid for _, fid in segments if fid]
    extra: dict[str, list[str]] = {fid: [] for fid in kept}
    placed = set(kept)
    for fid, (start, _end) in spans.items():
        cover = next((k for k in kept if spans[k][0] <= start < spans[k][1]), None) if start >= 0 else None
        if fid not in placed and cover:
            extra[cover].append(fid)
            placed.add(fid)
    marks = [Mark(part, tuple(anchor(f) for f in [fid, *extra[fid]]) if fid else ()) for part, fid in segments]
    quotes = dict(zip(facts["fact_id"], facts["quote"]))
    return marks, [(anchor(f), quotes[f]) for f in spans if f not in placed]
