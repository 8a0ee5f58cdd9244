"""The app's blocks drawn as a static page: a case page shows exactly what the app's case page shows.

The app resolves a case file's declared ``sections:`` into plain blocks (``metrics.layout.blocks_of``;
metrics/blocks.py documents them) and ui/blocks.py draws them with Streamlit. Here the same blocks become the
static edition's blocks (blocks.py), one adapter per block type (a registry), so both editions show the same
figures in the same order and no case page is written twice. What only the app can do is said on the page: a
calculator shows its result at the declared defaults, labelled so, with a link to the live calculator when the
app's address is known.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from metrics import calculators, charts, layout, numbers
from metrics.catalog import text
from metrics.charts import ChartSpec

from . import blocks as b
from .texts import say


class Adapter:
    """Turns one case's metrics blocks into static blocks, with what they need from the edition: the chart
    captions' source titles, the facts that have a mark in the article, and the app's address (or "")."""

    def __init__(self, ctx, case_id: str) -> None:
        self.ctx, self.case_id, self.lang = ctx, case_id, ctx.lang
        self.fact_ids = set(ctx.ds["facts"]["fact_id"])

    def convert(self, items: list[dict]) -> list:
        return [out for item in items for out in ADAPTERS[item["type"]](self, item)]


# --- one adapter per metrics block type ------------------------------------------------------------------------------

def _title(ad: Adapter, block: dict) -> list:
    return [b.Text(block["caption"])]     # the title itself is the page's <h1>


def _heading(ad: Adapter, block: dict) -> list:
    return [b.Text(block["text"], heading=True)]


def _note(ad: Adapter, block: dict) -> list:
    return [b.Text(block["text"], style=block["style"])]


def figure(ad: Adapter, card: dict) -> b.Figure:
    """A card as the app's metric shows it; a published figure links to its mark in the article (one click to its
    sentence), its help lines (as printed, source sentence, scope, period, qualifier …) behind "Source"."""
    published = not card["derived"] and card["id"] in ad.fact_ids
    return b.Figure(card["label"], card["value"], card["note"] or "", "", tuple(card["help"]),
                    b.anchor(card["id"]) if published else "", derived=bool(card["derived"]))


def _cards(ad: Adapter, block: dict) -> list:
    return [b.Figures("", [figure(ad, card) for card in block["cards"]], columns=int(block["columns"]))]


def chart_caption(spec: ChartSpec, source_title: str, lang: str, limit: int = 8) -> str:
    """The app's caption under a chart (ui/charts.py): source, unit, published or derived, then the key figures in
    words (for readers who cannot see the chart, and for print)."""
    derived = text("chart.caption.derived" if spec.derived else "chart.caption.published", lang)
    unit = charts.axis_scale(spec.unit, lang)[1] if spec.unit else "—"
    caption = text("chart.caption", lang, source=source_title, unit=unit, derived=derived)
    if "shown" not in spec.data or "label" not in spec.data:
        return caption
    parts = [f"{label} {shown}" for label, shown in zip(spec.data["label"], spec.data["shown"])][:limit]
    more = "…" if len(spec.data) > limit else ""
    return caption + " " + text("chart.summary", lang, summary=("；" if lang == "zh" else "; ").join(parts) + more)


def source_titles(ctx, source_ids) -> str:
    """The titles of these articles, as the app's chart captions name them (ui/frame.source_title)."""
    sources = ctx.ds["sources"]
    titles = sources.loc[sources["source_id"].isin(list(source_ids)), f"title_{ctx.lang}"]
    return "；".join(titles) if len(titles) else "—"


def _chart(ad: Adapter, block: dict) -> list:
    spec = block["spec"]
    return [b.Chart(spec, chart_caption(spec, source_titles(ad.ctx, block["sources"]), ad.lang))]


def _table(ad: Adapter, block: dict) -> list:
    """A table; where it lists figures by id (all figures), each value links to the figure's mark."""
    data = block["data"].reset_index(drop=True)
    id_col, value_col = text("col.id", ad.lang), text("col.value", ad.lang)
    if id_col in data.columns and value_col in data.columns and data[id_col].isin(ad.fact_ids).all():
        data = data.assign(_anchor=[b.anchor(f) for f in data[id_col]])
        return [b.Table("", data, links={value_col: "_anchor"}, alt=block["alt"])]
    return [b.Table("", data, alt=block["alt"])]


def _row(ad: Adapter, block: dict) -> list:
    return [b.Row([ad.convert(column) for column in block["columns"]])]


def _group(ad: Adapter, block: dict) -> list:
    return [b.Group(block["title"], ad.convert(block["blocks"]))]


def _calculator(ad: Adapter, block: dict) -> list:
    """Its intro, then its output at the declared defaults (metrics.calculators.result with no values), said so,
    and where to change the inputs: the app's calculator when its address is known."""
    lang = ad.lang
    defaults = ("；" if lang == "zh" else "; ").join(
        f"{i.label}{'：' if lang == 'zh' else ': '}{numbers.decimal(i.default, lang, digits=4)}" for i in block["inputs"])
    live = ad.ctx.app_url
    where = (b.Links(say("calc.live", lang), [(app_link(live, ad.case_id, lang, block), say("calc.open", lang))])
             if live else b.Text(say("calc.no_app", lang), style="caption"))
    return [b.Group(block["title"], [*ad.convert(block["intro"]),
                                     b.Text(say("calc.defaults", lang, values=defaults), style="info"),
                                     *ad.convert(calculators.result(block, {})), where], css="calculator")]


ADAPTERS: dict[str, Callable[[Adapter, dict], list]] = {
    "title": _title, "heading": _heading, "note": _note, "cards": _cards, "chart": _chart, "table": _table,
    "row": _row, "group": _group, "calculator": _calculator,
}


def app_link(app_url: str, case_id: str, lang: str, block: dict) -> str:
    """The app's case page, in this language, with the calculator's inputs at their defaults (the app's URL keys)."""
    query = {**({"lang": lang} if lang != "zh" else {}), **{i.key: _plain(i.default) for i in block["inputs"]}}
    return f"{app_url.rstrip('/')}/{quote(case_id)}?{urlencode(query)}"


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def case_page_blocks(ctx, case_id: str) -> tuple[str, list]:
    """(title, blocks) of a case page: the app's blocks for this case and language, as published (no unit switch)."""
    made = layout.blocks_of(ctx.ds.tables, case_id, ctx.lang)
    title = made[0]["title"] if made and made[0]["type"] == "title" else case_id
    return title, Adapter(ctx, case_id).convert(made)


def headline_figures(ctx, case_id: str) -> list[b.Figure]:
    """A case's headline figures as the app's overview shows them (its headline section's cards)."""
    view = layout.case_view(ctx.ds.tables, case_id, ctx.lang)
    adapter = Adapter(ctx, case_id)
    return [figure(adapter, card) for block in layout.resolve(view, [{"type": "headline"}]) for card in block["cards"]]
