"""Right with many articles: a fact base built from three articles (the seed article and two synthetic ones,
written in 2017 and 2025), every page rendered, and the faults one article hid checked on each:

- "as of now" (period ``current``) is dated by each figure's own article;
- chart captions and the footer name only the sources of what they show;
- counts in prose come from the data;
- every number keeps its printed precision (0.64% stays 0.64%, 0.12% stays 0.12%) on cards, tables, chart texts
  and the practices table, which also shows each result as published.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from metrics import build
from metrics.catalog import text
from metrics.store import load

from .conftest import ROOT, open_page

ARTICLES = {  # source_id → (text, current_as_of, title_zh, title_en)
    "901_alpha_2017": ("""甲市：
担保费率降至 0.64%
甲市财政局

截至目前，全市担保费率降至 0.64% ，
累计担保金额 1.25 亿元，服务企业 321 家。
""", "2017", "甲市担保降费（合成）", "Alpha city guarantee fees (synthetic)"),
    "902_beta_2025": ("""乙市：
贷款不良率 0.12%
乙市财政局

截至目前，全市贷款不良率为 0.12% ，
风险补偿资金 3.5 亿元。
""", "2025", "乙市风险补偿（合成）", "Beta city risk compensation (synthetic)"),
}
META = """source_id: "{sid}"
title_zh: {title_zh}
title_en: "{title_en}"
column_zh: 测试
column_en: Test
published: "{asof}"
licence_zh: 合成测试数据{n}。
licence_en: Synthetic test data {n}.
furniture: []
current_as_of: "{asof}"
"""
CASES = {
    "alpha": ("901_alpha_2017", "al", [
        ("al_fee_rate", "担保费率", "Guarantee fee rate", "current", "policy_parameter", "0.64", "%",
         "截至目前，全市担保费率降至0.64%"),
        ("al_amount", "累计担保金额", "Guaranteed amount, cumulative", "current", "cumulative", "1.25", "亿元",
         "累计担保金额1.25亿元"),
        ("al_firms", "服务企业", "Firms served", "current", "count", "321", "家", "服务企业321家"),
    ]),
    "beta": ("902_beta_2025", "bt", [
        ("bt_npl_rate", "贷款不良率", "Non-performing loan rate", "current", "actual", "0.12", "%",
         "截至目前，全市贷款不良率为0.12%"),
        ("bt_fund", "风险补偿资金", "Risk compensation fund", "current", "stock", "3.5", "亿元", "风险补偿资金3.5亿元"),
    ]),
}


def case_file(case_id: str, source_id: str, prefix: str, facts: list[tuple]) -> str:
    rows = "\n".join(
        f"  - {{fact_id: {fid}, indicator_zh: {zh}, indicator_en: \"{en}\", scope_zh: 全市, scope_en: city-wide, "
        f"period: {period}, kind: {kind}, printed: \"{printed}\", value: {float(printed)}, unit: \"{unit}\", "
        f"qualifier: exact, quote: \"{quote}\"}}" for fid, zh, en, period, kind, printed, unit, quote in facts)
    return f"""case:
  case_id: {case_id}
  source_id: "{source_id}"
  title_zh: {case_id}市案例
  title_en: "{case_id.title()} city"
  short_zh: {case_id}市
  short_en: "{case_id.title()}"
  headline: [{facts[0][0]}, {facts[1][0]}]
  locality_zh: 某省{case_id}市
  locality_en: "{case_id.title()}"
  province_zh: 某省
  province_en: A province
  division_code: "330100"
  author_zh: {case_id}市财政局
  author_en: "{case_id.title()} Bureau of Finance"
facts:
{rows}
events:
  - {{event_id: {prefix}_event, date: "{ARTICLES[source_id][1]}", label_zh: 实施, label_en: In force, quote: "{facts[0][7]}"}}
practices:
  - {{practice_id: {prefix}_practice, name_zh: 做法, name_en: Practice, model_zh: 模式, model_en: model, applied_to_zh: 企业,
     applied_to_en: firms, result_fact_ids: [{facts[0][0]}], quote: "{facts[0][7]}"}}
