"""One typed schema per table (pandera), validated lazily so that every failure is reported in one run."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import units, vocab
from .problems import Problem

_ID = pa.Check.str_matches(vocab.ID_PATTERN)
_NONEMPTY = pa.Check.str_length(min_value=1)


def _text(*checks: pa.Check, unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column("string", checks=list(checks), unique=unique, nullable=nullable)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "cases": pa.DataFrameSchema({
        "case_id": _text(_ID, unique=True),
        "source_id": _text(_NONEMPTY),
        "title_zh": _text(_NONEMPTY), "title_en": _text(_NONEMPTY),
        "short_zh": _text(_NONEMPTY), "short_en": _text(_NONEMPTY),
        "locality_zh": _text(_NONEMPTY), "locality_en": _text(_NONEMPTY),
        "division_code": _text(pa.Check.str_matches(r"^\d{6}$")),
    }),
    "facts": pa.DataFrameSchema({
        "case_id": _text(_ID),
        "fact_id": _text(_ID, unique=True),
        "indicator_zh": _text(_NONEMPTY), "indicator_en": _text(_NONEMPTY),
        "scope_zh": _text(_NONEMPTY), "scope_en": _text(_NONEMPTY),
        "period": _text(_NONEMPTY),
        "kind": _text(pa.Check.isin(vocab.KINDS)),
        "printed": _text(_NONEMPTY),
        "value": pa.Column(float, pa.Check.ge(0)),
        "unit": _text(pa.Check.isin(list(units.UNITS))),
        "qualifier": _text(pa.Check.isin(vocab.QUALIFIERS)),
        "value_base": pa.Column(float, pa.Check.ge(0)),
        "base_unit": _text(pa.Check.isin(units.BASE_UNITS)),
        "quote": _text(_NONEMPTY),
        "source_id": _text(_NONEMPTY),
    }),
    "events": pa.DataFrameSchema({
        "case_id": _text(_ID),
        "event_id": _text(_ID, unique=True),
        "date": _text(_NONEMPTY),
        "label_zh": _text(_NONEMPTY), "label_en": _text(_NONEMPTY),
        "quote": _text(_NONEMPTY),
    }),
    "practices": pa.DataFrameSchema({
        "case_id": _text(_ID),
        "practice_id": _text(_ID, unique=True),
        "name_zh": _text(_NONEMPTY), "name_en": _text(_NONEMPTY),
        "applied_to_zh": _text(), "applied_to_en": _text(),
        "quote": _text(_NONEMPTY),
    }),
    "indicators": pa.DataFrameSchema({
        "case_id": _text(_ID),
        "indicator_id": _text(_ID, unique=True),
        "name_zh": _text(_NONEMPTY), "name_en": _text(_NONEMPTY),
        "formula": _text(_NONEMPTY),
        "inputs": _text(_NONEMPTY),
        "value": pa.Column(float, pa.Check(lambda s: s.abs() < float("inf"), name="finite")),
        "unit": _text(pa.Check.isin(list(units.UNITS))),
        "qualifier": _text(pa.Check.isin(vocab.QUALIFIERS)),
    }),
}


def _record_id(df: pd.DataFrame, index, id_column: str) -> str:
    if index is None or pd.isna(index) or index not in df.index:
        return "-"
    return str(df.at[index, id_column]) if id_column in df.columns else str(index)


def validate(name: str, df: pd.DataFrame, id_column: str) -> list[Problem]:
    """Every schema failure of one table as Problems naming the file and record."""
    try:
        SCHEMAS[name].validate(df, lazy=True)
    except SchemaErrors as err:
        problems = []
        for case in err.failure_cases.itertuples(index=False):
            index = getattr(case, "index", None)
            file = str(df.at[index, "source_file"]) if index in df.index and "source_file" in df.columns else name
            problems.append(Problem(file, _record_id(df, index, id_column),
                                    f"{case.column}: {case.check} failed (value {case.failure_case!r})"))
        return problems
    return []
