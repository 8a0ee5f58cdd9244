"""The extractor held to its score on every article of the development corpus (data/corpus) and the seed.

Each article has a floor at what the extractor achieves today, so a change that loses a figure anywhere fails
here. An article added to the corpus without a floor fails too: measure it and add its row. Scoring is strict on
(value, unit as printed, qualifier); see metrics/extract_score.py.
"""
from __future__ import annotations

import pytest

from metrics.extract import extract_for_scoring, main
from metrics.extract_score import load_corpus, score_corpus, totals

SEED = "000_91693168b2346fd9"
# article: (recall floor, precision floor), as measured; 1.0 means every figure and nothing else.
FLOORS = {
    SEED: (1.0, 1.0),
    "01_liling_panhuo_sanzi": (1.0, 1.0),
    "02_wujin_gongwucang_panhuo": (1.0, 1.0),
    "03_hefei_danbao_fengxian_buchang_2017": (1.0, 1.0),
    "04_hefei_zhengfuxing_danbao_jixiao_2025": (1.0, 1.0),
    "05_yulin_caizheng_tiexi": (1.0, 1.0),
    "06_mianyang_zhencun_gongyou_zichan": (1.0, 1.0),
    "07_jingzhou_zhengcaidai": (1.0, 1.0),
    "08_gansu_zhengcai_hetong_rongzi": (1.0, 1.0),
    "09_zhejiang_yingshou_zhangkuan_pingtai": (1.0, 1.0),
    "10_guangdong_danbao_zhuanxiang_zijin": (1.0, 1.0),
    "11_guanyun_fumin_chuangyedai_tiexi": (1.0, 1.0),
    "12_changji_gongwucang": (1.0, 1.0),
    "13_guangdong_kuajing_renminbi_2013": (1.0, 1.0),
    "14_xiamen_kuajing_renminbi": (1.0, 1.0),
    "15_gaotang_xiaoe_danbao_tiexi": (1.0, 1.0),
    "16_heze_gongwucang": (1.0, 1.0),
    "17_shijiazhuang_gongwucang": (1.0, 1.0),
}


@pytest.fixture(scope="module")
def results():
    return {r.name: r for r in score_corpus(load_corpus(), extract_for_scoring)}


def test_every_corpus_article_has_a_floor(results):
    assert sorted(results) == sorted(FLOORS)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_article_holds_its_score(results, name):
    result = results[name]
    recall_floor, precision_floor = FLOORS[name]
    missed = [(f.printed, f.unit, f.qualifier, f.quote) for f in result.missed]
    extra = [(f.printed, f.unit, f.qualifier, f.quote) for f in result.extra]
    assert result.recall >= recall_floor, missed
    assert result.precision >= precision_floor, extra


def test_corpus_targets(results):
    t = totals(list(results.values()))
    assert t.recall >= 0.98 and t.precision >= 0.97
    assert t.quote_median <= 40 and t.quote_max <= 120
    agree, with_kind = t.kind_agree
    assert with_kind and agree / with_kind >= 0.85
    proposed, stated = t.period_proposed
    assert stated and proposed / stated >= 0.80


def test_score_corpus_command_prints_every_article(capsys):
    assert main(["--score-corpus", "--brief"]) == 0
    out = capsys.readouterr().out
    assert all(name[:44] in out for name in FLOORS) and "overall" in out


BAD_KEYS = [
    ("", "empty or not a mapping"),
    ("figures: []\n", "no figures in the key"),
    ("figures: [unbalanced\n", "cannot be read"),
    ("figures:\n- {value: '3', unit: 家}\n", "needs value, unit and qualifier"),
    ("- just a list\n", "empty or not a mapping"),
]


@pytest.mark.parametrize(("content", "message"), BAD_KEYS, ids=[m for _, m in BAD_KEYS])
def test_score_fails_loudly_on_a_bad_key(tmp_path, capsys, content, message):
    article = tmp_path / "a.txt"
    article.write_text("全市新增贷款45亿元。", encoding="utf-8")
    key = tmp_path / "a.facts.yaml"
    key.write_text(content, encoding="utf-8")
    assert main([str(article), "--score", str(key)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "a.facts.yaml" in err


def test_score_fails_loudly_on_a_missing_key(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("全市新增贷款45亿元。", encoding="utf-8")
    assert main([str(article), "--score", str(tmp_path / "missing.yaml")]) != 0
    assert "missing.yaml" in capsys.readouterr().err
