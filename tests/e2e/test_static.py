"""The static edition in a real browser, opened from file://: every page in Chinese and a sample in English (one
case per practice family) draws its charts (a .js-plotly-plot with marks for every data point) and requests nothing
but local files; one page of every template in both languages has no serious or critical axe-core violation; no
script from the data runs (hostile fixtures); a case prints as an A4 briefing. Every page with charts runs the partial
plotly.js bundle (deploy/static/plotly_js.py) and draws each chart's traces as plotly.js draws their types, with no
button that would send a chart off the machine.
Screenshots (zh and en, screen and print) go to artifacts/screenshots/static_*.png."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from deploy.static import plotly_js
from metrics.store import load

from ..static_support import built_hostile_site, built_site
from . import browser as b

pytestmark = pytest.mark.browser

DATA = load(b.ROOT / "data")
# Every page in Chinese (the officials' language); in English, the overview, one case per practice family, the data
# page and the articles. axe checks one page of every template in both languages (a case with a calculator and one
# with a ledger among them): pages of one template differ only in their data, which the non-browser tests cover.
ONE_PER_FAMILY = list(DATA["cases"].drop_duplicates("family")["case_id"])
ZH_PAGES = ["index.html", "data.html", "sources.html", *(f"case/{c}.html" for c in DATA.case_ids())]
EN_PAGES = ["index.html", "data.html", "sources.html", *(f"case/{c}.html" for c in ONE_PER_FAMILY)]
PAGES = ["index.html", *(f"zh/{p}" for p in ZH_PAGES), *(f"en/{p}" for p in EN_PAGES)]
AXE_PAGES = {"index.html", "zh/index.html", "en/index.html", "zh/case/xiangtan.html", "en/case/heilongjiang.html",
             "zh/data.html", "en/sources.html"}
SHOTS = {"zh/index.html", "en/index.html", "zh/case/xiangtan.html", "en/case/heilongjiang.html", "zh/sources.html",
         "en/data.html"}
A4_TEXT_WIDTH_PX = 680   # 210 mm less 15 mm margins, at 96 px per inch


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium) -> Path:
    return built_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, chromium) -> Path:
    return built_hostile_site(tmp_path_factory.getbasetemp())


class Offline:
    """Records every request of a context and refuses any that is not a local file."""

    def __init__(self, context) -> None:
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), lambda route: route.abort())

    def off_machine(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(("file://", "data:", "blob:", "about:"))]


# True when every chart placeholder of the page is a drawn plotly chart with one mark per data point.
_DRAWN_JS = """(marks) => {
  const holders = [...document.querySelectorAll('.plot[data-chart]')];
  return holders.every(el => el.classList.contains('js-plotly-plot') && el.querySelector(marks)
    && (el.calcdata || []).reduce((n, t) => n + t.length, 0) === el.querySelectorAll(marks).length);
}"""
_CHARTS_JS = """(marks) => [...document.querySelectorAll('.plot[data-chart]')].map(el => ({
  id: el.id, drawn: el.classList.contains('js-plotly-plot'), marks: el.querySelectorAll(marks).length,
  points: (el.calcdata || []).reduce((n, t) => n + t.length, 0), width: el.getBoundingClientRect().width,
  svg: el.querySelector('.main-svg')?.getBoundingClientRect().width || 0}))"""


# Per chart: how many traces of each type its JSON holds, how many plotly.js drew (the group each trace type draws
# into, inside the chart's .plot-container), and whether its modebar has the "Share chart..." (send to cloud) button.
TRACE_CLASS = {"bar": "bars", "scatter": "scatter", "treemap": "treemap"}
_TRACES_JS = """(classes) => [...document.querySelectorAll('.plot[data-chart]')].map(el => {
  const data = JSON.parse(document.getElementById(el.getAttribute('data-chart')).textContent).figure.data;
  const want = {}, got = {};
  data.forEach(t => { const c = classes[t.type || 'scatter'] || t.type; want[c] = (want[c] || 0) + 1; });
  Object.keys(want).forEach(c => { got[c] = el.querySelectorAll('.plot-container g.trace.' + c).length; });
  return {id: el.id, want, got, modebar: Boolean(el.querySelector('.modebar')),
          share: el.querySelectorAll('.modebar-btn[data-title="Share chart..."]').length};
})"""
_BUNDLE_JS = "() => ({version: Plotly.version, traces: Object.keys(Plotly.PlotSchema.get().traces).sort()})"
PARTIAL = plotly_js.partial()


def open_file(browser, path: Path, media: str = "screen"):
    """A fresh context on a local file, every request recorded (and any non-local one refused), charts drawn."""
    context = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN")
    offline = Offline(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.emulate_media(media=media)
    page.goto(path.as_uri())
    page.wait_for_function(_DRAWN_JS, arg=b.MARKS, timeout=b.LOAD_TIMEOUT_MS, polling=100)
    return context, page, offline, errors


def axe_violations(page, site: Path) -> list[dict]:
    """axe-core's serious and critical violations. axe is loaded as a file of the site (copied there by the test):
    the page's own policy allows only local script files, so nothing is loosened to check it."""
    page.add_script_tag(url=(site / "axe.min.js").as_uri())
    found = page.evaluate(b._AXE_JS, [{}, list(b.AXE_IMPACTS)])
    return [v for v in found if v["nodes"]]


