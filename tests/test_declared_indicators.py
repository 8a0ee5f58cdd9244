"""Derived indicators declared in the case files give exactly the table the seed cases had when they were Python
(the snapshot was taken from the committed indicators tables before the move)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from metrics.store import load

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = json.loads((ROOT / "tests/snapshots/seed_indicators.json").read_text(encoding="utf-8"))
BUILT = load(ROOT / "data")["indicators"].set_index("indicator_id")
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
