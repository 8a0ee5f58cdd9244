"""A collection too large to list, in a real browser: the sidebar's finder, a search typed into it, a click on a found
case, and the compare page's ranked chart. The navigation registers the finder's listed cases only on the finder's
own runs (ui/navigation.py), so a click must still reach its case from a widget rerun of that page."""
from __future__ import annotations

import re

import pytest

from metrics.catalog import text
from metrics.compare import CHART_BARS
from metrics.store import load
from tests.support.collections import large_collection
from tests.support.server import running_app

from . import browser as b

pytestmark = pytest.mark.browser

EXTRA_CASES, CASE_SIZE = 200, 25


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return large_collection(tmp_path_factory.mktemp("many-e2e") / "data", EXTRA_CASES, CASE_SIZE)


@pytest.fixture(scope="module")
def many_url(chromium, many):
    b.ARTIFACTS.mkdir(exist_ok=True)
    with running_app(env={"DASHBOARD_DATA_DIR": str(many)}, log=b.ARTIFACTS / "e2e-many-server.log") as url:
        yield url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_found_by_search_opens_from_its_link(fresh_context, many, many_url, lang):
    cases = load(many)["cases"].set_index("case_id")
    case_id = "syn00042"
    context, requests = fresh_context()
    page = b.open_page(context, b.page_url(many_url, "", {"lang": lang}), text("app.data_version", lang, version="").strip())
    page.get_by_test_id("stSidebarNav").get_by_text(text("nav.finder", lang), exact=True).click()
    b.expect_url(page, re.compile(r"/cases\b"))
    search = page.get_by_label(text("finder.search", lang))
    search.fill(case_id)
    search.press("Enter")
    link = page.get_by_test_id("stMain").get_by_role("link", name=cases.at[case_id, f"short_{lang}"], exact=True)
    link.click()
    b.expect_url(page, re.compile(rf"/{case_id}\b"))
    b.expect_text(page.get_by_role("heading", level=1), cases.at[case_id, f"title_{lang}"])
    assert not page.get_by_test_id("stException").count()
    requests.assert_offline()


def test_compare_draws_the_largest_values_of_a_large_collection(fresh_context, many_url):
    context, requests = fresh_context()
    page = b.open_page(context, b.page_url(many_url, "/compare", {"lang": "en"}),
                       text("app.data_version", "en", version="").strip(), min_charts=1)
    drawn = b.charts(page)
    assert drawn and max(c["points"] for c in drawn) == CHART_BARS, [c["points"] for c in drawn]
    # "The 20 largest of N comparable values, from M cases …" under every chart cut to its largest values.
    note = re.escape(text("compare.chart.largest", "en", shown=CHART_BARS, total="\x00", cases="\x01"))
    note = re.compile(note.replace("\x00", r"[\d,]+").replace("\x01", r"[\d,]+"))
    cut = [c for c in drawn if c["points"] == CHART_BARS]
    lines = [line.strip() for c in b.captions(page) for line in c.split("\n") if line.strip()]
    assert len([line for line in lines if note.fullmatch(line)]) >= len(cut) > 0, lines
    assert not page.get_by_test_id("stException").count()
    requests.assert_offline()
