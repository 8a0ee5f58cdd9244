"""A new case study added with no code change: a source file and its document dropped into the sources, one build,
and the case appears in navigation, on its own generic page, in the overview and on the data page."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import build, views
from metrics.store import load

from .conftest import ROOT, open_page

ARTICLE = """ 浙江某市：
试点财政资金直达机制
某市财政局

2023 年，全市累计下达直达资金 12.5 亿元，
惠及市场主体 3400 余家。
截至目前，共建成服务平台 3 个。
"""
ARTICLE_META = """source_id: "900_synthetic"
title_zh: 合成测试文章
title_en: Synthetic test article
column_zh: 测试
column_en: Test
published: "2023"
licence_zh: 测试数据。
licence_en: Test data.
furniture: []
current_as_of: "2023"
"""
CASE = """case:
  case_id: testcity
  family: tax_trade
  source_id: "900_synthetic"
  title_zh: 浙江某市：试点财政资金直达机制
  title_en: "A city in Zhejiang: piloting direct fiscal transfers"
  short_zh: 某市 · 直达资金
  short_en: Test city · Direct funds
  headline: [tc_direct_funds_2023, tc_entities_2023]
  locality_zh: 浙江省某市
  locality_en: A city, Zhejiang
  province_zh: 浙江省
  province_en: Zhejiang
  division_code: "330100"
  author_zh: 某市财政局
  author_en: Municipal Bureau of Finance
facts:
  - {fact_id: tc_direct_funds_2023, indicator_zh: 累计下达直达资金, indicator_en: Direct funds allocated, scope_zh: 全市,
     scope_en: city-wide, period: "2023", kind: cumulative, printed: "12.5", value: 12.5, unit: 亿元, qualifier: exact,
     quote: 2023年，全市累计下达直达资金12.5亿元}
  - {fact_id: tc_entities_2023, indicator_zh: 惠及市场主体, indicator_en: Market entities reached, scope_zh: 全市,
     scope_en: city-wide, period: "2023", kind: actual, printed: "3400", value: 3400, unit: 家, qualifier: at_least,
     quote: 惠及市场主体3400余家}
  - {fact_id: tc_platforms, indicator_zh: 建成服务平台, indicator_en: Service platforms built, scope_zh: 全市,
     scope_en: city-wide, period: current, kind: count, printed: "3", value: 3, unit: 个, qualifier: exact,
     quote: 截至目前，共建成服务平台3个}
events:
  - {event_id: tc_year_2023, date: "2023", label_zh: 直达资金下达, label_en: Direct funds allocated, quote: 2023年，全市累计下达直达资金}
practices:
  - {practice_id: tc_direct_mechanism, name_zh: 财政资金直达机制, name_en: Direct fiscal transfer mechanism, model_zh: 直达,
     model_en: direct transfer, applied_to_zh: 市场主体, applied_to_en: market entities, result_fact_ids: [tc_entities_2023],
     quote: 试点财政资金直达机制}
"""


@pytest.fixture
def data_with_new_case(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(ROOT / "data" / "sources", tmp_path / "sources")
    (tmp_path / "sources/articles/900_synthetic.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources/articles/900_synthetic.yaml").write_text(ARTICLE_META, encoding="utf-8")
    (tmp_path / "sources/cases/testcity.yaml").write_text(CASE, encoding="utf-8")
    assert build.main(["--data-dir", str(tmp_path)]) == 0
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


def test_new_case_is_built_as_its_own_dataset(data_with_new_case):
    dataset = load(data_with_new_case)
    assert dataset.problems == [] and "testcity" in dataset.case_ids()
    assert (data_with_new_case / "testcity" / "facts.parquet").exists()
    facts = dataset["facts"].set_index("fact_id")
    assert facts.at["tc_entities_2023", "qualifier"] == "at_least"


def test_new_case_appears_in_navigation_and_overview(data_with_new_case):
    at = open_page("pages/overview.py", lang="en")
    assert not at.exception
    # its family's section shows it as a card (with its headline) or, when the family already has its cards, in the list
    cards = [s.value for s in at.subheader]
    listed = [link.proto.label for link in at.get("page_link")]
    assert "Test city · Direct funds" in cards + listed
    if "Test city · Direct funds" in cards:
        facts = load(data_with_new_case)["facts"].set_index("fact_id", drop=False)
        assert views.fact_display(facts.loc["tc_direct_funds_2023"], "en") in [m.value for m in at.metric]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generic_case_page(data_with_new_case, lang):
    at = open_page("testcity", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    facts = load(data_with_new_case)["facts"].set_index("fact_id", drop=False)
    shown = [m.value for m in at.metric]
    for fact_id in ("tc_direct_funds_2023", "tc_entities_2023"):
        assert views.fact_display(facts.loc[fact_id], lang) in shown
    assert at.get("plotly_chart"), "money chart and timeline expected"
    assert len(at.dataframe) >= 2  # all figures by kind, timeline, practices


def test_new_case_on_the_data_page(data_with_new_case):
    at = open_page("pages/data.py", case="testcity")
    assert not at.exception
    total = len(load(data_with_new_case)["facts"])   # every case's figures, the new case's three among them
    assert f"显示 3 / {total} 行" in [c.value for c in at.caption]
