"""AppTest over every page, in both languages: no exception, the expected charts, headline figures equal to the
fact base, every figure's source one hover away, calculators that compute the right numbers."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from metrics import calculators, compare, numbers, views
from metrics.catalog import text
from metrics.store import load

from .conftest import PAGES, open_page
from .support.blocks import calculator
from .support.blocks import chart_titles as layout_chart_titles

DATA = load(Path(__file__).resolve().parent.parent / "data")
FACTS = DATA["facts"].set_index("fact_id", drop=False)
LANGS = ("zh", "en")

EXPECTED_CHARTS = {  # page → catalog keys of chart titles that must be on it (case pages: what their layout declares)
    "pages/overview.py": ["overview.timeline.title"],
    "pages/data.py": [],
}
CASE_OF_PAGE = {"xiangtan": "xiangtan", "heilongjiang": "heilongjiang",
                "fangchenggang": "fangchenggang"}


def chart_titles(at) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def unescaped(markdown: str) -> str:
    """Markdown as the reader sees it (blocks escape every text they draw)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def metric_values(at) -> list[str]:
    return [metric.value for metric in at.metric]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_its_charts(page, lang):
    at = open_page(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    titles = chart_titles(at)
    expected = ([text(key, lang) for key in EXPECTED_CHARTS[page]] if page in EXPECTED_CHARTS
                else layout_chart_titles(DATA.tables, page, lang))
    assert expected or page == "pages/data.py"
    for title in expected:
        assert any(shown.startswith(title) for shown in titles), (title, titles)
    # No chart offers plotly.js's "Share chart" button, which would post the figure to Plotly's cloud.
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    assert all(config["showSendToCloud"] is False for config in configs), configs


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page,case_id", list(CASE_OF_PAGE.items()))
def test_headline_figures_equal_the_fact_base(page, case_id, lang):
    at = open_page(page, lang=lang)
    shown = metric_values(at)
    headline = FACTS[(FACTS["case_id"] == case_id) & FACTS["headline"]]
    assert len(headline) >= 3
    for _, row in headline.iterrows():
        assert views.fact_display(row, lang) in shown, (row["fact_id"], shown)


def featured_by_family(per_family: int) -> dict[str, list[str]]:
    cases = DATA["cases"]
    return {family: ids[:per_family] for family, ids in cases.groupby("family", sort=False)["case_id"].agg(list).items()}


@pytest.mark.parametrize("lang", LANGS)
def test_overview_cards_show_every_headline_figure(lang):
    shown = metric_values(open_page("pages/overview.py", lang=lang))
    featured = [c for ids in featured_by_family(compare.CASES_PER_FAMILY).values() for c in ids]
    for _, row in FACTS[FACTS["headline"] & FACTS["case_id"].isin(featured)].iterrows():
        assert views.fact_display(row, lang) in shown, row["fact_id"]


def test_every_published_metric_carries_its_quote():
    at = open_page("fangchenggang")
    by_value = {views.fact_display(row, "zh"): row for _, row in FACTS[FACTS["case_id"] == "fangchenggang"].iterrows()}
    checked = 0
    for metric in at.metric:
        row = by_value.get(metric.value)
        if row is not None and text("fig.derived", "zh") not in (metric.proto.delta or ""):
            assert row["fact_id"] in metric.proto.help.replace("\\", "")
            checked += 1
    assert checked >= 10


def test_derived_metrics_say_so_and_show_the_formula():
    at = open_page("heilongjiang", lang="en")
    derived = [m for m in at.metric if m.proto.delta == text("fig.derived", "en")]
    assert len(derived) >= 5
    assert all("Computed as" in m.proto.help for m in derived)


@pytest.mark.parametrize("unit,expected", [("万元", "818,600万元"), ("亿元", "81.86亿元"), ("元", "8,186,000,000元")])
def test_unit_switch_converts_money(unit, expected):
    assert expected in metric_values(open_page("xiangtan", unit=unit))


def fee_expectation(loan_wan: float, years: float, lang: str) -> list[str]:
    rate = FACTS.at["hlj_guarantee_fee_rate", "value_base"]
    threshold = FACTS.at["hlj_fee_waiver_threshold", "value_base"]
    fee = calculators.guarantee_fee(loan_wan * 1e4, years, rate, threshold)
    return [numbers.money(v, lang, "元") for v in (fee.fee, fee.paid_by_firm, fee.paid_by_government)]


@pytest.mark.parametrize("loan,term,waived", [(300, 1, True), (500, 1, True), (500.01, 1, False), (600, 2, False),
                                              (0, 1, True), (1_000_000, 30, False)])
@pytest.mark.parametrize("lang", LANGS)
def test_guarantee_fee_calculator(loan, term, waived, lang):
    at = open_page("heilongjiang", lang=lang, loan=str(loan), term=str(term))
    shown = metric_values(at)
    for value in fee_expectation(loan, term, lang):
        assert value in shown, (value, shown)
    message = text("calc.guarantee_fee.waived" if waived else "calc.guarantee_fee.not_waived", lang, threshold=views.fact_display(
        FACTS.loc["hlj_fee_waiver_threshold"], lang))
    assert message in [unescaped(s.value) for s in at.success]


def test_fee_calculator_responds_to_typing():
    at = open_page("heilongjiang")
    at.number_input(key="loan").set_value(800.0).run()
    assert fee_expectation(800, 1, "zh")[1] in metric_values(at)


@pytest.mark.parametrize("npl", [0, 1000, 12345.5])
def test_risk_sharing_split_follows_7_2_1(npl):
    at = open_page("heilongjiang", npl=str(npl))
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if json.loads(c.proto.spec)["layout"]["title"]["text"] == calculator(DATA.tables, "heilongjiang", "risk", "zh")["title"])
    texts = [trace["text"][0] for trace in spec["data"]]
    expected = [numbers.auto_money(npl * 1e4 * part / 10, "exact", "zh") for part in (7, 2, 1)]
    assert texts == expected


