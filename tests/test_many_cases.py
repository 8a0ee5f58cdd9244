"""A collection too large to list: the navigation lists no case, the finder leads to every case, a deep link opens any
case, the data page filters the whole collection, and a damaged case is named when it is opened.

The fixture is today's 18 cases plus 200 synthetic ones (bench/synth.py: cloned from the real cases, real quotes
and units), written as the build writes them; over ``LISTED_CASES`` and still quick to open.
"""
from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from metrics import finder, numbers
from metrics.catalog import text
from metrics.store import REBUILD, load
from tests.support.collections import large_collection

from .conftest import ENTRY

EXTRA_CASES, CASE_SIZE = 200, 25   # a synthetic case clones a whole real case (at most 22 figures)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return large_collection(tmp_path_factory.mktemp("many") / "data", EXTRA_CASES, CASE_SIZE)


@pytest.fixture
def app(many, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(many))
    return many


def run(page: str = "", timeout: float = 120, case: str = "", **params) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    if case:
        go(at, case)
    return at


def go(at: AppTest, case_id: str) -> AppTest:
    """Ask for a case's page as a browser does, by the hash of its url_path, whether or not a run registered it."""
    at._page_hash = calc_hash(case_id)
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_fixture_is_a_large_collection(many):
    ds = load(many)
    assert len(ds["cases"]) == 18 + EXTRA_CASES > finder.LISTED_CASES
    assert not ds.problems and not ds.eager


def registered_cases(at: AppTest, ds) -> set[str]:
    return {info["url_pathname"] for info in at._registered_pages.values()} & set(ds.case_ids())


def test_navigation_lists_no_case_but_the_finder(app):
    ds = load(app)
    at = run()
    no_exception(at)
    # Other pages register no case (none was asked for); the finder registers the cases it lists (hidden, for its
    # links), never the whole collection.
    assert "cases" in {info["url_pathname"] for info in at._registered_pages.values()}
    assert registered_cases(at, ds) == set()
    at.switch_page("pages/cases.py").run()
    no_exception(at)
    listed = {link.proto.page for link in at.get("page_link")}
    assert registered_cases(at, ds) == listed and len(listed) == finder.SHOWN < len(ds["cases"])


@pytest.mark.parametrize("query,lang,expected", [
    ("湘潭", "zh", {"xiangtan"}),
    ("Xiangtan", "en", {"xiangtan"}),
    ("syn00199", "en", {"syn00199"}),
])
def test_finder_searches_names_and_places(app, query, lang, expected):
    at = run("pages/cases.py", lang=lang, find=query)
    no_exception(at)
    linked = {link.proto.page for link in at.get("page_link")}
    assert expected <= linked
    labels = {link.proto.label for link in at.get("page_link") if link.proto.page in expected}
    names = load(app)["cases"].set_index("case_id")[f"short_{lang}"]
    assert labels == {names[c] for c in expected}


def test_finder_groups_by_province_then_family(app):
    ds = load(app)
    cases = ds["cases"]
    province = cases["province_zh"].value_counts().index[0]
    at = run("pages/cases.py", lang="zh", province=province)
    no_exception(at)
    found = cases[cases["province_zh"] == province]
    assert [s.value for s in at.subheader] == [province]
    assert text("finder.found", "zh", found=len(found), shown=finder.SHOWN) in [c.value for c in at.caption] \
        or text("finder.found.all", "zh", found=len(found)) in [c.value for c in at.caption]
    families, _ = __import__("metrics.compare", fromlist=["lists"]).lists()
    names = {f.name_zh for f in families.values()}
    assert {c.value for c in at.caption if c.value in names} == {families[f].name_zh for f in found["family"].iloc[:finder.SHOWN]}


def test_a_finder_link_opens_its_case(app):
    at = run("pages/cases.py", lang="en", find="syn00042")
    link = next(link for link in at.get("page_link") if link.proto.page == "syn00042")
    go(at, link.proto.page)
    no_exception(at)
    assert [t.value for t in at.title] == [load(app)["cases"].set_index("case_id").at["syn00042", "title_en"]]
    assert at.session_state["_recent_cases"] == ["syn00042"]


