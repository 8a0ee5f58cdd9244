"""The one chart builder: a small spec in, a themed plotly figure out (no streamlit here).

Kinds are a registry (bar, stacked, treemap, timeline); every figure gets the same template, a colour-blind-safe
palette (Okabe–Ito), CJK-capable fonts, a title, and hover text that carries the as-published value.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif'


@dataclass
class ChartSpec:
    chart_id: str
    kind: str                      # a key of BUILDERS
    data: pd.DataFrame             # columns: label, value, shown (+ color / parent / date as the kind needs)
    title: str
    value_title: str = ""          # axis title for the values
    color: str | None = None       # column that colours the marks
    log: bool = False
    derived: bool = False          # any number in it computed by us
    unit: str = ""                 # unit named in the caption
    height: int = 380
    extra: dict = field(default_factory=dict)


def _hover(data: pd.DataFrame) -> list[str]:
    quote = data["quote"] if "quote" in data else [""] * len(data)
    label = data["label"] if "label" in data else [""] * len(data)
    return [f"<b>{name}</b><br>{s}" + (f"<br><i>{q[:60]}{'…' if len(q) > 60 else ''}</i>" if q else "")
            for name, s, q in zip(label, data["shown"], quote)]


def _colors(data: pd.DataFrame, column: str | None) -> list[str]:
    if not column:
        return [PALETTE[0]] * len(data)
    keys = list(dict.fromkeys(data[column]))
    return [PALETTE[keys.index(k) % len(PALETTE)] for k in data[column]]


# A qualified value is not drawn like an exact one: an at-least bar is hatched (its true end lies further out).
QUALIFIER_PATTERNS = {"at_least": "/", "at_most": "\\", "approx": ".", "exact": ""}


def _patterns(data: pd.DataFrame) -> list[str] | None:
    return [QUALIFIER_PATTERNS.get(q, "") for q in data["qualifier"]] if "qualifier" in data else None


def _bar(spec: ChartSpec) -> go.Figure:
    data = spec.data
    fig = go.Figure()
    groups = data.groupby(spec.color, sort=False) if spec.color else [("", data)]
    for i, (name, part) in enumerate(groups):
        fig.add_trace(go.Bar(
            x=part["value"], y=part["label"], orientation="h", name=str(name), text=part["shown"],
            textposition="auto", textfont_size=12, hovertext=_hover(part), hoverinfo="text", showlegend=bool(spec.color),
            marker_color=PALETTE[i % len(PALETTE)], marker_pattern_shape=_patterns(part), cliponaxis=False))
    fig.update_xaxes(type="log" if spec.log else "linear", title=spec.value_title)
    labels = list(dict.fromkeys(data["label"]))
    fig.update_yaxes(automargin=True, categoryorder="trace", tickmode="array", tickvals=labels,
                     ticktext=[short(label) for label in labels])
    return fig


def short(label: str, limit: int = 34) -> str:
    """Axis labels stay readable on a laptop; the full label is in the hover text and the chart's data."""
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _stacked(spec: ChartSpec) -> go.Figure:
    """One horizontal bar per row of ``extra['bars']``, stacked by ``label`` (e.g. who bears a loss)."""
    data = spec.data
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby("label", sort=False)):
        fig.add_trace(go.Bar(x=part["value"], y=part["bar"], orientation="h", name=str(name), text=part["shown"],
                             textposition="inside", hovertext=_hover(part), hoverinfo="text",
                             marker_color=PALETTE[i % len(PALETTE)]))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=spec.value_title)
    fig.update_yaxes(automargin=True)
    return fig


def _treemap(spec: ChartSpec) -> go.Figure:
    data = spec.data
    return go.Figure(go.Treemap(
        labels=data["label"], parents=data["parent"], values=data["value"], branchvalues="total",
        text=data["shown"], textinfo="label+text+percent root", hovertext=_hover(data), hoverinfo="text",
        marker_colors=[PALETTE[i % len(PALETTE)] for i in range(len(data))]))


def _timeline(spec: ChartSpec) -> go.Figure:
    data = spec.data
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby("case", sort=False)):
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["case"], mode="markers", name=str(name), marker=dict(size=13, color=PALETTE[i % len(PALETTE)]),
            hovertext=[f"<b>{w}</b><br>{what}" for w, what in zip(part["when"], part["label"])], hoverinfo="text"))
    fig.update_yaxes(automargin=True, title="")
    fig.update_xaxes(title="")
    if data["date"].nunique() == 1:  # one date only: plotly would zoom to milliseconds around it
        only = pd.Timestamp(data["date"].iloc[0])
        fig.update_xaxes(range=[only - pd.DateOffset(years=1), only + pd.DateOffset(years=1)], dtick="M12", tickformat="%Y")
    return fig


