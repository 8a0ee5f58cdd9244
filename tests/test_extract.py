"""The figure extractor (metrics/extract.py): tricky strings, the seed article's score, the draft YAML.

Run from the repository root: ``python -m pytest tests/test_extract.py -q``.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from metrics.extract import draft_yaml, extract, extract_events, extract_facts, load_key, metadata_furniture, score
from metrics.source_text import normalize
from metrics.units import UNITS

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "sources" / "articles" / "000_91693168b2346fd9.txt"
# The seed article's curated case files: those whose case.source_id names it.
CASE_FILES = sorted(p for p in (ROOT / "data" / "sources" / "cases").glob("*.yaml")
                    if (yaml.safe_load(p.read_text(encoding="utf-8"))["case"] or {}).get("source_id") == ARTICLE.stem)


def triples(text: str) -> list[tuple[float, str, str]]:
    return [(f.value, f.unit, f.qualifier) for f in extract_facts(text)]


FIGURES = [
    # --- qualifiers: each marker beside a number
    ("130余万元", [(130, "万元", "at_least")]),
    ("170多笔", [(170, "笔", "at_least")]),
    ("1.97 亿多元", [(1.97, "亿元", "at_least")]),
    ("9000 多万元", [(9000, "万元", "at_least")]),
    ("459 多亿元", [(459, "亿元", "at_least")]),
    ("退税金额超 47 亿元", [(47, "亿元", "at_least")]),
    ("超过20家", [(20, "家", "at_least")]),
    ("170 亿元以上", [(170, "亿元", "at_least")]),
    ("突破1000笔", [(1000, "笔", "at_least")]),
    ("3%以下", [(3, "%", "at_most")]),
    ("5%以内", [(5, "%", "at_most")]),
    ("不超过200万元", [(200, "万元", "at_most")]),
    ("约5亿元", [(5, "亿元", "approx")]),
    ("近3000户", [(3000, "户", "approx")]),
    ("100亿元左右", [(100, "亿元", "approx")]),
    ("500万元（含）以下的", [(500, "万元", "exact")]),
    # --- numbers the typesetting split, and plain ones
    ("全市累计盘活“三资”81.86 亿元", [(81.86, "亿元", "exact")]),
    ("组织财政非税收入 130\n余万元", [(130, "万元", "at_least")]),
    ("合计203.12亿元", [(203.12, "亿元", "exact")]),
    ("全省发放担保贷款8,626笔", [(8626, "笔", "exact")]),
    ("年化担保费率按照0.5％收取", [(0.5, "%", "exact")]),
    ("同比分别增长 31.8% 和 45.8%", [(31.8, "%", "exact"), (45.8, "%", "exact")]),
    ("市财政局等 12 部门联合出台", [(12, "部门", "exact")]),
    # --- ratios: one fact per term, in 份
    ("三方以7:2:1的比例分担", [(3, "方", "exact"), (7, "份", "exact"), (2, "份", "exact"), (1, "份", "exact")]),
    # --- Chinese numerals with a measure word
    ("市长五次召开市长专题会", [(5, "次", "exact")]),
    ("以“六类资源、五类资产、两类资金”为重点领域", [(6, "类", "exact"), (5, "类", "exact"), (2, "类", "exact")]),
    ("用好“用、售、租、融”四字诀", [(4, "字", "exact")]),
    ("创造两个“最大”", [(2, "个", "exact")]),
    ("明确“三个区分开来”为干事者撑腰", [(3, "个", "exact")]),
    ("十二个部门", [(12, "个", "exact")]),
    # --- not figures
    ("一是建好一本账。二是坚持市场化。三是优化政策保障。", []),
    ("包装、推介第一批示范项目", []),
    ("搭建广西首个面向东盟的平台，成功办理首笔业务", []),
    ("第3批", []),
    ("构建国有“三资”一本账，兜牢基层“三保”底线", []),
    ("注重“三结合两推动”", []),
    ("打造“一个屋顶”，采取“一月一调度”工作模式", []),
    ("黑龙江：实施“双稳基金”担保贷款风险补偿政策", []),
    ("一项重要政策", []),
    ("从四方面推进", []),
    ("数十家企业，两三家银行", []),
    ("2022年，全市", []),
    ("2022 年以来", []),
    ("《湘潭市 2022—2023 年“三资一本账预算大统筹”工作方案》", []),
    ("延长至2023年5月\n31日", []),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES, ids=[text for text, _ in FIGURES])
def test_figures(text, expected):
    assert triples(text) == [(float(v), u, q) for v, u, q in expected]


@settings(deadline=None)  # no timed unit tests: a loaded machine must not fail this (speed is in bench/)
@given(whole=st.integers(0, 10**6), cents=st.one_of(st.none(), st.integers(0, 99)),
       unit=st.sampled_from(sorted(UNITS)), breaks=st.lists(st.sampled_from([" ", "\n", "\u3000"]), max_size=6),
       where=st.randoms(use_true_random=False))
@example(whole=0, cents=None, unit="万个", breaks=[], where=random.Random(0))  # once found: 金额0万个
def test_any_number_with_any_unit_survives_typeset_breaks(whole, cents, unit, breaks, where):
    printed = f"{whole}" if cents is None else f"{whole}.{cents:02d}"
    chars = list(f"金额{printed}{unit}。")
    for brk in breaks:  # the typesetting may break anywhere; normalize must undo it
        chars.insert(where.randint(0, len(chars)), brk)
    # A bare 0 before a count (0条评论) is a page's counter, which the extractor drops on purpose (_blocked).
    counter = printed == "0" and UNITS[unit].family == "count"
    assert triples("".join(chars)) == ([] if counter else [(float(printed), unit, "exact")])


@pytest.mark.parametrize(("text", "printed"), [("市长五次召开", "五"), ("1.97 亿多元", "1.97"), ("8,626笔", "8,626")])
def test_printed_is_as_printed(text, printed):
    assert [f.printed for f in extract_facts(text)] == [printed]


DATES = [
    ("2022年，全市累计盘活", ["2022"]),
    ("2022 年以来，市委书记", ["2022/.."]),
    ("并于 2022 年 6 月启动虚拟仓建设", ["2022-06"]),
    ("延长至2023年5月\n31日", ["2023-05-31"]),
    ("《湘潭市2022—2023年工作方案》", ["2022/2023"]),
    ("2022年6月至2023年3月，帮助省内8900家企业", ["2022-06/2023-03"]),
    ("近年来，市长五次召开", []),
]


@pytest.mark.parametrize(("text", "dates"), DATES, ids=[text for text, _ in DATES])
def test_dates_are_events(text, dates):
    assert [e.date for e in extract_events(text)] == dates


KINDS_AND_PERIODS = [
    ("2022年，全市累计盘活“三资”81.86亿元。", "cumulative", "2022"),
    ("2022年6月至2023年3月，帮助省内8900家企业获得担保贷款支持。", "actual", "2022-06/2023-03"),
    ("截至目前，市本级纳入管理的国有“三资”总额3966亿元。", "stock", "current"),
    ("提出“2022年盘活处置闲置国有‘三资’80亿元”的目标任务。", "target", "2022"),
    ("同比分别增长31.8%。", "growth_rate", ""),
    ("年化担保费率按照0.5％收取。", "policy_parameter", ""),
    ("对担保贷款额500万元（含）以下的，给予担保费全额减免。", "threshold", ""),
    ("2022年以来，市长五次召开市长专题会。", "count", "2022/.."),
    ("即广西最大单笔增值税留抵退税金额17.35亿元。", "record", ""),
]


@pytest.mark.parametrize(("text", "kind", "period"), KINDS_AND_PERIODS, ids=[t for t, _, _ in KINDS_AND_PERIODS])
def test_kind_and_period_candidates(text, kind, period):
    [fact] = extract_facts(text)
    assert (fact.kind, fact.period) == (kind, period)


def test_quote_is_the_clause_around_the_number():
    facts = extract_facts("截至目前，其中国有资产 3039 亿元、国有资源 602\n亿元、财政资金 325 亿元。")
    assert [f.quote for f in facts] == ["其中国有资产3039亿元", "国有资源602亿元", "财政资金325亿元"]


@pytest.fixture(scope="module")
def seed():
    text = ARTICLE.read_text(encoding="utf-8")
    furniture = metadata_furniture(ARTICLE)
    return text, furniture, extract(text, furniture, case_id="seed")


def test_seed_article_scores_against_the_curated_case_files(seed):
    _, _, draft = seed
    assert len(CASE_FILES) == 3
    result = score(draft.facts, load_key(CASE_FILES))
    assert result.recall >= 0.98, result.missed
    assert result.precision >= 0.95, result.extra


def test_draft_yaml_parses_and_quotes_are_in_the_normalized_text(seed):
    text, furniture, draft = seed
    normalized = normalize(text, furniture)
    data = yaml.safe_load(draft_yaml(draft, "seed", ARTICLE.stem))
    assert data["case"]["case_id"] == "seed" and data["practices"] == []
    assert len(data["facts"]) == len(draft.facts) and data["events"]
    for fact in data["facts"]:
        assert fact["quote"] in normalized and fact["printed"] in fact["quote"], fact
        assert fact["indicator_en"] == fact["scope_zh"] == fact["scope_en"] == ""
        assert set(fact["indicator_zh"]) <= set(fact["quote"]), fact  # a proposed name uses words of its clause
    for event in data["events"]:
        assert event["quote"] in normalized, event
    named = [f for f in data["facts"] if f["indicator_zh"]]
    assert len(named) >= 0.9 * len(data["facts"]), [f["quote"] for f in data["facts"] if not f["indicator_zh"]]
    ids = [f["fact_id"] for f in data["facts"]]
    assert ids[0] == "seed_f001" and len(set(ids)) == len(ids)


def test_score_is_a_multiset_match():
    facts = extract_facts("三方以7:2:1的比例分担，另有2份")
    result = score(facts, [(2.0, "份", "exact"), (2.0, "份", "exact"), (9.0, "份", "exact")])
    assert (result.matched, result.key_total, result.extracted_total) == (2, 3, 5)


def test_command_line_writes_a_draft_and_scores(tmp_path, capsys):
    from metrics.extract import main
    out = tmp_path / "draft.yaml"
    assert main([str(ARTICLE), "--case-id", "seed", "--out", str(out), "--score", *map(str, CASE_FILES)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"]
    printed = capsys.readouterr().out
    assert "recall" in printed and "precision" in printed


# ---------------------------------------------------------------------------------------------- real-text classes
# Sentences in the style of copied web articles (ASCII punctuation, datelines, bare 亿), one table per failure class.

ASCII_AND_UNITS = [
    # a number right after an ASCII comma is a figure; the comma ends the clause
    ("截至6月底,全区共有融资担保机构9家,在保户数1,236户", [(9, "家", "exact"), (1236, "户", "exact")]),
    ("已盘活闲置房产12宗,土地资源3宗;处置车辆40台", [(12, "宗", "exact"), (3, "宗", "exact"), (40, "台", "exact")]),
    ("调剂办公家具318件(套),其中电脑56件（套）", [(318, "件(套)", "exact"), (56, "件(套)", "exact")]),
    ("累计撬动社会资本8.5亿,带动就业1200人", [(8.5, "亿", "exact"), (1200, "人", "exact")]),
    ("利用外资2.3亿美元", []),                       # 亿 before another currency is not 亿元
    ("较上年提高1.2个百分点,是全省平均水平的2倍", [(1.2, "个百分点", "exact"), (2, "倍", "exact")]),
    ("惠及市场主体3.1万户", [(3.1, "万户", "exact")]),
    ("培训财务人员860人次", [(860, "人次", "exact")]),
    ("风险补偿资金、合作银行按4∶6分担", [(4, "份", "exact"), (6, "份", "exact")]),
]

DATELINES_AND_CLOCKS = [
    ("发布时间:2023-04-18 09:30 来源:市财政局", []),
    ("2022-11-0308:15:00.0 浏览次数:", []),             # whitespace already gone: day 03 at 08:15, no ratio
    ("某某日报 2024/7/2 10:05 本报讯", []),
    ("6月20日上午9:30,座谈会召开", []),
    ("按3:7的比例承担风险", [(3, "份", "exact"), (7, "份", "exact")]),
]

UPPER_AND_LOWER_BOUNDS = [
    ("单户担保金额≤500万元", [(500, "万元", "at_most")]),
    ("对年营业收入2000万元及以下的小微企业", [(2000, "万元", "at_most")]),
    ("单笔200万元、100万元及以下贷款", [(200, "万元", "at_most"), (100, "万元", "at_most")]),
    ("担保费率原则上不超过1%", [(1, "%", "at_most")]),
    ("小微企业占比不低于80%", [(80, "%", "at_least")]),
    ("不良率≥3%的合作银行", [(3, "%", "at_least")]),
    ("覆盖企业逾5000家", [(5000, "家", "at_least")]),
    ("平均担保费率不足1%", [(1, "%", "at_most")]),
    ("业务规模1000万元以上", [(1000, "万元", "at_least")]),
]

NUMERALS_IN_WORDS = [
    ("实现资产二次利用,二次利用率达40%", [(40, "%", "exact")]),
    ("联合区红十字会共建公益仓", []),
    ("深化两项改革“后半篇”文章,助推“两项改革”见效", []),
    ("完成三项任务", [(3, "项", "exact")]),               # a count written in Chinese numerals stays a count
    ("贷款期限不超过12个月", []),                         # a duration is not a count of things
    ("资金在5个工作日内拨付", []),
    ("全市唯一一家五星级公物仓", []),
    ("发布日期:2022-06-15 浏览次数:1234次", []),     # the page's own counters
    ("0条 [查看全部] 相关评论", []),
]


@pytest.mark.parametrize(("text", "expected"), ASCII_AND_UNITS + DATELINES_AND_CLOCKS + UPPER_AND_LOWER_BOUNDS
                         + NUMERALS_IN_WORDS,
                         ids=[t for t, _ in ASCII_AND_UNITS + DATELINES_AND_CLOCKS + UPPER_AND_LOWER_BOUNDS
                              + NUMERALS_IN_WORDS])
def test_real_text_figures(text, expected):
    assert triples(text) == [(float(v), u, q) for v, u, q in expected]


QUOTES = [
    ("截至9月末,全市新增贷款45.6亿元,同比增长12.5%,惠及企业3200家。",
     ["全市新增贷款45.6亿元", "同比增长12.5%", "惠及企业3200家"]),
    ("其中:工业企业120家;服务业企业85家!", ["工业企业120家", "服务业企业85家"]),
]


@pytest.mark.parametrize(("text", "quotes"), QUOTES, ids=[t for t, _ in QUOTES])
def test_quotes_are_one_clause_with_ascii_punctuation(text, quotes):
    assert [f.quote for f in extract_facts(text)] == quotes


PERIODS = [
    # (text, published, expected periods)
    ("2021-09-30 16:20 来源:县财政局\n今年以来,全县发放贴息贷款3.2亿元。", "", ["2021"]),
    ("今年上半年,全市新增担保贷款15亿元。", "2023-08-02", ["2023-01/2023-06"]),
    ("截至8月底,累计入库资产960件。", "2022-09", ["2022-08"]),
    ("截至11月15日,已办理业务58笔。", "2024", ["2024-11-15"]),
    ("2023年,区级累计收入2.1亿元。1-9月全区处置资产12宗。", "", ["2023", "2023-01/2023-09"]),
    ("2019年以来,省市县共投入资金5亿元。", "", ["2019/.."]),
    ("截至目前,已兑现补偿资金120万元。", "", ["current"]),
    ("全市再贷款余额40亿元。", "http://czj.example.gov.cn/art/2020/12/25/art_1.html", ["2020"]),
    ("今年1月至9月,全省结算量达到9000亿元,已经超过去年全年8000亿元的结算量,同比增长30%。", "2019-11",
     ["2019-01/2019-09", "2018", "2019-01/2019-09"]),
    ("从2015年试点至今,累计结算1.2万亿元。", "", ["2015/.."]),
    ("前四月全市结算总额79亿元。", "2016", ["2016-01/2016-04"]),
    ("本报讯 2022-11-07 12:15\n据统计,全市扶持创业者3400名。", "", ["2022-11-07"]),
]


@pytest.mark.parametrize(("text", "published", "periods"), PERIODS, ids=[t for t, _, _ in PERIODS])
def test_stated_periods_are_proposed(text, published, periods):
    assert [f.period for f in extract_facts(text, published=published)] == periods


NAMES = [
    ("累计拨付财政贴息资金860.5万元", "累计拨付财政贴息资金"),
    ("召开3次资产盘活调度会", "召开资产盘活调度会"),
    ("全县1520宗村集体闲置资产已盘活1498宗", "全县村集体闲置资产"),
    ("期末在保余额120.5亿元", "期末在保余额"),
    ("其中:资金类0.5亿元", "资金类"),
]


@pytest.mark.parametrize(("text", "name"), NAMES, ids=[t for t, _ in NAMES])
def test_proposed_name_is_the_noun_phrase_of_its_clause(text, name):
    assert extract_facts(text)[0].name == name


SCALED_UNITS = [
    ("截至2024年底,全省企业国有资产16.48万亿元", [(16.48, "万亿元", "exact")]),
    ("撬动社会融资1.45万亿", [(1.45, "万亿", "exact")]),
    ("惠及市场主体1.2万家,全年办理业务2.3万笔", [(1.2, "万家", "exact"), (2.3, "万笔", "exact")]),
    ("开展培训3.5万人次,带动就业1.1万人", [(3.5, "万人次", "exact"), (1.1, "万人", "exact")]),
    ("累计归集资产7万余件,盘活闲置房产1.2万多平方米", [(7, "万件", "at_least"), (1.2, "万平方米", "at_least")]),
    ("扶持3400多名创业者,处置公车10辆,出台12条措施", [(3400, "名", "at_least"), (10, "辆", "exact"), (12, "条", "exact")]),
    ("五台山景区,三台县财政局", []),
    ("3天获批300万贷款,500万预付款到位,另有5万吨", [(3, "天", "exact"), (300, "万", "exact"), (500, "万", "exact")]),
]


@pytest.mark.parametrize(("text", "expected"), SCALED_UNITS, ids=[t for t, _ in SCALED_UNITS])
def test_scaled_units_keep_the_unit_as_printed(text, expected):
    assert triples(text) == [(float(v), u, q) for v, u, q in expected]


KINDS_IN_REAL_TEXT = [
    ("截至目前,已兑现补偿资金120万元。", "cumulative"),
    ("截至2023年底,全市行政事业性国有资产862亿元。", "stock"),
    ("全年平均担保费率0.85%。", "actual"),
    ("担保费率按照1%收取。", "policy_parameter"),
    ("比上年同期增加12.4亿元。", "actual"),
    ("确保2026年全市资产总规模不低于800亿元。", "target"),
    ("单户贷款金额不超过300万元。", "threshold"),
    ("2021—2023年每年安排专项资金5亿元。", "policy_parameter"),
    ("2020年以来,完成政府性融资担保金额9.8亿元。", "cumulative"),
    ("截至目前,市本级国有资产总额860亿元,其中土地资产520亿元。", "stock"),
    ("目前有3个实体仓,占地约2500平方米。", "stock"),
    ("区财政设立2000万元风险补偿资金。", "stock"),
    ("目前公物仓在库资产总数近900件。", "stock"),
    ("近年来已累计发放贷款812笔、9.6亿元。", "cumulative"),
    ("截至目前,已盘活闲置资产120宗,盘活率96.5%。", "cumulative"),
    ("累计撬动贷款规模5亿元,撬动倍数达10倍。", "actual"),
]


@pytest.mark.parametrize(("text", "kind"), KINDS_IN_REAL_TEXT, ids=[t for t, _ in KINDS_IN_REAL_TEXT])
def test_kind_of_the_last_figure(text, kind):
    assert extract_facts(text)[-1].kind == kind
