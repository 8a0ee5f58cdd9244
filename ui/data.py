"""The one cached loader. Every page reads the datasets through ``dataset()``."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st

from metrics.store import Dataset, load

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """DASHBOARD_DATA_DIR points the app at another build (tests, new cases); default: ./data."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", DEFAULT_DIR))


def _stamp(folder: Path) -> str:
    """Changes whenever a data file changes, so a rebuild (or damage) is picked up without a restart.

    One os.scandir per folder (the stat comes with the listing) and a short digest: this runs twice per page run,
    and Streamlit hashes the cache key on every call."""
    entries = []

    def scan(path: str, depth: int) -> None:
        try:
            with os.scandir(path) as listing:
                for entry in listing:
                    if depth == 0 and entry.is_dir():
                        scan(entry.path, 1)
                    elif entry.name.endswith(".parquet") or (depth == 0 and entry.name == "manifest.json"):
                        info = entry.stat()
                        entries.append(f"{entry.path}:{info.st_mtime_ns}:{info.st_size}")
        except OSError:
            pass

    scan(str(folder), 0)
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, stamp: str) -> Dataset:
    # cache_resource, not cache_data: the tables are read-only and large; copying them per rerun would cost
    # more than the page itself. Pages never modify what they get.
    return load(Path(folder))


def dataset() -> Dataset:
    folder = data_dir()
    return _load(str(folder), _stamp(folder))
