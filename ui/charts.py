"""Show a chart spec: the figure (PNG export in the toolbar works offline), a caption made from the data,
a text summary for screen readers and print, and the chart's data as a download."""
from __future__ import annotations

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


def show(spec: charts.ChartSpec, source_title: str) -> None:
    text = summary(spec)
    st.plotly_chart(charts.build(charts.scaled(spec, lang())), config=charts.plot_config(spec.chart_id, lang()),
                    key=f"chart_{spec.chart_id}", width="stretch", theme=None, alt=text or spec.title)
    st.caption(caption(spec, source_title) + " " + text)
    data = spec.data.drop(columns=[c for c in ("quote",) if c in spec.data.columns])
    st.download_button(t("chart.download"), exports.to_csv(data, caption(spec, source_title)),
                       file_name=f"{spec.chart_id}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key=f"dl_{spec.chart_id}", type="tertiary")
