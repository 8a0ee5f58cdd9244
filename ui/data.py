"""The one cached loader. Every page reads the datasets through ``dataset()``."""
from __future__ import annotations

import gc
import hashlib
import itertools
import os
from pathlib import Path

import streamlit as st

from metrics import finder, query
from metrics.store import CASE_TABLES, COLLECTION_PREFIX, SHARED_TABLES, Dataset, load

from .run import once_per_run

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """DASHBOARD_DATA_DIR points the app at another build (tests, new cases); default: ./data."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", DEFAULT_DIR))


_LARGE: set[str] = set()   # folders last loaded as large collections (their case folders are not scanned)


def _stamp(folder: Path) -> str:
    """Changes whenever a data file changes, so a rebuild (or damage) is picked up without a restart.

    A stat of manifest.json and each top-level file, and in a small collection of each case's files: this runs on
    every page run, and Streamlit hashes the cache key on every call. A large collection's case folders are not
    listed (20,000 folders: most of a run's time): a rebuild always writes manifest.json (last), and a case's files
    are checked when the case is opened."""
    entries = []
    names = ["manifest.json", *(f"{n}.parquet" for n in SHARED_TABLES),
             *(f"{COLLECTION_PREFIX}{n}.parquet" for n in CASE_TABLES)]
    for name in names:
        try:
            info = os.stat(folder / name)
            entries.append(f"{name}:{info.st_mtime_ns}:{info.st_size}")
        except OSError:
            entries.append(f"{name}:-")
    if str(folder) not in _LARGE:
        try:
            with os.scandir(folder) as listing:
                folders = [entry.path for entry in listing if entry.is_dir()]
        except OSError:
            folders = []
        for path in folders if len(folders) <= finder.LISTED_CASES else []:
            for table in CASE_TABLES:
                try:
                    info = os.stat(os.path.join(path, f"{table}.parquet"))
                    entries.append(f"{path}/{table}:{info.st_mtime_ns}:{info.st_size}")
                except OSError:
                    pass
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, stamp: str) -> Dataset:
    # cache_resource, not cache_data: the tables are read-only and large; copying them per rerun would cost
    # more than the page itself. Pages never modify what they get.
    return load(Path(folder))


_calls = itertools.count(1)


def _settle_long_lived() -> None:
    """Move what the process holds for good (libraries, the tables, built figures and views) out of the garbage
    collector's way, on the 1st, 2nd, 4th … 256th call: by then every cache is warm.

    A full garbage collection walks every tracked object in the process; Streamlit's default ran one after every
    script run, and that walk was most of the server's CPU per page run (50 sessions at once: 9.7 of 14.3
    CPU-seconds). We switched that off (.streamlit/config.toml, runner.postScriptGC); Python's own full
    collections still come now and then. Frozen objects are skipped by the collector; reference counting still
    frees them (the tables hold no reference cycles), so a reload after a rebuild still releases the old tables.
    """
    n = next(_calls)
    if n <= 256 and n & (n - 1) == 0:
        gc.freeze()


def dataset() -> Dataset:
    """The current build: checked once per script run (a rebuild or damage shows on the next run)."""
    return once_per_run("dataset", _current)


def _current() -> Dataset:
    folder = data_dir()
    ds = _load(str(folder), _stamp(folder))
    if not ds.eager:
        _LARGE.add(str(folder))
    _settle_long_lived()
    return ds


def coded_facts(ds: Dataset):
    """The facts that carry a comparable-indicator code: all the overview and the compare page compare (a small
    part of the collection, so neither holds every figure as pandas)."""
    return ds.derived(("coded_facts",), lambda: ds.where("facts", "code"))


QUERIES_KEPT = 32    # data-page filters remembered per dataset (a page change or a language switch reruns the same one)
ARTICLES_AT_ONCE = 5  # articles the article tab shows when no case is chosen and the collection has many


def matching(ds: Dataset, name: str, case_ids: list[str], kinds: list[str], search: str, columns: list[str]):
    """The positions of one collection table's rows that the data page's filters keep (None: every row), the last
    few filters remembered: paging through the results filters once."""
    key = (name, tuple(case_ids), tuple(kinds), search.strip(), tuple(columns))
    return ds.remembered("data_queries", key, lambda: _matching(ds, name, case_ids, kinds, search, columns), QUERIES_KEPT)


def _matching(ds: Dataset, name: str, case_ids: list[str], kinds: list[str], search: str, columns: list[str]):
    table = ds.collection[name]
    index = ds.search_index(name)
    if index is not None and list(index.columns) == list(columns):   # a large collection: look the search up
        plain_ascii = index.ascii
    else:
        index = None
        plain_ascii = ds.derived(("ascii_columns", name, tuple(columns)), lambda: query.ascii_columns(table, columns))
    return query.matching(table, case_ids, kinds, search, columns, plain_ascii, index)


def articles(ds: Dataset, case_ids: list[str]):
    """The sources the article tab shows: the chosen cases' articles; with none chosen, every article of a small
    collection, the first few of a large one (each article is drawn whole, with its figures marked)."""
    sources = ds["sources"]
    if case_ids:
        cases = ds["cases"]
        wanted = set(cases.loc[cases["case_id"].isin(case_ids), "source_id"])
        return sources[sources["source_id"].isin(wanted)]
    return sources if len(sources) <= finder.LISTED_CASES else sources.iloc[:ARTICLES_AT_ONCE]


def marks(ds: Dataset, source_id: str):
    """Where the article's figures are printed (fact id, start, end): from the collection table, one source's rows."""
    def make():
        facts = ds.collection["facts"].select(["source_id", "fact_id", "printed_start", "printed_end"])
        return ds.rows_where(facts, "source_id", source_id)
    return ds.derived_for("source:" + source_id, ("article_marks",), make)


OVERVIEW_CASES = 12   # cases per family whose figures the overview's charts compare (the compare page has them all)


def overview_facts(ds: Dataset):
    """The coded facts of the first ``OVERVIEW_CASES`` cases of each family: the overview's charts stay readable and
    the page costs the same at 20 or 20,000 cases (at 2,000 cases charting every case cost 5× today's time)."""
    def make():
        shown = ds["cases"].groupby("family", sort=False).head(OVERVIEW_CASES)["case_id"].tolist()
        facts = ds.rows("facts", shown)
        return facts[facts["code"].fillna("") != ""]
    return ds.derived(("overview_facts", OVERVIEW_CASES), make)


def case_choices(ds: Dataset, chosen: list[str]) -> list[str]:
    """The data page's case filter options: every case of a small collection; in a large one the chosen cases and
    the first few (20,000 options cost more to send each run than the rest of the page)."""
    ids = ds.case_ids()
    if len(ids) <= finder.LISTED_CASES:
        return ids
    return list(dict.fromkeys([*chosen, *ids[:finder.LISTED_CASES]]))
