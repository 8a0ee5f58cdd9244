"""The floor app: the dashboard's pages with no data loading and no computation, only the same st.* calls.

It replays a recording of the real pages (bench/record.py; path in env BENCH_RECORDING): the same page config,
sidebar widgets and navigation (same titles, icons, sections, URL paths), and on each page the same elements in
the same containers, made with the same st.* calls and the same arguments: st.plotly_chart with the recorded
figure, st.dataframe with the recorded frame, st.metric with the recorded strings, st.download_button with the
recorded bytes… Figures and frames are decoded once per process (st.cache_resource), like the dashboard's
cached dataset. What remains per run is Streamlit's own cost of those calls: the fastest the page could be.

An element type this file does not know is sent as the recorded proto itself (counted in ``RAW``).
"""
from __future__ import annotations

import gc
import io
import itertools
import json
import os
import sys
from pathlib import Path

import plotly.io as pio
import pyarrow as pa
import streamlit as st
from streamlit.proto.Block_pb2 import Block
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.record import Node, Recording  # noqa: E402

RAW: set[str] = set()        # element types replayed as raw protos (no st.* equivalent here)
ALERTS = {1: st.error, 2: st.warning, 3: st.info, 4: st.success}   # Alert.Format
HEADINGS = {"h1": st.title, "h2": st.header, "h3": st.subheader}


class Prepared:
    """A recorded node decoded once: protos parsed, figures and frames rebuilt."""

    def __init__(self, node: Node, media: dict):
        self.children = [Prepared(child, media) for child in node.ordered()]
        self.block = Block.FromString(node.block) if node.block else None
        self.element = Element.FromString(node.element) if node.element is not None else None
        self.payload = None
        if self.element is not None:
            kind = self.element.WhichOneof("type")
            if kind == "plotly_chart":
                self.payload = pio.from_json(self.element.plotly_chart.spec, skip_invalid=True)
            elif kind == "dataframe" and self.element.dataframe.arrow_data.data:
                # An Arrow table, the cheapest thing st.dataframe takes (it sends it as it is): the floor is the
                # fastest the page could be, whether the real page passes a pandas frame or an Arrow table.
                self.payload = pa.ipc.open_stream(io.BytesIO(self.element.dataframe.arrow_data.data)).read_all()
            elif kind == "download_button":
                url = self.element.download_button.url
                self.payload = media.get(url, (b"", "download.bin", "application/octet-stream"))


@st.cache_resource(show_spinner=False)
def prepared(path: str) -> tuple[Recording, dict[str, tuple[Prepared, Prepared]]]:
    rec = Recording.load(Path(path))
    return rec, {name: (Prepared(page.main, rec.media), Prepared(page.sidebar, rec.media))
                 for name, page in rec.pages.items()}


_calls = itertools.count(1)


def settle_long_lived() -> None:
    """The same process tuning as ui/data.py's: gc.freeze() on the 1st, 2nd, 4th … 256th run."""
    n = next(_calls)
    if n <= 256 and n & (n - 1) == 0:
        gc.freeze()


def key_of(widget_id: str) -> str | None:
    """The user key inside a widget id ("$$ID-<hash>-<key>"); None when the widget had no key."""
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 and parts[2] != "None" else None


def size(config, allow_content: bool = True):
    kind = config.WhichOneof(config.DESCRIPTOR.oneofs[0].name) if config is not None else None
    if kind is None:
        return None
    if kind == "use_stretch":
        return "stretch"
    if kind == "use_content":
        return "content" if allow_content else None
    return int(getattr(config, kind)) if kind.startswith("pixel") else None


def emit(node: Prepared) -> None:
    el = node.element
    kind = el.WhichOneof("type")
    width = size(el.width_config) if el.HasField("width_config") else None
    if kind == "heading":
        h = el.heading
        HEADINGS[h.tag](h.body, anchor=False if h.hide_anchor else (h.anchor or None), help=h.help or None)
    elif kind == "markdown":
        m = el.markdown
        if m.element_type == 2:        # CAPTION
            st.caption(m.body, help=m.help or None, unsafe_allow_html=m.allow_html)
        elif m.element_type == 5:      # DIVIDER
            st.divider()
        else:
            st.markdown(m.body, help=m.help or None, unsafe_allow_html=m.allow_html)
    elif kind == "html":
        st.html(el.html.body, unsafe_allow_javascript=el.html.unsafe_allow_javascript)
    elif kind == "alert" and el.alert.format in ALERTS:
        ALERTS[el.alert.format](el.alert.body, icon=el.alert.icon or None)
    elif kind == "metric":
        m = el.metric
        color = type(m).MetricColor.Name(m.color).lower()
        arrow = {2: "off", 1: "up", 0: "down"}.get(m.direction, "auto") if m.delta else "auto"
        st.metric(m.label, m.body, delta=m.delta or None, delta_color=color if m.delta else "normal",
                  delta_arrow=arrow, help=m.help or None, border=m.show_border,
                  width=width or "stretch")
    elif kind == "code":
        c = el.code
        st.code(c.code_text, language=None if c.language == "plaintext" else (c.language or None),
                line_numbers=c.show_line_numbers, wrap_lines=c.wrap_lines)
    elif kind == "plotly_chart":
        p = el.plotly_chart
        st.plotly_chart(node.payload, config=json.loads(p.config) if p.config else None, key=key_of(p.id),
                        width=width or "stretch", theme="streamlit" if p.theme == "streamlit" else None,
                        alt=p.alt or None)
    elif kind == "dataframe" and node.payload is not None:
        d = el.dataframe
        columns = json.loads(d.columns) if d.columns else {}
        st.dataframe(node.payload, hide_index=bool(columns.get("_index", {}).get("hidden")), width=width or "stretch",
                     height=size(el.height_config) or "auto", alt=d.alt or None)
    elif kind == "download_button":
        b = el.download_button
        data = (lambda: b"") if b.deferred_file_id else node.payload[0]
        name, mime = (None, None) if b.deferred_file_id else node.payload[1:]
        st.download_button(b.label, data, file_name=name, mime=mime, key=key_of(b.id), help=b.help or None,
                           type=b.type or "secondary", icon=b.icon or None,
                           on_click="ignore" if b.ignore_rerun else "rerun")
    elif kind == "page_link":
        link = el.page_link
        st.page_link(PAGES_BY_PATH.get(link.page) or link.page, label=link.label, icon=link.icon or None,
                     help=link.help or None)
    elif kind in WIDGETS:
        widget = getattr(el, kind)
        key = key_of(widget.id)
        if widget.set_value and key is not None and key not in st.session_state:
            st.session_state[key] = WIDGETS[kind][1](widget)   # as the page's seed(): once per session
        WIDGETS[kind][0](widget, key)
    else:
        RAW.add(kind)
        st._main._active_dg._enqueue(kind, getattr(el, kind))


