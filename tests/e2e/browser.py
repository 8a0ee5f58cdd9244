"""Driving Debian's chromium against the running dashboard: launch flags, smart waits, DOM readers, axe.

Everything here reads what a reader sees (the DOM after Streamlit and plotly have drawn it); the expected values
come from ``expected.py``, computed from the built fact base.
"""
from __future__ import annotations

import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_CHROMIUM = "sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk"
INSTALL_AXE = "npm install --prefix tests/e2e/vendor axe-core@4.14.1"

# A closed network: nothing may resolve except the app on the loopback address (ARCHITECTURE.md, environment facts).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1400, "height": 900}
LOAD_TIMEOUT_MS = 90_000      # a cold first load is ~6-15 s on 2 cores; this only bounds a broken page
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def required(var: str) -> bool:
    """REQUIRE_BROWSER=1 / REQUIRE_AXE=1 (set by .ci/run) turn a missing tool into a failure instead of a skip."""
    return os.environ.get(var, "") == "1"


def chromium_path() -> str | None:
    return shutil.which("chromium")


def page_url(base: str, path: str, query: dict | None = None) -> str:
    return base + path + ("?" + urlencode(query, doseq=True) if query else "")


# --- offline guarantee -------------------------------------------------------------------------------------------

def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Requests:
    """Every request a browser context makes (documents, scripts, fonts, favicons, websockets, XHR)."""
    urls: list[str] = field(default_factory=list)

    def attach(self, source) -> Requests:
        """Record the requests of a browser context or of one page."""
        source.on("request", lambda request: self.urls.append(request.url))
        if hasattr(source, "main_frame"):   # pages report websockets; contexts only through their pages
            source.on("websocket", lambda ws: self.urls.append(ws.url))
        else:
            source.on("page", lambda page: page.on("websocket", lambda ws: self.urls.append(ws.url)))
        return self

    def off_host(self) -> list[str]:
        return sorted({u for u in self.urls if not is_local(u)})

    def assert_offline(self) -> None:
        off = self.off_host()
        assert not off, f"requests left this machine (the dashboard must work offline): {off}"


# --- waiting -------------------------------------------------------------------------------------------------------

# Marks that prove a plotly chart was drawn: bars and markers (.point), treemap tiles (.slice).
MARKS = "g.trace .point, g.trace .slice, g.trace path.point"

_READY_JS = """([minCharts, footer, selector, marks]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  // the footer is the last thing every page draws (textContent: innerText would force a layout on every poll)
  if (!main || !main.textContent.includes(footer)) return false;
  if (document.querySelector('[data-testid="stException"]')) return true;  // finished, badly: let the test say so
  if (selector && !main.querySelector(selector)) return false;
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return charts.length >= minCharts && charts.every(c => c.querySelector(marks));
}"""

_STATE_JS = """(marks) => ({
  state: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  drawn: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.querySelector(marks)).length,
  exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText.slice(0, 500)),
  text: (document.querySelector('[data-testid="stMain"]')?.innerText || '').slice(-300),
})"""


