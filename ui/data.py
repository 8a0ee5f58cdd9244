"""The one cached loader. Every page reads the datasets through ``dataset()``."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from metrics.store import Dataset, load

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """DASHBOARD_DATA_DIR points the app at another build (tests, new cases); default: ./data."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", DEFAULT_DIR))


def _stamp(folder: Path) -> tuple:
    """Changes whenever a data file changes, so a rebuild (or damage) is picked up without a restart."""
    files = [folder / "manifest.json", *sorted(folder.glob("*.parquet")), *sorted(folder.glob("*/*.parquet"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, stamp: tuple) -> Dataset:
    # cache_resource, not cache_data: the tables are read-only and large; copying them per rerun would cost
    # more than the page itself. Pages never modify what they get.
    return load(Path(folder))


def dataset() -> Dataset:
    folder = data_dir()
    return _load(str(folder), _stamp(folder))
