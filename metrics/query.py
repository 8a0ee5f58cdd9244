"""The data page's filters over the whole collection, as Arrow (pure pyarrow; no pandas until the rows shown).

At 10^6 figures the collection tables stay Arrow, repeated text dictionary-encoded (metrics/store.py): a search
tests each distinct text once, and only the page of rows on screen (or a download) is made into pandas.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .store import is_text, plain


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column if is_text(column.type) else pc.cast(column, pa.large_string())


def _contains(column: pa.ChunkedArray, query: str) -> pa.ChunkedArray:
    """Where ``column`` contains ``query`` (plain text, case-insensitive); a dictionary column is tested once per
    distinct value."""
    if pa.types.is_dictionary(column.type):
        hits = []
        for chunk in column.chunks:
            found = pc.match_substring(_as_text(chunk.dictionary), query, ignore_case=True)
            hits.append(pc.fill_null(pc.take(found, chunk.indices), False))
        return pa.chunked_array(hits, pa.bool_())
    return pc.fill_null(pc.match_substring(_as_text(column), query, ignore_case=True), False)


def _among(column: pa.ChunkedArray, values: list[str]) -> pa.ChunkedArray:
    text = _as_text(column)
    return pc.is_in(text, pa.array(values, text.type))


def matching(table: pa.Table, case_ids: list[str], kinds: list[str], query: str, columns: list[str]) -> pa.Array | None:
    """The positions of the rows of the chosen cases (all if none), of the chosen kinds (where the table has kinds)
    and containing ``query`` in one of ``columns``; None when nothing narrows the table (every row)."""
    tests = []
    if case_ids:
        tests.append(_among(table["case_id"], case_ids))
    if kinds and "kind" in table.column_names:
        tests.append(_among(table["kind"], kinds))
    query = query.strip()
    if query:
        found = None
        for name in columns:
            hit = _contains(table[name], query)
            found = hit if found is None else pc.or_(found, hit)
        tests.append(found)
    if not tests:
        return None
    keep = tests[0]
    for test in tests[1:]:
        keep = pc.and_(keep, test)
    return pc.indices_nonzero(keep)


def count(table: pa.Table, rows: pa.Array | None) -> int:
    return table.num_rows if rows is None else len(rows)


def rows_of(table: pa.Table, rows: pa.Array | None, first: int = 0, length: int | None = None) -> pa.Table:
    """Rows ``first`` … ``first + length`` of the matching rows (all of them without ``length``), text as text."""
    length = count(table, rows) - first if length is None else length
    part = table.slice(first, length) if rows is None else table.take(rows.slice(first, length))
    return plain(part)
