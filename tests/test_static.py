"""The static edition (python -m deploy.static): every page in both languages, links that resolve, the app's
figures and charts, a Content-Security-Policy with no inline script, hostile data rendered inert, safe downloads,
and a build that never destroys what it should not.

The browser side (charts drawn, no request off the machine, axe, print) is in tests/e2e/test_static.py.
"""
from __future__ import annotations

import functools
import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
import pandas as pd
import plotly.io as pio
import pyarrow.parquet as pq
import pytest

from deploy.static import __main__ as cli
from deploy.static import plotly_js, sections
from deploy.static import site as site_module
from deploy.static.blocks import Article, Mark
from deploy.static.pages import Context
from deploy.static.render import CSP, Renderer, safe_url, script_json
from deploy.static.site import EditionError, build
from deploy.static.texts import say
from metrics import calculators, layout, views
from metrics.catalog import text
from metrics.store import load

from .conftest import PAGES, ROOT, open_page
from .static_support import EVIL, EVIL_HTTP_URL, EVIL_URL, built_hostile_site, built_site
from .support import blocks as tests_blocks

DATA = load(ROOT / "data")
CASE_IDS = DATA.case_ids()
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return built_hostile_site(tmp_path_factory.getbasetemp())


# --- reading the HTML ---------------------------------------------------------------------------------------------

class Page(HTMLParser):
    """Tags with their attributes, ids, scripts' contents, and the (label, value) of every figure card."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._field: str | None = None
        self.cards: list[dict] = []
        self.tables: list[list[list[str]]] = []   # rows of cells (the header row first)
        self._cell: list[str] | None = None
        self.h1: list[str] = []
        self.h2: list[str] = []
        self._heading: list[str] | None = None
        self.order: list[tuple[str, int]] = []    # (what, its index in h2 / cards / tables / scripts), in page order
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
            self.order.append(("script", len(self.scripts) - 1))
        if tag in ("h1", "h2"):
            self._heading = self.h1 if tag == "h1" else self.h2
            self._heading.append("")
            if tag == "h2":
                self.order.append(("h2", len(self.h2) - 1))
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "card" in classes:
            self.cards.append({"label": "", "value": ""})
            self.order.append(("card", len(self.cards) - 1))
        if tag == "p" and self.cards and ("label" in classes or "value" in classes):
            self._field = "label" if "label" in classes else "value"
        if tag == "table":
            self.tables.append([])
            self.order.append(("table", len(self.tables) - 1))
        if tag == "tr":
            self.tables[-1].append([])
        if tag in ("td", "th"):
            self._cell = self.tables[-1][-1]
            self._cell.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag in ("h1", "h2"):
            self._heading = None
        if tag == "p":
            self._field = None
        if tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif self._heading is not None:
            self._heading[-1] += data
        elif self._field:
            self.cards[-1][self._field] += data
        elif self._cell is not None:
            self._cell[-1] += data

    def figures(self) -> list[tuple[str, str]]:
        """(label, value) of every figure card."""
        return [(c["label"].strip(), c["value"].strip()) for c in self.cards]

    def table_figures(self, lang: str) -> list[tuple[str, str]]:
        """(indicator, value) of every row of a table that has both columns (all figures, data tables)."""
        label, value = text("col.indicator", lang), text("col.value", lang)
        return [(row[head.index(label)].strip(), row[head.index(value)].strip())
                for head, *rows in self.tables if label in head and value in head for row in rows]

    def sequence(self, lang: str) -> list[tuple]:
        """What the page shows, top to bottom, as tests/test_static.seen reads the app's blocks."""
        label, value = text("col.indicator", lang), text("col.value", lang)
        out: list[tuple] = []
        for what, i in self.order:
            if what == "h2":
                out.append(("heading", self.h2[i].strip()))
            elif what == "card":
                out.append(("card", self.cards[i]["label"].strip(), self.cards[i]["value"].strip()))
            elif what == "script" and self.scripts[i][0].get("type") == "application/json":
                out.append(("chart", html.unescape(json.loads(self.scripts[i][1])["figure"]["layout"]["title"]["text"])))
            elif what == "table" and self.tables[i] and {label, value} <= set(self.tables[i][0]):
                head, *rows = self.tables[i]
                out += [("row", row[head.index(label)].strip(), row[head.index(value)].strip()) for row in rows]
        return out

    def charts(self) -> dict[str, dict]:
        """title → plotly figure (as the page embeds it) of every chart."""
        out = {}
        for attrs, body in self.scripts:
            if attrs.get("type") == "application/json":
                figure = json.loads(body)["figure"]
                out[html.unescape(figure["layout"]["title"]["text"])] = figure
        return out