@pytest.mark.parametrize("case_id", ["xiangtan", "syn00199"])
def test_deep_link_opens_any_case(app, case_id):
    at = run(case=case_id, lang="zh")
    no_exception(at)
    assert [t.value for t in at.title] == [load(app)["cases"].set_index("case_id").at[case_id, "title_zh"]]
    assert at.metric, "the case's headline figures"


def shown_caption(shown: int, total: int) -> str:
    return text("data.shown", "zh", shown=numbers.decimal(shown, "zh", 0), total=numbers.decimal(total, "zh", 0))


def test_data_page_filters_the_whole_collection(app):
    facts = load(app)["facts"]
    at = run("pages/data.py", lang="zh")
    no_exception(at)
    assert shown_caption(len(facts), len(facts)) in [c.value for c in at.caption]
    at.multiselect(key="case").set_value(["syn00007", "xiangtan"]).run()
    at.text_input(key="q").set_value("担保").run()
    no_exception(at)
    chosen = facts[facts["case_id"].isin(["syn00007", "xiangtan"])]
    hits = chosen[chosen[["indicator_zh", "indicator_en", "scope_zh", "scope_en", "quote", "fact_id", "printed"]]
                  .apply(lambda c: c.str.contains("担保", regex=False)).any(axis=1)]
    assert shown_caption(len(hits), len(facts)) in [c.value for c in at.caption]
    assert sorted(at.dataframe[0].value["fact_id"]) == sorted(hits["fact_id"])


@pytest.mark.parametrize("search,lowered", [("LOAN", "loan"), ("风险补偿", "风险补偿")])
def test_data_page_search_of_the_whole_collection_uses_the_index(app, search, lowered):
    ds = load(app)
    assert ds.search_index("facts") is not None, "a large collection's search is looked up (metrics/search_index.py)"
    facts = ds["facts"]
    at = run("pages/data.py", lang="zh")
    at.text_input(key="q").set_value(search).run()
    no_exception(at)
    columns = ["indicator_zh", "indicator_en", "scope_zh", "scope_en", "quote", "fact_id", "printed"]
    hits = facts[facts[columns].apply(lambda c: c.str.lower().str.contains(lowered, regex=False)).any(axis=1)]
    assert 0 < len(hits) < len(facts)
    assert shown_caption(len(hits), len(facts)) in [c.value for c in at.caption]


def test_overview_stays_small(app):
    at = run(lang="en")
    no_exception(at)
    assert len(at.get("page_link")) < 40
    more = [link.proto.label for link in at.get("page_link") if "more case studies" in link.proto.label]
    assert len(more) == 3


@pytest.fixture
def damaged(many, tmp_path, monkeypatch):
    """The large collection with one synthetic case's facts file overwritten (checksum kept: only reading finds it)."""
    folder = tmp_path / "data"
    shutil.copytree(many, folder)
    rel = "syn00010/facts.parquet"
    (folder / rel).write_bytes(b"not a parquet file")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"][rel]["sha256"] = __import__("hashlib").sha256(b"not a parquet file").hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    return rel


def test_a_damaged_case_is_named_when_opened_and_the_others_work(damaged):
    at = run(case="syn00010", lang="en")
    no_exception(at)
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(damaged in e and "unreadable parquet" in e and REBUILD in e for e in errors), errors
    assert not at.metric and not at.get("plotly_chart")
    go(at, "syn00011")
    no_exception(at)
    assert not at.error and at.metric


def test_pristine_large_collection_reads_every_case(many):
    """The control for the damage above: every case of the fixture opens without a problem."""
    ds = load(many)
    assert all(ds.case_tables(c) is not None for c in ds.case_ids()) and not ds.problems
    assert pq.read_table(many / "all_facts.parquet").num_rows == len(ds["facts"])