def test_absurd_calculator_inputs_fall_back_with_a_message():
    at = open_page("heilongjiang", loan="-5", npl="1e308", term="abc")
    assert not at.exception
    notice = [c.value for c in at.caption if c.value.startswith(text("link.ignored", "zh", params="")[:10])]
    assert notice and all(key in notice[0] for key in ("loan", "npl", "term"))
    assert at.number_input(key="loan").value == 300.0


@pytest.mark.parametrize("params,rows", [
    ({"case": "xiangtan"}, int((DATA["facts"]["case_id"] == "xiangtan").sum())),
    ({"case": ["xiangtan", "heilongjiang"], "kind": "target"}, int(DATA["facts"]["kind"].eq("target").sum())),
    ({"case": "xiangtan", "q": "公物仓"}, int(DATA["facts"]["scope_zh"].eq("市级公物仓").sum())),  # its warehouse's four
])
def test_data_page_filters(params, rows):
    at = open_page("pages/data.py", **params)
    assert text("data.shown", "zh", shown=rows, total=len(DATA["facts"])) in [c.value for c in at.caption]


def test_article_tab_marks_every_figure():
    at = open_page("pages/data.py", tab="article")
    marked = " ".join(m.value for m in at.markdown)
    assert marked.count(":orange-background[") == len(FACTS)


