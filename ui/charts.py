"""Show a chart spec: the figure (PNG export in the toolbar works offline), a caption made from the data,
a text summary for screen readers and print, and the chart's data as a download."""
from __future__ import annotations

import hashlib
import json
import pickle
import threading
import weakref
from collections import OrderedDict

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from metrics import charts, exports

from .i18n import lang, t


def caption(spec: charts.ChartSpec, source_title: str) -> str:
    derived = t("chart.caption.derived") if spec.derived else t("chart.caption.published")
    unit = charts.axis_scale(spec.unit, lang())[1] if spec.unit else "—"
    return t("chart.caption", source=source_title, unit=unit, derived=derived)


def summary(spec: charts.ChartSpec, limit: int = 8) -> str:
    """The key figures in words: what the chart shows, for readers who cannot see it."""
    if "shown" not in spec.data or "label" not in spec.data:
        return ""
    parts = [f"{label} {shown}" for label, shown in zip(spec.data["label"], spec.data["shown"])][:limit]
    more = "…" if len(spec.data) > limit else ""
    return t("chart.summary", summary="；".join(parts) + more if lang() == "zh" else "; ".join(parts) + more)


def _digest(spec: charts.ChartSpec, lang: str) -> str:
    """Everything a figure is made of: the spec's fields, its data (values, labels, dtypes) and the language."""
    fields = repr((lang, sorted((k, repr(v)) for k, v in spec.__dict__.items() if k != "data")))
    # Most chart data is made once per dataset (the same frame on every run): hash its content once.
    key = (id(spec.data), fields)
    with _figures_lock:
        known = _DIGESTS.get(key)
    if known is not None and known[0]() is spec.data:
        return known[1]
    digest = hashlib.sha256(fields.encode() + pickle.dumps(spec.data, protocol=5)).hexdigest()
    with _figures_lock:
        _DIGESTS[key] = (weakref.ref(spec.data), digest)
        while len(_DIGESTS) > _FIGURES_MAX:
            _DIGESTS.popitem(last=False)
    return digest


class _Sent(go.Figure):
    """A figure built once per process and then only read: its dict is made once too.

    st.plotly_chart turns a figure into a dict (``to_dict``) on every run, and plotly's ``to_dict`` deep-copies the
    figure and walks every array: 5-10 ms a chart, the largest part of a chart's cost on a warm run. The dict returned
    is shared by every session and must not be changed (Streamlit only serialises it and reads its size)."""

    def to_dict(self):
        made = self.__dict__.get("_made")
        return made if made is not None else super().to_dict()


def pre_encoded(figure) -> go.Figure:
    """The same figure with its arrays already in plotly's JSON form (base64 typed arrays), its dict made once.

    st.plotly_chart serializes the figure on every run; from numpy arrays that encoding was most of its cost
    (5.4 → 1.7 ms for the overview's money chart). The figure sent is identical (tests/test_pages.py checks it)."""
    sent = _Sent(json.loads(pio.to_json(figure)), skip_invalid=True)
    sent._made = go.Figure.to_dict(sent)
    return sent


_FIGURES: OrderedDict = OrderedDict()   # digest → (figure, summary), the most recently used last
_DIGESTS: OrderedDict = OrderedDict()   # (id of the data frame, spec fields) → (weak reference to it, digest)
_FIGURES_MAX = 512
_figures_lock = threading.Lock()


def _figure(digest: str, spec: charts.ChartSpec, lang: str) -> tuple:
    """The figure and its summary in words.

    Building a plotly figure (its template above all) costs far more than sending it; the same spec gives the same
    figure, so each is built once per process and shared read-only (st.plotly_chart only reads it). A plain LRU
    keyed by the content digest (which includes the language): st.cache_resource would hash its arguments again
    on every call."""
    with _figures_lock:
        figure = _FIGURES.get(digest)
        if figure is not None:
            _FIGURES.move_to_end(digest)
            return figure
    figure = (pre_encoded(charts.build(charts.scaled(spec, lang))), summary(spec))
    with _figures_lock:
        _FIGURES[digest] = figure
        while len(_FIGURES) > _FIGURES_MAX:
            _FIGURES.popitem(last=False)
    return figure


def show(spec: charts.ChartSpec, source_title: str, notes: list[str] | None = None, download: bool = True) -> None:
    """The chart, its caption (with ``notes``, each on a line of its own, in the same element) and, with
    ``download``, its data as CSV (a page that offers every row of the chart's table already leaves it out)."""
    lg = lang()
    figure, text = _figure(_digest(spec, lg), spec, lg)
    st.plotly_chart(figure, config=charts.plot_config(spec.chart_id, lg),
                    key=f"chart_{spec.chart_id}", width="stretch", theme=None, alt=text or spec.title)
    note = caption(spec, source_title)
    st.caption("\n\n".join([note + " " + text, *(notes or [])]))
    if not download:
        return
    # The CSV is made when the button is pressed, not on every run (and not stored per session meanwhile).
    st.download_button(t("chart.download"), lambda d=spec.data, note=note: exports.to_csv(
                           d.drop(columns=[c for c in ("quote",) if c in d.columns]), note),
                       file_name=f"{spec.chart_id}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key=f"dl_{spec.chart_id}", type="tertiary")
