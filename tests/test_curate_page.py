"""The curation page (pages/curate.py): in the navigation and working only for a local loopback run; hosted, it is
not listed, /curate lands on the overview and nothing is drawn that could write. AppTest drives the page on a copy of
the data (DASHBOARD_DATA_DIR): a draft made, edited, restored after a refresh, refused when stale."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from bench.wsclient import Session
from metrics import curation as cur

from .conftest import ENTRY
from .support.server import ROOT, free_port, serving

MIANYANG = ROOT / "data" / "corpus" / "06_mianyang_zhencun_gongyou_zichan.txt"
TITLE = "整理案例"


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("corpus", "drafts", ".build-*"))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(target))
    return target


@pytest.fixture
def loopback():
    """The address a local run has (config.toml): AppTest has no server, so the option is set as the server would."""
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", before)


def open_app(**query: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    return at


def open_curate(**query: str) -> AppTest:
    at = open_app(**query)
    at.switch_page("pages/curate.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def make_draft(at: AppTest, case_id: str = "mianyang_cun") -> AppTest:
    lines = MIANYANG.read_text(encoding="utf-8").splitlines()
    at.text_input(key="cur.new.case_id").input(case_id)
    at.text_area(key="cur.new.text").input("\n".join(lines[2:]))
    at.text_input(key="cur.new.title_zh").input(lines[1])
    at.get("form_submit_button")[-1].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- local ---------------------------------------------------------------------------------------------------------
def test_a_local_run_lists_the_workbench(data_copy, loopback, monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    at = open_curate()
    assert TITLE in titles(at)


def test_a_draft_is_made_edited_and_restored_after_a_refresh(data_copy, loopback, monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    at = make_draft(open_curate())
    assert at.query_params["draft"] == ["mianyang_cun"] or at.query_params["draft"] == "mianyang_cun"
    saved = cur.load_draft("mianyang_cun", data_copy)
    assert saved["rev"] == 1 and len(saved["facts"]) >= 4
    at.text_input(key="cur.1.case.locality_zh").input("绵阳市")
    at.run()
    assert cur.load_draft("mianyang_cun", data_copy)["case"]["locality_zh"] == "绵阳市"
    # a refresh: a new session with only the address (?draft=) brings the same draft back, field by field
    again = open_curate(draft="mianyang_cun")
    restored = cur.load_draft("mianyang_cun", data_copy)
    assert restored["rev"] == 2
    assert again.text_input(key="cur.2.case.locality_zh").value == "绵阳市"
    assert again.text_input(key="cur.2.meta.title_zh").value == restored["meta"]["title_zh"]


def test_a_second_tab_saving_an_older_revision_is_refused(data_copy, loopback, monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    make_draft(open_curate())
    tab_a, tab_b = open_curate(draft="mianyang_cun"), open_curate(draft="mianyang_cun")
    tab_a.text_input(key="cur.1.case.locality_zh").input("甲").run()
    tab_b.text_input(key="cur.1.case.locality_zh").input("乙").run()
    assert any("revision 2, yours 1" in e.value for e in tab_b.error)
    assert cur.load_draft("mianyang_cun", data_copy)["case"]["locality_zh"] == "甲"


def test_a_hostile_draft_link_is_refused(data_copy, loopback, monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    at = open_curate(draft="../../etc/passwd")
    assert any("case id" in e.value for e in at.error)
    assert TITLE in titles(at)


# --- hosted --------------------------------------------------------------------------------------------------------
def test_hosted_there_is_no_workbench_page(data_copy, loopback, monkeypatch):
    monkeypatch.setenv(cur.MODE_VAR, "hosted")
    at = open_app()
    with pytest.raises(ValueError):         # not registered: AppTest cannot find the page
        at.switch_page("pages/curate.py")
    # the page file run by itself (as a legacy pages/ link would) draws nothing
    alone = AppTest.from_file(str(ROOT / "pages" / "curate.py"), default_timeout=60)
    alone.run()
    assert not titles(alone) and not alone.text_input and not alone.button


def test_off_the_loopback_there_is_no_workbench_page(data_copy, monkeypatch):
    monkeypatch.delenv(cur.MODE_VAR, raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        at = open_app()
        with pytest.raises(ValueError):
            at.switch_page("pages/curate.py")
    finally:
        st_config.set_option("server.address", before)


def final(run) -> list:
    """The messages of the run that finished (after the first request's legacy pages/ run and its rerun)."""
    starts = [i for i, m in enumerate(run.messages) if m.WhichOneof("type") == "new_session"]
    return run.messages[starts[-1]:]


def page_text(run) -> str:
    return "\n".join(m.delta.new_element.heading.body or m.delta.new_element.markdown.body for m in final(run)
                     if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
                     and m.delta.new_element.WhichOneof("type") in ("heading", "markdown"))


def nav_urls(run) -> list[str]:
    return [page.url_pathname for m in final(run) if m.WhichOneof("type") == "navigation"
            for page in m.navigation.app_pages]


@pytest.mark.parametrize("mode", ["local", "hosted"])
def test_a_running_server_serves_curate_only_locally(tmp_path, mode):
    port = free_port()
    launcher = "deploy.hosted" if mode == "hosted" else "deploy.serve"
    command = [sys.executable, "-m", launcher, f"--server.port={port}", "--server.headless=true"]
    with serving(command, f"http://127.0.0.1:{port}", log=tmp_path / "server.log"):
        with Session(f"http://127.0.0.1:{port}") as session:
            run = session.run("curate")
    assert run.ok
    if mode == "local":
        assert TITLE in page_text(run) and "curate" in nav_urls(run)
    else:
        assert TITLE not in page_text(run) and "curate" not in nav_urls(run)
        assert run.elements("plotly_chart")      # it fell back to the overview