def test_the_sample_covers_every_family_and_template():
    assert {"xiangtan", "heilongjiang"} <= set(ONE_PER_FAMILY)          # a ledger, the calculators
    assert set(DATA["cases"]["family"]) == set(DATA["cases"].set_index("case_id").loc[ONE_PER_FAMILY, "family"])
    assert AXE_PAGES <= set(PAGES) and SHOTS <= set(PAGES)


@pytest.mark.parametrize("rel", PAGES)
def test_page_draws_offline_from_file(browser, site, rel, request):
    """Charts drawn, local files only, no error; axe on the pages of AXE_PAGES (in the same load)."""
    if rel in AXE_PAGES:
        shutil.copyfile(request.getfixturevalue("axe_ready"), site / "axe.min.js")
    context, page, offline, errors = open_file(browser, site / rel)
    found = []
    try:
        charts = page.evaluate(_CHARTS_JS, b.MARKS)
        expected = (site / rel).read_text(encoding="utf-8").count('data-chart="')
        assert len(charts) == expected
        if rel.endswith(("zh/index.html", "en/index.html")) or "/case/" in rel:
            assert charts, f"{rel}: the page should have charts"
        for chart in charts:
            assert chart["drawn"] and chart["points"] > 0 and chart["marks"] == chart["points"], (rel, chart)
        if charts:
            assert page.evaluate(_BUNDLE_JS) == {"version": PARTIAL.version, "traces": sorted(PARTIAL.traces)}
        for chart in page.evaluate(_TRACES_JS, TRACE_CLASS):
            assert chart["want"] and chart["got"] == chart["want"], (rel, chart)
            assert chart["modebar"] and chart["share"] == 0, (rel, chart)
        assert offline.off_machine() == [], f"{rel}: requests off the machine"
        assert all(u.startswith("file://") for u in offline.urls), offline.urls
        assert errors == [], f"{rel}: {errors}"   # a CSP violation is reported here too
        if rel in SHOTS:
            b.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(b.SCREENSHOTS / f"static_{rel.replace('/', '_')[:-5]}.png"), full_page=True)
        if rel in AXE_PAGES:
            found = axe_violations(page, site)
    finally:
        context.close()
        (site / "axe.min.js").unlink(missing_ok=True)   # the site is shared by the session's other tests
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} {v['nodes'][:3]}" for v in found)
    assert not found, f"{rel}: axe-core serious/critical violations:\n{report}"


