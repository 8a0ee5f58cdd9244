"""The compare page over a collection too large to chart or table whole (tests/test_many_cases.py's 218 cases): the
chart draws the largest (or smallest) values and says how many of how many it shows, provinces narrow it, the grid
holds one page of rows with its picker, and the download holds every row, each with its link to its figure."""
from __future__ import annotations

import base64
import io
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from streamlit.elements.widgets import button
from streamlit.testing.v1 import AppTest

from metrics import charts, compare, numbers, views
from metrics.catalog import text
from metrics.store import load

from .conftest import ENTRY
from .test_many_cases import many  # noqa: F401 (the 218-case collection, a module fixture)

CODE = "trade_settlement_amount"   # 237 figures in the fixture, 147 of them on one chart, from 36 cases
FAMILIES, CODES = compare.lists()


@pytest.fixture(scope="module")
def expected(many):   # noqa: F811 (the fixture imported above)
    """The code's rows as the family overview shapes them (every row at once, compare.block), per language."""
    ds = load(many)
    return {lg: compare.block(ds["facts"], ds["cases"], ds["sources"], CODES[CODE], lg) for lg in ("zh", "en")}


@pytest.fixture
def app(many, monkeypatch):   # noqa: F811
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(many))
    return many


def open_compare(**params) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def bars(at: AppTest, chart: int = 0) -> tuple[list[str], list[float]]:
    """(labels, values) of one of the page's charts, top bar first (plotly draws the first row at the bottom)."""
    trace = json.loads(at.get("plotly_chart")[chart].proto.spec)["data"][0]
    x = trace["x"]
    values = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]) if isinstance(x, dict) else np.array(x)
    return list(trace["y"])[::-1], values.tolist()[::-1]


def divisor(block: compare.Block, lang: str) -> float:
    """The chart's values are in its axis unit (亿元 → 1e8 yuan)."""
    return charts.axis_scale(block.unit, lang)[0]


def captions(at: AppTest) -> list[str]:
    """Every caption's lines (a chart's caption holds its notes, a paragraph each)."""
    return [line for c in at.caption for line in c.value.split("\n\n")]


