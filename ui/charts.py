"""Show a chart spec: the figure (PNG export in the toolbar works offline), a caption made from the data,
a text summary for screen readers and print, and the chart's data as a download."""
from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict

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
    return hashlib.sha256(fields.encode() + pickle.dumps(spec.data, protocol=5)).hexdigest()


_FIGURES: OrderedDict = OrderedDict()   # digest → figure, the most recently used last
_FIGURES_MAX = 512
_figures_lock = threading.Lock()


def _figure(digest: str, spec: charts.ChartSpec, lang: str):
    """Building a plotly figure (its template above all) costs far more than sending it; the same spec gives the
    same figure, so each is built once per process and shared read-only (st.plotly_chart only reads it). A plain
    LRU keyed by the content digest: st.cache_resource would hash its arguments again on every call."""
    with _figures_lock:
        figure = _FIGURES.get(digest)
        if figure is not None:
            _FIGURES.move_to_end(digest)
            return figure
    figure = charts.build(charts.scaled(spec, lang))
    with _figures_lock:
        _FIGURES[digest] = figure
        while len(_FIGURES) > _FIGURES_MAX:
            _FIGURES.popitem(last=False)
    return figure


def show(spec: charts.ChartSpec, source_title: str) -> None:
    text = summary(spec)
    st.plotly_chart(_figure(_digest(spec, lang()), spec, lang()), config=charts.plot_config(spec.chart_id, lang()),
                    key=f"chart_{spec.chart_id}", width="stretch", theme=None, alt=text or spec.title)
    st.caption(caption(spec, source_title) + " " + text)
    # The CSV is made when the button is pressed, not on every run (and not stored per session meanwhile).
    st.download_button(t("chart.download"), lambda d=spec.data, note=caption(spec, source_title): exports.to_csv(
                           d.drop(columns=[c for c in ("quote",) if c in d.columns]), note),
                       file_name=f"{spec.chart_id}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key=f"dl_{spec.chart_id}", type="tertiary")