@functools.cache
def read(path: Path) -> Page:
    """The parsed page (once per path: the link check reads every page a link points to; the sites are read-only
    and each test session writes its sites to new folders)."""
    return Page(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- the site -----------------------------------------------------------------------------------------------------

def expected_pages() -> list[str]:
    return ["index.html"] + [f"{lang}/{page}" for lang in LANGS for page in
                             ["index.html", "data.html", "sources.html", *(f"case/{c}.html" for c in CASE_IDS)]]


def test_every_page_in_both_languages(site):
    written = sorted(p.relative_to(site).as_posix() for p in html_pages(site))
    assert sorted(expected_pages()) == [p for p in written if not p.startswith(("zh/compare", "en/compare"))]


def test_one_shared_copy_of_plotly_js_the_partial_bundle(site):
    """Today's charts are bars, scatters and treemaps: the partial bundle serves them, one copy for every page."""
    copies = [p for p in site.rglob("*") if p.is_file() and p.stat().st_size > 1_000_000 and p.suffix == ".js"]
    assert [p.relative_to(site).as_posix() for p in copies] == ["assets/plotly.min.js"]
    assert (site / "assets/plotly.min.js").read_bytes() == plotly_js.partial().path.read_bytes()
    for path in html_pages(site):
        sources = [attrs["src"] for attrs, _ in read(path).scripts if "src" in attrs]
        assert all(s.endswith(("assets/plotly.min.js", "assets/charts.js")) for s in sources), (path, sources)


def site_trace_types(site: Path) -> set[str]:
    """Every trace type of every chart of every page, read back from the pages."""
    return {kind for path in html_pages(site) for payload in chart_payloads(path)
            for kind in plotly_js.trace_types(payload["figure"])}


def chart_payloads(path: Path) -> list[dict]:
    return [json.loads(body) for attrs, body in read(path).scripts if attrs.get("type") == "application/json"]


def test_the_partial_bundle_holds_every_trace_type_the_site_draws(site):
    used = site_trace_types(site)
    assert used == {"bar", "scatter", "treemap"}     # all cases, both languages, overview and data pages
    assert used <= plotly_js.partial().traces


def test_no_chart_offers_to_send_its_data_to_a_cloud_service(site):
    configs = [p["config"] for path in html_pages(site) for p in chart_payloads(path)]
    assert configs and all(c["showSendToCloud"] is False and "plotlyServerURL" not in c for c in configs)


# --- the vendored partial bundle and the choice between it and the full one -----------------------------------------

VENDOR = plotly_js.VENDOR


def test_the_vendored_bundle_is_the_one_recorded():
    bundle = plotly_js.partial()
    record = json.loads((VENDOR / "bundle.json").read_text(encoding="utf-8"))
    assert bundle.path == VENDOR / "plotly-partial.min.js" and bundle.path.stat().st_size == record["bytes"]
    assert plotly_js.sha256(bundle.path) == record["sha256"]
    head = bundle.path.read_bytes()[:200].decode("utf-8")
    assert head.startswith(f"/*! plotly.js v{bundle.version} (partial: ") and "MIT" in head
    assert f'version="{bundle.version}"'.encode() in bundle.path.read_bytes()   # what Plotly.version says
    recipe = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert recipe["devDependencies"]["plotly.js"] == bundle.version
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert bundle.path.stat().st_size < 2_000_000


def test_the_vendored_bundle_is_of_the_installed_plotly_js():
    from plotly.offline import get_plotlyjs_version
    assert plotly_js.partial().version == get_plotlyjs_version()


def _bundle(tmp_path: Path, version: str = "4.1.1", traces=("bar", "scatter", "treemap"), body: bytes = b"js") -> \
        plotly_js.Partial:
    path = tmp_path / "partial.js"
    path.write_bytes(body)
    return plotly_js.Partial(path, version, frozenset(traces), plotly_js.sha256(path))


FULL_STANDIN = Path("full/plotly.min.js")


@pytest.mark.parametrize("used, version, installed, tamper, partial, reason", [
    ({"bar", "scatter", "treemap"}, "4.1.1", "4.1.1", False, True, ""),
    ({"bar"}, "4.1.1", "4.1.1", False, True, ""),
    (set(), "4.1.1", "4.1.1", False, True, ""),
    ({"bar", "scatter"}, "4.1.1", "4.2.0", False, False, "is of plotly.js 4.1.1 and the plotly package ships 4.2.0"),
    ({"bar", "pie", "sankey"}, "4.1.1", "4.1.1", False, False, "trace types the partial bundle lacks: pie, sankey"),
    ({"bar"}, "4.1.1", "4.1.1", True, False, "does not match the sha256 recorded"),
    ({"pie"}, "3.0.0", "4.1.1", False, False, "is of plotly.js 3.0.0"),     # the first reason found is said
])
def test_the_partial_bundle_is_used_only_when_it_can_draw_every_chart(tmp_path, used, version, installed, tamper,
                                                                       partial, reason):
    bundle = _bundle(tmp_path, version)
    if tamper:
        bundle.path.write_bytes(b"changed")
    choice = plotly_js.choose(used, bundle, installed, full=FULL_STANDIN)
    assert choice.partial is partial
    assert choice.path == (bundle.path if partial else FULL_STANDIN)
    assert (reason in choice.reason) and (bool(choice.reason) is not partial)


def test_a_missing_bundle_record_means_the_full_bundle(tmp_path):
    assert plotly_js.partial(tmp_path) is None
    (tmp_path / "bundle.json").write_text('{"file": "x.js"}', encoding="utf-8")
    assert plotly_js.partial(tmp_path) is None
    choice = plotly_js.choose({"bar"}, None, "4.1.1", full=FULL_STANDIN)
    assert (choice.path, choice.partial) == (FULL_STANDIN, False) and "bundle.json" in choice.reason
    gone = _bundle(tmp_path)
    gone.path.unlink()
    assert "is missing" in plotly_js.choose({"bar"}, gone, "4.1.1", full=FULL_STANDIN).reason


@pytest.mark.parametrize("figure, types", [
    ({"data": [{"type": "bar"}, {"type": "treemap"}]}, {"bar", "treemap"}),
    ({"data": [{"x": [1]}]}, {"scatter"}),           # plotly.js reads a trace without a type as a scatter
    ({"data": []}, set()),
])
def test_trace_types_of_a_figure(figure, types):
    assert plotly_js.trace_types(figure) == types


def test_an_edition_whose_charts_need_another_trace_ships_the_full_bundle_and_says_why(tmp_path, monkeypatch,
                                                                                         capsys):
    monkeypatch.setattr(plotly_js, "partial", lambda folder=VENDOR: plotly_js.Partial(
        VENDOR / "plotly-partial.min.js", "4.1.1", frozenset({"scatter"}),
        json.loads((VENDOR / "bundle.json").read_text(encoding="utf-8"))["sha256"]))
    assert cli.main([str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert "full bundle" in err and "lacks: bar, treemap" in err
    assert (tmp_path / "site/assets/plotly.min.js").read_bytes() == plotly_js.FULL.read_bytes()


ARTICLE_URLS = set(DATA["sources"]["url"].dropna()) - {""} if "url" in DATA["sources"] else set()


def local_links(page: Page) -> list[str]:
    """Every href and src, but the articles' own addresses (links a reader may follow; nothing loads them)."""
    return [attrs[key] for tag, attrs in page.tags for key in ("href", "src") if key in attrs
            and not (tag == "a" and attrs[key] in ARTICLE_URLS and attrs.get("rel") == "noopener noreferrer")]


def test_every_link_and_anchor_resolves_within_the_site(site):
    broken = []
    for path in html_pages(site):
        for link in local_links(read(path)):
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{path}: a link off the site: {link}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            outside = not target.is_file() or site.resolve() not in target.parents
            if outside or (parts.fragment and parts.fragment not in read(target).ids):
                broken.append((path.relative_to(site).as_posix(), link))
    assert broken == []


@pytest.mark.parametrize("lang, other", [("zh", "en"), ("en", "zh")])
def test_every_page_links_to_itself_in_the_other_language(site, lang, other):
    for path in (site / lang).rglob("*.html"):
        page = read(path)
        html_lang = [attrs["lang"] for tag, attrs in page.tags if tag == "html"]
        assert html_lang == [{"zh": "zh-CN", "en": "en"}[lang]]
        links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("hreflang")]
        assert len(links) == 1, path
        assert (path.parent / links[0]).resolve() == (site / other / path.relative_to(site / lang)).resolve()


def test_every_page_has_the_policy_and_no_inline_script(site):
    for path in html_pages(site):
        page = read(path)
        policies = [a["content"] for tag, a in page.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert policies == [CSP], path
        for attrs, body in page.scripts:
            assert "src" in attrs or attrs.get("type") == "application/json", (path, attrs, body[:80])
            assert not ("src" in attrs and body.strip()), path


def test_every_figure_card_links_to_its_mark_in_the_article(site):
    sources = read(site / "zh/sources.html")
    facts = set(DATA["facts"]["fact_id"])
    assert {f"f-{fid}" for fid in facts} <= sources.ids
    for case_id in CASE_IDS:
        page = read(site / f"zh/case/{case_id}.html")
        links = [a["href"] for tag, a in page.tags if tag == "a" and "sources.html#f-" in a.get("href", "")]
        of_case = set(DATA["facts"].loc[DATA["facts"]["case_id"] == case_id, "fact_id"])
        assert {link.split("#f-")[1] for link in links} == of_case   # the all-figures tables link every figure


# --- the same figures as the app ----------------------------------------------------------------------------------

def unmd(label: str) -> str:
    """A metric label as Streamlit received it (ui.show.md escapes markdown) → the plain text."""
    return re.sub(r"\\(.)", r"\1", label)


def known_labels(case_ids: list[str], lang: str) -> set[str]:
    facts = DATA["facts"][DATA["facts"]["case_id"].isin(case_ids)]
    indicators = DATA["indicators"][DATA["indicators"]["case_id"].isin(case_ids)]
    return {views.fact_label(r, lang) for _, r in facts.iterrows()} | set(indicators[f"name_{lang}"])


def open_app(page: str, lang: str):
    """The app's page as a reader opens it: a page file, or a case's page by its id (tests/conftest.open_page)."""
    return open_page(page, lang=lang)


def app_figures(page: str, lang: str, case_ids: list[str]) -> list[tuple[str, str]]:
    """(label, value) of every published or derived figure the app's page shows as a metric (calculator outputs,
    which the static edition does not carry, are left out)."""
    at = open_app(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    labels = known_labels(case_ids, lang)
    shown = [(unmd(m.label).split(" · ")[0] if unmd(m.label).split(" · ")[0] in labels else unmd(m.label), m.value)
             for m in at.metric]
    return [(label, value) for label, value in shown if label in labels]


# The app's case page draws metrics.layout.blocks_of (pages/case.py); two cases, one with calculators, are checked
# against the running app itself, every case against blocks_of (below).
APP_CASES = [(page, case_id) for page, case_id in PAGES.items() if case_id in ("xiangtan", "heilongjiang")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page, case_id", APP_CASES)
def test_case_page_shows_the_apps_figures(site, page, case_id, lang):
    app = app_figures(page, lang, [case_id])
    assert len(app) >= 3, f"the app's {page} shows too few figures to compare: {app}"
    page = read(site / lang / f"case/{case_id}.html")
    static = page.figures() + page.table_figures(lang)
    static_pairs = {(label.split(" · ")[0], value) for label, value in static}
    missing = [pair for pair in app if pair not in static_pairs]
    assert not missing, f"figures the app shows that the static page does not (or differently): {missing}"


def seen(blocks: list[dict], lang: str) -> Iterator[tuple]:
    """What a reader of the app's blocks sees, top to bottom: headings, figure cards (label, value), chart titles
    and the (indicator, value) rows of figure tables. A calculator shows its output at the defaults."""
    label, value = text("col.indicator", lang), text("col.value", lang)
    for block in blocks:
        kind = block["type"]
        if kind == "heading":
            yield ("heading", block["text"])
        elif kind == "cards":
            yield from (("card", card["label"], card["value"]) for card in block["cards"])
        elif kind == "chart":
            yield ("chart", block["spec"].title)
        elif kind == "table" and {label, value} <= set(block["data"].columns):
            yield from (("row", str(a), str(b)) for a, b in zip(block["data"][label], block["data"][value]))
        elif kind == "row":
            for column in block["columns"]:
                yield from seen(column, lang)
        elif kind in ("group", "calculator"):
            yield ("heading", block["title"])
            inner = block["blocks"] if kind == "group" else [*block["intro"], *calculators.result(block, {})]
            yield from seen(inner, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_page_draws_the_apps_sections_in_order(site, case_id, lang):
    """Every case and language: the static page shows what metrics.layout.blocks_of gives the app, in its order."""
    made = layout.blocks_of(DATA.tables, case_id, lang)
    page = read(site / lang / f"case/{case_id}.html")
    assert page.h1 == [made[0]["title"]]
    expected = list(seen(made, lang))
    assert len([s for s in expected if s[0] in ("card", "row")]) >= 3, expected
    assert page.sequence(lang) == expected


def test_a_calculator_shows_its_result_at_the_defaults_and_says_so(site):
    block = tests_blocks.calculator(DATA.tables, "heilongjiang", "fee", "en")
    outputs = [(c["label"], c["value"]) for b in calculators.result(block, {}) if b["type"] == "cards" for c in b["cards"]]
    raw = (site / "en/case/heilongjiang.html").read_text(encoding="utf-8")
    page = read(site / "en/case/heilongjiang.html")
    assert outputs and set(outputs) <= set(page.figures())
    said = [p.split("</p>")[0] for p in raw.split(say("calc.defaults", "en", values="").rstrip(".").strip())[1:]]
    assert len(said) == 3 == raw.count(html.escape(say("calc.no_app", "en")))   # no app address: where to get one
    loan = next(i for i in block["inputs"] if i.name == "loan")
    assert any(f"{html.escape(loan.label)}: {loan.default:g}" in line for line in said), said


def test_a_calculator_links_to_the_live_app_when_its_address_is_known():
    ctx = Context(DATA, "en", app_url="https://dash.example.org/")
    _title, made = sections.case_page_blocks(ctx, "heilongjiang")
    page = Page("".join(Renderer("en", "../").block(block) for block in made))
    links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("https://")]
    assert links and all(link.startswith("https://dash.example.org/heilongjiang?lang=en&") for link in links)
    assert any("loan=300" in link and "term=1" in link for link in links)


@pytest.mark.parametrize("lang", LANGS)
def test_overview_shows_the_apps_figures(site, lang):
    app = app_figures("pages/overview.py", lang, CASE_IDS)
    static = read(site / lang / "index.html").figures()
    assert app and app == static


def chart_traces(figure: dict) -> list[tuple]:
    """What a chart draws: per trace its type, labels and values (decoded from plotly's typed arrays)."""
    fig = pio.from_json(json.dumps(figure), skip_invalid=True)
    def values(v):
        return [html.unescape(x) if isinstance(x, str) else x for x in (list(v) if v is not None else [])]
    return [(t.type, values(getattr(t, "y", None) if t.type != "treemap" else t.labels),
             values(getattr(t, "x", None) if t.type != "treemap" else t.values)) for t in fig.data]


def app_charts(page: str, lang: str) -> dict[str, dict]:
    at = open_app(page, lang)
    return {json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page, target", [("pages/overview.py", "index.html"),
                                          *((p, f"case/{c}.html") for p, c in APP_CASES)])
def test_charts_draw_the_same_data_as_the_apps(site, page, target, lang):
    app = app_charts(page, lang)
    static = read(site / lang / target).charts()
    shared = sorted(set(app) & set(static))
    assert shared, f"no chart title in common: app {sorted(app)}, static {sorted(static)}"
    for title in shared:
        assert chart_traces(static[title]) == chart_traces(app[title]), title


# --- hostile data -------------------------------------------------------------------------------------------------

OUR_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "a", "header", "p", "span", "nav", "ul", "li",
            "main", "h1", "h2", "section", "div", "details", "summary", "blockquote", "figure", "figcaption", "table",
            "caption", "thead", "tbody", "tr", "th", "td", "article", "mark", "footer", "br", "strong"}


def test_hostile_texts_render_inert(hostile_site):
    pages = html_pages(hostile_site)
    assert any("hostile" in p.name for p in pages)
    shown = 0
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        page = read(path)
        assert {tag for tag, _ in page.tags} <= OUR_TAGS, (path, {tag for tag, _ in page.tags} - OUR_TAGS)
        for tag, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), (path, attrs)
        for attrs, body in page.scripts:
            assert "src" in attrs or ("<" not in body and attrs.get("type") == "application/json"), path
        assert "</textarea>" not in raw and "<svg" not in raw, path
        shown += raw.count(html.escape(EVIL, quote=False)) + raw.count(html.escape(EVIL))
    assert shown > 10, "the hostile texts should be on the pages, escaped"


def test_hostile_texts_reach_charts_as_plain_text(hostile_site):
    page = read(hostile_site / "en/case/hostile.html")
    labels = [y for figure in page.charts().values() for trace in figure["data"]
              for y in (trace.get("y") or []) if isinstance(y, str)]
    assert any(html.escape("<script>window.__pwned=1</script>", quote=False) in label for label in labels)
    assert not any("<script" in label for label in labels)


def test_article_urls_are_links_to_the_articles(site):
    hrefs = {a["href"] for tag, a in read(site / "en/sources.html").tags if tag == "a" and "href" in a}
    assert ARTICLE_URLS and ARTICLE_URLS <= hrefs


def test_a_hostile_article_url_stays_one_inert_link(hostile_site):
    page = read(hostile_site / "en/sources.html")
    links = [a for tag, a in page.tags if tag == "a" and "pwned" in a.get("href", "")]
    assert [a["href"] for a in links] == [EVIL_HTTP_URL] and all(set(a) == {"href", "rel"} for a in links)


def test_a_javascript_url_is_shown_as_text_never_as_a_link():
    article = Article("t", [], EVIL_URL, [Mark("text")])
    page = Page(Renderer("en", "").block(article))
    assert not [a for tag, a in page.tags if tag == "a"]
    assert html.escape(EVIL_URL) in Renderer("en", "").block(article)


@pytest.mark.parametrize("url, link", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"), ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", ""), (" JavaScript:alert(1)", ""), ("data:text/html,<script>", ""),
    ("//example.org/x", ""), ("example.org", ""), ("https://", ""), ("", ""), ("http://[::1", ""),
    ("vbscript:msgbox", ""), ("file:///etc/passwd", ""),
])
def test_only_absolute_http_urls_become_links(url, link):
    assert safe_url(url) == link