class Deferred:
    """Stands in for the server's media file manager, which AppTest has none of: keeps each download's callable
    (made when the button is pressed, as in a browser) by file name."""

    def __init__(self) -> None:
        self.made: dict[str, object] = {}

    def add_deferred(self, data, mimetype, coordinates, file_name=None, *, element_id=""):
        self.made[file_name] = data
        return f"deferred-{len(self.made)}"

    def remove_deferred(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def pressed(monkeypatch):
    """file name → the bytes its download button gives when pressed."""
    manager = Deferred()
    stub = SimpleNamespace(exists=lambda: True, get_instance=lambda: SimpleNamespace(media_file_mgr=manager))
    monkeypatch.setattr(button, "runtime", stub)
    return lambda name: manager.made[name]()


def read_csv(data: bytes) -> pd.DataFrame:
    """A download's CSV: the source note on its first line, then the table."""
    return pd.read_csv(io.BytesIO(data), skiprows=1, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def note(lang: str, rank: str, rows: pd.DataFrame, shown: int) -> str:
    charted = rows[rows["charted"]]
    return text(f"compare.chart.{rank}", lang, shown=numbers.decimal(shown, lang, 0),
                total=numbers.decimal(len(charted), lang, 0), cases=numbers.decimal(charted["case_id"].nunique(), lang, 0))


@pytest.mark.parametrize("lang,rank", [("zh", "largest"), ("en", "largest"), ("en", "smallest")])
def test_the_chart_draws_the_largest_or_smallest_and_says_of_how_many(app, expected, lang, rank):
    at = open_compare(lang=lang, code=CODE, rank=rank)
    rows = expected[lang].rows
    charted = rows[rows["charted"]]
    labels, values = bars(at)
    assert len(values) == compare.CHART_BARS < len(charted) == 147
    ranked = sorted(charted["value"], reverse=rank == "largest")[:compare.CHART_BARS]
    assert values == pytest.approx([v / divisor(expected[lang], lang) for v in ranked])
    assert charted["value"].nunique() > 1, "the fixture has values to rank"
    assert len(set(labels)) == len(labels), "one bar per figure: no two share a label"
    assert note(lang, rank, rows, compare.CHART_BARS) in captions(at)


def test_the_grid_holds_a_page_and_the_download_every_row(app, expected, pressed):
    at = open_compare(lang="zh", code=CODE)
    table = expected["zh"].table
    link = text("col.link", "zh")
    assert len(table) == 237
    assert at.dataframe[0].value[link].tolist() == table[link].iloc[:views.TABLE_PAGE_ROWS].tolist()
    assert text("data.page.rows", "zh", size="100", first="1", last="100", shown="237") in captions(at)
    at.number_input(key=f"page_{CODE}").set_value(3).run()
    assert at.dataframe[0].value[link].tolist() == table[link].iloc[200:].tolist()
    every = read_csv(pressed(f"compare_{CODE}_zh.csv"))
    assert every[link].tolist() == table[link].tolist()   # every row, in the table's order, each with its link
    assert every[text("col.value", "zh")].tolist() == table[text("col.value", "zh")].tolist()
    assert every[text("col.quote", "zh")].tolist() == table[text("col.quote", "zh")].tolist()


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_provinces_narrow_chart_table_and_download(app, expected, pressed, lang):
    chosen = ["福建省", "广西壮族自治区"]
    at = open_compare(lang=lang, code=CODE, provinces=chosen)
    rows = expected[lang].rows
    inside = rows[rows["case_id"].map(load(app)["cases"].set_index("case_id")["province_zh"]).isin(chosen)]
    assert len(inside) == 103 < len(rows)
    links = [compare.data_link(f, c, lang) for f, c in zip(inside["fact_id"], inside["case_id"])]
    assert at.dataframe[0].value[text("col.link", lang)].tolist() == links[:views.TABLE_PAGE_ROWS]
    assert read_csv(pressed(f"compare_{CODE}_{lang}.csv"))[text("col.link", lang)].tolist() == links
    charted = inside[inside["charted"]]
    _, values = bars(at)
    assert values == pytest.approx([v / divisor(expected[lang], lang)
                                    for v in sorted(charted["value"], reverse=True)[:compare.CHART_BARS]])
    assert note(lang, "largest", inside, min(len(charted), compare.CHART_BARS)) in captions(at)


def test_a_family_shows_each_indicators_first_rows(app):
    at = open_compare(lang="en", family="guarantees")
    ds = load(app)
    reported = [c for c in compare.family_codes("guarantees", CODES) if (ds["facts"]["code"] == c.code).any()]
    assert [s.value for s in at.subheader] == [c.name_en for c in reported]
    sizes = [len(d.value) for d in at.dataframe]
    totals = [int((ds["facts"]["code"] == c.code).sum()) for c in reported]
    assert sizes == [min(n, compare.FAMILY_TABLE_ROWS) for n in totals]
    # No page picker per indicator: each grid says it holds the first rows, and how to page through them.
    assert not at.number_input
    assert [c for c in captions(at) if c.startswith("The table shows the first")] == [
        text("compare.family.rows", "en", shown=compare.FAMILY_TABLE_ROWS, total=numbers.decimal(n, "en", 0))
        for n in totals if n > compare.FAMILY_TABLE_ROWS]
    drawn = [len(bars(at, i)[1]) for i in range(len(at.get("plotly_chart")))]
    assert drawn and max(drawn) == compare.CHART_BARS
    # One download per indicator: every row when the grid holds a part of them, else the chart's data.
    keys = [b.proto.id.split("-")[-1] for b in at.get("download_button")]
    assert keys == [f"dl_rows_{c.code}" if n > compare.FAMILY_TABLE_ROWS else f"dl_compare_{c.code}"
                    for c, n in zip(reported, totals)], keys


def test_hostile_provinces_fall_back_with_a_message(app):
    at = open_compare(lang="en", code=CODE, provinces=["<script>", "湖南省"], rank="all")
    assert text("link.ignored", "en", params="provinces, rank") in captions(at)
    assert at.multiselect(key="provinces").value == [] and at.radio(key="rank").value == "largest"


def test_the_note_names_each_left_out_row_once(app, expected):
    at = open_compare(lang="zh", code=CODE)
    left_out = expected["zh"].rows[~expected["zh"].rows["charted"]]
    named, covered = compare.listed_once(left_out, compare.NOT_CHARTED_LISTED)
    names = named.split(", ")
    assert len(names) == len(set(names)) < covered == len(left_out) == 90   # 90 rows, a few wordings
    assert text("compare.not_charted", "zh", rows=named) in captions(at)


def test_the_note_counts_the_rows_it_does_not_name(app, expected, monkeypatch):
    monkeypatch.setattr(compare, "NOT_CHARTED_LISTED", 1)
    at = open_compare(lang="en", code=CODE)
    left_out = expected["en"].rows[~expected["en"].rows["charted"]]
    named, covered = compare.listed_once(left_out, 1)
    assert covered < len(left_out)
    assert (text("compare.not_charted", "en", rows=named)
            + text("compare.not_charted.more", "en", more=str(len(left_out) - covered))) in captions(at)


def test_the_collection_tables_index_equals_the_frames(many):   # noqa: F811
    """The page reads a code's facts from the collection table by position (code_positions, index_columns): each
    code's index, and the localities reporting each code, equal those made from the whole facts frame."""
    ds = load(many)
    table, facts, cases = ds.collection["facts"], ds["facts"], ds["cases"]
    at = compare.code_positions(table)
    coded = facts["code"].fillna("")
    assert set(at) == set(coded[coded != ""])
    for code, positions in at.items():
        assert positions.tolist() == np.flatnonzero((coded == code).to_numpy()).tolist(), code
        from_table = compare.index_rows(compare.index_columns(table, positions), cases)
        pd.testing.assert_frame_equal(from_table.reset_index(drop=True),
                                      compare.code_index(facts, cases, code).reset_index(drop=True), check_categorical=False)
    assert compare.reporting_at(table, at, cases) == compare.reporting(facts, cases)


@pytest.mark.parametrize("codes,expected", [
    (["a", "", "b", "a", None, "b", "a"], {"a": [0, 3, 6], "b": [2, 5]}),
    (["", None], {}),
    ([], {}),
])
@pytest.mark.parametrize("encoded", [False, True])
def test_code_positions_skip_empty_codes_and_keep_order(codes, expected, encoded):
    import pyarrow as pa
    column = pa.array(codes, pa.string())
    table = pa.table({"code": column.dictionary_encode() if encoded else column})
    assert {c: p.tolist() for c, p in compare.code_positions(table).items()} == expected
