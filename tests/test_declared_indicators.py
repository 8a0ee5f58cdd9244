"""Derived indicators declared in the case files give exactly the table the seed cases had when they were Python
(the snapshot was taken from the committed indicators tables before the move)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from metrics import formula, units
from metrics.store import load

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = json.loads((ROOT / "tests/snapshots/seed_indicators.json").read_text(encoding="utf-8"))
SEED_CASES = {row["case_id"] for row in SNAPSHOT}
INDICATORS = load(ROOT / "data")["indicators"]
BUILT = INDICATORS[INDICATORS["case_id"].isin(SEED_CASES)].set_index("indicator_id")
TEXT = ["case_id", "name_zh", "name_en", "formula", "unit", "qualifier", "base_unit", "caveat_zh", "caveat_en",
        "per_beneficiary"]
NUMBERS = ["value", "value_base", "lo_base", "hi_base"]
FLAGS = ["mixes_scopes", "derived"]


def test_same_indicators_in_the_same_order():
    assert BUILT.index.tolist() == [row["indicator_id"] for row in SNAPSHOT]


@pytest.mark.parametrize("before", SNAPSHOT, ids=[row["indicator_id"] for row in SNAPSHOT])
def test_indicator_equals_the_snapshot(before):
    now = BUILT.loc[before["indicator_id"]]
    assert {c: now[c] for c in TEXT} == {c: before[c] for c in TEXT}
    assert {c: bool(now[c]) for c in FLAGS} == {c: before[c] for c in FLAGS}
    for column in NUMBERS:
        old, new = before[column], now[column]
        if old is None or (isinstance(old, float) and math.isnan(old)):
            assert pd.isna(new), column
        else:
            assert math.isclose(new, old, rel_tol=1e-12), (column, new, old)


DIMENSIONS = [  # (formula over a, b, c, their units, the result's dimension or None when refused)
    ("a / b", {"a": "亿元", "b": "万元"}, formula.RATIO),
    ("a / b", {"a": "件", "b": "件"}, formula.RATIO),
    ("a / b", {"a": "件", "b": "批次"}, formula.COUNT_AVERAGE),
    ("a / b", {"a": "万元", "b": "户"}, formula.PER_BENEFICIARY),
    ("a / (1 + b)", {"a": "笔", "b": "%"}, "count"),
    ("a / (b + c)", {"a": "份", "b": "份", "c": "份"}, formula.RATIO),
    ("(a - b) / c", {"a": "件", "b": "件", "c": "件"}, formula.RATIO),
    ("a + b", {"a": "亿元", "b": "件"}, None),
    ("a * b", {"a": "亿元", "b": "件"}, None),
    ("a / b", {"a": "件", "b": "万元"}, None),
    ("a + b", {"a": "个百分点", "b": "%"}, None),
]


@pytest.mark.parametrize("text,unit_of,expected", DIMENSIONS, ids=[f"{d[0]} {d[1]}" for d in DIMENSIONS])
def test_units_combine_by_family(text, unit_of, expected):
    families = {i: units.family(u) for i, u in unit_of.items()}
    if expected is None:
        with pytest.raises(formula.FormulaError, match="units do not combine"):
            formula.dimension(text, families, unit_of)
    else:
        assert formula.dimension(text, families, unit_of) == expected
