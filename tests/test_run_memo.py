"""Values remembered for one script run (ui/run.py): read once per run, read again on the next run, and never
stale: switching the language or rebuilding the data shows on the very next run."""
from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from metrics.catalog import text
from tests.conftest import ROOT, open_page
from metrics.store import load
from tests.support.blocks import calculator
from tests.test_pages import chart_titles

TABLES = load(ROOT / "data").tables
TITLES = {"overview.timeline.title": lambda lang: text("overview.timeline.title", lang),
          "risk calculator": lambda lang: calculator(TABLES, "heilongjiang", "risk", lang)["title"]}


def counting_script():
    import streamlit as st

    from ui.run import forget, once_per_run

    def make():
        st.session_state["made"] = st.session_state.get("made", 0) + 1
        return st.session_state["made"]

    seen = [once_per_run("x", make) for _ in range(3)]
    forget("x")
    seen.append(once_per_run("x", make))
    st.session_state["seen"] = seen
    if st.session_state.get("rerun_once"):
        # st.rerun() starts the next run in the same script runner (the same run context): still a new run.
        st.session_state["rerun_once"] = False
        st.rerun()


@pytest.mark.parametrize("runs", [1, 2, 3])
def test_made_once_per_run_and_again_after_forget(runs):
    at = AppTest.from_function(counting_script, default_timeout=30)
    for _ in range(runs):
        at.run()
    assert not at.exception
    # Each run makes the value once for the three reads and once more after forget: 2 per run.
    assert at.session_state["made"] == 2 * runs
    assert at.session_state["seen"] == [2 * runs - 1] * 3 + [2 * runs]


def test_a_rerun_in_the_same_runner_is_a_new_run():
    at = AppTest.from_function(counting_script, default_timeout=30)
    at.session_state["rerun_once"] = True
    at.run()
    assert not at.exception
    assert at.session_state["made"] == 4
    assert at.session_state["seen"] == [3, 3, 3, 4]


@pytest.mark.parametrize("page,title_key", [("pages/overview.py", "overview.timeline.title"),
                                            ("heilongjiang", "risk calculator")])
def test_language_switch_shows_on_the_next_run(page, title_key):
    at = open_page(page)
    for lang in ("en", "zh", "en"):
        at.radio(key="lang").set_value(lang)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(t.startswith(TITLES[title_key](lang)) for t in chart_titles(at)), (lang, chart_titles(at))


def test_rebuild_shows_on_the_next_run(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = open_page("xiangtan")
    assert not at.error
    (folder / "xiangtan" / "facts.parquet").write_bytes(b"not parquet")
    at.run()
    assert any("xiangtan/facts.parquet" in e.value for e in at.error), [e.value for e in at.error]