def wait_ready(page, footer: str, min_charts: int = 0, selector: str = "", timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until the script has finished, nothing is a placeholder or stale, the footer (``footer``: text only the
    footer has, e.g. the data version) is drawn, and every chart has marks. No fixed sleeps."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_READY_JS, arg=[min_charts, footer, selector, MARKS], timeout=timeout_ms, polling=200)
    except PlaywrightTimeout:
        state = page.evaluate(_STATE_JS, MARKS)
        raise AssertionError(f"{page.url} was not ready within {timeout_ms / 1000:.0f} s "
                             f"(expected ≥ {min_charts} drawn charts and the footer {footer!r}): {state}") from None


def open_page(context, url: str, footer: str, min_charts: int = 0, selector: str = ""):
    page = context.new_page()
    page.goto(url)
    wait_ready(page, footer, min_charts, selector)
    return page


# --- reading the page ----------------------------------------------------------------------------------------------

def metrics(page) -> list[tuple[str, str]]:
    """(label, value) of every st.metric in the main area, in page order."""
    return [tuple(m) for m in page.evaluate("""() =>
      [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
      .map(m => [m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() || '',
                 m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() || ''])""")]


def metric_notes(page) -> dict[str, str]:
    """label → the line beneath a metric's value (st.metric's delta: "derived", or the figure as printed)."""
    return dict(page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
      .map(m => [m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() || '',
                 m.querySelector('[data-testid="stMetricDelta"]')?.innerText.trim() || ''])"""))


def charts(page) -> list[dict]:
    """What each plotly chart drew: its title, text alternative, data points vs drawn marks, the caption below it."""
    return page.evaluate("""(marks) => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(el => {
      const gd = el.querySelector('.js-plotly-plot');
      const box = el.closest('[data-testid="stElementContainer"]');
      const key = [...(box?.classList || [])].find(c => c.startsWith('st-key-')) || '';
      const rect = gd ? gd.getBoundingClientRect() : {width: 0, height: 0};
      return {
        key: key.replace('st-key-', ''),
        role: el.getAttribute('role') || '',
        alt: el.getAttribute('aria-label') || '',
        title: (gd?.querySelector('.gtitle')?.textContent || '').trim(),
        layout_title: gd?._fullLayout?.title?.text || '',
        types: (gd?._fullData || []).map(t => t.type),
        names: (gd?._fullData || []).map(t => t.name),
        x_title: gd?._fullLayout?.xaxis?.title?.text || '',
        x_type: gd?._fullLayout?.xaxis?.type || '',
        x_ticks: gd ? [...gd.querySelectorAll('.xtick text')].map(t => t.textContent) : [],
        points: (gd?.calcdata || []).reduce((n, trace) => n + trace.length, 0),
        marks: gd ? gd.querySelectorAll(marks).length : 0,
        x: (gd?._fullData || []).map(t => t.x ? Array.from(t.x) : []),
        width: rect.width, height: rect.height,
        caption: (box?.nextElementSibling?.innerText || '').trim(),
      };
    })""", MARKS)


def cut_off(page) -> dict[str, list[str]]:
    """Text a reader cannot see in full: metric values ellipsized by their card, chart titles clipped by the plot.
    (Metric labels and axis labels are shortened by design: their full text is in the tooltip / hover.)"""
    return page.evaluate("""() => {
      const clipped = el => [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1);
      const values = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetricValue"]')]
        .filter(clipped).map(el => el.innerText.trim());
      const titles = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].filter(gd => {
        const title = gd.querySelector('.gtitle');
        if (!title) return false;
        const box = title.getBoundingClientRect(), plot = gd.getBoundingClientRect();
        return box.right > plot.right + 1 || box.left < plot.left - 1;
      }).map(gd => gd.querySelector('.gtitle').textContent);
      return {metric_values: values, chart_titles: titles};
    }""")


def problems(page) -> dict[str, list[str]]:
    """Streamlit exceptions and error/warning boxes in the page."""
    return page.evaluate("""() => {
      const texts = sel => [...document.querySelectorAll(sel)].map(e => e.innerText.trim().slice(0, 800));
      return {exceptions: texts('[data-testid="stException"]'),
              errors: texts('[data-testid="stAlertContentError"], [data-testid="stErrorCodeBlock"]'),
              warnings: texts('[data-testid="stAlertContentWarning"]')};
    }""")


def captions(page) -> list[str]:
    return page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').all_inner_texts()


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


EXPECT_TIMEOUT_MS = 60_000   # how long a rerun may take to show its result (auto-retried, not slept)


def expect_text(locator, expected) -> None:
    from playwright.sync_api import expect

    expect(locator).to_have_text(expected, timeout=EXPECT_TIMEOUT_MS)


def expect_url(page, pattern) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(pattern, timeout=EXPECT_TIMEOUT_MS)


def poll(page, read, done, timeout_ms: int = EXPECT_TIMEOUT_MS):
    """read() until done(value) or the timeout; returns the last value for the caller to assert on. For things
    Playwright's expect cannot wait for (a plot's data after a rerun)."""
    deadline = time.monotonic() + timeout_ms / 1000
    value = read()
    while not done(value) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        value = read()
    return value


def set_number(page, label: str, value: float) -> None:
    """Type into the number input labelled ``label`` and commit it with Enter, as a reader does."""
    field = page.get_by_label(label, exact=True)
    field.fill(f"{value:g}")
    field.press("Enter")


def close(values: list[float], expected: list[float], rel: float = 1e-6) -> bool:
    return len(values) == len(expected) and all(math.isclose(v, e, rel_tol=rel) for v, e in zip(values, expected))


def metric_value(page, label: str):
    """The value locator of the metric labelled exactly ``label``."""
    return (page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
            .filter(has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True))
            .locator('[data-testid="stMetricValue"]'))


def inputs(page) -> dict:
    """The state of every input a link should reproduce: numbers, sliders, choices, search, the open tab."""
    return page.evaluate("""() => {
      const all = (sel, f) => [...document.querySelectorAll(sel)].map(f);
      return {
        numbers: Object.fromEntries(all('[data-testid="stNumberInput"]', el =>
            [el.querySelector('[data-testid="stWidgetLabel"]')?.innerText.trim(), el.querySelector('input').value])),
        sliders: all('[data-testid="stSlider"] input[type="range"]', el => el.value),
        chosen: all('[data-testid="stMultiSelect"]', el =>
            [...el.querySelectorAll('[data-tag]')].map(t => t.getAttribute('aria-label'))),
        search: all('[data-testid="stTextInput"] input', el => el.value),
        radios: all('[data-testid="stRadio"] input:checked', el => el.closest('label')?.innerText.trim()),
        selects: all('[data-testid="stSelectbox"] input', el => el.value),
        tab: all('[data-testid="stTab"][aria-selected="true"]', el => el.innerText.trim()),
      };
    }""")


def view_link(page, title: str) -> str:
    """Open the footer's "Link to this view" expander and read the URL in its code block."""
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=title)
    code = expander.locator('[data-testid="stCode"] code')
    if not code.is_visible():
        expander.locator("summary").click()
    code.wait_for(state="visible")
    return code.inner_text().strip()


