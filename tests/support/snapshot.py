"""What a page shows, read from an AppTest run as plain JSON: every title, heading, caption, note, metric (label,
value, tooltip, the line beneath), chart (title, axes, every trace's labels, values and texts), table (its rows)
and input (label, value, bounds). tests/test_seed_pages.py compares the seed cases' pages with a saved one."""
from __future__ import annotations

import base64
import json

import numpy as np

TRACE_FIELDS = ("type", "name", "orientation", "labels", "parents", "values", "x", "y", "text", "hovertext",
                "textinfo", "branchvalues", "mode")


def _plain(value):
    """Plotly's typed arrays ({dtype, bdata}) as lists; floats rounded so that a snapshot survives float noise."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        value = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return float(f"{value:.10g}")
    return value


def chart(element) -> dict:
    spec = json.loads(element.proto.spec)
    layout = spec.get("layout", {})
    return {
        "title": layout.get("title", {}).get("text", ""),
        "height": layout.get("height"),
        "x_axis": {k: layout.get("xaxis", {}).get(k) for k in ("type", "title")},
        "traces": [{k: _plain(trace[k]) for k in TRACE_FIELDS if k in trace} for trace in spec.get("data", [])],
    }


def metric(element) -> dict:
    return {"label": element.label, "value": element.value, "help": element.proto.help, "delta": element.proto.delta}


def table(element) -> list[list[str]]:
    frame = element.value
    return [[str(c) for c in frame.columns]] + [[str(v) for v in row] for row in frame.itertuples(index=False)]


def widget(element) -> dict:
    proto = element.proto
    return {"key": element.key, "label": element.label, "value": element.value,
            **{k: getattr(proto, k) for k in ("min", "max", "step") if hasattr(proto, k)}}


def snapshot(at) -> dict:
    texts = {kind: [e.value for e in getattr(at, kind)] for kind in
             ("title", "subheader", "caption", "markdown", "info", "success", "warning", "error")}
    widgets = [widget(w) for kind in ("number_input", "slider") for w in getattr(at, kind)]
    return {**texts, "metrics": [metric(m) for m in at.metric], "charts": [chart(c) for c in at.get("plotly_chart")],
            "tables": [table(t) for t in at.dataframe], "inputs": widgets,
            "downloads": [d.proto.label for d in at.get("download_button")]}


SEED_CASES = ("xiangtan", "heilongjiang", "fangchenggang")
FIXTURE = "tests/fixtures/seed_pages.json"


def main() -> None:
    """Write the fixture from the pages as they are now: only after a reviewed correction of the seed data (the test
    then shows exactly what moved)."""
    from tests.conftest import open_page

    pages = {f"{case}/{lang}": snapshot(open_page(case, lang=lang)) for case in SEED_CASES for lang in ("zh", "en")}
    with open(FIXTURE, "w", encoding="utf-8") as out:
        json.dump(pages, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
