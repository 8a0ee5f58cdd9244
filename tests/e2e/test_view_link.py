"""The "Link to this view" URL in the footer, opened in a fresh browser (no cookies, no session), shows the same
language, inputs and numbers."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from metrics.catalog import text

from . import browser as b
from . import expected as e

pytestmark = pytest.mark.browser

SPECS = {spec.name: spec for spec in e.PAGES}
# (page, language, query as a reader set it): the link must carry every one of these.
VIEWS = [
    pytest.param("heilongjiang", "zh", {"loan": "600", "npl": "500", "term": "2", "rate": "5", "unit": "亿元"},
                 id="heilongjiang-inputs-unit-zh"),
    pytest.param("data", "en", {"case": ["xiangtan", "heilongjiang"], "kind": ["count"], "q": "warehouse", "tab": "events"},
                 id="data-filters-en"),
]


def open_view(fresh_context, url: str, ds, spec: e.PageSpec, lang: str):
    context, requests = fresh_context()
    return b.open_page(context, url, e.footer_marker(ds, lang), spec.charts, spec.selector), requests


def seen(page) -> dict:
    return {"metrics": b.metrics(page), "inputs": b.inputs(page), "captions": b.captions(page),
            "charts": [(c["key"], c["alt"], c["x"]) for c in b.charts(page)], "lang": b.html_lang(page)}


@pytest.mark.parametrize("name, lang, query", VIEWS)
def test_link_reproduces_the_view(fresh_context, app_url, ds, name, lang, query):
    spec = SPECS[name]
    first, first_requests = open_view(fresh_context, b.page_url(app_url, spec.path, {**query, "lang": lang}), ds, spec, lang)
    before = seen(first)   # before the link box is opened (it adds a caption)
    link = b.view_link(first, text("link.title", lang))

    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/") == (app_url + spec.path).rstrip("/"), link
    carried = parse_qs(parts.query)
    for key, value in query.items():
        assert carried.get(key) == (value if isinstance(value, list) else [value]), f"{link} lost {key}={value}"
    assert carried.get("v") == [ds.data_version], f"{link}: no data version"
    assert carried.get("lang", ["zh"]) == [lang], link

    second, second_requests = open_view(fresh_context, link, ds, spec, lang)
    after = seen(second)
    for aspect in before:
        assert after[aspect] == before[aspect], f"{link} shows different {aspect}:\n{after[aspect]}\n!=\n{before[aspect]}"
    assert b.view_link(second, text("link.title", lang)) == link, "the reopened view links to itself"
    assert not b.problems(second)["warnings"], "a link made from the current data must not be called stale"
    CHECKS[name](second, ds, lang)
    first_requests.assert_offline()
    second_requests.assert_offline()


def heilongjiang_values(page, ds, lang: str) -> None:
    """loan=600 npl=500 term=2 rate=5 drive the calculators to what the published parameters imply; unit=亿元 shows
    the published money figures in 亿元."""
    shown = b.inputs(page)
    assert shown["selects"] == [text("app.unit.亿元", lang)]
    missing = [f for f in e.headlines(ds, ("heilongjiang",), lang, "亿元") if f not in b.metrics(page)]
    assert not missing, f"not shown in 亿元: {missing}"
    numbers = {label: float(value) for label, value in shown["numbers"].items()}
    assert numbers == {e.input_label(ds, "risk", "loss", lang): 500, e.input_label(ds, "fee", "loan", lang): 600,
                       e.input_label(ds, "fee", "term", lang): 2}
    assert [float(v) for v in shown["sliders"]] == [5]
    fee = e.fee(ds, lang, 600, years=2)
    assert not fee["waived"]
    for label in (text(f"calc.guarantee_fee.{name}", lang) for name in ("fee", "firm", "subsidy")):
        assert b.metric_value(page, label).inner_text() == fee[label]
    drawn = {c["key"]: c for c in b.charts(page)}
    assert drawn["chart_hlj_risk_split"]["alt"] == e.risk_split(ds, lang, 500)[1]
    exposure = drawn["chart_hlj_exposure"]
    yuan = list(e.fund_exposure(ds, lang, 5).values())
    assert exposure["x"][0] == pytest.approx(e.in_axis_unit(yuan, exposure["x_title"], lang))


def data_filters(page, ds, lang: str) -> None:
    shown = b.inputs(page)
    names = ds["cases"].set_index("case_id")[f"short_{lang}"]
    assert shown["chosen"] == [[names["xiangtan"], names["heilongjiang"]], [text("kind.count", lang)]]
    assert shown["search"] == ["warehouse"]
    assert shown["tab"] == [text("data.tab.events", lang)]


CHECKS = {"heilongjiang": heilongjiang_values, "data": data_filters}
