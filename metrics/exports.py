"""Downloads: CSV (UTF-8 with BOM so Excel shows Chinese), Excel and parquet, each with the source note.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are
neutralized with a leading apostrophe; numbers are never touched.
"""
from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralize(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell is safe to open in a spreadsheet."""
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralize_cell, na_action="ignore")
    safe.columns = [neutralize_cell(str(c)) for c in safe.columns]
    return safe


def to_csv(df: pd.DataFrame, note: str) -> bytes:
    """UTF-8 with BOM; the source note is the first line as a comment row."""
    body = neutralize(df).to_csv(index=False, lineterminator="\r\n")
    header = pd.DataFrame({"#": [neutralize_cell(note)]}).to_csv(index=False, header=False, lineterminator="\r\n")
    return ("\ufeff" + header + body).encode("utf-8")


def to_xlsx(df: pd.DataFrame, note: str, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralize(df).to_excel(writer, sheet_name=sheet[:31], index=False)
        pd.DataFrame({"source": [neutralize_cell(note)]}).to_excel(writer, sheet_name="source", index=False)
    return buffer.getvalue()


def to_parquet(df: pd.DataFrame, note: str) -> bytes:
    """Parquet keeps values exactly (no neutralization needed: no spreadsheet runs it); the note is metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"source_note": note.encode("utf-8")})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


FORMATS = {  # name → (builder, extension, MIME type)
    "csv": (to_csv, "csv", "text/csv"),
    "xlsx": (to_xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": (to_parquet, "parquet", "application/vnd.apache.parquet"),
}