@pytest.mark.parametrize("rel", ["zh/case/xiangtan.html", "en/case/fangchenggang.html"])
def test_a_case_prints_as_an_a4_briefing(browser, site, rel):
    context, page, offline, errors = open_file(browser, site / rel, media="print")
    try:
        charts = page.evaluate(_CHARTS_JS, b.MARKS)
        assert charts and all(0 < c["svg"] <= A4_TEXT_WIDTH_PX for c in charts), charts
        hidden = page.evaluate("""() => ['nav.site', 'header.site .language', '.downloads']
            .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
        assert set(hidden) <= {"none"}, hidden
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
        name = rel.replace("/", "_")[:-5]
        b.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (b.ARTIFACTS / f"static_{name}.pdf").write_bytes(pdf)
        page.set_viewport_size({"width": 794, "height": 1123})   # A4 at 96 px per inch
        page.screenshot(path=str(b.SCREENSHOTS / f"static_print_{name}.png"), full_page=True)
        assert offline.off_machine() == [] and errors == []
    finally:
        context.close()


@pytest.mark.parametrize("rel", ["en/case/hostile.html", "zh/case/hostile.html", "en/sources.html", "zh/data.html",
                                 "en/index.html"])
def test_hostile_data_runs_no_script(browser, hostile_site, rel):
    context, page, offline, errors = open_file(browser, hostile_site / rel)
    try:
        hovered = 0
        for point in page.locator(".js-plotly-plot g.trace .point").all()[:12]:
            point.hover(force=True)                         # hover labels carry the names and quotes
            hovered += page.locator(".hoverlayer .hovertext").count()
        if "/case/" in rel:
            assert hovered, "no hover label was drawn"
        for link in page.locator('a[href*="pwned"]').all():
            link.hover()                                    # the article's address, made to break out of href
        for summary in page.locator("details summary").all()[:12]:
            summary.click()                                 # the quotes behind each figure
        assert page.evaluate("window.__pwned") is None
        assert page.locator("svg[onload], textarea, img").count() == 0
        assert errors == [] and offline.off_machine() == []
    finally:
        context.close()


# Every chart's state once plotly.js has filled in its defaults (_fullData, _fullLayout; private keys, functions,
# elements and per-load uids left out): what the partial bundle draws must be what the full bundle draws.
_STATE_JS = """() => [...document.querySelectorAll('.plot[data-chart]')].map(el => JSON.stringify(
  [el._fullData, Object.fromEntries(Object.entries(el._fullLayout).filter(([k]) => !k.startsWith('_')))],
  (k, v) => (k.startsWith('_') || k === 'uid' || typeof v === 'function' || (v && v.nodeType)) ? undefined : v))"""


@pytest.fixture(scope="module")
def full_bundle_site(site, tmp_path_factory) -> Path:
    """The same edition with the installed plotly package's full plotly.min.js in place of the partial bundle."""
    copy = tmp_path_factory.mktemp("full-bundle") / "site"
    shutil.copytree(site, copy)
    shutil.copyfile(plotly_js.FULL, copy / "assets/plotly.min.js")
    return copy


@pytest.mark.parametrize("rel", ["zh/index.html", "en/index.html", "zh/case/xiangtan.html", "en/case/xiangtan.html",
                                 "zh/case/heilongjiang.html"])
def test_the_partial_bundle_draws_what_the_full_bundle_draws(browser, site, full_bundle_site, rel):
    states = []
    for folder in (site, full_bundle_site):
        context, page, offline, errors = open_file(browser, folder / rel)
        try:
            states.append(page.evaluate(_STATE_JS))
            assert errors == [] and offline.off_machine() == []
        finally:
            context.close()
    partial, full = states
    assert partial and len(partial) == len(full)
    for n, (mine, theirs) in enumerate(zip(partial, full)):
        assert mine == theirs, f"{rel}: chart {n} differs from the full bundle's"
