"""What a static page is made of: a list of pure blocks, each rendered by one renderer (render.py).

A block holds only display-ready values computed by metrics/ (views, numbers, charts.ChartSpec); nothing here
formats a number itself. The kinds: ``Figures`` (metric cards), ``Chart`` (a ChartSpec), ``Table`` (a frame
whose cells may link to a figure's quote), ``Text`` (a heading or a paragraph), ``Links`` (a list of pages).
The app renders the same figures from the same helpers, so both editions show the same numbers
(tests/test_static.py compares them).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics import numbers, periods, views
from metrics.catalog import text
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
    kind: str = "table"


@dataclass
class Text:
    body: str
    heading: bool = False
    kind: str = "text"


def anchor(fact_id: str) -> str:
    return f"f-{fact_id}"


# --- figures --------------------------------------------------------------------------------------------------

def fact_figure(row, lang: str, current_as_of: str, label: str | None = None) -> Figure:
    """A published figure exactly as the app's metric shows it (ui/show.py), with its source."""
    shown = views.fact_display(row, lang, numbers.AS_PUBLISHED)
    printed = numbers.as_published(row["printed"], row["unit"], row["qualifier"])
    beneath = "" if shown.replace(",", "") == printed else text("fig.as_published", lang, printed=printed)
    details = [text("fig.meta", lang, scope=row[views.col(lang, "scope")],
                    period=periods.format_period(row["period"], lang, current_as_of),
                    kind=text(f"kind.{row['kind']}", lang), fact_id=row["fact_id"]),
               text("fig.as_published", lang, printed=printed)]
    note = row.get(views.col(lang, "note"), "")
    if isinstance(note, str) and note:
        details.append(text("fig.note", lang, note=note))
    if row["qualifier"] != "exact":
        details.append(text(f"fig.qualifier.{row['qualifier']}", lang))
    return Figure(label or views.fact_label(row, lang), shown, beneath, row["quote"], tuple(details),
                  anchor(row["fact_id"]))


def indicator_figure(row, lang: str) -> Figure:
    """A derived indicator as the app shows it: marked derived, its formula in words, inputs and caveat."""
    flag = f" · {text('fig.mixed', lang)}" if bool(row.get("mixes_scopes", False)) else ""
    details = [text("fig.inputs", lang, inputs=row["inputs"].replace(",", ", "))]
    caveat = row.get(views.col(lang, "caveat"), "")
    if isinstance(caveat, str) and caveat:
        details.append(text("fig.caveat", lang, caveat=caveat))
    if row["qualifier"] != "exact":
        details.append(text(f"fig.qualifier.{row['qualifier']}", lang))
    formula = text("fig.formula", lang, formula=row[views.col(lang, "formula")])
    return Figure(row[views.col(lang, "name")] + flag, views.indicator_display(row, lang), text("fig.derived", lang),
                  formula, tuple(details), "", derived=True)


def fact_figures(facts: pd.DataFrame, ids: list[str], lang: str, current_as_of: str) -> list[Figure]:
    rows = views.by_id(facts, "fact_id")
    return [fact_figure(rows.loc[i], lang, current_as_of) for i in ids if i in rows.index]


def indicator_figures(indicators: pd.DataFrame, lang: str) -> list[Figure]:
    return [indicator_figure(row, lang) for _, row in indicators.iterrows()]


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
