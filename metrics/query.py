"""The data page's filters over the whole collection, as Arrow (pure pyarrow; no pandas until the rows shown).

At 10^6 figures the collection tables stay Arrow, repeated text dictionary-encoded (metrics/store.py): a search
tests each distinct text once, and only the page of rows on screen (or a download) is made into pandas.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pyarrow as pa
import pyarrow.compute as pc

from . import search_index
from .store import is_text, plain


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column if is_text(column.type) else pc.cast(column, pa.large_string())


def _contains(column: pa.ChunkedArray, query: str, ignore_case: bool) -> pa.ChunkedArray:
    """Where ``column`` contains ``query`` (plain text); a dictionary column is tested once per distinct value."""
    if pa.types.is_dictionary(column.type):
        hits = []
        for chunk in column.chunks:
            found = pc.match_substring(_as_text(chunk.dictionary), query, ignore_case=ignore_case)
            hits.append(pc.fill_null(pc.take(found, chunk.indices), False))
        return pa.chunked_array(hits, pa.bool_())
    return pc.fill_null(pc.match_substring(_as_text(column), query, ignore_case=ignore_case), False)


def _search(table: pa.Table, query: str, columns: list[str], ascii_columns: frozenset) -> pa.ChunkedArray:
    """Rows where one of ``columns`` contains ``query``, case-insensitive.

    A query without letters that have a case (Chinese, digits: most searches here) is matched as it is:
    case-insensitive matching goes through a regular expression engine and took 10 times as long. A query with
    characters beyond ASCII skips the columns that hold ASCII only (ids, English names): it cannot be in them. The
    columns are searched in parallel (Arrow's kernels release the GIL)."""
    ignore_case = query.lower() != query.upper()
    wanted = [c for c in columns if query.isascii() or c not in ascii_columns]
    if not wanted:
        return pa.chunked_array([pa.array([False] * table.num_rows, pa.bool_())])
    hits = list(_POOL.map(lambda name: _contains(table[name], query, ignore_case), wanted))
    found = hits[0]
    for hit in hits[1:]:
        found = pc.or_(found, hit)
    return found


def ascii_columns(table: pa.Table, columns: list[str]) -> frozenset:
    """The text columns whose every value is ASCII (made once per table: see :func:`_search`)."""
    return frozenset(c for c in columns if pc.all(pc.fill_null(pc.string_is_ascii(_decoded(table[c])), True)).as_py())


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.dictionary_decode(column) if pa.types.is_dictionary(column.type) else _as_text(column)


_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search")


def _among(column: pa.ChunkedArray, values: list[str]) -> pa.ChunkedArray:
    text = _as_text(column)
    return pc.is_in(text, pa.array(values, text.type))


def matching(table: pa.Table, case_ids: list[str], kinds: list[str], query: str, columns: list[str],
             ascii_only: frozenset = frozenset(), index: search_index.Index | None = None) -> pa.Array | None:
    """The positions of the rows of the chosen cases (all if none), of the chosen kinds (where the table has kinds)
    and containing ``query`` in one of ``columns``; None when nothing narrows the table (every row).

    Each test runs on the rows the previous ones kept: with cases chosen, a search reads only their rows. With an
    ``index`` of ``columns`` (metrics/search_index.py) the search looks the query up instead of reading the text,
    unless it is a query the index does not answer."""
    query = query.strip()
    tests = [lambda rows, at: _among(rows()["case_id"], case_ids)] if case_ids else []
    if kinds and "kind" in table.column_names:
        tests.append(lambda rows, at: _among(rows()["kind"], kinds))
    if query:
        tests.append(lambda rows, at: _searched(rows, at, query, columns, ascii_only, index))
    positions = None
    for test in tests:
        kept = pc.indices_nonzero(test(partial(_taken, table, positions), positions))
        positions = kept if positions is None else pc.take(positions, kept)
    return positions


def _taken(table: pa.Table, positions: pa.Array | None) -> pa.Table:
    """The rows kept so far (taken only when a test reads them: the index reads positions, not rows)."""
    return table if positions is None else table.take(positions)


def _searched(rows, positions, query: str, columns: list[str], ascii_only: frozenset, index) -> pa.Array:
    found = _indexed(index, query, positions)
    return found if found is not None else _search(rows(), query, columns, ascii_only)


def _indexed(index: search_index.Index | None, query: str, positions: pa.Array | None) -> pa.Array | None:
    if index is None:
        return None
    found = index.rows(query, None if positions is None else positions.to_numpy())
    return None if found is None else pa.array(found, pa.bool_())


def count(table: pa.Table, rows: pa.Array | None) -> int:
    return table.num_rows if rows is None else len(rows)


def rows_of(table: pa.Table, rows: pa.Array | None, first: int = 0, length: int | None = None) -> pa.Table:
    """Rows ``first`` … ``first + length`` of the matching rows (all of them without ``length``), text as text."""
    length = count(table, rows) - first if length is None else length
    part = table.slice(first, length) if rows is None else table.take(rows.slice(first, length))
    return plain(part)
