"""Hostile exports: text a spreadsheet would run as a formula is neutralized in CSV and Excel, numbers (negative
ones too) are untouched; the CSV has a UTF-8 BOM and a source-note first row; xlsx opens; parquet round-trips."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from metrics import exports

NOTE = '=HYPERLINK("http://evil.example","来源, "note"")'
HOSTILE = {  # text cell → what a spreadsheet must receive
    "=1+1": "'=1+1",
    "+SUM(A1:A9)": "'+SUM(A1:A9)",
    "-2+3": "'-2+3",
    "@SUM(A1)": "'@SUM(A1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    '=cmd|"/c calc"!A1': "'=cmd|\"/c calc\"!A1",
    "-": "'-",
    "湘潭 = 三资": "湘潭 = 三资",        # not at the start: harmless
    "1.97 亿多元": "1.97 亿多元",
    "": "",
}
NUMBERS = [-1.5, 0.0, 2.25, -8186000000.0, 130.0, -0.001, 7.0, 1e-9, -3.0, 42.0, 5.0]


def hostile_frame() -> pd.DataFrame:
    texts = list(HOSTILE)
    return pd.DataFrame({
        "text": texts,                                 # object/str column
        "string": pd.array(texts, dtype="string"),     # pandas string dtype
        "value": NUMBERS[: len(texts)],                # floats, negative ones included
        "count": [-(i + 1) for i in range(len(texts))],  # negative integers
        "=formula_header": texts,                      # a hostile column name
    })


EXPECTED_TEXT = list(HOSTILE.values())


def csv_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), skiprows=1, keep_default_na=False, dtype={"text": str, "string": str})


def test_csv_starts_with_a_bom_and_the_source_note():
    data = exports.to_csv(hostile_frame(), NOTE)
    assert data.startswith("\ufeff".encode())
    first_row = pd.read_csv(io.BytesIO(data), nrows=0, encoding="utf-8-sig").columns[0]
    assert first_row == "'" + NOTE  # the note itself is neutralized, and its comma and quotes survive quoting


@pytest.mark.parametrize("column", ["text", "string"])
def test_csv_neutralizes_text_cells(column):
    back = csv_back(exports.to_csv(hostile_frame(), NOTE))
    assert back[column].tolist() == EXPECTED_TEXT


@pytest.mark.parametrize("column", ["value", "count"])
def test_csv_leaves_numbers_alone(column):
    frame = hostile_frame()
    back = csv_back(exports.to_csv(frame, NOTE))
    assert back[column].tolist() == frame[column].tolist()
    assert pd.api.types.is_numeric_dtype(back[column])


def test_csv_neutralizes_column_names():
    back = csv_back(exports.to_csv(hostile_frame(), NOTE))
    assert list(back.columns) == ["text", "string", "value", "count", "'=formula_header"]


def xlsx_rows(data: bytes, sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(cell for cell in row) for row in book[sheet].iter_rows()]


@pytest.mark.parametrize("column_index,column", [(0, "text"), (1, "string")])
def test_xlsx_neutralizes_text_cells(column_index, column):
    rows = xlsx_rows(exports.to_xlsx(hostile_frame(), NOTE), "data")
    cells = [row[column_index] for row in rows[1:]]
    # A carriage return comes back as a line feed (XML line-end normalization) or as itself (when openpyxl writes
    # with lxml, which escapes it): either way the apostrophe is what matters.
    assert [(cell.value or "").replace("\r", "\n") for cell in cells] == [t.replace("\r", "\n") for t in EXPECTED_TEXT]
    assert all(cell.data_type != "f" for cell in cells), [(c.value, c.data_type) for c in cells]


@pytest.mark.parametrize("column_index,column", [(2, "value"), (3, "count")])
def test_xlsx_keeps_numbers_as_numbers(column_index, column):
    frame = hostile_frame()
    cells = [row[column_index] for row in xlsx_rows(exports.to_xlsx(frame, NOTE), "data")[1:]]
    assert [cell.value for cell in cells] == frame[column].tolist()
    assert {cell.data_type for cell in cells} == {"n"}


def test_xlsx_has_the_source_note_and_safe_headers():
    data = exports.to_xlsx(hostile_frame(), NOTE)
    header = [cell.value for cell in xlsx_rows(data, "data")[0]]
    assert header == ["text", "string", "value", "count", "'=formula_header"]
    note = xlsx_rows(data, "source")[1][0]
    assert (note.value, note.data_type) == ("'" + NOTE, "s")


def test_no_formula_anywhere_in_the_workbook():
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(hostile_frame(), NOTE)))
    formulas = [(sheet.title, cell.coordinate, cell.value) for sheet in book for row in sheet.iter_rows()
                for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_parquet_round_trips_exactly_with_the_note():
    frame = hostile_frame()
    table = pq.read_table(io.BytesIO(exports.to_parquet(frame, NOTE)))
    pd.testing.assert_frame_equal(table.to_pandas(), frame, check_dtype=False)
    assert table.to_pandas()["text"].tolist() == list(HOSTILE)  # values kept as they are: no spreadsheet runs parquet
    assert table.schema.metadata[b"source_note"].decode("utf-8") == NOTE


@pytest.mark.parametrize("value,expected", [
    *HOSTILE.items(),
    (-5, -5), (-5.5, -5.5), (0, 0), (None, None), (float("inf"), float("inf")),
])
def test_neutralize_cell(value, expected):
    assert exports.neutralize_cell(value) == expected


def test_neutralize_does_not_modify_its_input():
    frame = hostile_frame()
    before = frame.copy()
    exports.neutralize(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", list(exports.FORMATS))
def test_every_format_builds_from_an_empty_table(name):
    builder, _, _ = exports.FORMATS[name]
    assert builder(hostile_frame().iloc[0:0], NOTE)


@pytest.mark.parametrize("dtype", [object, "string", "string[pyarrow]", "category"])
def test_every_text_dtype_is_neutralized(dtype):
    column = pd.Series(list(HOSTILE), dtype=dtype)
    safe = exports.neutralize(pd.DataFrame({"text": column}))["text"]
    assert [str(v) for v in safe] == EXPECTED_TEXT


# --- The data dictionary travels with every download ------------------------------------------------------------
DICTIONARY = pd.DataFrame({"table": ["t"] * 2, "name": ["text", "value"], "dtype": ["string", "float64"],
                           "unit": ["", "万元"], "description_zh": ["=文字", "数值"], "description_en": ["Text", "Value"],
                           "required": [True, False], "origin": ["case", "case"]})


def test_csv_zip_holds_the_data_and_its_dictionary():
    import zipfile

    with zipfile.ZipFile(io.BytesIO(exports.to_csv_zip(hostile_frame(), NOTE, DICTIONARY))) as archive:
        assert archive.namelist() == ["data.csv", "dictionary.csv"]
        back = csv_back(archive.read("data.csv"))
        described = pd.read_csv(io.BytesIO(archive.read("dictionary.csv")), skiprows=1, keep_default_na=False)
    assert back["text"].tolist() == EXPECTED_TEXT
    assert described["name"].tolist() == ["text", "value"]
    assert described["description_zh"].tolist() == ["'=文字", "数值"]   # neutralized like any text cell


def test_csv_zip_is_the_same_bytes_every_time():
    assert exports.to_csv_zip(hostile_frame(), NOTE, DICTIONARY) == exports.to_csv_zip(hostile_frame(), NOTE, DICTIONARY)


def test_xlsx_has_a_dictionary_sheet():
    rows = xlsx_rows(exports.to_xlsx(hostile_frame(), NOTE, DICTIONARY), "dictionary")
    assert [c.value for c in rows[0]] == list(DICTIONARY.columns)
    assert [(r[1].value, r[4].value) for r in rows[1:]] == [("text", "'=文字"), ("value", "数值")]


def test_parquet_carries_the_dictionary_as_metadata():
    import json

    table = pq.read_table(io.BytesIO(exports.to_parquet(hostile_frame(), NOTE, DICTIONARY)))
    entries = json.loads(table.schema.metadata[b"dictionary"].decode("utf-8"))
    assert [e["name"] for e in entries] == ["text", "value"]
    assert table.schema.field("value").metadata[b"unit"].decode("utf-8") == "万元"
    assert table.schema.field("text").metadata[b"description_zh"].decode("utf-8") == "=文字"   # parquet keeps values
    pd.testing.assert_frame_equal(table.to_pandas(), hostile_frame(), check_dtype=False)