def _options(w) -> list[str]:
    return list(w.options)


# element type → (the st.* call without a value, the value the page put in session_state before drawing it)
WIDGETS = {
    "radio": (lambda w, key: st.radio(w.label, _options(w), horizontal=w.horizontal, key=key, help=w.help or None),
              lambda w: w.raw_value),
    "selectbox": (lambda w, key: st.selectbox(w.label, _options(w), key=key, help=w.help or None),
                  lambda w: w.raw_value),
    "segmented_control": (lambda w, key: st.segmented_control(w.label, [o.content for o in w.options],
                                                              required=w.required, key=key, help=w.help or None),
                          lambda w: w.raw_values[0] if w.raw_values else None),
    "multiselect": (lambda w, key: st.multiselect(w.label, _options(w), key=key, help=w.help or None,
                                                  placeholder=w.placeholder or None),
                    lambda w: list(w.raw_values)),
    "text_input": (lambda w, key: st.text_input(w.label, max_chars=w.max_chars or None, key=key, help=w.help or None),
                   lambda w: w.value),
    "number_input": (lambda w, key: st.number_input(w.label, min_value=w.min if w.has_min else None,
                                                    max_value=w.max if w.has_max else None, step=w.step,
                                                    format=w.format or None, key=key, help=w.help or None),
                     lambda w: w.value),
    "slider": (lambda w, key: st.slider(w.label, min_value=w.min, max_value=w.max, step=w.step, key=key,
                                        help=w.help or None),
               lambda w: list(w.value)[0]),
}
WIDGETS["button_group"] = WIDGETS["segmented_control"]


def replay(nodes: list[Prepared]) -> None:
    for node in nodes:
        if node.element is not None:
            emit(node)
            continue
        block = node.block
        kind = block.WhichOneof("type")
        if kind == "flex_container" and node.children and all(c.block is not None
                                                              and c.block.WhichOneof("type") == "column"
                                                              for c in node.children):
            weights = [c.block.column.weight for c in node.children]
            for column, child in zip(st.columns(weights), node.children):
                with column:
                    replay(child.children)
        elif kind == "flex_container":
            fc = block.flex_container
            height = size(block.height_config) if block.HasField("height_config") else None
            with st.container(border=fc.border, height=height if isinstance(height, int) else "content"):
                replay(node.children)
        elif kind == "expandable":
            e = block.expandable
            with st.expander(e.label, expanded=e.expanded, icon=e.icon or None):
                replay(node.children)
        elif kind == "tab_container":
            labels = [c.block.tab.label for c in node.children]
            tc = block.tab_container
            tabs = st.tabs(labels, key=key_of(tc.id) if tc.id else None, on_change="rerun" if tc.id else "ignore",
                           default=tc.default_tab_label or None)
            for tab, child in zip(tabs, node.children):
                if child.children:
                    with tab:
                        replay(child.children)
        else:
            with st.container():
                replay(node.children)


def page_function(name: str):
    def page() -> None:
        replay(PAGES[name][0].children)
    page.__name__ = f"floor_{name}"
    return page


rec, PAGES = prepared(os.environ["BENCH_RECORDING"])
settle_long_lived()
config = type(ForwardMsg().page_config_changed).FromString(rec.page_config)
st.set_page_config(page_title=config.title, page_icon=config.favicon or None,
                   layout="wide" if config.layout == 1 else "centered")
with st.sidebar:
    replay(PAGES["overview"][1].children)
navigation = type(ForwardMsg().navigation).FromString(rec.navigation)
# The recorded pages, by the URL path the navigation gives them; pages we did not record get an empty page.
BY_URL = {"": "overview", **{name: name for name in PAGES if name != "overview"}}
sections: dict[str, list] = {}
PAGES_BY_PATH: dict[str, st.Page] = {}
for app_page in navigation.app_pages:
    url = app_page.url_pathname
    name = BY_URL.get(url)
    page = st.Page(page_function(name) if name else (lambda: None), title=app_page.page_name,
                   icon=app_page.icon or None, url_path=url or "overview", default=app_page.is_default,
                   help=app_page.help or None)
    PAGES_BY_PATH[url or "overview"] = page
    sections.setdefault(app_page.section_header, []).append(page)
st.navigation(sections, position="sidebar").run()
