"""The search index answers exactly what a plain substring scan answers (metrics/search_index.py).

Each query is run both ways over the same table: the data page's scan (``query.matching`` without an index) and the
index; the rows must be the same, and for the real data they must be the expected count too, so a test that found
nothing either way would fail."""
from __future__ import annotations

import pyarrow as pa
import pytest

from metrics import query, search_index
from metrics.store import load

from .conftest import ROOT

COLUMNS = search_index.SEARCH_COLUMNS


@pytest.fixture(scope="module")
def real():
    ds = load(ROOT / "data")
    return {name: ds.collection[name] for name in COLUMNS}


def scan(table: pa.Table, text: str, columns: list[str]) -> list[int]:
    rows = query.matching(table, [], [], text, columns, query.ascii_columns(table, columns))
    return list(range(table.num_rows)) if rows is None else rows.to_pylist()


def indexed(table: pa.Table, text: str, columns: list[str]) -> list[int]:
    rows = query.matching(table, [], [], text, columns, frozenset(), search_index.build(table, columns))
    return list(range(table.num_rows)) if rows is None else rows.to_pylist()


def pandas_count(table: pa.Table, text: str, columns: list[str]) -> int:
    """An independent count: Python's own case folding over the decoded rows (ASCII-only queries here)."""
    df = query.rows_of(table, None).to_pandas()
    lowered = text.strip().lower()
    return int(df[columns].astype("string").fillna("").apply(lambda c: c.str.lower().str.contains(lowered, regex=False))
               .any(axis=1).sum())


@pytest.mark.parametrize("name,text,at_least", [
    ("facts", "担保", 10),              # a bigram: one lookup
    ("facts", "担", 10),                # one character: a unigram lookup
    ("facts", "风险补偿资金", 1),        # longer: bigrams intersected, then verified
    ("facts", "亿元", 10),
    ("facts", "1", 50),                 # a digit, in quotes, printed values and ids
    ("facts", "（", 1),                 # full-width punctuation
    ("facts", "%", 1),
    ("facts", "LOAN", 1),               # ASCII letters: case-insensitive
    ("facts", "Loan", 1),
    ("facts", "xt_focus", 3),           # ids
    ("facts", "  担保  ", 10),          # surrounding spaces are dropped, as the page does
    ("facts", "担保无此词组合", 0),      # no match
    ("facts", "担" * 3000, 0),          # longer than any text
    ("events", "年", 1),
    ("events", "2022/", 1),             # a date
    ("practices", "Ledger", 1),
    ("indicators", "/", 1),             # a formula's operator
    ("indicators", "RATIO", 5),
    ("indicators", "Qz", 0),
])
def test_index_matches_the_scan_on_real_data(real, name, text, at_least):
    table = real[name]
    expected = scan(table, text, COLUMNS[name])
    assert indexed(table, text, COLUMNS[name]) == expected
    assert len(expected) >= at_least and (at_least or not expected)
    if text.strip().isascii():
        assert len(expected) == pandas_count(table, text, COLUMNS[name])


TRICKY = pa.table({
    "a": ["Kelvin \u212a sign", "long \u017f here", "ABC abc", "担保贷款", None, "ÉCOLE école", "Straße", "x"],
    "b": ["", "kk", "担", None, "保", "ΣΊΣΥΦΟΣ", "ﬁne", "ＡＢＣ"],
})


@pytest.mark.parametrize("text", ["k", "K", "s", "S", "kelvin k", "LONG S", "abc", "aBc", "担", "担保", "保", " ", "",
                                  "é", "École", "σ", "STRASSE", "ß", "fi", "ａｂｃ", "ＡＢＣ", "none", "担保贷款担保贷款"])
def test_index_matches_the_scan_on_tricky_text(text):
    assert indexed(TRICKY, text, ["a", "b"]) == scan(TRICKY, text, ["a", "b"])


@pytest.mark.parametrize("text,answered", [
    ("担保", True), ("Loan", True), ("k", True), ("1%", True),
    ("École", False), ("σ", False), ("ＡＢＣ", False), ("\u212a", False), ("", False),
])
def test_queries_the_index_answers_itself(text, answered):
    """Queries with letters beyond ASCII go to the scan (the index would not be exact for them)."""
    index = search_index.build(TRICKY, ["a", "b"])
    assert (index.rows(text) is not None) == answered


def test_a_case_filter_and_the_index_combine(real):
    facts = real["facts"]
    cases = ["xiangtan", "hefei_guarantee_2017"]
    plain = query.matching(facts, cases, [], "担保", COLUMNS["facts"], query.ascii_columns(facts, COLUMNS["facts"]))
    fast = query.matching(facts, cases, [], "担保", COLUMNS["facts"], frozenset(),
                          search_index.build(facts, COLUMNS["facts"]))
    assert fast.to_pylist() == plain.to_pylist() and len(plain) > 0
