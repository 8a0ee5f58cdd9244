"""A memory-mapped copy of a large collection's tables and their search index, made from the checked parquet files.

At 10^6 figures the facts table alone held 321 MB of the server's memory (quotes, names and ids are unique per
figure). Read from an uncompressed Arrow IPC file through a memory map, the table costs the process only the pages
a page actually reads (a page of rows, the case ids), and the operating system shares and drops them as it needs.

The copy lives in ``<data>/.cache/<table>-<sha256 of its parquet file>/`` (not committed), beside the table's
search index (metrics/search_index.py): made the first time a build's table is read, used by every later start.
Each file's sha256 is kept in ``meta.json`` and checked, by reading (not mapping) the file, before anything is
mapped: a stale, missing or damaged copy is made again from the parquet file, never used. A data folder that
cannot be written (a read-only install) is read as before, into memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from . import search_index

FOLDER = ".cache"
VERSION = "1"   # the layout below; a change makes every copy stale
META = "meta.json"
TABLE, DOCS = "table.arrow", "docs.arrow"
_ARRAYS = ("gram_keys", "gram_starts", "postings", "ids")   # the index's numeric parts, one .npy file each
_FILES = (TABLE, DOCS, *(f"{n}.npy" for n in _ARRAYS))


def folder(data_dir: Path, name: str, parquet_sha: str) -> Path:
    return data_dir / FOLDER / f"{name}-{parquet_sha[:32]}"


def sha256_of(path: Path) -> str:
    """A file's sha256, read in blocks (reading, not mapping: the check touches no page of the process)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(parquet_sha: str, columns: list[str]) -> dict:
    return {"version": VERSION, "pyarrow": pa.__version__, "parquet_sha256": parquet_sha, "columns": columns}


def open_cached(data_dir: Path, name: str, parquet_sha: str, columns: list[str]):
    """(table, index) mapped from a verified copy, or None when there is none that matches."""
    where = folder(data_dir, name, parquet_sha)
    try:
        meta = json.loads((where / META).read_text(encoding="utf-8"))
        if meta.get("key") != _key(parquet_sha, columns):
            return None
        files = meta["files"]
        if sorted(files) != sorted(_FILES):
            return None
        if any(sha256_of(where / rel) != digest for rel, digest in files.items()):
            return None
        table = _read_ipc(where / TABLE)
        docs = _read_ipc(where / DOCS).column("docs").combine_chunks()
        parts = {n: np.load(where / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in _ARRAYS}
        index = search_index.Index(tuple(columns), docs, parts["gram_keys"], parts["gram_starts"], parts["postings"],
                                   parts["ids"], frozenset(meta["ascii"]))
        return table, index
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):   # missing or damaged: make it again
        return None


def _read_ipc(path: Path) -> pa.Table:
    return ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def write(data_dir: Path, name: str, parquet_sha: str, columns: list[str], table: pa.Table) -> bool:
    """Make the copy and index of ``table`` (as read from its checked parquet file); False when the data folder
    cannot be written. Written into a scratch folder, then moved into place whole."""
    where = folder(data_dir, name, parquet_sha)
    try:
        (data_dir / FOLDER).mkdir(exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=data_dir / FOLDER))
    except OSError:
        return False
    try:
        index = search_index.build(table, columns)
        # One record batch with one dictionary per column: the IPC file format cannot replace a dictionary.
        _write_ipc(scratch / TABLE, table.unify_dictionaries().combine_chunks())
        _write_ipc(scratch / DOCS, pa.table({"docs": index.docs}))
        for n, array in search_index.arrays(index).items():
            np.save(scratch / f"{n}.npy", np.ascontiguousarray(array), allow_pickle=False)
        files = {rel: sha256_of(scratch / rel) for rel in _FILES}
        meta = {"key": _key(parquet_sha, columns), "files": files, "ascii": sorted(index.ascii)}
        (scratch / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        _remove_old(data_dir, name)
        os.replace(scratch, where)
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write_ipc(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _remove_old(data_dir: Path, name: str) -> None:
    """Earlier builds' copies of this table (and a damaged copy of this one): a new build makes them stale."""
    for old in (data_dir / FOLDER).glob(f"{name}-*"):
        if old.is_dir() and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