BUILDERS: dict[str, Callable[[ChartSpec], go.Figure]] = {
    "bar": _bar, "stacked": _stacked, "treemap": _treemap, "timeline": _timeline,
}


# Money axes: Chinese readers count in 亿/万, English readers in billions/millions.
_AXIS = {"zh": {"亿元": (1e8, "亿元"), "万元": (1e4, "万元"), "元": (1.0, "元")},
         "en": {"亿元": (1e9, "CNY bn"), "万元": (1e6, "CNY m"), "元": (1.0, "CNY")}}


def axis_scale(unit: str, lang: str) -> tuple[float, str]:
    """(divisor, axis title) for values given in base units; non-money units are shown as they are."""
    return _AXIS[lang].get(unit, (1.0, unit))


def scaled(spec: ChartSpec, lang: str) -> ChartSpec:
    """The spec with money values in the reader's unit (the as-published text stays in ``shown``)."""
    if spec.kind not in ("bar", "stacked") or spec.log:
        return spec
    divisor, title = axis_scale(spec.unit, lang)
    data = spec.data.assign(value=spec.data["value"] / divisor)
    return ChartSpec(**{**spec.__dict__, "data": data, "value_title": spec.value_title or title})


def build(spec: ChartSpec) -> go.Figure:
    fig = BUILDERS[spec.kind](spec)
    fig.update_layout(
        title=dict(text=spec.title, x=0, xanchor="left"), template="plotly_white", height=spec.height,
        font=dict(family=FONT, size=13), margin=dict(l=10, r=30, t=60, b=10), colorway=PALETTE,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1), separators=".,",
        hoverlabel=dict(font_family=FONT))
    return _lean_template(fig)


_SUBPLOTS_NEVER_DRAWN = ("geo", "polar", "scene", "ternary", "mapbox", "map", "smith")


def _lean_template(fig: go.Figure) -> go.Figure:
    """The figure with its template's defaults for what it draws only: the trace types it has, and no 3D, polar,
    ternary or map subplot (no chart here has one).

    plotly_white carries defaults for some 40 trace types and those subplots (8 KB of every chart's JSON, more than
    the chart itself); defaults for what is not drawn never apply, so the chart looks the same (tests/test_pages.py
    compares the drawn state), and it is sent, hashed and parsed faster."""
    template = fig.layout.template.to_plotly_json()
    drawn = {trace.type for trace in fig.data}
    template["data"] = {kind: defaults for kind, defaults in template.get("data", {}).items() if kind in drawn}
    template["layout"] = {k: v for k, v in template.get("layout", {}).items() if k not in _SUBPLOTS_NEVER_DRAWN}
    fig.layout.template = template
    return fig


# Modebar tooltips in Chinese: plotly.js accepts a locale dictionary in the config, so no script is fetched.
MODEBAR_ZH = {
    "Download plot as a PNG": "下载图表（PNG）", "Download plot": "下载图表", "Zoom": "缩放", "Pan": "平移",
    "Box Select": "框选", "Lasso Select": "套索选择", "Zoom in": "放大", "Zoom out": "缩小",
    "Autoscale": "自动缩放", "Reset axes": "重置坐标轴", "Reset view": "重置视图",
    "Toggle Spike Lines": "切换辅助线", "Show closest data on hover": "悬停显示最近数据",
    "Compare data on hover": "悬停比较数据", "Produced with Plotly.js": "由 Plotly.js 生成",
    "Toggle show closest data on hover": "切换悬停显示最近数据", "Double-click to zoom back out": "双击恢复缩放",
    "Click to enter Colorscale title": "点击输入色标标题", "Click to enter X axis title": "点击输入X轴标题",
    "Click to enter Y axis title": "点击输入Y轴标题",
}


ZH_DATES = {"months": [f"{m}月" for m in range(1, 13)], "shortMonths": [f"{m}月" for m in range(1, 13)],
            "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
            "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
            "date": "%Y-%m-%d", "year": "%Y年", "month": "%Y年%-m月", "dayMonth": "%-m月%-d日", "dayMonthYear": "%Y年%-m月%-d日"}


def plot_config(chart_id: str, lang: str) -> dict:
    # plotly.js 4 shows a "Share chart" button by default that posts the chart to Plotly's cloud: a figure would
    # leave the machine on one click, so it is switched off for the app and the static edition alike.
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": chart_id, "scale": 2},
              "modeBarButtonsToRemove": ["lasso2d", "select2d"], "showSendToCloud": False}
    if lang == "zh":
        config.update(locale="zh-CN", locales={"zh-CN": {"dictionary": MODEBAR_ZH, "format": ZH_DATES}})
    return config
