"""Sections and calculators declared in case files: bad declarations are refused by the build with one clear line
each and the data on disk is left untouched; good ones resolve into blocks that hold plain data."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from metrics import build, calculators, layout
from metrics.charts import ChartSpec
from metrics.problems import BuildError
from metrics.store import load

from .conftest import ROOT

DATA = load(ROOT / "data")


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "sources" not in p.parts}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def edit_case(data: Path, case_id: str, change) -> None:
    path = data / "sources" / "cases" / f"{case_id}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def calc(document: dict, calc_id: str) -> dict:
    return next(c for c in document["calculators"] if c["id"] == calc_id)


BAD = [  # (case, change, the one line expected)
    ("xiangtan", lambda d: d["sections"].append({"type": "pie"}), "unknown section type 'pie'"),
    ("xiangtan", lambda d: d["sections"].append({"type": "figures", "ids": ["xt_nope"]}),
     "names a missing fact or indicator 'xt_nope'"),
    ("xiangtan", lambda d: d["sections"][1]["columns"][0][0].update(total="xt_gone"),
     "total names a missing fact or indicator 'xt_gone'"),
    ("fangchenggang", lambda d: d["sections"].append({"type": "bars", "title_zh": "x", "title_en": "x",
                                                       "ids": ["xt_ledger_total"]}),
     "names a missing fact or indicator 'xt_ledger_total'"),   # another case's fact
    ("xiangtan", lambda d: d["sections"].append({"type": "heading", "title_zh": "只有中文"}), "needs 'title_en'"),
    ("heilongjiang", lambda d: d["sections"].append({"type": "calculator", "id": "nope"}),
     "no calculator 'nope' is declared"),
    ("heilongjiang", lambda d: calc(d, "fee").update(type="loan_shark"), "unknown calculator type 'loan_shark'"),
    ("heilongjiang", lambda d: calc(d, "fee").update(rate="hlj_round1_amount"),
     "rate fact 'hlj_round1_amount' is in 亿元 (money), needs a percent figure"),
    ("heilongjiang", lambda d: calc(d, "fee").update(waiver_threshold="hlj_guarantee_fee_rate"),
     "waiver_threshold fact 'hlj_guarantee_fee_rate' is in % (percent), needs a money figure"),
    ("heilongjiang", lambda d: calc(d, "risk")["shares"].append({"fact": "hlj_round2_firms"}),
     "shares fact 'hlj_round2_firms' is in 家 (count), needs a ratio_part figure"),
    ("heilongjiang", lambda d: calc(d, "exposure")["volumes"].append({"fact": "hlj_missing"}),
     "volumes names a missing fact 'hlj_missing'"),
    ("heilongjiang", lambda d: calc(d, "fee")["inputs"]["term"].update(unit="月"),
     "input 'term' in '月', needs one of"),
    ("heilongjiang", lambda d: calc(d, "fee")["inputs"]["loan"].update(key="npl"), "input key 'npl' is used twice"),
    ("heilongjiang", lambda d: calc(d, "fee")["inputs"]["loan"].update(default=-1), "default is outside [min, max]"),
]


@pytest.mark.parametrize("case_id,change,line", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_layout_is_refused_with_one_line_and_data_untouched(built, case_id, change, line):
    before = digests(built)
    edit_case(built, case_id, change)
    with pytest.raises(BuildError) as refused:
        build.build(built)
    reasons = [str(p) for p in refused.value.problems]
    assert len(reasons) == 1 and line in reasons[0], reasons
    assert reasons[0].startswith(f"{case_id}.yaml: ")
    assert digests(built) == before


def test_a_case_without_sections_gets_the_default_layout(built):
    edit_case(built, "fangchenggang", lambda d: d.pop("sections"))
    build.build(built)
    blocks = layout.blocks_of(load(built).tables, "fangchenggang", "en")
    kinds = [b["type"] for b in blocks]
    assert kinds[:4] == ["title", "cards", "chart", "heading"]   # headline, money figures, derived indicators
    assert "group" in kinds and kinds[-1] == "table"


def plain(value) -> bool:
    """Only data a static renderer can read: text, numbers, lists, dicts, frames, chart specs, calculator inputs."""
    import pandas as pd
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(plain(v) for v in value)
    if isinstance(value, ChartSpec):
        return isinstance(value.data, pd.DataFrame)
    return isinstance(value, str | int | float | bool | type(None) | pd.DataFrame | calculators.Input)


@pytest.mark.parametrize("case_id", ["xiangtan", "heilongjiang", "fangchenggang"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blocks_are_plain_data(case_id, lang):
    blocks = layout.blocks_of(DATA.tables, case_id, lang)
    assert blocks and all(plain(b) for b in blocks)


@pytest.mark.parametrize("loan,waived", [(300, True), (500, True), (500.01, False)])
def test_calculator_output_is_keyed_by_fact_id(loan, waived):
    from tests.support.blocks import calculator
    block = calculator(DATA.tables, "heilongjiang", "fee", "en")
    assert block["labels"] == {"rate": "hlj_guarantee_fee_rate", "waiver_threshold": "hlj_fee_waiver_threshold"}
    verdict = [b for b in calculators.result(block, {"loan": loan}) if b["type"] == "note" and b["style"] == "success"]
    assert ("fully waived" in verdict[0]["text"]) is waived