# --- accessibility -------------------------------------------------------------------------------------------------

# Rules excused only where the markup is Streamlit's own and we cannot change it: rule id → container selector.
# st.navigation with sections renders <ul> > <div> (section header) > <li>: "list" fails on the <ul>, "listitem"
# on each <li> in a section. The markup is Streamlit's (1.67), the sections are how the sidebar groups the cases.
AXE_EXCUSED = {
    "list": '[data-testid="stSidebarNav"]',
    "listitem": '[data-testid="stSidebarNav"]',
}
AXE_IMPACTS = ("serious", "critical")

_AXE_JS = """async ([excused, impacts]) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => impacts.includes(v.impact)).map(v => {
    const nodes = v.nodes.filter(n => {
      const where = excused[v.id];
      if (!where) return true;
      const el = document.querySelector(n.target[n.target.length - 1]);
      return !(el && el.closest(where));
    });
    return {id: v.id, impact: v.impact, help: v.help, excused: v.nodes.length - nodes.length,
            nodes: nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                    summary: (n.failureSummary || '').slice(0, 300)}))};
  });
}"""


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations, minus the excused Streamlit chrome nodes (see AXE_EXCUSED)."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_AXE_JS, [AXE_EXCUSED, list(AXE_IMPACTS)])
    return [v for v in found if v["nodes"]]


# --- screenshots ---------------------------------------------------------------------------------------------------

def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to the content first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("""() => Math.max(...['stMain', 'stSidebarContent']
        .map(id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0), window.innerHeight)""")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height), 30_000)})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path