"""


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many") / "data"
    shutil.copytree(ROOT / "data" / "sources", folder / "sources")
    for n, (sid, (body, asof, title_zh, title_en)) in enumerate(ARTICLES.items(), start=2):
        (folder / f"sources/articles/{sid}.txt").write_text(body, encoding="utf-8")
        (folder / f"sources/articles/{sid}.yaml").write_text(
            META.format(sid=sid, title_zh=title_zh, title_en=title_en, asof=asof, n=n), encoding="utf-8")
    for case_id, (sid, prefix, facts) in CASES.items():
        (folder / f"sources/cases/{case_id}.yaml").write_text(case_file(case_id, sid, prefix, facts), encoding="utf-8")
    assert build.main(["--data-dir", str(folder)]) == 0
    return folder


@pytest.fixture
def data(many, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(many))
    return load(many)


def unescaped(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value or "")


def everything_shown(at) -> str:
    """Every text of a page: metrics (value, tooltip, note), captions, markdown, tables, chart texts."""
    parts = [f"{m.label} {m.value} {m.proto.help} {m.proto.delta}" for m in at.metric]
    parts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    parts += [table.value.to_csv() for table in at.dataframe]
    parts += [json.dumps(json.loads(c.proto.spec)["data"], ensure_ascii=False) for c in at.get("plotly_chart")]
    return unescaped("\n".join(parts))


PAGES = ["pages/overview.py", "xiangtan", "heilongjiang", "fangchenggang", "alpha", "beta", "pages/data.py"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(data, page, lang):
    at = open_page(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang,printed", [("zh", ["0.64%", "1.25亿元"]), ("en", ["0.64%"])])
def test_printed_precision_on_cards_tables_charts_and_practices(data, lang, printed):
    at = open_page("alpha", lang=lang)
    cards = [m.value for m in at.metric]
    assert "0.64%" in cards and (lang == "en" or "1.25亿元" in cards), cards
    tables = "\n".join(t.value.to_csv() for t in at.dataframe)
    assert "0.6%" not in tables and all(p in tables for p in printed)
    practices = next(t.value for t in at.dataframe if text("col.practice", lang) in t.value.columns)
    assert practices[text("col.result", lang)].str.contains("0.64%", regex=False).all()
    assert practices[text("col.as_published", lang)].tolist() == ["0.64%"]
    beta = open_page("beta", lang=lang)
    assert "0.12%" in [m.value for m in beta.metric] and "0.1%" not in [m.value for m in beta.metric]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_as_of_now_is_each_articles_own(data, lang):
    for case_id, year in (("alpha", "2017"), ("beta", "2025"), ("xiangtan", "2023")):
        shown = everything_shown(open_page(case_id, lang=lang))
        current = "截至目前（{}年）" if lang == "zh" else "as of writing ({})"
        assert current.format(year) in shown, (case_id, year)
        others = {"2017", "2025", "2023"} - {year}
        assert not [y for y in others if current.format(y) in shown], (case_id, others)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_captions_and_footer_name_only_their_sources(data, lang):
    titles = dict(zip(data["sources"]["source_id"], data["sources"][f"title_{lang}"]))
    for case_id in ("alpha", "beta", "heilongjiang"):
        own = data["cases"].set_index("case_id").at[case_id, "source_id"]
        at = open_page(case_id, lang=lang)
        captions = [unescaped(c.value) for c in at.caption if c.value.startswith(text("chart.caption", lang, source="", unit="", derived="")[:3])]
        assert captions, case_id
        for caption in captions:
            assert titles[own] in caption and not [t for s, t in titles.items() if s != own and t in caption], caption
        footer = unescaped(at.caption[-1].value)
        assert titles[own] in footer and not [t for s, t in titles.items() if s != own and t in footer], footer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_counts_in_prose_come_from_the_data(data, lang):
    at = open_page("pages/overview.py", lang=lang)
    n = len(data["cases"])
    assert n >= 5 and len(data["sources"]) >= 3
    about = text("overview.about.body", lang, facts=len(data["facts"]), events=len(data["events"]),
                 practices=len(data["practices"]), indicators=len(data["indicators"]), cases=n,
                 sources=len(data["sources"]))
    assert about in [unescaped(m.value) for m in at.markdown]
    assert "三个案例" not in everything_shown(at)
    pages = [info.get("help") for info in at._registered_pages.values()]
    assert text("nav.help.overview", lang, cases=n) in pages
