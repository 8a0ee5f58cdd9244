"""Every chart is sent with a lean template (metrics/charts.py keeps plotly_white's defaults for the trace types it
draws only): drawn in chromium, each chart's state must equal the same chart with the whole plotly_white template."""
from __future__ import annotations

import json

import plotly.io as pio
import pytest

from deploy.static import plotly_js
from tests.conftest import open_page

from . import browser as b

pytestmark = pytest.mark.browser

# Pages whose charts cover every chart kind the app draws: bars (money, log, stacked), the timeline, the treemap
# and the compare page's bars.
PAGES = [("pages/overview.py", "zh"), ("xiangtan", "zh"), ("heilongjiang", "en"), ("fangchenggang", "zh"),
         ("pages/compare.py", "en")]
# The drawn state once plotly.js has filled in its defaults, the template itself left out (it is what differs).
_STATE_JS = """() => [...document.querySelectorAll('.chart')].map(el => JSON.stringify(
  [el._fullData, Object.fromEntries(Object.entries(el._fullLayout).filter(([k]) => !k.startsWith('_') && k !== 'template'))],
  (k, v) => (k.startsWith('_') || k === 'uid' || typeof v === 'function' || (v && v.nodeType)) ? undefined : v))"""


def sent_specs() -> list[dict]:
    return [json.loads(c.proto.spec) for page, lang in PAGES for c in open_page(page, lang=lang).get("plotly_chart")]


def drawn(browser, tmp_path, specs: list[dict], name: str) -> list[str]:
    html = tmp_path / f"{name}.html"
    html.write_text("<!doctype html><meta charset=utf-8><script src='plotly.min.js'></script>"
                    + "".join(f"<div class=chart id=c{i}></div>" for i in range(len(specs)))
                    + "<script>const specs = " + json.dumps(specs) + ";\n"
                    + "specs.forEach((s, i) => Plotly.newPlot('c' + i, s.data, s.layout));</script>", encoding="utf-8")
    context = browser.new_context(viewport=b.VIEWPORT)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    try:
        page = context.new_page()
        page.goto(html.as_uri())
        page.wait_for_function("n => document.querySelectorAll('.chart .main-svg').length >= n", arg=len(specs))
        return page.evaluate(_STATE_JS)
    finally:
        context.close()


def test_lean_template_draws_what_the_whole_template_draws(browser, tmp_path):
    (tmp_path / "plotly.min.js").write_bytes(plotly_js.FULL.read_bytes())
    lean = sent_specs()
    whole_template = pio.templates["plotly_white"].to_plotly_json()
    whole = [{**spec, "layout": {**spec["layout"], "template": whole_template}} for spec in lean]
    assert len(lean) >= 10 and all(len(json.dumps(s["layout"]["template"])) < 4000 for s in lean)
    kinds = {trace["type"] for spec in lean for trace in spec["data"]}
    assert {"bar", "scatter", "treemap"} <= kinds, kinds
    mine, theirs = drawn(browser, tmp_path, lean, "lean"), drawn(browser, tmp_path, whole, "whole")
    assert len(mine) == len(lean)
    for n, (a, z) in enumerate(zip(mine, theirs)):
        assert a == z, f"chart {n} ({lean[n]['layout'].get('title', {}).get('text')}) differs with the whole template"
