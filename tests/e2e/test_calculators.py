"""The 双稳基金 calculators respond to a reader's typing, with the values the published parameters imply:
the fee waiver boundary (inclusive threshold), the 7:2:1 loss split, the fund's exposure at a default rate."""
from __future__ import annotations

import re

import pytest

from metrics.catalog import text

from . import browser as b
from . import expected as e

pytestmark = pytest.mark.browser

HLJ = next(spec for spec in e.PAGES if spec.name == "heilongjiang")


@pytest.fixture(scope="module")
def hlj_pages(browser, app_url, ds):
    """One /heilongjiang tab per language, shared by this module's tests: each drives a different input."""
    opened = {}

    def get(lang: str):
        if lang not in opened:
            context = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN")
            requests = b.Requests().attach(context)
            page = b.open_page(context, b.page_url(app_url, HLJ.path, {"lang": lang} if lang != "zh" else None),
                               e.footer_marker(ds, lang), HLJ.charts)
            opened[lang] = (page, lang, requests)
        return opened[lang]
    yield get
    for page, _, _ in opened.values():
        page.context.close()


@pytest.fixture
def hlj_page(hlj_pages, request):
    return hlj_pages(request.param)


def chart(page, key: str) -> dict:
    found = [c for c in b.charts(page) if c["key"] == key]
    assert found, f"no chart {key} on {page.url}: {[c['key'] for c in b.charts(page)]}"
    return found[0]


@pytest.mark.parametrize("hlj_page", e.LANGS, indirect=True, ids=e.LANGS)
def test_fee_waiver_boundary(hlj_page, ds):
    """Loans up to the threshold (含, inclusive) are waived; one step above is not. Fees follow rate × amount × term."""
    page, lang, requests = hlj_page
    threshold = e.threshold_wan(ds)
    for loan in (threshold + 100, threshold, threshold - 50):
        b.set_number(page, e.input_label(ds, "fee", "loan", lang), loan)
        want = e.fee(ds, lang, loan)
        verdict = page.locator('[data-testid="stAlertContentSuccess"] [data-testid="stMarkdownContainer"]')
        b.expect_text(verdict, want["verdict"])
        for label in (text(f"calc.guarantee_fee.{name}", lang) for name in ("fee", "firm", "subsidy")):
            b.expect_text(b.metric_value(page, label), want[label])
        b.expect_url(page, re.compile(rf"[?&]loan={loan:g}(&|$)"))
        b.wait_ready(page, e.footer_marker(ds, lang), HLJ.charts)
    requests.assert_offline()


@pytest.mark.parametrize("hlj_page", e.LANGS, indirect=True, ids=e.LANGS)
def test_risk_split_follows_the_npl_amount(hlj_page, ds):
    page, lang, requests = hlj_page
    for npl in (2000, 37.5):
        b.set_number(page, e.input_label(ds, "risk", "loss", lang), npl)
        split, summary = e.risk_split(ds, lang, npl)
        caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').filter(has_text=summary)
        b.expect_text(caption, re.compile(re.escape(summary)))
        b.wait_ready(page, e.footer_marker(ds, lang), HLJ.charts)

        def drawn_as_computed(drawn: dict, split=split) -> bool:
            amounts = e.in_axis_unit(list(split.values()), drawn["x_title"], lang)
            return b.close([x for xs in drawn["x"] for x in xs], amounts)
        drawn = b.poll(page, lambda: chart(page, "chart_hlj_risk_split"), drawn_as_computed)   # plotly redraws async
        assert drawn["names"] == list(split), drawn
        assert drawn_as_computed(drawn), drawn
        assert drawn["alt"] == summary
    requests.assert_offline()


@pytest.mark.parametrize("hlj_page", e.LANGS, indirect=True, ids=e.LANGS)
def test_fund_exposure_follows_the_default_rate(hlj_page, ds):
    page, lang, requests = hlj_page
    slider = page.get_by_role("slider", name=e.input_label(ds, "exposure", "rate", lang))
    start = float(slider.input_value())
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")     # +0.5 percentage points each
    rate = start + 1.5
    b.expect_url(page, re.compile(rf"[?&]rate={rate:g}(&|$)"))
    b.wait_ready(page, e.footer_marker(ds, lang), HLJ.charts)
    exposure = list(e.fund_exposure(ds, lang, rate).values())

    def drawn_as_computed(drawn: dict) -> bool:
        return bool(drawn["x"]) and b.close(drawn["x"][0], e.in_axis_unit(exposure, drawn["x_title"], lang))
    drawn = b.poll(page, lambda: chart(page, "chart_hlj_exposure"), drawn_as_computed)   # plotly redraws async
    assert drawn_as_computed(drawn), drawn
    requests.assert_offline()
