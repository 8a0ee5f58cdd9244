"""The case finder's inputs (in the URL) and what it lists, read once per run: the navigation registers the listed
cases' pages before the finder page draws their links (ui/navigation.py)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import compare, finder
from metrics.store import Dataset

from .i18n import lang
from .run import once_per_run
from .state import Param

QUERY = Param("find", "")
PROVINCE = Param("province", "")
FAMILY = Param("family", "")
PARAMS = [QUERY, PROVINCE, FAMILY]


def index(ds: Dataset) -> pd.DataFrame:
    """The finder's index in the reader's language: one frame per dataset and language, shared read-only (its
    options and summary are remembered by its identity: a copy per run missed them, 60 ms a run at 20,000 cases)."""
    lg = lang()
    families = {f.family: getattr(f, f"name_{lg}") for f in compare.lists()[0].values()}
    return ds.derived(("finder_index", lg), lambda: finder.index(ds["cases"], families, lg))


def _value(param: Param) -> str:
    """The input's value: as drawn, or, before the finder has drawn it in this session, as the link gives it."""
    if param.key in st.session_state:
        return str(st.session_state[param.key] or "")
    return str(param.parse(st.query_params.get_all(param.key))[0] or "")


FOUND_KEPT = 32   # searches remembered per dataset (a rerun, a language switch or a click asks for one again)


def _inputs() -> tuple[str, ...]:
    return (lang(), *(_value(p) for p in PARAMS))


def found(ds: Dataset) -> pd.DataFrame:
    """Every case the finder's inputs match (a frame shared read-only: a search is remembered per dataset)."""
    def search() -> pd.DataFrame:
        inputs = _inputs()
        return ds.remembered("finder", inputs, lambda: finder.find(index(ds), *inputs[1:]), FOUND_KEPT)
    return once_per_run("finder_found", search)


def grouped(ds: Dataset) -> list:
    """``finder.groups`` of what the inputs match, remembered with the search."""
    return ds.remembered("finder_groups", _inputs(), lambda: finder.groups(found(ds)), FOUND_KEPT)


def listed(ds: Dataset) -> list[str]:
    """The case ids the finder lists in this run (at most finder.SHOWN)."""
    return found(ds)["case_id"].iloc[:finder.SHOWN].tolist()
