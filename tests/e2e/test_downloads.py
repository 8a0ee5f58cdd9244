"""The data page's download buttons, clicked in the browser: every format parses and holds exactly the rows shown
(with the URL's filters) or the whole table, with the source note and the data version."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from metrics import exports, views
from metrics.catalog import text
from metrics.store import Dataset

from . import browser as b
from . import expected as e

pytestmark = pytest.mark.browser

DATA = next(spec for spec in e.PAGES if spec.name == "data")
FORMATS = {"csv": "zip", "xlsx": "xlsx", "parquet": "parquet"}   # button → file extension (CSV comes zipped with its dictionary)


@dataclass(frozen=True)
class Scenario:
    """A data-page view reached by URL, and the rows it must offer for download."""
    table: str
    lang: str
    query: tuple[tuple[str, str], ...]
    cases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    search: str = ""
    id_column: str = ""

    def shown(self, ds: Dataset) -> pd.DataFrame:
        rows = views.select(ds[self.table], list(self.cases), list(self.kinds))
        if self.search:   # the oracle: any text column contains the term (chosen so that no column choice matters)
            text_columns = [c for c in rows.columns if rows[c].dtype == object or pd.api.types.is_string_dtype(rows[c])]
            rows = views.search(rows, self.search, text_columns)
        return rows


SCENARIOS = {
    "facts-filtered": Scenario("facts", "zh", (("case", "xiangtan"), ("kind", "cumulative"), ("kind", "count")),
                               cases=("xiangtan",), kinds=("cumulative", "count"), id_column="fact_id"),
    "events-searched": Scenario("events", "en", (("lang", "en"), ("tab", "events"), ("case", "heilongjiang"),
                                                 ("q", "deferral")),
                                cases=("heilongjiang",), search="deferral", id_column="event_id"),
}


@pytest.fixture(scope="module")
def data_pages(browser, app_url, ds):
    """One data-page tab per scenario, opened from its URL; downloads are clicked in it."""
    opened = {}

    def get(name: str):
        if name not in opened:
            scenario = SCENARIOS[name]
            context = browser.new_context(viewport=b.VIEWPORT, locale="zh-CN", accept_downloads=True)
            requests = b.Requests().attach(context)
            url = b.page_url(app_url, DATA.path, list(scenario.query))
            page = b.open_page(context, url, e.footer_marker(ds, scenario.lang), selector=DATA.selector)
            opened[name] = (page, requests)
        return opened[name]
    yield get
    for page, _ in opened.values():
        page.context.close()


def download(page, label: str) -> tuple[str, bytes]:
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label)
    with page.expect_download(timeout=b.EXPECT_TIMEOUT_MS) as info:
        button.click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def parse(fmt: str, data: bytes) -> tuple[pd.DataFrame, str]:
    """(the table, the source note) from a downloaded file."""
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert names == ["data.csv", "dictionary.csv"], names
            data = archive.read("data.csv")
        assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM (Excel then reads Chinese)"
        note = data.decode("utf-8-sig").splitlines()[0]
        return pd.read_csv(io.BytesIO(data), skiprows=1, encoding="utf-8-sig", dtype=str, keep_default_na=False), note
    if fmt == "xlsx":
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl", dtype=str, keep_default_na=False)
        assert set(sheets) == {"data", "source", "dictionary"}, list(sheets)
        assert sheets["dictionary"]["name"].tolist() == [c for c in sheets["data"].columns], "dictionary of every column"
        return sheets["data"], str(sheets["source"].iloc[0, 0])
    table = pq.read_table(io.BytesIO(data))
    return table.to_pandas(), (table.schema.metadata or {}).get(b"source_note", b"").decode("utf-8")


@pytest.mark.parametrize("scope", ["shown", "all"])
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_download_matches_the_data(data_pages, ds, name, fmt, scope):
    scenario = SCENARIOS[name]
    page, requests = data_pages(name)
    lang = scenario.lang
    want = (scenario.shown(ds) if scope == "shown" else ds[scenario.table]).reset_index(drop=True)
    assert 0 < len(want), f"scenario {name} selects nothing: pick filters that match the data"
    if scope == "shown":   # the page says how many rows it shows
        rows = text("data.shown", lang, shown=len(want), total=len(ds[scenario.table]))
        assert rows in b.captions(page), f"{page.url}: expected {rows!r} in {b.captions(page)}"

    label = f"{text(f'data.download.{scope}', lang)} · {text(f'data.download.{fmt}', lang)}"
    filename, data = download(page, label)
    assert filename == f"{scenario.table}_{scope}.{FORMATS[fmt]}"
    got, note = parse(fmt, data)

    assert ds.data_version in note, f"{filename}: the source note lacks the data version: {note!r}"
    assert len(got) == len(want), f"{filename}: {len(got)} rows, expected {len(want)}"
    assert list(got.columns) == list(want.columns), f"{filename}: columns {list(got.columns)}"
    assert got[scenario.id_column].tolist() == want[scenario.id_column].tolist(), filename
    if fmt == "parquet":   # parquet keeps values and types exactly
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    else:
        safe = exports.neutralize(want)   # spreadsheets get formula-like text cells defused, nothing else changed
        if "value" in want:
            assert got["value"].astype(float).tolist() == pytest.approx(want["value"].astype(float).tolist()), filename
        for column in ("quote", "label_en", "indicator_zh"):
            if column in want:
                assert got[column].tolist() == safe[column].tolist(), f"{filename}: column {column}"
    requests.assert_offline()