# --- A page's size does not grow with the fact base -----------------------------------------------------------------
def test_overview_is_organised_by_family_with_few_cards_each(monkeypatch):
    monkeypatch.setattr(compare, "CASES_PER_FAMILY", 1)
    at = open_page("pages/overview.py", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    families, _ = compare.lists()
    cases = DATA["cases"]
    in_data = [f for f in families if f in set(cases["family"])]
    assert [h.value for h in at.header][:len(in_data)] == [families[f].name_en for f in in_data]
    featured = featured_by_family(1)
    names = cases.set_index("case_id")["short_en"]
    cards = [s.value for s in at.subheader if s.value in names.tolist()]
    assert cards == [names[c] for f in in_data for c in featured[f]]
    listed = [link.proto.label for link in at.get("page_link")]
    assert all(names[c] in listed for c in cases["case_id"] if names[c] not in cards), listed
    sizes = [int((cases["family"] == f).sum()) for f in in_data]
    expected = [text("overview.family.more", "en", n=n - 1) for n in sizes if n > 1]
    assert [c.value for c in at.caption if c.value in expected] == expected


def test_overview_puts_no_unlike_measures_side_by_side():
    """Every chart but the timeline is one comparable indicator, its values sharing a kind of period and of figure."""
    at = open_page("pages/overview.py", lang="zh")
    titles = chart_titles(at)
    families, codes = compare.lists()
    allowed = {b.chart_title for s in compare.family_sections(DATA["facts"], DATA["cases"], DATA["sources"], "zh")
               for b in s.blocks}
    assert set(titles) - {text("overview.timeline.title", "zh")} <= allowed
    assert text("overview.per_beneficiary.title", "zh") not in titles


def test_data_page_sends_one_page_of_rows_at_a_time(monkeypatch):
    monkeypatch.setattr(views, "TABLE_PAGE_ROWS", 20)
    n = len(DATA["facts"])
    at = open_page("pages/data.py", lang="en")
    picker = at.number_input(key="page_facts")
    assert (picker.max, len(at.dataframe[0].value)) == (-(-n // 20), 20)
    last_page = int(picker.max)
    picker.set_value(last_page).run()
    assert len(at.dataframe[0].value) == n - 20 * (last_page - 1)
    assert at.dataframe[0].value.iloc[-1]["fact_id"] == DATA["facts"]["fact_id"].iloc[-1]
    assert text("data.page.rows", "en", size=20, first=20 * (last_page - 1) + 1, last=n, shown=n) in [
        c.value for c in at.caption]
    at.multiselect(key="case").set_value(["xiangtan"]).run()
    at.text_input(key="q").set_value("公物仓").run()   # Xiangtan's four warehouse rows: one page, no picker
    assert not at.exception and len(at.dataframe[0].value) == 4
    assert not [w for w in at.number_input if w.key == "page_facts"]


def test_overview_charts_keep_the_largest_per_case_and_say_so(monkeypatch):
    monkeypatch.setattr(views, "PER_CASE", 2)
    at = open_page("pages/overview.py", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert text("overview.capped", "en", n=2) in [c.value for c in at.caption]
    timeline = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                    if json.loads(c.proto.spec)["layout"]["title"]["text"] == text("overview.timeline.title", "en"))
    featured = [c for ids in featured_by_family(compare.CASES_PER_FAMILY).values() for c in ids]
    per_case = DATA["events"][DATA["events"]["case_id"].isin(featured)].groupby("case_id").size()
    assert sorted(len(trace["y"]) for trace in timeline["data"]) == sorted(min(2, n) for n in per_case)


def test_overview_shows_every_figure_when_no_case_exceeds_the_cap():
    at = open_page("pages/overview.py", lang="en")
    assert text("overview.capped", "en", n=views.PER_CASE) not in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", LANGS)
def test_pre_encoded_figures_send_exactly_the_built_figure(lang):
    import plotly.io as pio

    from metrics import charts as chart_specs
    from metrics.charts import ChartSpec
    from ui import charts

    specs = [ChartSpec("money_log", "bar", views.money_facts(DATA["facts"], DATA["cases"], lang), "t", color="case",
                       log=True, unit="元"),
             ChartSpec("timeline", "timeline", views.timeline(DATA["events"], DATA["cases"], lang, "2024"), "t")]
    for spec in specs:
        built = chart_specs.build(chart_specs.scaled(spec, lang))
        assert json.loads(pio.to_json(charts.pre_encoded(built))) == json.loads(pio.to_json(built)), spec.chart_id


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_filters_speak_the_page_language(lang):
    at = open_page("pages/data.py", lang=lang)
    assert [at.multiselect(key=key).proto.placeholder for key in ("case", "kind")] == [text("data.filter.all", lang)] * 2


@pytest.mark.parametrize("labels,cases,expected", [
    (["a", "b"], ["X", "Y"], ["a", "b"]),                                  # unique: unchanged
    (["a", "a", "b"], ["X", "Y", "X"], ["a · X", "a · Y", "b"]),           # shared across cases: the case added
    (["a", "a", "a"], ["X", "X", "Y"], ["a · X (1)", "a · X (2)", "a · Y"]),  # repeated within a case: numbered
])
def test_chart_labels_never_merge_two_bars(labels, cases, expected):
    assert views.distinct_labels(labels, cases) == expected


def test_money_chart_keeps_a_bar_per_figure_when_two_cases_share_a_label():
    facts = DATA["facts"].copy()
    money = facts["base_unit"].eq("CNY")
    facts.loc[money, "indicator_en"] = "Same name"
    rows = views.money_facts(facts, DATA["cases"], "en")
    assert rows["label"].is_unique and len(rows) == int(money.sum())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case_id", DATA["cases"]["case_id"].tolist())
def test_every_case_page_renders_what_its_layout_declares(case_id, lang):
    """Every case in the data, seed or not, gets the one case page: no exception, its title, every declared chart."""
    at = open_page(case_id, lang=lang)
    assert not at.exception and not at.error, ([e.value for e in at.exception], [e.value for e in at.error])
    assert [t.value for t in at.title] == [DATA["cases"].set_index("case_id").at[case_id, f"title_{lang}"]]
    titles = chart_titles(at)
    assert all(any(shown.startswith(title) for shown in titles) for title in layout_chart_titles(DATA.tables, case_id, lang))


def test_every_chinese_modebar_label_is_one_plotly_js_uses():
    """A key plotly.js no longer uses (its "png" became "PNG") leaves that tooltip in English on Chinese pages."""
    import plotly

    from metrics.charts import MODEBAR_ZH
    bundled = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    unused = [key for key in MODEBAR_ZH if f'"{key}"' not in bundled and f"`{key}`" not in bundled]
    assert unused == []