@pytest.mark.parametrize("value, encoded", [
    ("</script><script>x", "\\u003c/script\\u003e\\u003cscript\\u003ex"), ("a & b", "a \\u0026 b"),
    ("<!--", "\\u003c!--"),
])
def test_embedded_json_cannot_close_its_script(value, encoded):
    assert script_json({"t": value}) == '{"t":"' + encoded + '"}'
    assert json.loads(str(script_json({"t": value}))) == {"t": value}


def test_hostile_downloads_are_neutralized(hostile_site):
    csv = zipfile.ZipFile(hostile_site / "downloads/facts.zip").read("data.csv").decode("utf-8-sig")
    facts = pd.read_csv(io.StringIO(csv), skiprows=1, keep_default_na=False)
    hostile = facts[facts["fact_id"] == "hx_funds"]
    assert hostile["indicator_zh"].tolist() == ["'=" + EVIL]
    sheet = openpyxl.load_workbook(hostile_site / "downloads/facts.xlsx")["data"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("indicator_zh")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=" + EVIL in cells and "=" + EVIL not in cells


# --- downloads and the dictionary ---------------------------------------------------------------------------------

def test_downloads_hold_every_table_in_every_format(site):
    for name in ("facts", "events", "practices", "indicators", "cases", "sources", "dictionary"):
        back = pd.read_parquet(site / f"downloads/{name}.parquet")
        if name != "dictionary":
            assert len(back) == len(DATA[name]), name
        for ext in ("zip", "xlsx"):
            assert (site / f"downloads/{name}.{ext}").stat().st_size > 0
    facts = pd.read_parquet(site / "downloads/facts.parquet")
    assert facts["value"].tolist() == DATA["facts"]["value"].tolist()   # values exactly as built


def test_every_download_carries_the_dictionary_of_its_columns(site):
    assert pd.read_parquet(site / "downloads/dictionary.parquet").equals(DATA["dictionary"])
    for name in ("facts", "events", "practices", "indicators"):
        columns = [c for c in DATA[name].columns if c != "source_file"]
        meta = pq.read_schema(site / f"downloads/{name}.parquet").metadata
        assert [e["name"] for e in json.loads(meta[b"dictionary"])] == [
            c for c in columns if c in set(DATA["dictionary"].loc[DATA["dictionary"]["table"] == name, "name"])]
        with zipfile.ZipFile(site / f"downloads/{name}.zip") as archive:
            assert sorted(archive.namelist()) == ["data.csv", "dictionary.csv"]
        assert "dictionary" in openpyxl.load_workbook(site / f"downloads/{name}.xlsx").sheetnames


# --- building safely ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("app_url", ["javascript:alert(1)", "dash.example.org", "file:///etc"])
def test_an_app_address_that_is_not_http_is_refused(tmp_path, app_url):
    with pytest.raises(EditionError, match="app-url"):
        build(tmp_path / "site", ROOT / "data", app_url=app_url)
    assert not (tmp_path / "site").exists()


def test_never_overwrites_a_folder_that_is_not_an_edition(tmp_path):
    keep = tmp_path / "mine" / "notes.txt"
    keep.parent.mkdir()
    keep.write_text("keep me", encoding="utf-8")
    with pytest.raises(EditionError, match="not a static edition"):
        build(keep.parent, ROOT / "data")
    assert keep.read_text(encoding="utf-8") == "keep me" and len(list(tmp_path.iterdir())) == 1


def small_edition(ds, out: Path, *_args) -> tuple[list[Path], plotly_js.Choice]:
    """Stands in for write_site where only the folder handling is under test (a real edition takes ~20 s)."""
    (out / "zh").mkdir(parents=True)
    (out / "zh/index.html").write_text(ds.data_version, encoding="utf-8")
    (out / site_module.MARKER).write_text(ds.data_version + "\n", encoding="utf-8")
    return [out / "zh/index.html"], plotly_js.Choice(plotly_js.FULL, False, "a stand-in edition")


def test_a_rebuild_replaces_the_previous_edition(tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "write_site", small_edition)
    out = tmp_path / "site"
    build(out, ROOT / "data")
    (out / "zh" / "stale.html").write_text("old", encoding="utf-8")
    build(out, ROOT / "data")
    assert not (out / "zh" / "stale.html").exists() and (out / "zh/index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]   # no staging folder left behind


def test_damaged_shared_data_is_refused_with_the_file_named(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("sources"))
    (data / "cases.parquet").write_bytes(b"not parquet")
    assert cli.main([str(tmp_path / "site"), "--data", str(data)]) == 1
    assert "cases.parquet" in capsys.readouterr().err and not (tmp_path / "site").exists()


def test_a_damaged_case_is_left_out_and_said(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("sources"))
    damaged = CASE_IDS[0]
    (data / damaged / "facts.parquet").write_bytes(b"not parquet")
    assert cli.main([str(tmp_path / "site"), "--data", str(data)]) == 0
    assert f"left out: case {damaged}" in capsys.readouterr().err
    assert not (tmp_path / f"site/zh/case/{damaged}.html").exists()
    assert all((tmp_path / f"site/en/case/{c}.html").exists() for c in CASE_IDS[1:])
    assert f"case/{damaged}.html" not in (tmp_path / "site/zh/index.html").read_text(encoding="utf-8")


# --- the bench section's report rows (bench/static.py; python -m bench shows them) -------------------------------

@pytest.mark.parametrize("ratio, met", [(0.2, True), (0.35, True), (0.5, False), (float("nan"), None)])
def test_bench_targets_judge_the_ratio_against_the_goal(ratio, met):
    from bench import static as bench_static
    timing = {kind: {"ratio_to_app": ratio} for kind in ("static_file", "static_http")}
    result = {"timing": {"overview": timing}, "page_bytes": {"median": 4_900_000, "max": 5_100_000},
              "site_bytes": 8_400_000, "plotly_js_bytes": 4_800_000}
    rows = bench_static.targets(result)
    assert all(set(row) == {"name", "target", "value", "met"} for row in rows)
    assert [row["met"] for row in rows] == [met, met, None, None]
    assert rows[2]["value"] == "4.90 / 5.10 MB" and rows[3]["value"] == "8.4 MB (plotly.js 4.8 MB)"
