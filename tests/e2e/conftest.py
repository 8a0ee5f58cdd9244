"""Real-browser fixtures: one Debian chromium and one dashboard server for the whole session.

Chromium is never downloaded: Playwright drives the ``chromium`` on the PATH with the closed-network flags from
ARCHITECTURE.md. Without it (or without axe-core for the accessibility checks) the tests skip with the install command,
unless REQUIRE_BROWSER=1 (REQUIRE_AXE=1) makes that a failure, as in CI.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from metrics.store import Dataset, load
from tests.support.server import running_app

from . import browser as b
from .expected import LANGS, PAGES, PageSpec, footer_marker

ALL_VIEWS = [(spec, lang) for spec in PAGES for lang in LANGS]
PARALLEL_TABS = 3   # tabs loading at once: on 2 cores more only slows each down


def _missing(message: str, var: str) -> None:
    if b.required(var):
        pytest.fail(f"{message} ({var}=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the playwright package is missing: python -m pip install -r requirements-dev.txt", "REQUIRE_BROWSER")
    path = b.chromium_path()
    if not path:
        _missing(f"no `chromium` on the PATH; install Debian's: {b.INSTALL_CHROMIUM}", "REQUIRE_BROWSER")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=b.CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app_url(chromium) -> str:
    b.ARTIFACTS.mkdir(exist_ok=True)
    with running_app(log=b.ARTIFACTS / "e2e-server.log") as url:
        yield url



@pytest.fixture(scope="session")
def ds() -> Dataset:
    data = load(b.ROOT / "data")
    assert not data.problems, f"the built data has problems; rebuild first: {data.problems}"
    return data


@pytest.fixture
def fresh_context(browser):
    """A new browser context (no cookies, no cache, no session) whose requests are recorded."""
    contexts = []

    def make():
        context = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN")
        contexts.append(context)
        return context, b.Requests().attach(context)
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def axe_ready() -> Path:
    if not b.AXE_JS.exists():
        _missing(f"axe-core is not installed: {b.INSTALL_AXE}", "REQUIRE_AXE")
    return b.AXE_JS


@dataclass
class Visit:
    """Everything the page-level tests check, read once per page and language from one page load."""
    spec: PageSpec
    lang: str
    url: str
    final_url: str
    html_lang: str
    headings: list[str]           # the h1 titles
    requests: list[str]
    metrics: list[tuple[str, str]]
    notes: dict[str, str]         # metric label → the line beneath its value
    charts: list[dict]
    captions: list[str]
    problems: dict[str, list[str]]
    cut_off: dict[str, list[str]]
    axe: list[dict] | None        # None: axe-core not installed
    screenshot: Path | None


@pytest.fixture(scope="session")
def visit(browser, app_url, ds):
    """visit(spec, lang) → the Visit of that page, loaded once per session.

    A miss loads the asked-for page together with the next few not yet loaded (ALL_VIEWS order) in parallel tabs:
    the browser draws one while the server runs another's script. Each tab has its own fresh context (no cache,
    no remembered favicon), so every request of every load is seen, as for a reader opening a link.
    """
    cache: dict[tuple, Visit | Exception] = {}

    def open_tab(spec: PageSpec, lang: str):
        query = {**({"lang": lang} if lang != "zh" else {}), **spec.query}
        url = b.page_url(app_url, spec.path, query)
        page = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN").new_page()
        requests = b.Requests().attach(page)
        page.goto(url, wait_until="commit")
        return page, url, requests

    def read(spec: PageSpec, lang: str, page, url: str, requests: b.Requests, shoot: bool) -> Visit:
        try:
            b.wait_ready(page, footer_marker(ds, lang), spec.charts, spec.selector)
            found = dict(final_url=page.url, html_lang=b.html_lang(page), metrics=b.metrics(page),
                         headings=page.locator('[data-testid="stMain"] h1').all_inner_texts(),
                         notes=b.metric_notes(page), charts=b.charts(page), captions=b.captions(page),
                         problems=b.problems(page), cut_off=b.cut_off(page))
            axe = b.axe_violations(page) if b.AXE_JS.exists() else None
            shot = b.screenshot(page, f"{spec.name}_{lang}") if shoot else None
        finally:
            page.context.close()
        return Visit(spec, lang, url, requests=requests.urls, axe=axe, screenshot=shot, **found)

    def load_visit(spec: PageSpec, lang: str, shoot: bool = True) -> Visit:
        key = (repr(spec), lang)
        if key not in cache:
            batch = [(spec, lang, shoot)] + [(s, lg, True) for s, lg in ALL_VIEWS
                                             if (repr(s), lg) not in cache and (s, lg) != (spec, lang)][:PARALLEL_TABS - 1]
            tabs = [(s, lg, sh, *open_tab(s, lg)) for s, lg, sh in batch]
            for s, lg, sh, page, url, requests in tabs:
                try:
                    cache[(repr(s), lg)] = read(s, lg, page, url, requests, sh)
                except Exception as exc:  # kept for the tests of that page; the other tabs still get read
                    cache[(repr(s), lg)] = exc
        if isinstance(cache[key], Exception):
            raise cache[key]
        return cache[key]

    return load_visit
