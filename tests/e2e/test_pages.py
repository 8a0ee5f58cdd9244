"""Every page in each language, in a real browser: it draws without errors, its charts have marks, a title and a
text alternative, its headline figures equal the fact base, nothing is requested off the machine, the language
is declared, axe-core finds no serious or critical violation, and a full-page screenshot is kept."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from metrics.catalog import text

from . import browser as b
from .expected import HTML_LANG, LANGS, PAGES, PageSpec, figure_label, figure_values, headlines, printed_notes

pytestmark = pytest.mark.browser

VIEWS = [pytest.param(spec, lang, id=f"{spec.name}-{lang}") for spec in PAGES for lang in LANGS]


def expected_title(ds, spec: PageSpec, lang: str) -> str:
    if spec.name == "overview":
        return text("app.title", lang)
    if spec.name in ("data", "compare"):
        return text(f"nav.{spec.name}", lang)
    return ds["cases"].set_index("case_id").at[spec.name, f"title_{lang}"]


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_page_draws_without_errors(visit, ds, spec, lang):
    seen = visit(spec, lang)
    assert seen.problems == {"exceptions": [], "errors": [], "warnings": []}, f"{seen.url}: {seen.problems}"
    assert urlsplit(seen.final_url).path == spec.path, f"{seen.url} ended on {seen.final_url}"
    assert seen.headings == [expected_title(ds, spec, lang)], f"{seen.url}: page title in the wrong language?"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_charts_are_drawn(visit, spec, lang):
    seen = visit(spec, lang)
    assert len(seen.charts) == spec.charts, f"{seen.url}: {[c['key'] for c in seen.charts]}"
    for chart in seen.charts:
        assert chart["points"] > 0, f"{seen.url} {chart['key']}: the chart has no data"
        where = f"{seen.url} {chart['key']}"
        assert chart["marks"] == chart["points"], f"{where}: {chart['marks']} marks drawn for {chart['points']} points"
        assert chart["width"] > 200 and chart["height"] > 150, f"{where}: drawn at {chart['width']}×{chart['height']}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_charts_have_title_and_text_alternative(visit, spec, lang):
    seen = visit(spec, lang)
    summary = text("chart.summary", lang, summary="")
    for chart in seen.charts:
        where = f"{seen.url} {chart['key']}"
        assert chart["title"] and chart["title"] == chart["layout_title"], f"{where}: title {chart['title']!r}"
        assert chart["role"] == "figure" and chart["alt"].startswith(summary), f"{where}: text alternative {chart['alt']!r}"
        assert chart["alt"] in chart["caption"], f"{where}: the caption does not repeat the summary: {chart['caption']!r}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_date_axes_read_as_dates(visit, spec, lang):
    """Timelines label their axis with dates in the reader's language, never with times of day."""
    seen = visit(spec, lang)
    for chart in (c for c in seen.charts if c["x_type"] == "date"):
        times = [tick for tick in chart["x_ticks"] if re.search(r"\d:\d\d", tick)]
        assert not times, f"{seen.url} {chart['key']}: a date axis labelled with times of day: {chart['x_ticks']}"
        if lang == "zh":
            latin = [tick for tick in chart["x_ticks"] if re.search(r"[A-Za-z]", tick)]
            assert not latin, f"{seen.url} {chart['key']}: English month names on a Chinese page: {chart['x_ticks']}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_headline_figures_equal_the_fact_base(visit, ds, spec, lang):
    seen = visit(spec, lang)
    missing = [figure for figure in headlines(ds, spec.cases, lang) if figure not in seen.metrics]
    assert not missing, f"{seen.url}: headline figures not shown as (label, value): {missing}\nshown: {seen.metrics}"
    notes = printed_notes(ds, spec.cases, lang, "as_published")   # translated figures keep the printed one beneath
    wrong = {label: (seen.notes.get(label), note) for label, note in notes.items() if seen.notes.get(label) != note}
    assert not wrong, f"{seen.url}: (beneath the value, expected): {wrong}"
    if spec.name == "data":
        rows = text("data.shown", lang, shown=len(ds["facts"]), total=len(ds["facts"]))
        assert rows in seen.captions, f"{seen.url}: expected {rows!r} in {seen.captions}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_every_figure_shown_equals_the_fact_base(visit, ds, spec, lang):
    """Any metric naming a published figure or derived indicator shows exactly its value."""
    seen = visit(spec, lang)
    known = figure_values(ds, lang)
    checked, wrong = 0, []
    for label, value in seen.metrics:
        figure = figure_label(label, known, lang)
        if figure is None:
            continue
        checked += 1
        if value not in known[figure]:
            wrong.append((label, value, sorted(known[figure])))
    assert not wrong, f"{seen.url}: (label, shown, expected): {wrong}"
    assert checked >= len(headlines(ds, spec.cases, lang)), f"{seen.url}: only {checked} figures found"


def test_unit_switch_in_the_url(visit, ds):
    """?unit=万元 shows every money headline in 万元, and the figure as printed stays visible beneath it.
    (亿元 is covered by test_view_link; English shows compact CNY whatever the unit.)"""
    unit = "万元"
    spec = PageSpec("overview", "/", PAGES[0].charts, PAGES[0].cases, query={"unit": unit})
    seen = visit(spec, "zh", shoot=False)
    missing = [f for f in headlines(ds, spec.cases, "zh", unit) if f not in seen.metrics]
    assert not missing, f"{seen.url}: not shown in {unit}: {missing}\nshown: {seen.metrics}"
    notes = printed_notes(ds, spec.cases, "zh", unit)
    assert notes, "no headline changes with the unit: pick another unit"
    wrong = {label: seen.notes.get(label) for label, note in notes.items() if seen.notes.get(label) != note}
    assert not wrong, f"{seen.url}: the as-printed figure is not beneath the converted one: {wrong}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_nothing_is_cut_off(visit, spec, lang):
    """Headline values and chart titles are seen whole at a 1400 px wide window."""
    seen = visit(spec, lang)
    assert seen.cut_off == {"metric_values": [], "chart_titles": []}, f"{seen.url}: cut off: {seen.cut_off}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_no_request_leaves_the_machine(visit, spec, lang):
    seen = visit(spec, lang)
    off = sorted({url for url in seen.requests if not b.is_local(url)})
    assert not off, f"{seen.url} made requests off this machine: {off}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_page_declares_its_language(visit, spec, lang):
    seen = visit(spec, lang)
    assert seen.html_lang == HTML_LANG[lang], f"{seen.url}: <html lang={seen.html_lang!r}>, content is {lang}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_no_serious_accessibility_violations(axe_ready, visit, spec, lang):
    seen = visit(spec, lang)
    report = "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    {n['html']}\n      {n['summary']}" for n in v["nodes"][:5]) for v in seen.axe)
    assert not seen.axe, f"{seen.url}: axe-core {len(seen.axe)} serious/critical violations:\n{report}"


@pytest.mark.parametrize("spec, lang", VIEWS)
def test_full_page_screenshot(visit, spec, lang):
    seen = visit(spec, lang)
    png = seen.screenshot.read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == b.VIEWPORT["width"], seen.screenshot
    assert height >= b.VIEWPORT["height"], f"{seen.screenshot}: {width}×{height}"
