"""The field dictionary is the one description of the columns: the built tables have exactly its columns and types,
the schemas check what it says, and the dictionary the build ships is the same table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from metrics import fields, schema
from metrics.store import load

ROOT = Path(__file__).resolve().parent.parent
DATA = load(ROOT / "data")


@pytest.mark.parametrize("table", fields.TABLES)
def test_built_table_has_the_dictionary_columns_and_types(table):
    df = DATA[table].drop(columns=["available"], errors="ignore")
    assert list(df.columns) == fields.columns(table)
    for field in fields.of(table):
        kind = {"string": pd.api.types.is_string_dtype, "float64": pd.api.types.is_float_dtype,
                "int64": pd.api.types.is_integer_dtype, "bool": pd.api.types.is_bool_dtype}[field.dtype]
        assert kind(df[field.name]), (table, field.name, df[field.name].dtype)


def test_shipped_dictionary_equals_the_field_dictionary():
    pd.testing.assert_frame_equal(DATA["dictionary"], fields.dictionary(), check_dtype=False)


def test_every_field_is_described_in_both_languages():
    blank = [(f.table, f.name) for f in fields.FIELDS if not (f.description_zh.strip() and f.description_en.strip())]
    assert blank == []


def test_column_lists_come_from_the_dictionary():
    from metrics import store, tables

    assert tables.FACT_COLUMNS == fields.columns("facts") == store.REQUIRED_COLUMNS["facts"]
    assert store.REQUIRED_COLUMNS["sources"] == fields.columns("sources")


@pytest.mark.parametrize("column", ["title_zh", "title_en", "licence_zh", "licence_en"])
def test_sources_refuse_a_missing_title_or_licence(column):
    sources = DATA["sources"].copy()
    sources = sources[sources["source_id"] == "000_91693168b2346fd9"].reset_index(drop=True)
    sources[column] = pd.array([""], dtype="string")
    problems = schema.validate("sources", sources)
    assert [p.reason for p in problems] == [f"fields left empty: {column} — fill them"]
    assert problems[0].file == "000_91693168b2346fd9.yaml"


@pytest.mark.parametrize("column", ["url", "publisher_zh", "publisher_en", "completeness"])
def test_sources_accept_an_empty_optional_field(column):
    sources = DATA["sources"].copy()
    sources[column] = pd.array([""] * len(sources), dtype="string")
    assert schema.validate("sources", sources) == []


def test_every_curated_field_and_block_is_documented_for_curators():
    from metrics import layout, sources

    readme = (ROOT / "data/sources/README.md").read_text(encoding="utf-8")
    curated = {f.name for f in fields.FIELDS if f.origin != fields.BUILD}
    blocks = {f"`{name}:`" for name in [*sources.SECTIONS, *layout.LAYOUT_KEYS]}
    assert sorted(n for n in curated if n not in readme) == []
    assert sorted(b for b in blocks if b not in readme) == []
