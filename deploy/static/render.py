"""Blocks to HTML: one renderer per block kind (a registry), Jinja2 templates with autoescaping on.

Every text from the data reaches the page through autoescaping (or, inside chart JSON, through an encoding that
cannot close its <script> element); a URL becomes a link only if it is http(s). Charts are not drawn here: the
figure goes into the page as JSON (<script type="application/json">) and assets/charts.js draws it, so the
Content-Security-Policy allows no inline script at all.
"""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from metrics import charts

from . import blocks as b
from . import plotly_js

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"], default=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

# No script but our two local files, no requests anywhere (connect-src 'none'), styles from our stylesheet and
# the ones plotly.js sets on its own elements, images only local or made in the page (the PNG export).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'")


def safe_url(url: str) -> str:
    """The URL if it is an absolute http(s) address, else "" (javascript:, data:, relative… are never links)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def script_json(value) -> Markup:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' can close or open an element."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if not isinstance(value, str) else value
    return Markup(encoded.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


# plotly.js reads a subset of HTML in chart texts (<b>, <a href>, …): data texts go in escaped, so they show as
# typed and can never become markup there either. Our own markup (the hover's <b>/<br>) is added after.
_TEXT_COLUMNS = ("label", "shown", "quote", "case", "when", "beneficiary", "parent", "bar")


def inert_spec(spec: charts.ChartSpec) -> charts.ChartSpec:
    data = spec.data.copy()
    for column in _TEXT_COLUMNS:
        if column in data.columns and (data[column].dtype == object or pd.api.types.is_string_dtype(data[column])):
            data[column] = data[column].map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return charts.ChartSpec(**{**spec.__dict__, "data": data, "title": html.escape(spec.title, quote=False)})


def figure_json(spec: charts.ChartSpec, lang: str) -> dict:
    """The app's figure for this spec (charts.build of the scaled spec) and its plot config, as plain JSON."""
    figure = charts.build(charts.scaled(inert_spec(spec), lang))
    # charts.plot_config switches off plotly.js's "Share chart" button (it posts the chart to Plotly's cloud).
    config = {**charts.plot_config(spec.chart_id, lang), "responsive": True}
    return {"figure": json.loads(figure.to_json()), "config": config}


class Renderer:
    """Renders a page's blocks; ``base`` is the way from the page back to its language folder."""

    def __init__(self, lang: str, base: str) -> None:
        self.lang, self.base = lang, base
        self.charts = 0
        self.traces: set[str] = set()     # trace types drawn: which plotly.js bundle can serve (plotly_js.py)

    def href(self, path: str) -> str:
        """A path inside the language folder, made relative to this page; an absolute http(s) address (the live
        app's) as it is."""
        return path if safe_url(path) else self.base + path

    def block(self, block) -> Markup:
        return RENDERERS[block.kind](self, block)


def _template(name: str) -> Callable:
    template = ENV.get_template(f"blocks/{name}.html")

    def render(renderer: Renderer, block) -> Markup:
        return Markup(template.render(block=block, r=renderer, lang=renderer.lang, say=_say))
    return render


def _chart(renderer: Renderer, block: b.Chart) -> Markup:
    renderer.charts += 1
    payload = figure_json(block.spec, renderer.lang)
    renderer.traces |= plotly_js.trace_types(payload["figure"])
    return Markup(ENV.get_template("blocks/chart.html").render(
        block=block, payload=script_json(payload), r=renderer, lang=renderer.lang, say=_say))


def _table(renderer: Renderer, block: b.Table) -> Markup:
    columns = [c for c in block.frame.columns if not str(c).startswith("_")]
    rows = [[(value, block.links.get(column) and record[block.links[column]]) for column, value in
             ((c, record[c]) for c in columns)] for record in block.frame.to_dict("records")]
    return Markup(ENV.get_template("blocks/table.html").render(
        block=block, columns=columns, rows=rows, r=renderer, lang=renderer.lang, say=_say, cell=_cell))


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _article(renderer: Renderer, block: b.Article) -> Markup:
    return Markup(ENV.get_template("blocks/article.html").render(
        block=block, url=safe_url(block.url), r=renderer, lang=renderer.lang, say=_say))


def _say(key: str, lang: str, **values) -> str:
    from .texts import say
    return say(key, lang, **values)


RENDERERS: dict[str, Callable[[Renderer, object], Markup]] = {
    "figures": _template("figures"),
    "row": _template("row"),
    "group": _template("group"),
    "chart": _chart,
    "table": _table,
    "text": _template("text"),
    "links": _template("links"),
    "article": _article,
    "downloads": _template("downloads"),
}
