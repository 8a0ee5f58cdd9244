"""Process: turn loaded case files into the contract's tables (facts, events, practices, cases, sources).

Every row keeps ``source_file`` so that a validation problem can name the file it came from.
"""
from __future__ import annotations

import pandas as pd

from . import fields, layout, periods, units
from .reading import locate
from .source_text import find_quote
from .sources import Article, CaseFile, sha256_file

# The column lists are generated from the field dictionary (metrics/fields.py); re-exported here for the build.
FACT_COLUMNS, EVENT_COLUMNS, PRACTICE_COLUMNS = fields.FACT_COLUMNS, fields.EVENT_COLUMNS, fields.PRACTICE_COLUMNS
CASE_COLUMNS, SOURCE_COLUMNS = fields.CASE_COLUMNS, fields.SOURCE_COLUMNS

# How each table's rows are ordered; rows that tie stay in case order, then in file order (a stable sort).
SORT_KEYS = {"cases": ["order"], "facts": ["source_id", "quote_start", "fact_id"], "events": ["date_sort", "event_id"],
             "practices": ["source_id", "quote_start", "practice_id"], "sources": ["source_id"]}
NO_QUOTE = 1 << 30   # a case none of whose quotes is found sorts after those of its article that are


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value)


def _number(record: dict, key: str) -> float:
    try:
        return float(record.get(key))
    except (TypeError, ValueError):
        return float("nan")


def _base(value: float, unit: str) -> tuple[float, str]:
    if unit not in units.UNITS:
        return float("nan"), ""
    return units.to_base(value, unit), units.base_unit(unit)


def _quote_start(record: dict, article: Article | None) -> int:
    return find_quote(article.normalized, _text(record, "quote")) if article and _text(record, "quote") else -1


def _printed_span(record: dict, quote_start: int) -> tuple[int, int]:
    """Where the printed number (with its unit, when it follows) stands in the normalized document."""
    if quote_start < 0:
        return -1, -1
    quote, printed = _text(record, "quote").replace(" ", ""), _text(record, "printed")
    match = locate(quote, printed, _text(record, "unit")) if _text(record, "unit") in units.UNITS else None
    start, end = (match.start(), match.end()) if match else (quote.find(printed), quote.find(printed) + len(printed))
    return (quote_start + start, quote_start + end) if start >= 0 else (-1, -1)


def _sort(text: str, article: Article | None) -> str:
    try:
        return periods.sort_key(text, article.meta.get("current_as_of", "9999") if article else "9999")
    except ValueError:
        return ""


def fact_rows(case: CaseFile, article: Article | None) -> list[dict]:
    headline = set(case.case.get("headline") or [])
    rows = []
    for record in case.facts:
        value, unit = _number(record, "value"), _text(record, "unit")
        value_base, base = _base(value, unit)
        row = {col: _text(record, col) for col in FACT_COLUMNS}
        row.update(case_id=case.case["case_id"], value=value, value_base=value_base, base_unit=base,
                   source_id=_text(case.case, "source_id"), headline=row["fact_id"] in headline,
                   quote_start=_quote_start(record, article), period_sort=_sort(row["period"], article),
                   source_file=case.path.name)
        row["printed_start"], row["printed_end"] = _printed_span(record, row["quote_start"])
        rows.append(row)
    return rows


def event_rows(case: CaseFile, article: Article | None) -> list[dict]:
    rows = []
    for record in case.events:
        row = {col: _text(record, col) for col in EVENT_COLUMNS}
        row.update(case_id=case.case["case_id"], source_id=_text(case.case, "source_id"),
                   quote_start=_quote_start(record, article), date_sort=_sort(row["date"], article),
                   source_file=case.path.name)
        rows.append(row)
    return rows


def practice_rows(case: CaseFile, article: Article | None) -> list[dict]:
    rows = []
    for record in case.practices:
        row = {col: _text(record, col) for col in PRACTICE_COLUMNS}
        row.update(case_id=case.case["case_id"], source_id=_text(case.case, "source_id"),
                   result_fact_ids=",".join(record.get("result_fact_ids") or []),
                   quote_start=_quote_start(record, article), source_file=case.path.name)
        rows.append(row)
    return rows


def case_row(case: CaseFile, order: int) -> dict:
    row = {col: _text(case.case, col) for col in CASE_COLUMNS}
    row.update(order=order, layout=layout.to_json(case.layout), source_file=case.path.name)
    return row


def source_row(article: Article) -> dict:
    row = {col: _text(article.meta, col) for col in SOURCE_COLUMNS}
    row.update(source_id=article.source_id, file=article.path.name, sha256=sha256_file(article.path),
               text=article.text, normalized=article.normalized, source_file=article.path.with_suffix(".yaml").name)
    return row


def frame(rows: list[dict], table: str, sort_by: list[str]) -> pd.DataFrame:
    """A DataFrame with the table's columns in order and the dictionary's types, sorted for determinism."""
    df = pd.DataFrame(rows, columns=fields.columns(table))
    df = df.astype({f.name: f.dtype for f in fields.of(table)})
    return df.sort_values(sort_by, kind="stable").reset_index(drop=True)


def _first_position(case: CaseFile, article: Article | None) -> tuple[str, int]:
    """Cases are ordered as their article prints them: by source, then by their first quote's offset."""
    starts = [_quote_start(r, article) for r in case.facts]
    return _text(case.case, "source_id"), min([s for s in starts if s >= 0], default=NO_QUOTE)


def build_tables(cases: list[CaseFile], articles: dict[str, Article]) -> dict[str, pd.DataFrame]:
    def article_of(case: CaseFile) -> Article | None:
        return articles.get(_text(case.case, "source_id"))

    cases = sorted(cases, key=lambda c: _first_position(c, article_of(c)))
    return {
        "cases": frame([case_row(c, i) for i, c in enumerate(cases)], "cases", SORT_KEYS["cases"]),
        "facts": frame([r for c in cases for r in fact_rows(c, article_of(c))], "facts", SORT_KEYS["facts"]),
        "events": frame([r for c in cases for r in event_rows(c, article_of(c))], "events", SORT_KEYS["events"]),
        "practices": frame([r for c in cases for r in practice_rows(c, article_of(c))], "practices",
                           SORT_KEYS["practices"]),
        "sources": frame([source_row(a) for a in articles.values()], "sources", SORT_KEYS["sources"]),
    }
