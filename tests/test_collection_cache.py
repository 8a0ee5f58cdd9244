"""A large collection's tables are mapped from a cached copy made from the checked parquet files
(metrics/collection_cache.py): a missing, stale or damaged copy is made again, and never gives other data."""
from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest

from metrics import collection_cache, query, search_index
from metrics.store import CASE_TABLES, Outputs, load, plain
from tests.support.collections import large_collection

EXTRA_CASES, CASE_SIZE = 20, 25   # over EAGER_CASES: the store maps the collection tables


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return large_collection(tmp_path_factory.mktemp("cache") / "data", EXTRA_CASES, CASE_SIZE)


@pytest.fixture
def data(pristine, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(pristine, folder, ignore=shutil.ignore_patterns(collection_cache.FOLDER))
    return folder


def copies(folder, name="facts"):
    return sorted((folder / collection_cache.FOLDER).glob(f"{name}-*"))


def same_as_parquet(folder, name="facts") -> None:
    ds = load(folder)
    assert not ds.problems and not ds.eager
    table = ds.collection[name]
    assert plain(table).equals(pq.read_table(folder / f"all_{name}.parquet"))
    index = ds.search_index(name)
    assert index is not None and index.columns == tuple(search_index.SEARCH_COLUMNS[name])
    columns = search_index.SEARCH_COLUMNS[name]
    found = query.matching(table, [], [], "担保", columns, index.ascii, index)
    assert found.to_pylist() == query.matching(table, [], [], "担保", columns).to_pylist() and len(found) > 0


def test_a_missing_copy_is_made_and_mapped(data):
    assert not copies(data)
    same_as_parquet(data)
    assert [p.name for p in copies(data)] == [collection_cache.folder(data, "facts", _sha(data)).name]
    quotes = load(data).collection["facts"]["quote"].chunks[0].buffers()[2]
    assert any(start <= quotes.address < end for start, end in mapped(copies(data)[0] / collection_cache.TABLE)), \
        "the quotes are read from the mapped file, not copied into memory"


def mapped(path) -> list[tuple[int, int]]:
    """The address ranges where this process maps ``path`` (Linux: /proc/self/maps)."""
    ranges = []
    for line in open("/proc/self/maps", encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 6 and parts[5] == str(path):
            start, end = (int(x, 16) for x in parts[0].split("-"))
            ranges.append((start, end))
    return ranges


def _sha(folder, name="facts") -> str:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"][f"all_{name}.parquet"]["sha256"]


def test_a_stale_copy_is_replaced(data):
    load(data).collection["facts"]
    made = copies(data)[0]
    stale = made.with_name("facts-" + "0" * 32)   # as a copy of an earlier build's table is named
    made.rename(stale)
    same_as_parquet(data)
    assert copies(data) == [made]


def _flip(path, at: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[at] ^= 0xFF
    path.write_bytes(bytes(raw))


DAMAGE = {
    "a flipped byte in the table": lambda f: _flip(f / collection_cache.TABLE, len((f / collection_cache.TABLE).read_bytes()) // 2),
    "a truncated table": lambda f: (f / collection_cache.TABLE).write_bytes((f / collection_cache.TABLE).read_bytes()[:1000]),
    "a flipped byte in the postings": lambda f: _flip(f / "postings.npy", -5),
    "a missing docs file": lambda f: (f / collection_cache.DOCS).unlink(),
    "an unreadable meta.json": lambda f: (f / collection_cache.META).write_text("{not json", encoding="utf-8"),
    "meta.json of other columns": lambda f: (f / collection_cache.META).write_text(
        json.dumps({**json.loads((f / collection_cache.META).read_text()), "key": {"columns": ["quote"]}}), encoding="utf-8"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_copy_is_made_again(data, damage):
    load(data).collection["facts"]
    folder = copies(data)[0]
    DAMAGE[damage](folder)
    assert collection_cache.open_cached(data, "facts", _sha(data), search_index.SEARCH_COLUMNS["facts"]) is None
    same_as_parquet(data)
    assert collection_cache.open_cached(data, "facts", _sha(data), search_index.SEARCH_COLUMNS["facts"]) is not None


def test_a_folder_that_cannot_be_written_is_read_into_memory(data, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")
    monkeypatch.setattr(collection_cache.tempfile, "mkdtemp", refuse)
    ds = load(data)
    assert plain(ds.collection["facts"]).equals(pq.read_table(data / "all_facts.parquet"))
    assert ds.search_index("facts") is None and not copies(data)


@pytest.mark.parametrize("name", CASE_TABLES)
def test_every_collection_table_is_cached(data, name):
    same_as_parquet(data, name)
    assert len(copies(data, name)) == 1


def test_a_large_manifest_is_held_compactly(data):
    """80,000 output entries as arrays (metrics.store.Outputs), answering as the manifest's dict does."""
    written = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    compact = Outputs(written)
    assert len(compact) == len(written) > 100 and list(compact) == sorted(written)
    assert all(compact[rel] == written[rel] for rel in written)
    assert compact.get("nothing.parquet") is None and "all_facts.parquet" in compact
