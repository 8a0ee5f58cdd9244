"""Read the built datasets back, checking them against the manifest, and say exactly what is wrong.

A damaged file (missing, truncated, corrupted, columns drifted, checksum mismatch) never stops the whole
dashboard: it is reported as a DataProblem naming the file and the rebuild command, the case it belongs to
is marked unavailable, and every other case loads normally. Nothing damaged is ever returned as data.

What is read when (bench/README.md, "Scale", has the figures behind it):

* at load: the manifest, the shared tables (cases, sources, dictionary) and each case table of the whole collection
  (all_facts.parquet …, one file each), kept as Arrow tables with repeated text dictionary-encoded: at 10^6
  figures that is a fraction of the pandas tables, and the data page filters it without pandas;
* a case's own files when the case is first opened (``case_tables``): checked against the manifest then, kept in
  a bounded cache. In a collection of at most ``EAGER_CASES`` cases every case is checked at load instead, so the
  overview and the data page know at once which cases are damaged and leave them out (as they always did); above
  that, checking 4 files per case on every start would cost more than the rest of the start together, so a damaged
  case is found, and named, when it is opened.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import collection_cache, fields, search_index

REBUILD = "python -m metrics.build"
# Every column of the field dictionary is required: a file without one is from an older build or damaged.
REQUIRED_COLUMNS = {**{table: fields.columns(table) for table in fields.TABLES}, "dictionary": fields.DICTIONARY_COLUMNS}
CASE_TABLES = ("facts", "events", "practices", "indicators")
SHARED_TABLES = ("cases", "sources", "dictionary")
COLLECTION_PREFIX = "all_"   # all_facts.parquet …: one case table of every case (metrics.build.output_files)
EAGER_CASES = 30      # up to this many cases, every case's files are checked at load (see the module's docstring)
CASE_CACHE = 64       # cases whose tables stay in memory once opened (a case is a few hundred KB at most)
CASE_VIEWS = 256      # cases whose page blocks stay made (each a few hundred KB in two languages and four units)
# Text columns kept as plain strings in memory: the rest repeat (ids of cases and sources, units, kinds, periods,
# scopes …) and are dictionary-encoded. Measured at 10^6 figures: see bench/README.md.
PLAIN_TEXT = {"fact_id", "event_id", "practice_id", "indicator_id", "quote", "indicator_zh", "indicator_en",
              "printed", "inputs", "result_fact_ids"}


@dataclass(frozen=True)
class DataProblem:
    file: str
    reason: str
    case_id: str = ""   # "" when the problem affects every case


class Outputs(Mapping):
    """The manifest's output entries ({"sha256", "rows"} by relative path) in three arrays instead of one dict per
    file: at 20,000 cases the 80,000 entries took 35 MB as Python objects, about 4 MB here."""

    def __init__(self, outputs: dict) -> None:
        paths = sorted(outputs)
        self._paths = np.array([p.encode() for p in paths], dtype=bytes)
        self._sha = np.frombuffer(b"".join(bytes.fromhex(str(outputs[p].get("sha256") or "0" * 64)) for p in paths),
                                  dtype=np.uint8).reshape(len(paths), 32)
        self._rows = np.array([int(outputs[p].get("rows") or 0) for p in paths], dtype=np.int64)

    def __getitem__(self, rel: str) -> dict:
        key = rel.encode()
        at = int(np.searchsorted(self._paths, key))
        if at == len(self._paths) or self._paths[at] != key:
            raise KeyError(rel)
        return {"sha256": self._sha[at].tobytes().hex(), "rows": int(self._rows[at])}

    def __iter__(self) -> Iterator[str]:
        return (p.decode() for p in self._paths.tolist())

    def __len__(self) -> int:
        return len(self._paths)


COMPACT_OUTPUTS = 1000   # manifests with more output files than this are held as ``Outputs``


def read_manifest(data_dir: Path) -> tuple[dict, list[DataProblem]]:
    path = data_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest.get("outputs"), dict):
            raise ValueError("no 'outputs' section")
        if len(manifest["outputs"]) > COMPACT_OUTPUTS:
            manifest["outputs"] = Outputs(manifest["outputs"])
        return manifest, []
    except FileNotFoundError:
        return {"outputs": {}}, [DataProblem("manifest.json", "missing")]
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError) as exc:
        return {"outputs": {}}, [DataProblem("manifest.json", f"unreadable ({exc})")]


def _table_name(rel: str) -> str:
    return Path(rel).stem.removeprefix(COLLECTION_PREFIX)


def read_arrow(data_dir: Path, rel: str, manifest: dict, dictionary: bool = False) -> tuple[pa.Table | None, str]:
    """One parquet file as Arrow, verified against its manifest checksum and the contract's columns; (table, '') or
    (None, why). With ``dictionary``, the repeated text columns come dictionary-encoded."""
    path = data_dir / rel
    expected = manifest["outputs"].get(rel, {}).get("sha256")
    if not path.exists():
        return None, "missing"
    if expected is None:
        return None, "not listed in manifest.json"
    if collection_cache.sha256_of(path) != expected:
        return None, "checksum does not match manifest.json (file changed or damaged)"
    try:
        schema = pq.read_schema(path)
        encoded = [f.name for f in schema if dictionary and is_text(f.type) and f.name not in PLAIN_TEXT]
        table = pq.read_table(path, read_dictionary=encoded or None)
        if encoded:   # keep each column's own text type inside the dictionary: decoded, the file's table comes back
            table = table.cast(pa.schema([f.with_type(pa.dictionary(pa.int32(), f.type)) if f.name in encoded else f
                                          for f in schema], metadata=schema.metadata))
    except Exception as exc:  # pyarrow raises several types for damaged files; all mean "unreadable"
        return None, f"unreadable parquet ({type(exc).__name__})"
    missing = [c for c in REQUIRED_COLUMNS[_table_name(rel)] if c not in table.column_names]
    return (None, f"columns missing: {', '.join(missing)}") if missing else (table, "")


def is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def read_table(data_dir: Path, rel: str, manifest: dict) -> tuple[pd.DataFrame | None, str]:
    """One parquet file as pandas (see :func:`read_arrow`)."""
    table, why = read_arrow(data_dir, rel, manifest)
    return (None, why) if table is None else (table.to_pandas(), "")


def plain(table: pa.Table) -> pa.Table:
    """The table without dictionary encoding: what the file holds, as pandas reads it (text, not categories)."""
    if not any(pa.types.is_dictionary(f.type) for f in table.schema):
        return table
    columns = [pc.dictionary_decode(c) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    schema = pa.schema([f.with_type(c.type) for f, c in zip(table.schema, columns)], metadata=table.schema.metadata)
    return pa.Table.from_arrays(columns, schema=schema)


def empty(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=REQUIRED_COLUMNS[name])


class CaseTables(Mapping):
    """Each case table of the whole collection, made by ``make(name)`` the first time it is asked for (once, also
    under concurrent sessions). ``Dataset.collection`` holds them as Arrow, read and checked from disk: in a large
    collection the events, practices and indicators tables stay there until a page needs them."""

    def __init__(self, make: Callable[[str], object]) -> None:
        self._make, self._made, self._lock = make, {}, threading.Lock()

    def __getitem__(self, name: str):
        if name not in CASE_TABLES:
            raise KeyError(name)
        with self._lock:
            if name not in self._made:
                self._made[name] = self._make(name)
            return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(CASE_TABLES)

    def __len__(self) -> int:
        return len(CASE_TABLES)


class Tables(CaseTables):
    """The tables by name: the shared ones as read, and each case table of the whole collection made into pandas
    the first time it is asked for (only code that needs every row of every case does: tests, the static
    edition, small collections' overview). Pages of a large collection read ``Dataset.collection`` or one case."""

    def __init__(self, shared: dict[str, pd.DataFrame], dataset: Dataset) -> None:
        super().__init__(dataset.whole)
        self._shared = shared

    def __getitem__(self, name: str):
        return self._shared[name] if name in self._shared else super().__getitem__(name)

    def __iter__(self) -> Iterator[str]:
        return iter((*self._shared, *CASE_TABLES))

    def __len__(self) -> int:
        return len(self._shared) + len(CASE_TABLES)


class Dataset:
    """One build: shared tables, the whole collection as Arrow, each case's own tables on demand."""

    def __init__(self, data_dir: Path | None, manifest: dict, shared: dict[str, pd.DataFrame],
                 problems: list[DataProblem]) -> None:
        self.data_dir, self.manifest, self.collection = data_dir, manifest, CaseTables(self.read_collection)
        self.healthy: list[str] | None = None   # the cases found undamaged at load (small collections only)
        self.problems = problems
        self.tables = Tables(shared, self)
        # Read-only views derived from these tables (per-case slices, display tables), made once per loaded dataset
        # by the UI layer and dropped with it: see ``derived``.
        self.views: dict = {}
        self._cases: OrderedDict[str, dict[str, pd.DataFrame] | None] = OrderedDict()
        self._case_views: OrderedDict[str, dict] = OrderedDict()
        self._checked: set[str] = set()
        self._indexes: dict[str, search_index.Index] = {}
        self._lock = threading.RLock()
        self.eager = len(shared["cases"]) <= EAGER_CASES

    def derived(self, key: tuple, make: Callable[[], object]) -> object:
        """``make()`` once per dataset and ``key``; callers must not modify what they get."""
        if key not in self.views:
            self.views[key] = make()
        return self.views[key]

    def derived_for(self, case_id: str, key: tuple, make: Callable[[], object]) -> object:
        """``derived`` for what one case's page shows: kept for the ``CASE_VIEWS`` cases used last, so a server
        that has shown thousands of cases does not keep every one's blocks."""
        with self._lock:
            kept = self._case_views.get(case_id)
            if kept is not None:
                self._case_views.move_to_end(case_id)
                if key in kept:
                    return kept[key]
        made = make()
        with self._lock:
            self._case_views.setdefault(case_id, {})[key] = made
            while len(self._case_views) > CASE_VIEWS:
                self._case_views.popitem(last=False)
        return made

    def remembered(self, space: str, key: tuple, make: Callable[[], object], keep: int) -> object:
        """``make()`` for ``key``, the last ``keep`` keys of ``space`` remembered per dataset (views that depend on
        what a reader chose: a rerun, a page change or a language switch asks for the same one again)."""
        kept = self.derived(("remembered", space), OrderedDict)
        with self._lock:
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        made = make()
        with self._lock:
            kept[key] = made
            while len(kept) > keep:
                kept.popitem(last=False)
        return made

    @property
    def data_version(self) -> str:
        return str(self.manifest.get("data_version", ""))

    def broken(self, case_id: str = "") -> list[DataProblem]:
        """Problems that affect ``case_id`` (or, with no case, that affect everything). A case not opened yet is
        checked now."""
        if case_id:
            self.case_tables(case_id)
        return [p for p in self.problems if p.case_id in ("", case_id)]

    def case_ids(self) -> list[str]:
        return self.derived(("case_ids",), lambda: self.tables["cases"]["case_id"].tolist())

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    # --- one case ------------------------------------------------------------------------------------------------
    def case_tables(self, case_id: str) -> dict[str, pd.DataFrame] | None:
        """The case's own tables, with the shared cases and sources tables (what metrics.layout reads), or None
        when a file of the case is damaged (its problems are then in ``problems``) or the case is unknown."""
        with self._lock:
            if case_id in self._cases:
                self._cases.move_to_end(case_id)
                return self._cases[case_id]
        loaded = self._read_case(case_id)
        with self._lock:
            self._cases[case_id] = loaded
            while not self.eager and len(self._cases) > CASE_CACHE:
                self._cases.popitem(last=False)
        return loaded

    def _read_case(self, case_id: str) -> dict[str, pd.DataFrame] | None:
        if self.data_dir is None or case_id not in set(self.case_ids()):
            return None
        loaded, problems = {}, []
        for name in CASE_TABLES:
            rel = f"{case_id}/{name}.parquet"
            df, why = read_table(self.data_dir, rel, self.manifest)
            if why:
                problems.append(DataProblem(rel, why, case_id))
            else:
                loaded[name] = df
        with self._lock:
            if case_id not in self._checked:   # a case evicted and read again reports its problems once
                self._checked.add(case_id)
                self.problems.extend(problems)
        return None if problems else {**loaded, "cases": self.tables["cases"], "sources": self.tables["sources"]}

    # --- the whole collection ------------------------------------------------------------------------------------
    def whole(self, name: str) -> pd.DataFrame:
        """Every row of one case table, as pandas (made on request: at 10^6 figures this is the costly form)."""
        table = self.collection.get(name)
        return plain(table).to_pandas() if table is not None else empty(name)

    def search_index(self, name: str) -> search_index.Index | None:
        """The search index of one collection table (large collections: see metrics/collection_cache.py)."""
        self.collection[name]
        return self._indexes.get(name)

    def read_collection(self, name: str) -> pa.Table:
        """One collection table, checked; without the rows of cases found damaged at load. A damaged file is
        reported with the shared files' problems (the fix is the same rebuild) and reads as an empty table.

        A large collection's table is mapped from its cached copy (made here from the checked parquet file the
        first time), with its search index."""
        rel = f"{COLLECTION_PREFIX}{name}.parquet"
        sha = str(self.manifest["outputs"].get(rel, {}).get("sha256", ""))
        columns = search_index.SEARCH_COLUMNS[name]
        cached = None if self.eager or not sha else collection_cache.open_cached(self.data_dir, name, sha, columns)
        if cached is not None:
            self._indexes[name] = cached[1]
            return cached[0]
        table, why = read_arrow(self.data_dir, rel, self.manifest, dictionary=True) if self.data_dir else (None, "missing")
        if why:
            with self._lock:
                self.problems.append(DataProblem(rel, why))
            return pa.Table.from_pandas(empty(name), preserve_index=False)
        if not self.eager:   # (another process may have written the same copy meanwhile: open it either way)
            collection_cache.write(self.data_dir, name, sha, columns, table)
            cached = collection_cache.open_cached(self.data_dir, name, sha, columns)
            if cached is not None:   # the copy in memory goes; the mapped one stays
                del table
                pa.default_memory_pool().release_unused()
                self._indexes[name] = cached[1]
                return cached[0]
        pa.default_memory_pool().release_unused()   # the read's scratch memory, back to the system
        if self.healthy is not None and len(self.healthy) < len(self.case_ids()):
            kept = pc.is_in(pc.cast(table["case_id"], pa.string()), pa.array(self.healthy, pa.string()))
            return table.filter(kept)
        return table

    def counts(self) -> dict[str, int]:
        """Rows per table: what the overview's "about the data" says (from the manifest: no table is read for it)."""
        outputs = self.manifest.get("outputs", {})
        rows = {name: outputs.get(f"{COLLECTION_PREFIX}{name}.parquet", {}).get("rows") for name in CASE_TABLES}
        if self.healthy is not None and len(self.healthy) < len(self.case_ids()):
            rows = {}   # a damaged case's rows are left out: count what is shown
        return {**{name: rows.get(name) if rows.get(name) is not None else self.collection[name].num_rows
                   for name in CASE_TABLES},
                "cases": len(self.tables["cases"]), "sources": len(self.tables["sources"])}

    def rows(self, name: str, case_ids: list[str], columns: list[str] | None = None) -> pd.DataFrame:
        """The rows of these cases from one collection table (pandas, text as text)."""
        table = self.collection[name]
        if columns is not None:
            table = table.select(columns)
        chosen = pc.is_in(pc.cast(table["case_id"], pa.string()), pa.array(case_ids, pa.string()))
        return plain(table.filter(chosen)).to_pandas()

    @staticmethod
    def rows_where(table: pa.Table, column: str, value: str) -> pd.DataFrame:
        """The rows of an Arrow table whose ``column`` equals ``value``, as pandas (text as text)."""
        return plain(table.filter(pc.equal(pc.cast(table[column], pa.string()), value))).to_pandas()

    def where(self, name: str, column: str, present: bool = True) -> pd.DataFrame:
        """The rows of one collection table whose ``column`` is filled (the coded facts the comparisons read)."""
        table = self.collection[name]
        filled = pc.fill_null(pc.not_equal(pc.cast(table[column], pa.string()), ""), False)
        return plain(table.filter(filled if present else pc.invert(filled))).to_pandas()


def load(data_dir: Path) -> Dataset:
    manifest, problems = read_manifest(data_dir)
    shared: dict[str, pd.DataFrame] = {}
    for name in SHARED_TABLES:
        df, why = read_table(data_dir, f"{name}.parquet", manifest)
        if why:
            problems.append(DataProblem(f"{name}.parquet", why))
        shared[name] = df if df is not None else empty(name)
    ds = Dataset(data_dir, manifest, shared, problems)
    if ds.eager:   # every case and collection file checked now: problems known before the first page
        ds.healthy = [c for c in ds.case_ids() if ds.case_tables(c) is not None]
        available = shared["cases"]["case_id"].isin(ds.healthy)
    else:          # a large collection's cases count as available until one is opened and found damaged
        available = True
    ds.tables._shared["cases"] = shared["cases"].assign(available=available)
    for name in CASE_TABLES if ds.eager else ("facts",):   # facts: the data page's first tab
        ds.collection[name]
    pa.default_memory_pool().release_unused()   # the reads' scratch memory (at 20,000 cases about 80 MB)
    return ds
