"""One typed schema per table (pandera), generated from the field dictionary (``fields.py``) and validated lazily so
that every failure is reported in one run, as curator-facing sentences grouped by record.

Every column is checked for its type. A curated field (filled in a case file or an article's metadata) is also
checked value by value: a required one must not be empty, and its ``rule`` (below) must hold. A value the curator
left empty is reported once, in one line per record ("fields left empty: …"), never again by its rule.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import fields, periods, units, vocab
from .problems import EMPTY, Problem

UNITS_FILE = "data/sources/units.yaml"
FILLED = "filled"


@dataclass(frozen=True)
class Rule:
    holds: Callable[[object], bool]   # on one non-empty value
    says: str                         # what is wrong, in words that name the fix


def _matches(pattern: str) -> Callable[[object], bool]:
    return lambda value: re.fullmatch(pattern, str(value)) is not None


def _one_of(options) -> Callable[[object], bool]:
    allowed = set(options)
    return lambda value: value in allowed


RULES: dict[str, Rule] = {
    "id": Rule(_matches(vocab.ID_PATTERN), "is not a valid id: use lower-case letters, digits and _, starting with a "
                                           "letter"),
    "kind": Rule(_one_of(vocab.KINDS), "is not a kind: use one of " + ", ".join(vocab.KINDS)),
    "qualifier": Rule(_one_of(vocab.QUALIFIERS), "is not a qualifier: use one of " + ", ".join(vocab.QUALIFIERS)),
    "unit": Rule(_one_of(units.UNITS), f"is not declared in {UNITS_FILE}: add one line for it there (unit, family, base, "
                                       "factor) and rebuild"),
    "division_code": Rule(_matches(r"\d{6}"), "is not a 6-digit administrative division code (GB/T 2260)"),
    "nonneg": Rule(lambda v: v >= 0, "must be the number as printed (≥ 0)"),
    "finite": Rule(lambda v: abs(v) < float("inf"), "is not a finite number"),
    "date": Rule(lambda v: periods.is_valid_date(str(v)), "is not an ISO date: write 2022, 2022-10 or 2022-10-26"),
    "url": Rule(_matches(r"https?://\S+"), "is not a web address (http:// or https://); leave it empty when unknown"),
    "completeness": Rule(_matches(r"complete|truncated(:\s*\S.*)?"), "must be 'complete' or 'truncated' (say why in "
                                                                    "completeness_note_zh/en)"),
}


def _empty(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip())


def _check(name: str, rule: Rule) -> pa.Check:
    # Element-wise, empty values pass: a required field left empty is reported by the FILLED check alone.
    return pa.Check(lambda value: _empty(value) or rule.holds(value), element_wise=True, name=name, ignore_na=True)


_FILLED = pa.Check(lambda value: not _empty(value), element_wise=True, name=FILLED)


def _column(field: fields.Field) -> pa.Column:
    curated = field.origin != fields.BUILD
    checks = []
    if curated and field.required and field.dtype == "string":
        checks.append(_FILLED)
    if curated and field.rule:
        checks.append(_check(field.rule, RULES[field.rule]))
    nullable = field.dtype == "float64" and not (curated and field.required)
    return pa.Column(field.dtype if field.dtype != "string" else "string", checks=checks, nullable=nullable,
                     unique=field.unique == "table")


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    table: pa.DataFrameSchema({f.name: _column(f) for f in fields.of(table)}) for table in fields.TABLES
}
ID_COLUMNS = {"cases": "case_id", "sources": "source_id", "facts": "fact_id", "events": "event_id",
              "practices": "practice_id", "indicators": "indicator_id"}


def validate(name: str, df: pd.DataFrame, id_column: str | None = None) -> list[Problem]:
    """Every schema failure of one table, one Problem per record and reason, naming the file and the fix."""
    try:
        SCHEMAS[name].validate(df, lazy=True)
    except SchemaErrors as err:
        return _problems(err.failure_cases, df, id_column or ID_COLUMNS[name], name)
    return []


def _problems(failures: pd.DataFrame, df: pd.DataFrame, id_column: str, table: str) -> list[Problem]:
    problems: list[Problem] = []
    for index, group in failures.groupby(failures["index"].astype("string").fillna(""), sort=False, dropna=False):
        record = df.loc[group["index"].iloc[0]] if index and group["index"].iloc[0] in df.index else None
        file = str(record["source_file"]) if record is not None and "source_file" in df.columns else "-"
        record_id = str(record[id_column]) if record is not None and str(record[id_column]) else "-"
        if record is None:   # a whole column is wrong: a build defect, not a curator's
            problems += [Problem(f"{table} table", "-", f"column {c.column}: {c.check} failed; rebuild "
                                 "with python -m metrics.build") for c in group.itertuples()]
            continue
        empty = list(dict.fromkeys(group.loc[group["check"] == FILLED, "column"]))
        if empty:
            problems.append(Problem(file, record_id, f"{EMPTY}: {', '.join(empty)} — fill them", fields=tuple(empty)))
        for case in group[group["check"] != FILLED].itertuples():
            problems.append(Problem(file, record_id, _reason(case.column, case.check, case.failure_case),
                                    fields=(case.column,)))
    return problems


def _reason(column: str, check: str, value) -> str:
    if check in RULES:
        return f"{column} {value!r} {RULES[check].says}"
    if check == "not_nullable":
        return f"{column} is missing: write it as printed"
    if check == "field_uniqueness":
        return f"{column} {value!r} is used twice: give each record an id of its own"
    return f"{column} {value!r}: {check} failed"
